#!/usr/bin/env node
/**
 * Micro-benchmarks (mitata) of the pieces of erlmcp's hot path, without HTTP: the codec (decode + classify), the
 * dispatcher (tools/call echo over a stub session), the Ajv input validators (echo and the 20-property schema) and
 * the session lookup among 10,000 live sessions. The first row is the work the raw node:http ceiling does per
 * request (JSON.parse + JSON.stringify), as the yardstick. Runs against the built dist/, or ERLMCP_DIST.
 *
 *   node bench/micro/micro.mjs [--json]
 */
import { bench, group, run, summary } from 'mitata';
import { ECHO_SCHEMA, ECHO_TEXT, WIDE_ARGS, WIDE_SCHEMA } from '../lib/fixtures.mjs';

const dist = process.env.ERLMCP_DIST ?? new URL('../../dist', import.meta.url).pathname;
const { McpServer, ServerSession } = await import(`${dist}/index.js`);
const { classify, decode } = await import(`${dist}/protocol/json-rpc.js`);

const body = JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'echo', arguments: { text: ECHO_TEXT } } });
const bodyBuffer = Buffer.from(body);

const server = new McpServer({ info: { name: 'micro', version: '1.0.0' } });
server.tool('echo', { inputSchema: ECHO_SCHEMA }, (a) => a.text);
server.tool('wide', { inputSchema: WIDE_SCHEMA }, () => 'ok');
const echo = server.tools.get('echo');
const wide = server.tools.get('wide');

async function openSession() {
  const s = server.sessions.draft();
  await server.dispatcher.dispatchRequest(s, {
    jsonrpc: '2.0', id: 0, method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'micro', version: '1' } },
  }, () => {});
  await server.sessions.commit(s, 'micro');
  return s;
}
const ids = [];
for (let i = 0; i < 10_000; i++) ids.push((await openSession()).id);
const session = server.sessions.lookup(ids[5000]);
if (!(session instanceof ServerSession)) throw new Error('no session');
const request = JSON.parse(body);
const noOutlet = () => {};
// The dispatcher gives the answer's JSON text (it serialises the answer itself; src/server/answer-text.ts).
const check = JSON.parse(await server.dispatcher.dispatchRequest(session, request, noOutlet));
if (check.result?.content?.[0]?.text !== ECHO_TEXT) throw new Error(`dispatcher check failed: ${JSON.stringify(check)}`);
if (!wide.validateInput(WIDE_ARGS)) throw new Error('WIDE_ARGS fail the wide schema');

summary(() => {
  group('yardstick and codec', () => {
    bench('raw ceiling work: JSON.parse + JSON.stringify of the echo result', () => {
      const m = JSON.parse(bodyBuffer.toString());
      return JSON.stringify({ jsonrpc: '2.0', id: m.id, result: { content: [{ type: 'text', text: m.params.arguments.text }] } });
    });
    bench('codec: Buffer → decode + classify', () => {
      const d = decode(bodyBuffer.toString());
      return classify(d.value);
    });
  });
});
group('dispatcher', () => {
  bench('dispatchRequest tools/call echo (stub session, awaited)', async () => {
    await server.dispatcher.dispatchRequest(session, request, noOutlet);
  });
});
group('validator (Ajv, compiled at registration)', () => {
  bench('echo input {text}', () => echo.validateInput({ text: ECHO_TEXT }));
  bench('20-property input', () => wide.validateInput(WIDE_ARGS));
});
group('session lookup (10,000 live sessions)', () => {
  let i = 0;
  bench('sessions.lookup(id) hit', () => server.sessions.lookup(ids[(i = (i + 1) % ids.length)]));
  bench('sessions.lookup(id) miss', () => server.sessions.lookup('00000000-0000-0000-0000-000000000000'));
});

const json = process.argv.includes('--json');
await run(json ? { format: 'json' } : {});
await server.close();
