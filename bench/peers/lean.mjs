/**
 * The lean probe of issue 3, rebuilt: the least a stateful Streamable HTTP server can do and still be honest. A
 * session Map; the Origin, session and protocol-version header checks; a hand-written envelope check; an Ajv
 * validator compiled once; one JSON.stringify per response. No registry, no dispatcher, no handler context, no
 * notifications, no GET stream.
 *
 * It is not a product and no target is measured against it. It answers one question for `macro/pair.mjs`: on this
 * host and this Node, how close to the raw ceiling can a server with the essential MCP checks come? erlmcp's CPU
 * against this probe's is then the overhead erlmcp's own design adds (docs/performance.md, "The lean probe").
 */
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import Ajv from 'ajv';
import { ECHO_SCHEMA } from '../lib/fixtures.mjs';
import { answerIpc, peerArgs } from '../lib/peer-args.mjs';

const { port } = peerArgs();
const validate = new Ajv().compile(ECHO_SCHEMA);
/** Session id → last time seen, as the probe's only session state. */
const sessions = new Map();
const REVISIONS = new Set(['2025-11-25', '2025-06-18', '2025-03-26']);
const LOOPBACK_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;

function reply(res, status, message, sessionId) {
  const body = JSON.stringify(message);
  res.writeHead(status, sessionId === undefined
    ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
    : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'mcp-session-id': sessionId });
  res.end(body);
}

function refuse(res, status, code, message, id) {
  reply(res, status, id === undefined ? { jsonrpc: '2.0', error: { code, message } } : { jsonrpc: '2.0', id, error: { code, message } });
}

function serve(req, res, text) {
  let msg;
  try {
    msg = JSON.parse(text);
  } catch {
    return refuse(res, 400, -32700, 'Parse error');
  }
  if (typeof msg !== 'object' || msg === null || msg.jsonrpc !== '2.0' || typeof msg.method !== 'string') {
    return refuse(res, 400, -32600, 'Invalid Request');
  }
  if (msg.method === 'initialize') {
    const id = randomUUID();
    sessions.set(id, Date.now());
    const result = { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 'lean-probe', version: '1.0.0' } };
    return reply(res, 200, { jsonrpc: '2.0', id: msg.id, result }, id);
  }
  const sessionId = req.headers['mcp-session-id'];
  if (!sessions.has(sessionId)) return refuse(res, 404, -32600, 'Session not found');
  const revision = req.headers['mcp-protocol-version'];
  if (revision !== undefined && !REVISIONS.has(revision)) return refuse(res, 400, -32600, 'Unsupported protocol version');
  sessions.set(sessionId, Date.now());
  if (msg.id === undefined) {
    res.writeHead(202);
    return res.end();
  }
  if (msg.method !== 'tools/call' || msg.params?.name !== 'echo') return refuse(res, 200, -32601, 'Method not found', msg.id);
  const args = msg.params.arguments;
  if (!validate(args)) return reply(res, 200, { jsonrpc: '2.0', id: msg.id, result: { content: [{ type: 'text', text: 'invalid arguments' }], isError: true } });
  reply(res, 200, { jsonrpc: '2.0', id: msg.id, result: { content: [{ type: 'text', text: args.text }] } });
}

const server = createServer((req, res) => {
  const origin = req.headers.origin;
  if (origin !== undefined && !LOOPBACK_ORIGIN.test(origin)) return refuse(res, 403, -32600, 'Forbidden origin');
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => serve(req, res, chunks.length === 1 ? chunks[0].toString() : Buffer.concat(chunks).toString()));
});
server.keepAliveTimeout = 5_000;
server.listen(port, '127.0.0.1', () => console.log('ready'));
answerIpc();
process.on('SIGTERM', () => server.close(() => process.exit(0)));
