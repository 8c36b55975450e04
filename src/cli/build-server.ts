/**
 * Builds the `McpServer` that `erlmcp serve` runs from a validated config: its options, the demo toolset unless
 * the config turns it off, then the user's modules in order. Shared by the stdio and HTTP paths, so both serve
 * exactly the same server.
 */
import type { ErlmcpConfig } from '../config/config-defaults.js';
import { ErlmcpError } from '../errors.js';
import { registerDemo } from '../demo/register-demo.js';
import { McpServer } from '../server/mcp-server.js';
import { loadModules } from './module-loader.js';

/** A server configured from `config`, with the demo toolset and every module registered. */
export async function buildServer(config: ErlmcpConfig): Promise<McpServer> {
  const { server: s, sessions } = config;
  if (sessions.store !== 'memory') {
    // Refuse rather than silently fall back: a user who asked for shared sessions must not get private ones.
    throw new ErlmcpError('ERLMCP_ERR_CONFIG_INVALID', `config: sessions.store "${sessions.store}" is not available in this release; use "memory"`);
  }
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
