/**
 * `McpClient` against a scripted peer on a `MemoryTransport` pair: the peer sees exactly what the client sends and
 * answers what the test decides, so each behaviour is checked on the wire:
 *   - timeouts (shared sweep) and aborts fail the request and send `notifications/cancelled`; a late answer to a
 *     request given up is not an error;
 *   - answers out of order settle the right requests; progress can keep a request alive; a caller's own progress
 *     token and a generated one never share a request's progress;
 *   - server requests are answered (ping, elicitation with defaults, an undeclared elicitation mode -32602, accepted
 *     content the requested schema refuses -32603, unknown method -32601) and a server-cancelled one is not;
 *   - initialize refuses a revision the client does not speak; option errors name the option path; close fails
 *     what is in flight; pagination refuses a repeated cursor.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { McpClient } from '../../src/client/mcp-client.js';
import { ErlmcpError } from '../../src/errors.js';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { WireError } from '../../src/protocol/wire-error.js';
import { MemoryTransport } from '../../src/transport/memory/memory-transport.js';
import { within } from '../helpers/deadline.js';
import { connected, ScriptedPeer, type Msg } from '../helpers/scripted-peer.js';

describe('McpClient requests', () => {
  it('a timeout fails with -32001 and cancels at the peer with reason "timeout"', async () => {
    const { client, peer } = await connected();
    const errors: Error[] = [];
    client.on('error', (e) => errors.push(e));
    await assert.rejects(client.request('slow/thing', {}, { timeoutMs: 30 }), (err: unknown) => err instanceof WireError && err.code === ErrorCode.RequestTimeout);
    const sent = await peer.request('slow/thing');
    const cancel = await peer.next((m) => m.method === 'notifications/cancelled', 'the cancellation');
    assert.deepEqual(cancel.params, { requestId: sent.id, reason: 'timeout' });
    // The peer answers anyway, late: that is no error.
    await peer.send({ jsonrpc: '2.0', id: sent.id as number, result: {} });
    await client.ping();
    assert.deepEqual(errors, []);
    await client.close();
  });

  it('never cancels initialize: a handshake that times out sends no notifications/cancelled', async () => {
    const [a, b] = MemoryTransport.pair();
    const received: Msg[] = [];
    b.onmessage = (raw) => void received.push(raw as Msg);
    const peerClosed = new Promise<void>((resolve) => (b.onclose = resolve));
    await b.start();
    const client = new McpClient({ name: 't', version: '1' }, { timerResolutionMs: 5 });
    await assert.rejects(client.connect(a, { timeoutMs: 30 }), (err: unknown) => err instanceof WireError && err.code === ErrorCode.RequestTimeout);
    // The client closes the link after a failed handshake; the link delivers in order, so by the close a
    // cancellation sent with the timeout has arrived too.
    await within(peerClosed, 'the client closing the link');
    assert.deepEqual(received.map((m) => m.method), ['initialize']);
    await client.close();
  });

  it('aborting sends notifications/cancelled with the reason; an aborted signal sends nothing', async () => {
    const { client, peer } = await connected();
    const controller = new AbortController();
    const pending = client.request('slow/thing', {}, { signal: controller.signal });
    const sent = await peer.request('slow/thing');
    controller.abort(new Error('no longer needed'));
    await assert.rejects(pending, /no longer needed/);
    const cancel = await peer.next((m) => m.method === 'notifications/cancelled', 'the cancellation');
    assert.deepEqual(cancel.params, { requestId: sent.id, reason: 'no longer needed' });
    const before = peer.received.length;
    await assert.rejects(client.request('never/sent', {}, { signal: AbortSignal.abort(new Error('already')) }), /already/);
    await client.ping();
    assert.equal(peer.received.slice(before).some((m) => m.method === 'never/sent'), false);
    await client.close();
  });

  it('answers arriving in reverse order settle their own requests', async () => {
    const { client, peer } = await connected();
    const calls = [1, 2, 3].map((n) => client.request<{ n: number }>('echo/n', { n }));
    const sent = await Promise.all([1, 2, 3].map((n) => peer.next((m) => m.method === 'echo/n' && m.params?.n === n, `request ${n}`)));
    for (const m of [...sent].reverse()) await peer.send({ jsonrpc: '2.0', id: m.id as number, result: { n: m.params?.n } });
    assert.deepEqual((await Promise.all(calls)).map((r) => r.n), [1, 2, 3]);
    assert.equal(client.inFlight, 0);
    await client.close();
  });

  it('refuses a timeout that is not a number of milliseconds, naming the option', async () => {
    const { client } = await connected();
    for (const timeoutMs of [Number.NaN, -1, '500', Number.POSITIVE_INFINITY]) {
      await assert.rejects(client.request('any/thing', {}, { timeoutMs: timeoutMs as number }), (err: unknown) => err instanceof ErlmcpError && err.code === 'ERLMCP_ERR_INVALID_ARGUMENT' && /options\.timeoutMs/.test(err.message), String(timeoutMs));
    }
    await assert.rejects(client.request('any/thing', {}, { maxTotalTimeoutMs: -3 }), /options\.maxTotalTimeoutMs/);
    await client.close();
  });

  it('maxTotalTimeoutMs bounds a request that progress keeps alive', async () => {
    const { client, peer } = await connected();
    // A per-request timeout far above the bound: only maxTotalTimeoutMs can end it, whatever the timer jitter.
    const call = client.request('endless/op', {}, { timeoutMs: 2_000, resetTimeoutOnProgress: true, maxTotalTimeoutMs: 150, onProgress: () => undefined });
    const sent = await peer.request('endless/op');
    const token = (sent.params?._meta as { progressToken: number }).progressToken;
    const ticking = setInterval(() => void peer.send({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: token, progress: 1 } }), 20);
    try {
      await assert.rejects(within(call, 'the bounded request'), (err: unknown) => err instanceof WireError && err.code === ErrorCode.RequestTimeout && /150 ms/.test(err.message));
    } finally {
      clearInterval(ticking);
    }
    await client.close();
  });

  it('with no per-request timeout, progress leaves maxTotalTimeoutMs as the only bound', async () => {
    const { client, peer } = await connected();
    const call = client.request('unbounded/op', {}, { timeoutMs: 0, resetTimeoutOnProgress: true, maxTotalTimeoutMs: 400, onProgress: () => undefined });
    const sent = await peer.request('unbounded/op');
    const token = (sent.params?._meta as { progressToken: number }).progressToken;
    await peer.send({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: token, progress: 1 } });
    // Several sweeps (every 5 ms here) pass before the answer: a deadline the progress moved to "now" would fire.
    await new Promise((resolve) => setTimeout(resolve, 60));
    await peer.send({ jsonrpc: '2.0', id: sent.id as number, result: { done: true } });
    assert.deepEqual(await call, { done: true }, 'a progress notification must not time the request out at once');
    await client.close();
  });

  it('progress with resetTimeoutOnProgress keeps a request alive past its timeout', async () => {
    const { client, peer } = await connected();
    const seen: number[] = [];
    const call = client.request('long/op', {}, { timeoutMs: 60, resetTimeoutOnProgress: true, onProgress: (p) => seen.push(p.progress) });
    const sent = await peer.request('long/op');
    const token = (sent.params?._meta as { progressToken: number }).progressToken;
    for (let i = 1; i <= 4; i++) {
      await new Promise((resolve) => setTimeout(resolve, 30));
      await peer.send({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: token, progress: i } });
    }
    await peer.send({ jsonrpc: '2.0', id: sent.id as number, result: { done: true } });
    assert.deepEqual(await call, { done: true });
    assert.deepEqual(seen, [1, 2, 3, 4]);
    await client.close();
  });

  it('keeps a caller\'s own progressToken and a generated one apart: neither gets the other\'s progress', async () => {
    const { client, peer } = await connected();
    const errors: Error[] = [];
    client.on('error', (e) => errors.push(e));
    const probe = client.request('probe/op');
    const probeSent = await peer.request('probe/op');
    await peer.send({ jsonrpc: '2.0', id: probeSent.id as number, result: {} });
    await probe;
    // Ids are issued in order: the caller's token below is the id the next request, with onProgress, gets.
    const nextId = (probeSent.id as number) + 2;
    const mine = client.request('own-token/op', { _meta: { progressToken: nextId } });
    const seen: number[] = [];
    const watched = client.request('watched/op', {}, { onProgress: (p) => seen.push(p.progress) });
    const [ownSent, watchedSent] = [await peer.request('own-token/op'), await peer.request('watched/op')];
    assert.equal(watchedSent.id, nextId);
    const generated = (watchedSent.params?._meta as { progressToken: string | number }).progressToken;
    assert.equal((ownSent.params?._meta as { progressToken: number }).progressToken, nextId, 'the caller\'s token is sent as given');
    assert.notEqual(generated, nextId, 'the generated token steps aside from the caller\'s');
    await peer.send({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: nextId, progress: 1 } });
    await peer.send({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: generated, progress: 2 } });
    // A caller's token that is the token of a request in flight (here the generated one) is refused, not sent.
    await assert.rejects(client.request('reuse/op', { _meta: { progressToken: generated } }), (err: unknown) =>
      err instanceof ErlmcpError && err.code === 'ERLMCP_ERR_INVALID_ARGUMENT' && /progressToken .* in flight/.test(err.message));
    await peer.send({ jsonrpc: '2.0', id: ownSent.id as number, result: {} });
    await peer.send({ jsonrpc: '2.0', id: watchedSent.id as number, result: {} });
    await Promise.all([mine, watched]);
    assert.deepEqual(seen, [2], 'only the progress of its own token reaches onProgress');
    assert.equal(peer.received.some((m) => m.method === 'reuse/op'), false);
    assert.deepEqual(errors, []);
    await client.close();
  });

  it('a JSON-RPC error answer rejects with a WireError carrying code, message and data', async () => {
    const { client, peer } = await connected();
    const call = client.request('bad/thing');
    const sent = await peer.request('bad/thing');
    await peer.send({ jsonrpc: '2.0', id: sent.id as number, error: { code: ErrorCode.InvalidParams, message: 'nope', data: { why: 1 } } });
    await assert.rejects(call, (err: unknown) => err instanceof WireError && err.code === ErrorCode.InvalidParams && err.message === 'nope');
    await client.close();
  });

  it('close fails every request in flight with ERLMCP_ERR_TRANSPORT_CLOSED', async () => {
    const { client } = await connected();
    const call = client.request('slow/thing');
    await client.close();
    await assert.rejects(call, (err: unknown) => err instanceof ErlmcpError && err.code === 'ERLMCP_ERR_TRANSPORT_CLOSED');
    await assert.rejects(client.ping(), (err: unknown) => err instanceof ErlmcpError && err.code === 'ERLMCP_ERR_NOT_CONNECTED');
  });

  it('listAll* refuses a server that repeats a cursor', async () => {
    const { client, peer } = await connected();
    peer.transport.onmessage = ((orig) => (raw: unknown) => {
      orig?.(raw);
      const m = raw as Msg;
      if (m.method === 'tools/list') void peer.send({ jsonrpc: '2.0', id: m.id as number, result: { tools: [{ name: 'x', inputSchema: {} }], nextCursor: 'same' } });
    })(peer.transport.onmessage);
    await assert.rejects(client.listAllTools(), /repeated the cursor "same"/);
    await client.close();
  });
});

describe('McpClient answering server requests', () => {
  it('answers ping, applies elicitation defaults, and refuses unknown methods with -32601', async () => {
    const { client, peer } = await connected({ elicitation: () => ({ action: 'accept', content: { name: 'Ada' } }) });
    await peer.send({ jsonrpc: '2.0', id: 's1', method: 'ping' });
    assert.deepEqual((await peer.next((m) => m.id === 's1', 'ping answer')).result, {});
    await peer.send({
      jsonrpc: '2.0', id: 's2', method: 'elicitation/create',
      params: { message: 'who?', requestedSchema: { type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer', default: 30 } } } },
    });
    assert.deepEqual((await peer.next((m) => m.id === 's2', 'elicitation answer')).result, { action: 'accept', content: { name: 'Ada', age: 30 } });
    await peer.send({ jsonrpc: '2.0', id: 's3', method: 'sampling/createMessage', params: { messages: [], maxTokens: 1 } });
    assert.equal(((await peer.next((m) => m.id === 's3', 'sampling refusal')).error as { code: number }).code, ErrorCode.MethodNotFound);
    await client.close();
  });

  it('refuses with -32602 an elicitation in a mode the client did not declare, without asking its handler', async () => {
    const asked: unknown[] = [];
    const elicitation = (p: { mode?: string }): { action: 'decline' } => (asked.push(p.mode ?? 'form'), { action: 'decline' });
    const url = { mode: 'url', message: 'sign in', url: 'https://example.com/auth', elicitationId: 'e1' };
    const form = { message: 'who?', requestedSchema: { type: 'object', properties: {} } };
    // 2025-11-25 client/elicitation, Error Handling: a mode not declared in the client's capabilities is -32602.
    const formOnly = await connected({ elicitation });
    await formOnly.peer.send({ jsonrpc: '2.0', id: 'u1', method: 'elicitation/create', params: url });
    const refused = await formOnly.peer.next((m) => m.id === 'u1', 'the url-mode answer');
    assert.equal((refused.error as { code: number } | undefined)?.code, ErrorCode.InvalidParams);
    await formOnly.client.close();
    const urlOnly = await connected({ elicitation, capabilities: { elicitation: { url: {} } } });
    await urlOnly.peer.send({ jsonrpc: '2.0', id: 'f1', method: 'elicitation/create', params: form });
    assert.equal(((await urlOnly.peer.next((m) => m.id === 'f1', 'the form answer')).error as { code: number } | undefined)?.code, ErrorCode.InvalidParams);
    await urlOnly.peer.send({ jsonrpc: '2.0', id: 'u2', method: 'elicitation/create', params: url });
    assert.deepEqual((await urlOnly.peer.next((m) => m.id === 'u2', 'the url answer')).result, { action: 'decline' });
    await urlOnly.client.close();
    assert.deepEqual(asked, ['url']);
  });

  it('on a session that negotiated 2025-03-26, which has no elicitation, answers elicitation/create -32601', async () => {
    const [a, b] = MemoryTransport.pair();
    const peer = new ScriptedPeer(b);
    peer.revision = '2025-03-26';
    await b.start();
    let asked = 0;
    const client = new McpClient({ name: 't', version: '1' }, { elicitation: () => (asked++, { action: 'decline' }) });
    await client.connect(a);
    await peer.send({ jsonrpc: '2.0', id: 'e1', method: 'elicitation/create', params: { message: 'who?', requestedSchema: { type: 'object', properties: {} } } });
    const answer = await peer.next((m) => m.id === 'e1', 'the elicitation answer');
    assert.equal((answer.error as { code: number } | undefined)?.code, ErrorCode.MethodNotFound);
    assert.equal(asked, 0);
    await client.close();
  });

  it('answers -32603 naming the field when the handler accepts content the requested schema refuses', async () => {
    let content: Record<string, unknown> = {};
    const { client, peer } = await connected({ elicitation: () => ({ action: 'accept', content: content as never }) });
    const requestedSchema = {
      type: 'object',
      properties: {
        name: { type: 'string', maxLength: 5 },
        age: { type: 'integer', minimum: 0 },
        color: { type: 'string', oneOf: [{ const: 'red', title: 'Red' }, { const: 'blue', title: 'Blue' }] },
        tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] }, maxItems: 2 },
      },
      required: ['name'],
    };
    const ask = async (id: string, given: Record<string, unknown>): Promise<Msg> => {
      content = given;
      await peer.send({ jsonrpc: '2.0', id, method: 'elicitation/create', params: { message: 'who?', requestedSchema } });
      return peer.next((m) => m.id === id, `the answer to ${id}`);
    };
    const refusals: [Record<string, unknown>, RegExp][] = [
      [{ name: 'Ada', age: 'thirty' }, /content\.age must be an integer/],
      [{ age: 3 }, /content\.name is required/],
      [{ name: 'Ada Lovelace' }, /content\.name must be at most 5 characters/],
      [{ name: 'Ada', color: 'green' }, /content\.color must be one of "red", "blue"/],
      [{ name: 'Ada', tags: ['a', 'z'] }, /content\.tags\[1\] must be one of "a", "b"/],
    ];
    for (const [i, [given, pattern]] of refusals.entries()) {
      const answer = await ask(`bad${i}`, given);
      assert.equal((answer.error as { code: number } | undefined)?.code, ErrorCode.InternalError, JSON.stringify(given));
      assert.match((answer.error as { message: string }).message, pattern);
    }
    const good = { name: 'Ada', age: 36, color: 'red', tags: ['a', 'b'] };
    assert.deepEqual((await ask('good', good)).result, { action: 'accept', content: good });
    await client.close();
  });

  it('declares the capabilities its handlers imply', async () => {
    const { client, peer } = await connected({ sampling: () => ({ role: 'assistant', model: 'm', content: { type: 'text', text: '' } }), roots: [] });
    const init = await peer.request('initialize');
    assert.deepEqual(init.params?.capabilities, { sampling: {}, roots: { listChanged: true } });
    await client.close();
  });

  it('sends no answer to a server request the server cancelled, and the handler sees its signal abort', async () => {
    let aborted!: () => void;
    const sawAbort = new Promise<void>((resolve) => (aborted = resolve));
    const { client, peer } = await connected({
      roots: (ctx) => new Promise((resolve) => ctx.signal.addEventListener('abort', () => {
        aborted();
        resolve([]);
      })),
    });
    await peer.send({ jsonrpc: '2.0', id: 'r1', method: 'roots/list' });
    await peer.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'r1', reason: 'changed my mind' } });
    await within(sawAbort, 'the handler abort');
    await client.ping();
    await peer.send({ jsonrpc: '2.0', id: 'p', method: 'ping' });
    await peer.next((m) => m.id === 'p', 'a later answer');
    assert.equal(peer.received.some((m) => m.id === 'r1'), false);
    await client.close();
  });
});

describe('McpClient connect and options', () => {
  it('refuses a revision it does not speak, and closes the transport', async () => {
    const [a, b] = MemoryTransport.pair();
    const peer = new ScriptedPeer(b);
    peer.revision = '1999-01-01';
    await b.start();
    let closed = false;
    const client = new McpClient({ name: 't', version: '1' });
    client.on('close', () => (closed = true));
    await assert.rejects(client.connect(a), (err: unknown) => err instanceof ErlmcpError && err.code === 'ERLMCP_ERR_UNSUPPORTED_PROTOCOL_VERSION');
    assert.equal(closed, true);
    assert.equal(peer.received.some((m) => m.method === 'notifications/initialized'), false);
  });

  it('names the option path of a bad option', () => {
    assert.throws(() => new McpClient({ name: 't', version: '1' }, { requestTimeoutMs: -1 }), /options\.requestTimeoutMs must be a non-negative integer/);
    assert.throws(() => new McpClient({ name: 't', version: '1' }, { protocolVersion: '2020-01-01' as never }), /options\.protocolVersion/);
    assert.throws(() => new McpClient({ name: 't' } as never), /info must be/);
    // Root: "uri" is required and "must start with file://"; capabilities are an object.
    assert.throws(() => new McpClient({ name: 't', version: '1' }, { roots: [{ name: 'no uri' }] as never }), /options\.roots\[0\]\.uri must be a string starting with file:\/\//);
    assert.throws(() => new McpClient({ name: 't', version: '1' }, { roots: [{ uri: 'file:///a' }, { uri: 42 }] as never }), /options\.roots\[1\]\.uri/);
    assert.throws(() => new McpClient({ name: 't', version: '1' }, { roots: [{ uri: 'file:///a', name: 7 }] as never }), /options\.roots\[0\]\.name must be a string/);
    assert.throws(() => new McpClient({ name: 't', version: '1' }, { capabilities: 'sampling' as never }), /options\.capabilities must be an object/);
  });

  it('answers roots/list with -32603 naming the root when the roots handler returns one the schema refuses', async () => {
    const { client, peer } = await connected({ roots: () => [{ uri: 'https://example.com' }] });
    await peer.send({ jsonrpc: '2.0', id: 'r1', method: 'roots/list' });
    const answer = await peer.next((m) => m.id === 'r1', 'the roots/list answer');
    assert.equal((answer.error as { code: number }).code, ErrorCode.InternalError);
    assert.match((answer.error as { message: string }).message, /roots handler's result\[0\]\.uri must be a string starting with file:\/\//);
    await client.close();
  });
});
