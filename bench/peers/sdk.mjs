/**
 * The official SDK (@modelcontextprotocol/sdk 1.32.2) as its own examples serve Streamable HTTP: stateful, one
 * McpServer and transport per session kept in a map; stateless, a new McpServer and transport per request. JSON
 * responses (`enableJsonResponse: true`) unless `--sse`. The body is parsed first, as express.json() would.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { BIG_TEXT, BIG_URI, MANY_TOOLS, PROGRESS_REPLY, PROGRESS_STEPS, WIDE_REPLY } from '../lib/fixtures.mjs';
import { answerIpc, peerArgs, readBody } from '../lib/peer-args.mjs';
import { echoShape, wideShape } from '../lib/zod-fixtures.mjs';

const args = peerArgs();
const enableJsonResponse = !args.sse;

function buildServer() {
  const server = new McpServer({ name: 'sdk-bench', version: '1.0.0' });
  server.registerTool('echo', { description: 'Returns the given text unchanged.', inputSchema: echoShape }, ({ text }) => ({ content: [{ type: 'text', text }] }));
  server.registerTool('wide', { description: 'Takes 20 arguments.', inputSchema: wideShape }, () => ({ content: [{ type: 'text', text: WIDE_REPLY }] }));
  server.registerTool('progress', { description: `Sends ${PROGRESS_STEPS} progress notifications.` }, async (extra) => {
    const token = extra._meta?.progressToken;
    if (token !== undefined) {
      for (let i = 1; i <= PROGRESS_STEPS; i++) {
        await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: i, total: PROGRESS_STEPS } });
      }
    }
    return { content: [{ type: 'text', text: PROGRESS_REPLY }] };
  });
  server.registerResource('big', BIG_URI, { mimeType: 'text/plain' }, (uri) => ({ contents: [{ uri: uri.href, mimeType: 'text/plain', text: BIG_TEXT }] }));
  if (args.manyTools) {
    for (let i = 0; i < MANY_TOOLS; i++) {
      server.registerTool(`tool_${i}`, { description: `Extra tool number ${i}.`, inputSchema: echoShape }, ({ text }) => ({ content: [{ type: 'text', text }] }));
    }
  }
  return server;
}

const transports = new Map();

async function stateful(req, res) {
  const sid = req.headers['mcp-session-id'];
  if (req.method !== 'POST') {
    const transport = typeof sid === 'string' ? transports.get(sid) : undefined;
    if (!transport) return void res.writeHead(400).end();
    return transport.handleRequest(req, res);
  }
  const body = JSON.parse(await readBody(req));
  let transport = typeof sid === 'string' ? transports.get(sid) : undefined;
  if (!transport) {
    if (sid !== undefined || !isInitializeRequest(body)) {
      res.writeHead(400, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: 'Bad Request: no valid session ID' }, id: null }));
    }
    const created = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableJsonResponse,
      onsessioninitialized: (id) => transports.set(id, created),
    });
    created.onclose = () => {
      if (created.sessionId) transports.delete(created.sessionId);
    };
    await buildServer().connect(created);
    transport = created;
  }
  await transport.handleRequest(req, res, body);
}

async function stateless(req, res) {
  if (req.method !== 'POST') return void res.writeHead(405).end();
  const body = JSON.parse(await readBody(req));
  const server = buildServer();
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse });
  res.on('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, body);
}

const handle = args.stateless ? stateless : stateful;
const http = createServer((req, res) => {
  handle(req, res).catch((err) => {
    if (!res.headersSent) res.writeHead(500).end(String(err));
  });
});
http.keepAliveTimeout = 5_000;
http.listen(args.port, '127.0.0.1', () => console.log('ready'));
answerIpc(() => ({ sessions: transports.size }));
process.on('SIGTERM', () => process.exit(0));
