/**
 * The failures of `erlmcp serve`'s listeners, said in terms of the config. Node's own messages ("listen EADDRINUSE:
 * address already in use 127.0.0.1:8080", "getaddrinfo ENOTFOUND [::1]") name neither the listener (MCP or
 * metrics) nor the keys, flags or variables that chose the address, so the user cannot tell what to change.
 */
import { ErlmcpError } from '../errors.js';

/** One of serve's listeners: what it serves and the config section holding its `host` and `port`. */
export interface ListenerKeys {
  readonly what: 'MCP' | 'metrics';
  readonly section: 'server' | 'metrics';
  readonly host: string;
  readonly port: number;
}

/** Hosts that bind every interface, and so clash with any other host on the same port. */
const WILDCARDS = new Set(['0.0.0.0', '::', '']);

/**
 * The clash of the metrics listener with the MCP one, found before either binds: left to the second `listen`, it
 * read as a port some other program holds. Undefined when they can both bind.
 */
export function portClash(server: ListenerKeys, metrics: ListenerKeys): ErlmcpError | undefined {
  if (server.port === 0 || server.port !== metrics.port) return undefined;
  if (server.host !== metrics.host && !WILDCARDS.has(server.host) && !WILDCARDS.has(metrics.host)) return undefined;
  return new ErlmcpError(
    'ERLMCP_ERR_CONFIG_INVALID',
    `config: metrics.port ${metrics.port} is server.port too, on ${metrics.host === server.host ? server.host : `${server.host} and ${metrics.host}`}; the metrics listener needs a port of its own (--metrics-port, or 0 for a free one)`,
  );
}

/** `err`, a failed `listen` of `listener`, as one line naming the listener, its address and the keys behind it. */
export function listenFailure(err: unknown, listener: ListenerKeys): ErlmcpError {
  const { what, section, host, port } = listener;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  let reason: string;
  switch (code) {
    case 'EADDRINUSE':
      reason = `port ${port} is already in use; choose another, or 0 for a free one`;
      break;
    case 'EACCES':
      reason = `this process may not bind port ${port} (EACCES); ports below 1024 need privileges`;
      break;
    case 'EADDRNOTAVAIL':
      reason = `${host} is not an address of this machine (EADDRNOTAVAIL)`;
      break;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      reason = `the host ${JSON.stringify(host)} does not resolve (${code}); give a host name or an IP address, without brackets, scheme or port`;
      break;
    default:
      reason = err instanceof Error ? err.message : String(err);
  }
  const address = host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
  return new ErlmcpError('ERLMCP_ERR_LISTEN', `cannot listen for ${what} on ${address} (${section}.host, ${section}.port): ${reason}`, { cause: err });
}
