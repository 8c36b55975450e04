/**
 * `erlmcp serve` over Streamable HTTP. The HTTP transport is imported lazily, so stdio mode never loads it. On a
 * signal the transport stops accepting and waits up to `server.shutdownGraceMs` for requests in flight, then the
 * server ends its sessions.
 */
import type { ErlmcpConfig } from '../config/config-defaults.js';
import type { McpServer } from '../server/mcp-server.js';
import { Shutdown } from './shutdown.js';

const SHUTDOWN_MARGIN_MS = 5_000;

/** Serves `server` over HTTP until a signal arrives; resolves once listening. */
export async function serveHttp(server: McpServer, config: ErlmcpConfig, log: (line: string) => void): Promise<void> {
  const { HttpTransport } = await import('../transport/http/http-transport.js');
  const s = config.server;
  const http = new HttpTransport(server, {
    host: s.host,
    port: s.port,
    path: s.path,
    stateless: s.stateless,
    responseMode: s.responseMode,
    allowedOrigins: [...s.allowedOrigins],
    allowedHosts: [...s.allowedHosts],
    maxBodyBytes: config.limits.maxBodyBytes,
  });
  let url: string;
  try {
    url = (await http.listen()).url;
  } catch (err) {
    await http.close(0);
    await server.close();
    throw err;
  }
  new Shutdown({
    deadlineMs: s.shutdownGraceMs + SHUTDOWN_MARGIN_MS,
    log,
    drain: async () => {
      try {
        await http.close(s.shutdownGraceMs);
      } finally {
        await server.close();
      }
    },
  }).install();
  log(`erlmcp listening on ${url}`);
}
