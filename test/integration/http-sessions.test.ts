/**
 * Streamable HTTP sessions over real sockets (2025-11-25 basic/transports): POST answers JSON until a handler sends
 * something first, then SSE (priming event, the handler's messages, the response last); the GET stream carries
 * list_changed and resources/updated, one per session; `Last-Event-ID` replays what a dropped stream missed; a
 * tool's elicitation travels out on the POST stream and its answer comes back as a POST.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { startHttp, type HttpHarness } from '../helpers/http-harness.js';
import { pick } from '../helpers/json-path.js';
import { initializeHttp, jsonOf, type HttpStream, type McpHttpSession } from '../helpers/raw-http-client.js';
import type { SseEvent } from '../helpers/sse-reader.js';
import { createTestServer } from '../helpers/test-server.js';

const SSE_RETRY_MS = 1_500;

function toolCall(id: number | string, name: string, args: Record<string, unknown> = {}, meta?: Record<string, unknown>): Record<string, unknown> {
  const params: Record<string, unknown> = { name, arguments: args };
  if (meta) params._meta = meta;
  return { jsonrpc: '2.0', id, method: 'tools/call', params };
}

function messageOf(event: SseEvent | undefined): Record<string, unknown> {
  assert.ok(event, 'the stream ended before the expected event');
  assert.notEqual(event.data, '', `expected a message, got a priming event ${JSON.stringify(event)}`);
  return JSON.parse(event.data) as Record<string, unknown>;
}

/** Asserts a 2025-11-25 priming event: an id, the retry hint, empty data. Returns its id. */
function assertPriming(event: SseEvent | undefined): string {
  assert.ok(event, 'no priming event');
  assert.equal(event.data, '');
  assert.equal(event.retry, SSE_RETRY_MS);
  assert.match(event.id ?? '', /.+\/\d+$/);
  return event.id ?? '';
}

/** Opens the GET stream and, for 2025-11-25, reads its priming event; resolves once the server holds it. */
async function openGet(session: McpHttpSession, extra?: Record<string, string>): Promise<{ get: HttpStream; primingId: string }> {
  const get = await session.get(extra);
  assert.equal(get.status, 200);
  assert.equal(get.headers['content-type'], 'text/event-stream');
  return { get, primingId: assertPriming(await get.sse.next()) };
}

/** The sequence number of an event id `<stream>/<n>`, and its stream. */
function parseEventId(id: string | undefined): { stream: string; seq: number } {
  const slash = (id ?? '').lastIndexOf('/');
  return { stream: (id ?? '').slice(0, slash), seq: Number((id ?? '').slice(slash + 1)) };
}

describe('Streamable HTTP sessions', () => {
  let http: HttpHarness;

  before(async () => {
    http = await startHttp(createTestServer(), { sseRetryMs: SSE_RETRY_MS });
  });
  after(() => http.close());

  describe('POST answers', () => {
    it('creates a session at initialize and answers with JSON by default', async () => {
      const session = await initializeHttp(http.client);
      assert.match(session.id, /^[\x21-\x7e]+$/, 'session ids are visible ASCII (transports, "Session Management")');
      const reply = await session.post(toolCall(1, 'echo', { text: 'json please' }));
      assert.equal(reply.status, 200);
      assert.match(String(reply.headers['content-type']), /^application\/json/);
      assert.deepEqual(jsonOf(reply), { jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: 'json please' }] } });
    });

    it('turns to SSE when the tool reports progress: priming event, progress, then the response last', async () => {
      const session = await initializeHttp(http.client);
      const post = await session.postStream(toolCall('p1', 'count', { steps: 3 }, { progressToken: 'tok' }));
      assert.equal(post.status, 200);
      assert.equal(post.headers['content-type'], 'text/event-stream');
      assert.equal(post.headers['cache-control'], 'no-cache, no-transform');
      const primingId = assertPriming(await post.sse.next());
      const events = await post.sse.rest();
      assert.equal(events.length, 4, JSON.stringify(events));
      const messages = events.map(messageOf);
      assert.deepEqual(messages.slice(0, 3).map((m) => m.method), Array(3).fill('notifications/progress'));
      assert.deepEqual(messages.slice(0, 3).map((m) => pick(m, 'params.progressToken')), ['tok', 'tok', 'tok']);
      assert.deepEqual(messages.slice(0, 3).map((m) => pick(m, 'params.progress')), [1, 2, 3]);
      const last = messages[3];
      assert.equal(last?.id, 'p1');
      assert.equal(pick(last, 'result.content.0.text'), 'counted to 3');
      // Every event has an id on the same stream, in order after the priming one.
      const first = parseEventId(primingId);
      assert.deepEqual(events.map((e) => parseEventId(e.id)), [2, 3, 4, 5].map((seq) => ({ stream: first.stream, seq: first.seq + seq - 1 })));
      assert.ok(events.every((e) => e.event === 'message'));
    });

    it('sends a 2025-03-26 client no priming event', async () => {
      const session = await initializeHttp(http.client, { protocolVersion: '2025-03-26' });
      const post = await session.postStream(toolCall('p2', 'count', { steps: 1 }, { progressToken: 7 }));
      assert.equal(post.headers['content-type'], 'text/event-stream');
      const events = await post.sse.rest();
      assert.deepEqual(events.map((e) => messageOf(e).method ?? 'response'), ['notifications/progress', 'response']);
      assert.ok(events.every((e) => e.retry === undefined));
    });

    it('keeps the events of a finished POST stream for Last-Event-ID, then ends the replay', async () => {
      const session = await initializeHttp(http.client);
      const post = await session.postStream(toolCall('p3', 'count', { steps: 2 }, { progressToken: 'r' }));
      const primingId = assertPriming(await post.sse.next());
      const original = await post.sse.rest();
      const replay = await session.get({ 'last-event-id': primingId });
      assert.equal(replay.status, 200);
      const replayed = await replay.sse.rest();
      assert.deepEqual(replayed.map((e) => e.id), original.map((e) => e.id));
      assert.deepEqual(replayed.map((e) => e.data), original.map((e) => e.data));
    });

    it('answers a Last-Event-ID of no stream of this session with 400, not the 404 that would end the session', async () => {
      const session = await initializeHttp(http.client);
      const other = await initializeHttp(http.client);
      const post = await other.postStream(toolCall('p4', 'count', { steps: 1 }, { progressToken: 'x' }));
      const foreignId = assertPriming(await post.sse.next());
      await post.sse.rest();
      const reply = await http.client.send({ method: 'GET', headers: session.headers({ accept: 'text/event-stream', 'last-event-id': foreignId }) });
      assert.equal(reply.status, 400);
      assert.equal(pick(jsonOf(reply), 'error.code'), ErrorCode.InvalidRequest);
      assert.match(String(pick(jsonOf(reply), 'error.message')), /Last-Event-ID names no stream of this session/);
      const ping = await session.post({ jsonrpc: '2.0', id: 'after', method: 'ping' });
      assert.equal(ping.status, 200, 'the session lives on');
    });
  });

  describe('the GET stream', () => {
    it('carries tools/list_changed and resources/updated, to the subscribed session only', async () => {
      const session = await initializeHttp(http.client);
      const bystander = await initializeHttp(http.client);
      const { get } = await openGet(session);
      const { get: bystanderGet } = await openGet(bystander);

      const added = http.server.tool('added-for-get', {}, () => 'x');
      assert.equal(messageOf(await get.sse.next()).method, 'notifications/tools/list_changed');
      assert.equal(messageOf(await bystanderGet.sse.next()).method, 'notifications/tools/list_changed');
      added.remove();
      assert.equal(messageOf(await get.sse.next()).method, 'notifications/tools/list_changed');
      assert.equal(messageOf(await bystanderGet.sse.next()).method, 'notifications/tools/list_changed');

      assert.deepEqual(pick(await session.call('resources/subscribe', { uri: 'test://static' }), 'result'), {});
      http.server.notifyResourceUpdated('test://static');
      const updated = messageOf(await get.sse.next());
      assert.deepEqual(updated, { jsonrpc: '2.0', method: 'notifications/resources/updated', params: { uri: 'test://static' } });

      // The bystander's next event is the next broadcast, not the update it never subscribed to.
      http.server.prompt('after-update', {}, () => ({ messages: [] }));
      assert.equal(messageOf(await bystanderGet.sse.next()).method, 'notifications/prompts/list_changed');
      get.sse.close();
      bystanderGet.sse.close();
    });

    it('refuses a second GET stream on the same session with 409', async () => {
      const session = await initializeHttp(http.client);
      const { get } = await openGet(session);
      const second = await http.client.send({ method: 'GET', headers: session.headers({ accept: 'text/event-stream' }) });
      assert.equal(second.status, 409);
      assert.equal(pick(jsonOf(second), 'error.code'), ErrorCode.InvalidRequest);
      get.sse.close();
    });

    it('ends the GET stream when the session is deleted', async () => {
      const session = await initializeHttp(http.client);
      const { get } = await openGet(session);
      assert.equal((await session.delete()).status, 200);
      assert.deepEqual(await get.sse.rest(), []);
      assert.equal(get.sse.done, true);
    });

    it('replays missed events after Last-Event-ID on a new GET, then carries on live', async () => {
      const session = await initializeHttp(http.client);
      const { get, primingId } = await openGet(session);
      const stream = parseEventId(primingId).stream;

      const first = http.server.tool('resume-a', {}, () => 'a');
      const seen = await get.sse.next();
      assert.equal(messageOf(seen).method, 'notifications/tools/list_changed');
      assert.equal(parseEventId(seen?.id).stream, stream);

      // The client loses the connection; notifications keep coming meanwhile.
      get.sse.close();
      await session.call('resources/subscribe', { uri: 'test://static' });
      const second = http.server.tool('resume-b', {}, () => 'b');
      http.server.notifyResourceUpdated('test://static');
      first.remove();

      const resumed = await session.get({ 'last-event-id': seen?.id ?? '' });
      assert.equal(resumed.status, 200);
      assert.equal(resumed.headers['content-type'], 'text/event-stream');
      // The two tool changes of one tick are announced once, after the tick (mcp-server.ts, `#listChanged`).
      const missed = [await resumed.sse.next(), await resumed.sse.next()];
      assert.deepEqual(missed.map((e) => messageOf(e).method), [
        'notifications/resources/updated',
        'notifications/tools/list_changed',
      ]);
      const seq = parseEventId(seen?.id).seq;
      assert.deepEqual(missed.map((e) => parseEventId(e?.id)), [1, 2].map((n) => ({ stream, seq: seq + n })));

      // The resumed response now carries the same stream live.
      second.remove();
      const live = await resumed.sse.next();
      assert.equal(messageOf(live).method, 'notifications/tools/list_changed');
      assert.deepEqual(parseEventId(live?.id), { stream, seq: seq + 3 });
      resumed.sse.close();
    });
  });

  describe('cancellation', () => {
    it('aborts a running handler when the client POSTs notifications/cancelled', async () => {
      const session = await initializeHttp(http.client);
      const post = await session.postStream(toolCall('c1', 'wait', {}, { progressToken: 'w' }));
      assertPriming(await post.sse.next());
      assert.deepEqual(pick(messageOf(await post.sse.next()), 'params.progress'), 0);
      const cancel = await session.post({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'c1', reason: 'changed my mind' } });
      assert.equal(cancel.status, 202);
      // The POST must still end with something; here the handler's own answer after its signal aborted.
      const response = messageOf(await post.sse.next());
      assert.equal(response.id, 'c1');
      assert.equal(pick(response, 'result.content.0.text'), 'aborted: Cancelled: changed my mind');
    });
  });

  describe('server-to-client requests', () => {
    it('carries a tool\'s elicitation on the POST stream and takes the answer as a POST', async () => {
      const session = await initializeHttp(http.client, { capabilities: { elicitation: { form: {} } } });
      const post = await session.postStream(toolCall('e1', 'ask'));
      assert.equal(post.status, 200);
      assert.equal(post.headers['content-type'], 'text/event-stream');
      assertPriming(await post.sse.next());
      const request = messageOf(await post.sse.next());
      assert.equal(request.method, 'elicitation/create');
      assert.equal(pick(request, 'params.message'), 'What is your name?');
      assert.ok(typeof request.id === 'string' || typeof request.id === 'number');

      const answer = await session.post({ jsonrpc: '2.0', id: request.id, result: { action: 'accept', content: { name: 'Ada' } } });
      assert.equal(answer.status, 202);
      assert.equal(answer.body, '');

      const response = messageOf(await post.sse.next());
      assert.equal(response.id, 'e1');
      assert.equal(pick(response, 'result.content.0.text'), 'answer: {"action":"accept","content":{"name":"Ada"}}');
      assert.equal(await post.sse.next(), undefined, 'the POST stream ends after the response');
    });

    it('resumes a dropped POST stream with Last-Event-ID and delivers the tool result there', async () => {
      const session = await initializeHttp(http.client, { capabilities: { elicitation: { form: {} } } });
      const post = await session.postStream(toolCall('e2', 'ask'));
      assertPriming(await post.sse.next());
      const requestEvent = await post.sse.next();
      const request = messageOf(requestEvent);
      post.sse.close();

      const resumed = await session.get({ 'last-event-id': requestEvent?.id ?? '' });
      assert.equal(resumed.status, 200);
      const answer = await session.post({ jsonrpc: '2.0', id: request.id, result: { action: 'decline' } });
      assert.equal(answer.status, 202);
      const response = messageOf(await resumed.sse.next());
      assert.equal(response.id, 'e2');
      assert.equal(pick(response, 'result.content.0.text'), 'answer: {"action":"decline"}');
      assert.equal(await resumed.sse.next(), undefined, 'the resumed stream ends with the POST stream');
    });

    it('rejects ctx.elicit for a client without the capability, answering JSON', async () => {
      const session = await initializeHttp(http.client);
      const reply = await session.post(toolCall('e3', 'ask'));
      assert.match(String(reply.headers['content-type']), /^application\/json/);
      const body = jsonOf(reply);
      assert.equal(pick(body, 'result.isError'), true);
      assert.match(String(pick(body, 'result.content.0.text')), /elicitation/);
    });
  });
});
