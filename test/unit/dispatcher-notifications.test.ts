/**
 * The dispatcher's messages beside the answer, driven in process over a `MemoryTransport` pair: logging levels,
 * progress, cancellation, list_changed and resource subscriptions, and the requests a handler sends the client
 * (sampling, elicitation, roots, timeouts).
 *
 * The memory link delivers in order, so after a response arrives every message sent before it has arrived too:
 * "nothing was sent" is asserted after a later response, never after a sleep.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { MAX_SUBSCRIPTIONS_PER_SESSION } from '../../src/server/mcp-server.js';
import { connectInitialized, connectMemory, initialize, type Json } from '../helpers/memory-client.js';
import { within } from '../helpers/deadline.js';
import { pick } from '../helpers/json-path.js';
import { LOG_LEVELS } from '../helpers/test-server.js';
import { callTool, errorCode, newServer, specErrors, toolText } from '../helpers/dispatcher-harness.js';

describe('logging', () => {
  it('sends every level until logging/setLevel, then only that level and above', async () => {
    const { client } = await connectInitialized(newServer());
    await callTool(client, 'log', {});
    const all = client.drain('notifications/message');
    assert.deepEqual(all.map((m) => pick(m, 'params.level')), LOG_LEVELS);
    assert.deepEqual(all[0]?.params, { level: 'debug', logger: 'test', data: 'at debug' });

    assert.deepEqual(pick(await client.request('logging/setLevel', { level: 'error' }), 'result'), {});
    await callTool(client, 'log', {});
    const filtered = client.drain('notifications/message');
    assert.deepEqual(filtered.map((m) => pick(m, 'params.level')), ['error', 'critical', 'alert', 'emergency']);
  });

  it('refuses an unknown level with -32602', async () => {
    const { client } = await connectInitialized(newServer());
    assert.equal(errorCode(await client.request('logging/setLevel', { level: 'verbose' })), ErrorCode.InvalidParams);
  });
});

describe('progress', () => {
  it('sends notifications/progress carrying the request progressToken, before the result', async () => {
    const { client } = await connectInitialized(newServer());
    const response = await callTool(client, 'count', { steps: 3 }, { progressToken: 'tok-1' });
    assert.equal(toolText(response), 'counted to 3');
    const progress = client.drain('notifications/progress');
    assert.deepEqual(progress.map((m) => m.params), [
      { progressToken: 'tok-1', progress: 1, total: 3, message: 'step 1' },
      { progressToken: 'tok-1', progress: 2, total: 3, message: 'step 2' },
      { progressToken: 'tok-1', progress: 3, total: 3, message: 'step 3' },
    ]);
    for (const note of progress) assert.equal(specErrors('2025-11-25', 'ProgressNotification', note), undefined);
  });

  it('sends no progress when the request carries no token', async () => {
    const { client } = await connectInitialized(newServer());
    await callTool(client, 'count', { steps: 2 });
    assert.deepEqual(client.drain('notifications/progress'), []);
  });

  it('sends no progress for a token that is not a string or an integer, and progress for an integer one', async () => {
    const { client } = await connectInitialized(newServer());
    for (const progressToken of [null, 1.5, { id: 1 }, true]) {
      assert.equal(toolText(await callTool(client, 'count', { steps: 1 }, { progressToken })), 'counted to 1');
      assert.deepEqual(client.drain('notifications/progress'), [], JSON.stringify(progressToken));
    }
    await callTool(client, 'count', { steps: 1 }, { progressToken: 0 });
    assert.deepEqual(client.drain('notifications/progress').map((m) => pick(m, 'params.progressToken')), [0]);
  });
});

describe('cancellation', () => {
  it('aborts the handler signal when the client sends notifications/cancelled for its request', async () => {
    const server = newServer();
    let reportAbort!: (reason: unknown) => void;
    const aborted = new Promise<unknown>((resolve) => (reportAbort = resolve));
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    server.tool('hang', {}, (_args, ctx) => new Promise(() => {
      ctx.signal.addEventListener('abort', () => reportAbort(ctx.signal.reason), { once: true });
      started();
    }));
    const { client, session } = await connectInitialized(server);
    // Sent raw: whether a cancelled request gets an answer at all is the server's choice (a SHOULD NOT).
    await client.sendRaw({ jsonrpc: '2.0', id: 'call-1', method: 'tools/call', params: { name: 'hang', arguments: {} } });
    await within(running, 'the hang tool to start');
    assert.equal(session.inFlight.has('call-1'), true);
    // A cancellation of another id leaves it running.
    await client.notify('notifications/cancelled', { requestId: 'other', reason: 'not this one' });
    await client.notify('notifications/cancelled', { requestId: 'call-1', reason: 'user gave up' });
    const reason = await within(aborted, 'the handler signal to abort');
    assert.ok(reason instanceof Error);
    assert.match(reason.message, /user gave up/);
  });

  it('refuses a request reusing the id of one in flight with -32600, which stays cancellable', async () => {
    const server = newServer();
    const calls: AbortSignal[] = [];
    server.tool('hang', {}, (_args, ctx) => new Promise(() => calls.push(ctx.signal)));
    const { client, session } = await connectInitialized(server);
    await client.sendRaw({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'hang', arguments: {} } });
    await client.request('ping');
    const reused = await client.requestWithId(7, 'tools/call', { name: 'hang', arguments: {} });
    assert.equal(errorCode(reused), ErrorCode.InvalidRequest);
    assert.match(String(pick(reused, 'error.message')), /already in use/);
    assert.equal(calls.length, 1, 'the second request ran no handler');
    await client.notify('notifications/cancelled', { requestId: 7, reason: 'enough' });
    await client.request('ping');
    assert.equal(calls[0]?.aborted, true, 'the cancellation reached the first request');
    assert.equal(session.inFlight.has(7), true, 'a handler that ignores its signal is still tracked until it ends');
  });

  it('aborts in-flight handlers when the connection closes, and forgets the session', async () => {
    const server = newServer();
    let reportAbort!: (reason: unknown) => void;
    const aborted = new Promise<unknown>((resolve) => (reportAbort = resolve));
    server.tool('hang', {}, (_args, ctx) => new Promise(() => {
      ctx.signal.addEventListener('abort', () => reportAbort(ctx.signal.reason), { once: true });
    }));
    const { client } = await connectInitialized(server);
    assert.equal(server.sessions.liveCount, 1);
    await client.sendRaw({ jsonrpc: '2.0', id: 'call-1', method: 'tools/call', params: { name: 'hang', arguments: {} } });
    await client.request('ping');
    await client.close();
    assert.equal(server.sessions.liveCount, 0);
    const reason = await within(aborted, 'the handler signal to abort');
    assert.ok(reason instanceof Error);
    assert.match(reason.message, /closed/);
  });
});

describe('list_changed and subscriptions', () => {
  it('sends tools/list_changed when a tool is added or removed after initialize, not before', async () => {
    const server = newServer();
    const { client } = await connectMemory(server);
    const early = server.tool('early', {}, () => 'x');
    await client.request('ping');
    assert.deepEqual(client.drain('notifications/tools/list_changed'), []);

    await initialize(client);
    const late = server.tool('late', {}, () => 'x');
    await client.next((m) => m.method === 'notifications/tools/list_changed');
    late.remove();
    await client.next((m) => m.method === 'notifications/tools/list_changed');
    early.remove();
    const note = await client.next((m) => m.method === 'notifications/tools/list_changed');
    assert.equal(specErrors('2025-11-25', 'ToolListChangedNotification', note), undefined);
  });

  it('lets a stale registration handle remove nothing once its name is registered again', async () => {
    const server = newServer();
    const { client } = await connectInitialized(server);
    const stale = [
      server.tool('again', {}, () => 'first'),
      server.prompt('again', {}, () => ({ messages: [] })),
      server.resource('test://again', { name: 'again' }, () => []),
      server.resourceTemplate('test://again/{x}', { name: 'again' }, () => []),
    ];
    for (const registration of stale) registration.remove();
    server.tool('again', {}, () => 'second');
    server.prompt('again', {}, () => ({ messages: [] }));
    server.resource('test://again', { name: 'again' }, () => []);
    server.resourceTemplate('test://again/{x}', { name: 'again' }, () => []);
    await client.request('ping');
    client.drain('notifications/tools/list_changed');
    client.drain('notifications/prompts/list_changed');
    client.drain('notifications/resources/list_changed');

    for (const registration of stale) registration.remove();
    assert.equal(toolText(await callTool(client, 'again', {})), 'second');
    assert.ok(server.prompts.get('again') && server.resources.get('test://again'));
    assert.ok(server.templates.get('test://again/{x}'));
    assert.equal(client.inboxSize, 0, 'no list_changed for a removal of nothing');
  });

  it('sends one list_changed per list for a burst of registrations in one tick, to sessions and listen streams', async () => {
    const server = newServer();
    const { client } = await connectInitialized(server);
    const heard: Json[] = [];
    const listen = server.modern?.listen.subscribe('L1', { notifications: { toolsListChanged: true, resourcesListChanged: true } }, (m) => heard.push(m as unknown as Json));
    assert.ok(listen, 'the test server offers 2026-07-28');
    // A plugin loaded at runtime: every change the same tick, then the lists are whole again.
    const added = Array.from({ length: 20 }, (_, i) => server.tool(`burst${i}`, {}, () => 'x'));
    server.resource('test://burst', { name: 'burst' }, () => []);
    server.resourceTemplate('test://burst/{x}', { name: 'burst' }, () => []);
    await client.request('ping');
    assert.equal(client.drain('notifications/tools/list_changed').length, 1);
    assert.equal(client.drain('notifications/resources/list_changed').length, 1);
    assert.deepEqual(client.drain('notifications/prompts/list_changed'), []);
    assert.deepEqual(heard.map((m) => m.method), ['notifications/tools/list_changed', 'notifications/resources/list_changed']);
    // A later change is a new notification.
    for (const registration of added) registration.remove();
    await client.next((m) => m.method === 'notifications/tools/list_changed');
    await client.request('ping');
    assert.deepEqual(client.drain('notifications/tools/list_changed'), []);
    assert.equal(heard.length, 3);
    listen.close();
  });

  it('sends prompts and resources list_changed', async () => {
    const server = newServer();
    const { client } = await connectInitialized(server);
    server.prompt('another', {}, () => ({ messages: [] }));
    await client.next((m) => m.method === 'notifications/prompts/list_changed');
    server.resource('test://new', { name: 'new' }, () => []);
    await client.next((m) => m.method === 'notifications/resources/list_changed');
    server.resourceTemplate('test://t/{x}', { name: 't' }, () => []);
    await client.next((m) => m.method === 'notifications/resources/list_changed');
  });

  it('sends resources/updated to a subscribed session until it unsubscribes', async () => {
    const server = newServer();
    const { client } = await connectInitialized(server);
    const other = await connectInitialized(server);
    assert.deepEqual(pick(await client.request('resources/subscribe', { uri: 'test://static' }), 'result'), {});
    server.notifyResourceUpdated('test://static');
    const note = await client.next((m) => m.method === 'notifications/resources/updated');
    assert.deepEqual(note.params, { uri: 'test://static' });
    server.notifyResourceUpdated('test://elsewhere');

    assert.deepEqual(pick(await client.request('resources/unsubscribe', { uri: 'test://static' }), 'result'), {});
    server.notifyResourceUpdated('test://static');
    await client.request('ping');
    await other.client.request('ping');
    assert.deepEqual(client.drain('notifications/resources/updated'), []);
    assert.deepEqual(other.client.drain('notifications/resources/updated'), []);
  });

  it('refuses a subscription past the per-session bound with -32602 naming it, and keeps the ones held', async () => {
    const server = newServer();
    const { client } = await connectInitialized(server);
    for (let i = 0; i < MAX_SUBSCRIPTIONS_PER_SESSION; i++) {
      assert.deepEqual(pick(await client.request('resources/subscribe', { uri: `test://users/${i}` }), 'result'), {});
    }
    const refused = await client.request('resources/subscribe', { uri: 'test://users/one-too-many' });
    assert.equal(errorCode(refused), ErrorCode.InvalidParams);
    assert.match(String(pick(refused, 'error.message')), new RegExp(`already holds ${MAX_SUBSCRIPTIONS_PER_SESSION} subscriptions`));
    // Subscribing again to one it holds is not a new subscription; freeing one makes room.
    assert.deepEqual(pick(await client.request('resources/subscribe', { uri: 'test://users/0' }), 'result'), {});
    assert.deepEqual(pick(await client.request('resources/unsubscribe', { uri: 'test://users/0' }), 'result'), {});
    assert.deepEqual(pick(await client.request('resources/subscribe', { uri: 'test://users/one-too-many' }), 'result'), {});
    server.notifyResourceUpdated(`test://users/${MAX_SUBSCRIPTIONS_PER_SESSION - 1}`);
    const note = await client.next((m) => m.method === 'notifications/resources/updated');
    assert.deepEqual(note.params, { uri: `test://users/${MAX_SUBSCRIPTIONS_PER_SESSION - 1}` });
  });

  it('refuses to subscribe to a URI that no resource or template serves with -32002, and records nothing', async () => {
    const server = newServer();
    const { client, session } = await connectInitialized(server);
    const refused = await client.request('resources/subscribe', { uri: 'test://nowhere' });
    assert.equal(errorCode(refused), ErrorCode.ResourceNotFound);
    assert.deepEqual(pick(refused, 'error.data'), { uri: 'test://nowhere' });
    assert.equal(specErrors('2025-11-25', 'JSONRPCErrorResponse', refused), undefined);
    assert.deepEqual(session.record?.subscriptions, []);
    server.notifyResourceUpdated('test://nowhere');
    // A fixed resource and a URI a template matches are both served, so both may be subscribed to.
    assert.deepEqual(pick(await client.request('resources/subscribe', { uri: 'test://static' }), 'result'), {});
    assert.deepEqual(pick(await client.request('resources/subscribe', { uri: 'test://users/7' }), 'result'), {});
    assert.deepEqual(client.drain('notifications/resources/updated'), []);
    assert.deepEqual(session.record?.subscriptions, ['test://static', 'test://users/7']);
  });
});

describe('server-to-client requests', () => {
  const capabilities = { sampling: {}, elicitation: { form: {} }, roots: { listChanged: true } };

  it('round-trips ctx.sample, ctx.elicit and ctx.listRoots through the client', async () => {
    const { client } = await connectInitialized(newServer(), { capabilities });
    const seen: Json[] = [];
    client.answer('sampling/createMessage', (params, message) => {
      seen.push(message);
      return { role: 'assistant', content: { type: 'text', text: 'hi' }, model: 'test-model' };
    });
    client.answer('elicitation/create', (params, message) => {
      seen.push(message);
      return { action: 'accept', content: { name: 'Ada' } };
    });
    client.answer('roots/list', (params, message) => {
      seen.push(message);
      return { roots: [{ uri: 'file:///work', name: 'work' }] };
    });

    assert.equal(toolText(await callTool(client, 'sample', {})),
      'sampled: {"role":"assistant","content":{"type":"text","text":"hi"},"model":"test-model"}');
    assert.equal(toolText(await callTool(client, 'ask', {})), 'answer: {"action":"accept","content":{"name":"Ada"}}');
    assert.equal(toolText(await callTool(client, 'roots', {})), 'roots: {"roots":[{"uri":"file:///work","name":"work"}]}');

    assert.deepEqual(seen.map((m) => m.method), ['sampling/createMessage', 'elicitation/create', 'roots/list']);
    assert.equal(pick(seen[1], 'params.message'), 'What is your name?');
    assert.equal(new Set(seen.map((m) => m.id)).size, 3, 'each server request has its own id');
    assert.equal(specErrors('2025-11-25', 'CreateMessageRequest', seen[0]), undefined);
    assert.equal(specErrors('2025-11-25', 'ElicitRequest', seen[1]), undefined);
    assert.equal(specErrors('2025-11-25', 'ListRootsRequest', seen[2]), undefined);
  });

  it('makes the client error of a server request the failure of the tool, never an error of tools/call', async () => {
    const { client } = await connectInitialized(newServer(), { capabilities });
    client.answer('roots/list', () => {
      throw new Error('roots are private');
    });
    const response = await callTool(client, 'roots', {});
    assert.equal(pick(response, 'result.isError'), true);
    assert.equal(toolText(response), 'The client answered roots/list with error -32603: roots are private');
  });

  it('does not answer tools/call with the -32601 a client gave for sampling', async () => {
    const { client } = await connectInitialized(newServer(), { capabilities });
    const call = callTool(client, 'sample', {});
    const request = await client.next((m) => m.method === 'sampling/createMessage');
    await client.sendRaw({ jsonrpc: '2.0', id: request.id, error: { code: ErrorCode.MethodNotFound, message: 'Method not found' } });
    const response = await call;
    assert.equal(pick(response, 'error'), undefined, 'a -32601 would tell the client that tools/call does not exist');
    assert.equal(pick(response, 'result.isError'), true);
    assert.match(toolText(response), /sampling\/createMessage with error -32601: Method not found/);
  });

  it('rejects ctx.elicit when the client did not declare elicitation, without asking', async () => {
    const { client } = await connectInitialized(newServer(), { capabilities: { sampling: {} } });
    const response = await callTool(client, 'ask', {});
    assert.equal(pick(response, 'result.isError'), true);
    assert.match(toolText(response), /did not declare the capabilities {"elicitation":{}}/);
    assert.deepEqual(client.drain('elicitation/create'), []);
  });

  it('times out an unanswered request with -32001 and cancels it at the client', async (t) => {
    const server = newServer({ clientRequestTimeoutMs: 50 });
    const { client } = await connectInitialized(server, { capabilities });
    t.mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const call = callTool(client, 'sample', {});
      const request = await client.next((m) => m.method === 'sampling/createMessage');
      t.mock.timers.tick(49);
      await client.request('ping');
      assert.deepEqual(client.drain('notifications/cancelled'), [], 'cancelled before the timeout');
      t.mock.timers.tick(1);
      const cancelled = await client.next((m) => m.method === 'notifications/cancelled');
      assert.equal(pick(cancelled, 'params.requestId'), request.id);
      assert.equal(typeof pick(cancelled, 'params.reason'), 'string');
      const response = await call;
      assert.equal(pick(response, 'result.isError'), true, 'the timeout of its own request is the tool failing');
      assert.match(toolText(response), /sampling\/createMessage timed out after 50 ms/);
      // A late answer to the timed-out request is ignored.
      await client.sendRaw({ jsonrpc: '2.0', id: request.id, result: { role: 'assistant', content: { type: 'text', text: 'late' }, model: 'm' } });
      assert.deepEqual(pick(await client.request('ping'), 'result'), {});
    } finally {
      t.mock.timers.reset();
    }
  });
});
