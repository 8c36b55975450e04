/**
 * `erlmcp serve` over Streamable HTTP. The HTTP transport is imported lazily, so stdio mode never loads it.
 *
 * On a signal: `/ready` turns 503 at once, and for `server.shutdownReadyDelayMs` the listener keeps accepting so
 * load balancers see it and route elsewhere; then the transport stops accepting and waits up to
 * `server.shutdownGraceMs` for requests in flight, the server ends its sessions, and the metrics listener closes
 * last, so a final scrape still sees the drain.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ErlmcpConfig } from '../config/config-defaults.js';
import type { McpServer } from '../server/mcp-server.js';
import { listenFailure, portClash, type ListenerKeys } from './listen-failure.js';
import { startObservability } from './observability.js';
import { Shutdown } from './shutdown.js';

const SHUTDOWN_MARGIN_MS = 5_000;

/** Serves `server` over HTTP until a signal arrives; resolves once listening. */
export async function serveHttp(server: McpServer, config: ErlmcpConfig, log: (line: string) => void): Promise<void> {
  const { HttpTransport } = await import('../transport/http/http-transport.js');
  const s = config.server;
  const mcpKeys: ListenerKeys = { what: 'MCP', section: 'server', host: s.host, port: s.port };
  const m = config.metrics;
  const clash = m.enabled ? portClash(mcpKeys, { what: 'metrics', section: 'metrics', host: m.host, port: m.port }) : undefined;
  if (clash !== undefined) {
    await server.close();
    throw clash;
  }
  let observability;
  try {
    observability = await startObservability(server, config, true);
  } catch (err) {
    await server.close();
    throw err;
  }
  const obs = observability;
  const http = new HttpTransport(server, {
    host: s.host,
    port: s.port,
    path: s.path,
    stateless: s.stateless,
    responseMode: s.responseMode,
    sseKeepAliveMs: s.sseKeepAliveMs,
    allowedOrigins: [...s.allowedOrigins],
    allowedHosts: [...s.allowedHosts],
    maxBodyBytes: config.limits.maxBodyBytes,
    maxConnections: config.tcp.maxConnections,
    ...(obs.health === undefined ? {} : { routes: obs.health.routes() }),
  });
  let url: string;
  try {
    url = (await http.listen()).url;
  } catch (err) {
    await http.close(0);
    await server.close();
    await obs.close();
    throw listenFailure(err, mcpKeys);
  }
  new Shutdown({
    deadlineMs: s.shutdownReadyDelayMs + s.shutdownGraceMs + SHUTDOWN_MARGIN_MS,
    log,
    drain: async () => {
      obs.health?.startDraining();
      try {
        if (s.shutdownReadyDelayMs > 0) await sleep(s.shutdownReadyDelayMs);
        await http.close(s.shutdownGraceMs);
      } finally {
        try {
          await server.close();
        } finally {
          await obs.close();
        }
      }
    },
  }).install();
  log(`erlmcp listening on ${url}`);
  if (obs.metricsUrl !== undefined) log(`erlmcp metrics on ${obs.metricsUrl}`);
}
