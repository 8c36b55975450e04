/**
 * Builds the `McpServer` that `erlmcp serve` runs from a validated config: its options, the demo toolset unless
 * the config turns it off, then the user's modules in order. Shared by the stdio and HTTP paths, so both serve
 * exactly the same server.
 */
import { CONFIG_DEFAULTS, type ErlmcpConfig } from '../config/config-defaults.js';
import { ErlmcpError } from '../errors.js';
import { registerDemo } from '../demo/register-demo.js';
import { McpServer } from '../server/mcp-server.js';
import { loadModules } from './module-loader.js';

/**
 * Config sections of the seed that later releases consume (config-defaults.ts): they are validated, but nothing in
 * this release reads them yet.
 */
const NOT_YET_BUILT = ['runtime', 'connections', 'database', 'cache', 'thread_pools', 'json', 'tcp', 'http2', 'auth'] as const;

/** Keys of those sections that are built already: `tcp.maxConnections` bounds the HTTP transport's connections. */
const BUILT_KEYS: ReadonlySet<string> = new Set(['tcp.maxConnections']);

/** The dotted keys under `value` whose values differ from `defaults`. */
function changedKeys(value: unknown, defaults: unknown, path: string): string[] {
  if (value !== null && defaults !== null && typeof value === 'object' && typeof defaults === 'object' && !Array.isArray(defaults)) {
    return Object.keys(value).flatMap((k) => changedKeys((value as Record<string, unknown>)[k], (defaults as Record<string, unknown>)[k], `${path}.${k}`));
  }
  return JSON.stringify(value) === JSON.stringify(defaults) ? [] : [path];
}

/**
 * What `config` asks for that this release does not build, one `config:` line each; empty when it can be served.
 * `erlmcp config check` reports the same lines, so a file it passes is one `serve` accepts.
 */
export function unbuiltSettings(config: ErlmcpConfig): string[] {
  const problems: string[] = [];
  if (config.sessions.store !== 'memory') {
    // Refuse rather than silently fall back: a user who asked for shared sessions must not get private ones.
    problems.push(`config: sessions.store "${config.sessions.store}" is not available in this release; use "memory"`);
  }
  // The same for the sections nothing reads yet: `auth.enabled: true` must not start a server without auth.
  const ignored = NOT_YET_BUILT.flatMap((section) => changedKeys(config[section], CONFIG_DEFAULTS[section], section))
    .filter((key) => !BUILT_KEYS.has(key));
  if (ignored.length > 0) {
    problems.push(`config: ${ignored.join(', ')} ${ignored.length === 1 ? 'is' : 'are'} set, but ${ignored.length === 1 ? 'that section is' : 'those sections are'} not built in this release and would be ignored; remove ${ignored.length === 1 ? 'it' : 'them'} (or leave the defaults)`);
  }
  return problems;
}

/** A server configured from `config`, with the demo toolset and every module registered. */
export async function buildServer(config: ErlmcpConfig): Promise<McpServer> {
  const { server: s, sessions } = config;
  const unbuilt = unbuiltSettings(config);
  if (unbuilt.length > 0) throw new ErlmcpError('ERLMCP_ERR_CONFIG_INVALID', unbuilt.join('\n'));
  const server = new McpServer({
    info: { name: s.name, version: s.version },
    ...(s.instructions === null ? {} : { instructions: s.instructions }),
    revisions: s.revisions,
    cache: { ttlMs: s.cacheTtlMs, scope: s.cacheScope },
    mrtr: {
      ...(s.mrtrSecret === null ? {} : { secret: s.mrtrSecret }),
      stateTtlMs: s.mrtrStateTtlMs,
      maxStateBytes: s.mrtrMaxStateBytes,
      maxRounds: s.mrtrMaxRounds,
    },
    serverInfoInResults: s.serverInfoInResults,
    pageSize: s.pageSize,
    clientRequestTimeoutMs: s.clientRequestTimeoutMs,
    sessionIdleTtlMs: sessions.idleTtlMs,
    maxEventsPerStream: sessions.maxEventsPerStream,
    maxSessions: sessions.maxSessions,
    maxListenUris: config.limits.maxListenUris,
  });
  try {
    if (config.demo.enabled) registerDemo(server, { root: config.demo.root ?? process.cwd() });
    await loadModules(server, config);
  } catch (err) {
    await server.close();
    throw err;
  }
  return server;
}
