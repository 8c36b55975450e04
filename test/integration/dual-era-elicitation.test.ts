/**
 * One tool handler that elicits input (`ask_name`, written once with `ctx.elicit()`), driven each way against the
 * same server: under 2025-11-25 the server sends `elicitation/create` to the client and the answer resumes the
 * handler; under 2026-07-28 the call answers `input_required` with the elicitation under the handler's key and a
 * sealed `requestState`, and the retry that carries the answer completes it. Both over Streamable HTTP (one
 * endpoint, a legacy session and stateless POSTs side by side) and over a message stream (stdio's path), where
 * both eras interleave on one connection. Also: the state is bound to its request and cannot be tampered with,
 * several asks in one tick make one round, and answers of earlier rounds travel in the state.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { createDualEraServer, messagesOf, modernHeaders, modernMeta } from '../helpers/dual-era-server.js';
import { startHttp, type HttpHarness } from '../helpers/http-harness.js';
import { connectMemory, initialize, type Json } from '../helpers/memory-client.js';
import { initializeHttp, jsonOf } from '../helpers/raw-http-client.js';

const ELICIT_ANSWER = { action: 'accept', content: { name: 'Ada' } };

function resultOf(message: Json | undefined): Json {
  assert.ok(message?.result, `expected a result, got ${JSON.stringify(message)}`);
  return message.result as Json;
}

function textOf(result: Json): string {
  return String(((result.content as Json[] | undefined)?.[0] ?? {}).text);
}

describe('one eliciting tool handler under both revisions', () => {
  let http: HttpHarness;

  before(async () => {
    http = await startHttp(createDualEraServer());
  });
  after(() => http?.close());

  async function modernCall(id: number, name: string, params: Json, capabilities?: Json): Promise<{ status: number; message: Json }> {
    const body = { jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: {}, _meta: modernMeta(capabilities), ...params } };
    const reply = await http.client.send({ body, headers: modernHeaders(body) });
    const messages = messagesOf(reply.body);
    return { status: reply.status, message: messages[messages.length - 1] as Json };
  }

  it('2025-11-25 over HTTP: the handler sends elicitation/create on the POST stream and resumes with the answer', async () => {
    const session = await initializeHttp(http.client, { capabilities: { elicitation: {} } });
    const stream = await session.postStream({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'ask_name', arguments: {} } });
    const request = await stream.sse.nextMessage();
    assert.ok(request, 'the POST stream ended before elicitation/create');
    assert.equal(request.method, 'elicitation/create');
    assert.equal((request.params as Json).message, 'What is your name?');
    const posted = await session.post({ jsonrpc: '2.0', id: request.id, result: ELICIT_ANSWER });
    assert.equal(posted.status, 202);
    const response = await stream.sse.nextMessage();
    assert.equal(textOf(resultOf(response)), 'Hello, Ada!');
  });

  it('2026-07-28 over HTTP: input_required with the elicitation and a requestState, then complete on the retry', async () => {
    const first = await modernCall(10, 'ask_name', {});
    assert.equal(first.status, 200);
    const interim = resultOf(first.message);
    assert.equal(interim.resultType, 'input_required');
    assert.deepEqual(Object.keys(interim.inputRequests as Json), ['name']);
    assert.equal(((interim.inputRequests as Json).name as Json).method, 'elicitation/create');
    assert.equal(typeof interim.requestState, 'string');
    const retry = await modernCall(11, 'ask_name', { inputResponses: { name: ELICIT_ANSWER }, requestState: interim.requestState });
    const done = resultOf(retry.message);
    assert.equal(done.resultType, 'complete');
    assert.equal(textOf(done), 'Hello, Ada!');
    assert.equal(retry.message.id, 11);
  });

  it('ctx.protocolVersion names the revision of the caller in each era', async () => {
    const session = await initializeHttp(http.client, {});
    const legacy = await session.call('tools/call', { name: 'which_revision', arguments: {} });
    assert.equal(textOf(resultOf(legacy)), '2025-11-25');
    const modern = await modernCall(12, 'which_revision', {});
    assert.equal(textOf(resultOf(modern.message)), '2026-07-28');
  });

  it('2026-07-28: a declined elicitation reaches the handler as it would under 2025-11-25', async () => {
    const retry = await modernCall(12, 'ask_name', { inputResponses: { name: { action: 'decline' } } });
    assert.equal(textOf(resultOf(retry.message)), 'No name (decline)');
  });

  it('2026-07-28: a tampered or foreign requestState is -32602, an undeclared capability -32021 with HTTP 400', async () => {
    const interim = resultOf((await modernCall(13, 'ask_name', {})).message);
    const tampered = await modernCall(14, 'ask_name', { inputResponses: { name: ELICIT_ANSWER }, requestState: `${String(interim.requestState)}-TAMPERED` });
    assert.equal((tampered.message.error as Json).code, ErrorCode.InvalidParams);
    // The same state on another tool: bound to its method and params.
    const foreign = await modernCall(15, 'ask_model', { inputResponses: { question: { role: 'assistant', content: { type: 'text', text: 'x' }, model: 'm' } }, requestState: interim.requestState });
    assert.equal((foreign.message.error as Json).code, ErrorCode.InvalidParams);
    const missing = await modernCall(16, 'ask_name', {}, { sampling: {} });
    assert.equal(missing.status, 400);
    assert.equal((missing.message.error as Json).code, ErrorCode.MissingRequiredClientCapability);
    assert.deepEqual(((missing.message.error as Json).data as Json).requiredCapabilities, { elicitation: {} });
  });

  it('2026-07-28: a wrong-shaped answer is -32602, a missing one asks again', async () => {
    const bad = await modernCall(17, 'ask_name', { inputResponses: { name: 12345 } });
    assert.equal((bad.message.error as Json).code, ErrorCode.InvalidParams);
    const again = resultOf((await modernCall(18, 'ask_name', { inputResponses: { other: ELICIT_ANSWER } })).message);
    assert.equal(again.resultType, 'input_required');
  });

  it('both eras interleave on one message-stream connection (the stdio path)', async () => {
    const server = createDualEraServer();
    try {
      const { client } = await connectMemory(server);
      // 2026-07-28 first, before any initialize: the probe, then a round trip.
      const discover = await client.request('server/discover', { _meta: modernMeta() });
      assert.ok((resultOf(discover).supportedVersions as string[]).includes('2026-07-28'));
      const interim = resultOf(await client.request('tools/call', { name: 'ask_name', arguments: {}, _meta: modernMeta() }));
      assert.equal(interim.resultType, 'input_required');
      // Then the session era on the same connection.
      await initialize(client, { capabilities: { elicitation: {} } });
      client.answer('elicitation/create', () => ELICIT_ANSWER);
      assert.equal(textOf(resultOf(await client.request('tools/call', { name: 'ask_name', arguments: {} }))), 'Hello, Ada!');
      const done = resultOf(await client.request('tools/call', { name: 'ask_name', arguments: {}, _meta: modernMeta(), inputResponses: { name: ELICIT_ANSWER }, requestState: interim.requestState }));
      assert.equal(textOf(done), 'Hello, Ada!');
    } finally {
      await server.close();
    }
  });

  it('collects asks made in one tick into one round, and carries earlier answers in the state', async () => {
    const server = createDualEraServer();
    server.tool('two_at_once', { description: 'Asks twice in parallel' }, async (_a, ctx) => {
      const [a, b] = await Promise.all([ctx.elicit({ message: 'a', requestedSchema: { type: 'object', properties: {} } }, { key: 'a' }), ctx.listRoots({ key: 'b' })]);
      return `${String(a.action)} ${Array.isArray(b.roots) ? b.roots.length : -1}`;
    });
    server.tool('one_then_other', { description: 'Asks twice in sequence' }, async (_a, ctx) => {
      const a = await ctx.elicit({ message: 'a', requestedSchema: { type: 'object', properties: {} } }, { key: 'a' });
      const b = await ctx.elicit({ message: 'b', requestedSchema: { type: 'object', properties: {} } }, { key: 'b' });
      return `${String(a.action)} then ${String(b.action)}`;
    });
    try {
      const { client } = await connectMemory(server);
      const call = (name: string, extra: Json = {}): Promise<Json> => client.request('tools/call', { name, arguments: {}, _meta: modernMeta(), ...extra }).then(resultOf);
      const parallel = await call('two_at_once');
      assert.deepEqual(Object.keys(parallel.inputRequests as Json).sort(), ['a', 'b']);
      const r1 = await call('one_then_other');
      assert.deepEqual(Object.keys(r1.inputRequests as Json), ['a']);
      const r2 = await call('one_then_other', { inputResponses: { a: { action: 'accept', content: {} } }, requestState: r1.requestState });
      assert.deepEqual(Object.keys(r2.inputRequests as Json), ['b']);
      assert.notEqual(r2.requestState, r1.requestState);
      const r3 = await call('one_then_other', { inputResponses: { b: { action: 'cancel' } }, requestState: r2.requestState });
      assert.equal(textOf(r3), 'accept then cancel');
    } finally {
      await server.close();
    }
  });

  it('2026-07-28: the state binds the params as sent, not as the handler left them, in any key order', async () => {
    const server = createDualEraServer();
    // Changes its arguments before it asks: the digest must not see that, or every retry would be refused.
    server.tool('trims_then_asks', { description: 'Trims, then asks' }, async (args, ctx) => {
      args.text = String(args.text).trim();
      args.added = true;
      const answer = await ctx.elicit({ message: 'ok?', requestedSchema: { type: 'object', properties: {} } }, { key: 'ok' });
      return `${String(args.text)} ${String(answer.action)}`;
    });
    const harness = await startHttp(server);
    try {
      const send = async (id: number, args: Json, extra: Json = {}): Promise<Json> => {
        const body = { jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'trims_then_asks', arguments: args, _meta: modernMeta(), ...extra } };
        const messages = messagesOf((await harness.client.send({ body, headers: modernHeaders(body) })).body);
        return resultOf(messages[messages.length - 1] as Json);
      };
      const over = { action: 'accept', content: {} };
      // Over HTTP the digest comes from the request's wire text.
      const first = await send(30, { text: '  hi ', n: 1 });
      assert.equal(first.resultType, 'input_required');
      const done = await send(31, { n: 1, text: '  hi ' }, { inputResponses: { ok: over }, requestState: first.requestState });
      assert.equal(textOf(done), 'hi accept');
      // Other arguments with the same state stay refused.
      const body = { jsonrpc: '2.0', id: 32, method: 'tools/call', params: { name: 'trims_then_asks', arguments: { text: 'other', n: 1 }, _meta: modernMeta(), inputResponses: { ok: over }, requestState: first.requestState } };
      const refused = messagesOf((await harness.client.send({ body, headers: modernHeaders(body) })).body)[0] as Json;
      assert.equal((refused.error as Json).code, ErrorCode.InvalidParams);
      // Over a message stream the digest comes from a snapshot taken before the handler ran.
      const { client } = await connectMemory(server);
      const call = (args: Json, extra: Json = {}): Promise<Json> => client.request('tools/call', { name: 'trims_then_asks', arguments: args, _meta: modernMeta(), ...extra }).then(resultOf);
      const streamed = await call({ text: ' yo ', n: 2 });
      assert.equal(textOf(await call({ n: 2, text: ' yo ' }, { inputResponses: { ok: over }, requestState: streamed.requestState })), 'yo accept');
    } finally {
      await harness.close();
    }
  });

  it('2026-07-28: a state too large to seal is a -32603 answer on both transports, and the handler is abandoned', async () => {
    const server = createDualEraServer({ mrtr: { maxStateBytes: 20 } });
    let unwound = 0;
    server.tool('asks_big', { description: 'Asks, with a cleanup' }, async (_a, ctx) => {
      try {
        await ctx.elicit({ message: 'x'.repeat(100), requestedSchema: { type: 'object', properties: {} } }, { key: 'big' });
        return 'answered';
      } finally {
        unwound++;
      }
    });
    const harness = await startHttp(server);
    try {
      const body = { jsonrpc: '2.0', id: 40, method: 'tools/call', params: { name: 'asks_big', arguments: {}, _meta: modernMeta() } };
      const reply = await harness.client.send({ body, headers: modernHeaders(body) });
      assert.equal(reply.status, 200);
      assert.equal(((messagesOf(reply.body)[0] as Json).error as Json).code, ErrorCode.InternalError);
      const { client } = await connectMemory(server);
      const streamed = await client.request('tools/call', { name: 'asks_big', arguments: {}, _meta: modernMeta() });
      assert.equal((streamed.error as Json).code, ErrorCode.InternalError);
      // Both abandoned handlers unwound, and the stream connection still serves.
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(unwound, 2);
      assert.equal(textOf(resultOf(await client.request('tools/call', { name: 'which_revision', arguments: {}, _meta: modernMeta() }))), '2026-07-28');
    } finally {
      await harness.close();
    }
  });

  it('answers the legacy and modern shapes of a missing resource by era', async () => {
    const session = await initializeHttp(http.client);
    const legacy = jsonOf(await session.post({ jsonrpc: '2.0', id: 3, method: 'resources/read', params: { uri: 'test://none' } }));
    assert.equal((legacy.error as Json).code, ErrorCode.ResourceNotFound);
    const body = { jsonrpc: '2.0', id: 4, method: 'resources/read', params: { uri: 'test://none', _meta: modernMeta() } };
    const modern = messagesOf((await http.client.send({ body, headers: modernHeaders(body) })).body)[0] as Json;
    assert.equal((modern.error as Json).code, ErrorCode.InvalidParams);
    assert.deepEqual((modern.error as Json).data, { uri: 'test://none' });
  });
});
