/**
 * Child process of observability-lazy-load.test.ts: builds a server as `erlmcp serve` would, with the config the
 * first argument names, serves one request over HTTP, and prints which optional packages were loaded.
 */
import { loadConfig } from '../../src/config/load-config.js';
import { startObservability } from '../../src/cli/observability.js';
// Through the package's entry point, which exports the metrics, logging and tracing classes: importing them
// must load none of their backends.
import { HttpTransport, McpServer } from '../../src/index.js';

const PACKAGES = ['prom-client', 'pino', '@opentelemetry/api', 'tdigest'];

const scenario = process.argv[2];
const config = loadConfig({
  overrides: {
    metrics: { enabled: scenario === 'metrics', port: 0 },
    logging: { level: scenario === 'silent' ? 'silent' : 'info' },
  },
});
const server = new McpServer({ info: { name: 'lazy', version: '1' } });
server.tool('echo', {}, () => 'ok');
const obs = await startObservability(server, config, true);
const http = new HttpTransport(server, {
  host: '127.0.0.1', port: 0, path: '/mcp', stateless: true, allowedOrigins: [], allowedHosts: [], maxBodyBytes: 1 << 20,
  ...(obs.health ? { routes: obs.health.routes() } : {}),
});
const { url } = await http.listen();
const res = await fetch(url, {
  method: 'POST',
  headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
  body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
});
const answered = res.status;
await res.text();
await http.close();
await server.close();
await obs.close();
const loaded = await (globalThis as unknown as { loadedModules(): Promise<string[]> }).loadedModules();
const packages = PACKAGES.filter((name) => loaded.some((m) => m.includes(`/node_modules/${name}/`)));
process.stdout.write(JSON.stringify({ answered, packages }) + '\n');
