/**
 * erlmcp through its public API (the built dist/: run `npm run build` first): McpServer + HttpTransport, with the
 * fixtures' tools and resource (or another build's, from ERLMCP_DIST). `--stateless` serves without sessions; `--sse` answers every POST with an SSE
 * stream (responseMode "sse").
 */
import { pathToFileURL } from 'node:url';
import {
  BIG_TEXT, BIG_URI, ECHO_SCHEMA, MANY_TOOLS, PROGRESS_REPLY, PROGRESS_STEPS, WIDE_REPLY, WIDE_SCHEMA,
} from '../lib/fixtures.mjs';
import { answerIpc, peerArgs } from '../lib/peer-args.mjs';

// ERLMCP_DIST points at another build (bench/macro/pair.mjs compares two builds side by side).
const dist = process.env.ERLMCP_DIST ? pathToFileURL(`${process.env.ERLMCP_DIST}/index.js`).href : '../../dist/index.js';
const { HttpTransport, McpServer } = await import(dist);
const args = peerArgs();
const server = new McpServer({
  info: { name: 'erlmcp-bench', version: '1.0.0' },
  // One page holds every tool, as the SDK's unpaginated tools/list does.
  pageSize: 1000,
  // memory.mjs opens 100,000 idle sessions and more: well past the default bound of 10,000.
  maxSessions: 1_000_000,
  ...(args.idleTtlMs === undefined ? {} : { sessionIdleTtlMs: args.idleTtlMs }),
  ...(args.noServerInfo ? { serverInfoInResults: false } : {}),
});
server.tool('echo', { description: 'Returns the given text unchanged.', inputSchema: ECHO_SCHEMA }, (a) => a.text);
server.tool('wide', { description: 'Takes 20 arguments.', inputSchema: WIDE_SCHEMA }, () => WIDE_REPLY);
server.tool('progress', { description: `Sends ${PROGRESS_STEPS} progress notifications.`, inputSchema: { type: 'object' } }, (_a, ctx) => {
  for (let i = 1; i <= PROGRESS_STEPS; i++) ctx.progress(i, PROGRESS_STEPS);
  return PROGRESS_REPLY;
});
server.resource(BIG_URI, { name: 'big', mimeType: 'text/plain' }, (uri) => [{ uri, mimeType: 'text/plain', text: BIG_TEXT }]);
if (args.manyTools) {
  for (let i = 0; i < MANY_TOOLS; i++) {
    server.tool(`tool_${i}`, { description: `Extra tool number ${i}.`, inputSchema: ECHO_SCHEMA }, (a) => a.text);
  }
}
const http = new HttpTransport(server, {
  host: '127.0.0.1',
  port: args.port,
  path: '/mcp',
  stateless: args.stateless,
  responseMode: args.sse ? 'sse' : 'auto',
  allowedOrigins: [],
  allowedHosts: [],
  maxBodyBytes: 4 * 1024 * 1024,
});
await http.listen();
answerIpc(() => ({ sessions: server.sessions.liveCount }));
console.log('ready');
process.on('SIGTERM', async () => {
  await http.close(1000);
  await server.close();
  process.exit(0);
});
