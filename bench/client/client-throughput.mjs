/**
 * Client throughput: how many `tools/call` requests per second ONE client process can issue over Streamable HTTP,
 * the erlmcp `McpClient` (undici Pool, JSON answers parsed with no schema pass) beside the official SDK `Client`
 * (`@modelcontextprotocol/sdk` 1.32.2, fetch + zod), against the same raw `node:http` echo server.
 *
 *   node bench/client/client-throughput.mjs [--rounds 5] [--duration-ms 3000] [--concurrency 64]
 *
 * The server is a separate process that speaks just enough MCP for both clients (initialize, 202 for notifications,
 * 405 for GET, an echo result for tools/call, JSON with Content-Length), so the figure is the client's cost. Each
 * measurement runs in a fresh client process: warm-up, then `concurrency` loops that each await one call after
 * another until the duration ends. Rounds interleave the two clients (erlmcp, sdk, erlmcp, sdk, ...) so that
 * machine drift hits both alike, and the report gives the median of the rounds and the ratio.
 *
 * The erlmcp client is loaded from the repository's TypeScript sources through tsx (transpiled once at load; the
 * measured loop runs plain JavaScript).
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, '..', '..');
const SELF = fileURLToPath(import.meta.url);

const { values: args } = parseArgs({
  options: {
    serve: { type: 'boolean', default: false },
    client: { type: 'string' },
    url: { type: 'string' },
    rounds: { type: 'string', default: '5' },
    'duration-ms': { type: 'string', default: '3000' },
    'warmup-ms': { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '64' },
  },
});

/** The raw echo server: one JSON.parse and one JSON.stringify per request. */
function serve() {
  const INIT = (id) => JSON.stringify({
    jsonrpc: '2.0', id,
    result: { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 'raw-echo', version: '1.0.0' } },
  });
  const server = createServer((req, res) => {
    if (req.method === 'GET') return void res.writeHead(405, { allow: 'POST, DELETE' }).end();
    if (req.method === 'DELETE') return void res.writeHead(200).end();
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const msg = JSON.parse(chunks.length === 1 ? chunks[0].toString() : Buffer.concat(chunks).toString());
      if (msg.id === undefined) return void res.writeHead(202).end();
      const body = msg.method === 'initialize'
        ? INIT(msg.id)
        : JSON.stringify({ jsonrpc: '2.0', id: msg.id, result: { content: [{ type: 'text', text: msg.params?.arguments?.text ?? '' }] } });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'mcp-session-id': 'raw-session' });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 10_000;
  server.listen(0, '127.0.0.1', () => process.stdout.write(`ready ${server.address().port}\n`));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

/** Opens one client of `kind` and returns `call()` and `close()`. */
async function openClient(kind, url, concurrency) {
  if (kind === 'erlmcp') {
    const { McpClient, StreamableHttpClientTransport } = await import(join(REPO, 'src/client/index.ts'));
    const client = new McpClient({ name: 'bench', version: '1.0.0' });
    await client.connect(new StreamableHttpClientTransport(url, { connections: concurrency, standaloneStream: false }));
    const params = { name: 'echo', arguments: { text: 'hello' } };
    return { call: () => client.callTool(params), close: () => client.close() };
  }
  const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
  const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return { call: () => client.callTool({ name: 'echo', arguments: { text: 'hello' } }), close: () => client.close() };
}

/** Runs `concurrency` call loops for `ms`; resolves with the number of calls answered. */
async function drive(call, concurrency, ms) {
  const deadline = performance.now() + ms;
  let done = 0;
  const loop = async () => {
    while (performance.now() < deadline) {
      await call();
      done++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return done;
}

/** One measurement, in this (child) process: prints `{ rps }` as JSON. */
async function measure() {
  const concurrency = Number(args.concurrency);
  const { call, close } = await openClient(args.client, args.url, concurrency);
  await drive(call, concurrency, Number(args['warmup-ms']));
  const start = performance.now();
  const count = await drive(call, concurrency, Number(args['duration-ms']));
  const elapsed = performance.now() - start;
  await close();
  process.stdout.write(`${JSON.stringify({ rps: (count * 1000) / elapsed, count })}\n`);
}

async function runChild(extra, kind) {
  // The SDK client adds an abort listener per request to one shared signal, so under concurrency node floods
  // stderr with MaxListenersExceededWarning; the warnings are silenced, the cost is measured.
  const node = kind === 'erlmcp' ? [process.execPath, '--import', 'tsx'] : [process.execPath, '--no-warnings'];
  const child = spawn(node[0], [...node.slice(1), SELF, ...extra], { cwd: HERE, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (t) => (out += t));
  const [code] = await once(child, 'close');
  if (code !== 0) throw new Error(`${kind} client exited with ${code}`);
  return JSON.parse(out.trim().split('\n').at(-1));
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function main() {
  const server = spawn(process.execPath, [SELF, '--serve'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    server.stdout.setEncoding('utf8').on('data', (t) => {
      const m = /ready (\d+)/.exec(t);
      if (m) resolve(Number(m[1]));
    });
    server.once('exit', (code) => reject(new Error(`the echo server exited with ${code}`)));
  });
  const url = `http://127.0.0.1:${port}/mcp`;
  const rounds = Number(args.rounds);
  const common = ['--url', url, '--duration-ms', args['duration-ms'], '--warmup-ms', args['warmup-ms'], '--concurrency', args.concurrency];
  const results = { erlmcp: [], sdk: [] };
  try {
    for (let r = 1; r <= rounds; r++) {
      for (const kind of ['erlmcp', 'sdk']) {
        const { rps } = await runChild(['--client', kind, ...common], kind);
        results[kind].push(rps);
        process.stderr.write(`round ${r}/${rounds} ${kind}: ${Math.round(rps)} req/s\n`);
      }
    }
  } finally {
    server.kill('SIGTERM');
  }
  const erl = median(results.erlmcp);
  const sdk = median(results.sdk);
  const fmt = (v) => `${Math.round(v).toLocaleString('en-US')} req/s`;
  console.log(`tools/call from one client process, concurrency ${args.concurrency}, median of ${rounds} interleaved rounds of ${args['duration-ms']} ms:`);
  console.log(`  erlmcp McpClient (undici):     ${fmt(erl)}`);
  console.log(`  official SDK Client (fetch):   ${fmt(sdk)}`);
  console.log(`  ratio erlmcp / SDK:            ${(erl / sdk).toFixed(2)}x`);
}

if (args.serve) serve();
else if (args.client) await measure();
else await main();
