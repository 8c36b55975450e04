/**
 * Answers over SSE in `sse` response mode, which every POST gets (as the official SDK does by default). A result
 * ready at once goes out as one complete SSE body with a Content-Length: the priming event and the response, with
 * the ids and the store record a live stream would have made, so a client that lost it resumes alike. A handler
 * still running gets its stream, primed, before its result. A 2026-07-28 answer is one body too, without ids. The
 * one-body form's bytes are checked against the frames a live stream writes, and no SSE answer forces keep-alive on
 * a client that asked to close.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ServerResponse } from 'node:http';
import { eventIdOf, streamIdOf, type EventStore } from '../../src/session/event-store.js';
import { DEFAULT_MAX_STREAMS_PER_SESSION, MemoryEventStore } from '../../src/session/memory/memory-event-store.js';
import { SSE_HEADERS, replySseBody } from '../../src/transport/http/http-reply.js';
import { SseStream, primingFrame, sseAnswerBody, sseFrame } from '../../src/transport/http/sse-stream.js';
import { createDualEraServer, modernHeaders, modernMeta } from '../helpers/dual-era-server.js';
import { startHttp, type HttpHarness } from '../helpers/http-harness.js';
import { initializeHttp, type McpHttpSession } from '../helpers/raw-http-client.js';
import { parseSseBody } from '../helpers/sse-reader.js';


describe('sse response mode', () => {
  let http: HttpHarness;
  let session: McpHttpSession;
  let release: (() => void) | undefined;

  before(async () => {
    const server = createDualEraServer();
    server.tool<{ text: string }>('echo', { description: 'Returns its text', inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } }, (args) => args.text);
    server.tool('async-echo', {}, async (args) => `async ${String(args.text)}`);
    server.tool('later', { description: 'Answers once the test releases it' }, async () => {
      await new Promise<void>((resolve) => (release = resolve));
      return 'released';
    });
    http = await startHttp(server, { responseMode: 'sse', sseRetryMs: 1234 });
    session = await initializeHttp(http.client);
  });
  after(() => http?.close());

  it('answers a result ready at once with one SSE body: a Content-Length, the priming event, then the response', async () => {
    const reply = await session.post({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' } } });
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['content-type'], 'text/event-stream');
    assert.equal(Number(reply.headers['content-length']), Buffer.byteLength(reply.body));
    assert.equal(reply.headers['transfer-encoding'], undefined);
    const [priming, answer, ...rest] = parseSseBody(reply.body);
    assert.deepEqual(rest, []);
    assert.equal(priming?.data, '');
    assert.equal(priming?.retry, 1234);
    assert.ok(priming?.id !== undefined && answer?.id !== undefined);
    assert.equal(streamIdOf(answer.id), streamIdOf(priming.id), 'both events belong to one stream');
    assert.equal(answer.event, 'message');
    const message = JSON.parse(answer.data) as { id: number; result: { content: { text: string }[] } };
    assert.equal(message.id, 7);
    assert.equal(message.result.content[0]?.text, 'hi');
  });

  it('replays that response to a client resuming from the priming event', async () => {
    const reply = await session.post({ jsonrpc: '2.0', id: 8, method: 'tools/call', params: { name: 'echo', arguments: { text: 'again' } } });
    const [priming, answer] = parseSseBody(reply.body);
    const resumed = await session.get({ 'last-event-id': priming?.id ?? '' });
    assert.equal(resumed.status, 200);
    const replayed = await resumed.sse.next();
    assert.equal(replayed?.id, answer?.id);
    assert.equal(replayed?.data, answer?.data);
    assert.equal(await resumed.sse.next(), undefined, 'the stream had ended, so the replay ends too');
  });

  it('stores the answers of handlers that ran past their first tick apart from live streams, as one-body answers are', async () => {
    // Each went to the live streams' pool, least recently written dropped first: this many of them pushed out what
    // a GET stream had stored while its client was away, and the resume replayed nothing.
    const own = await initializeHttp(http.client);
    const get = await own.get();
    const priming = await get.sse.next();
    assert.ok(priming?.id);
    get.sse.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    http.server.notifyListChanged('prompts');
    for (let i = 0; i < DEFAULT_MAX_STREAMS_PER_SESSION; i++) {
      const answer = await own.post({ jsonrpc: '2.0', id: 100 + i, method: 'tools/call', params: { name: 'async-echo', arguments: { text: String(i) } } });
      assert.match(parseSseBody(answer.body).at(-1)?.data ?? '', /async \d+/);
    }
    const resumed = await own.get({ 'last-event-id': priming.id });
    assert.equal(resumed.status, 200);
    const missed = await resumed.sse.next();
    assert.equal((JSON.parse(missed?.data ?? '{}') as { method?: string }).method, 'notifications/prompts/list_changed');
    resumed.sse.close();
  });

  it('opens the stream of a handler still running, primed, before its result', async () => {
    const stream = await session.postStream({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'later', arguments: {} } });
    assert.equal(stream.headers['content-length'], undefined);
    const priming = await stream.sse.next();
    assert.equal(priming?.data, '');
    assert.ok(priming?.id);
    assert.ok(release, 'the handler is waiting');
    release();
    const answer = await stream.sse.next();
    assert.equal((JSON.parse(answer?.data ?? '{}') as { result: { content: { text: string }[] } }).result.content[0]?.text, 'released');
    assert.equal(streamIdOf(answer?.id ?? ''), streamIdOf(priming.id));
  });

  it('answers a 2026-07-28 request with one SSE body without ids', async () => {
    const body = { jsonrpc: '2.0', id: 10, method: 'tools/call', params: { name: 'echo', arguments: { text: 'modern' }, _meta: modernMeta() } };
    const reply = await http.client.send({ body, headers: modernHeaders(body) });
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['content-type'], 'text/event-stream');
    assert.equal(Number(reply.headers['content-length']), Buffer.byteLength(reply.body));
    const events = parseSseBody(reply.body);
    assert.equal(events.length, 1);
    assert.equal(events[0]?.id, undefined);
    const message = JSON.parse(events[0]?.data ?? '{}') as { result: { resultType: string; content: { text: string }[] } };
    assert.equal(message.result.resultType, 'complete');
    assert.equal(message.result.content[0]?.text, 'modern');
  });

  it('honours a client\'s Connection: close on an SSE answer (no Connection header of its own)', async () => {
    const reply = await session.post({ jsonrpc: '2.0', id: 11, method: 'tools/call', params: { name: 'echo', arguments: { text: 'bye' } } }, { connection: 'close' });
    assert.equal(reply.status, 200);
    assert.equal(reply.headers.connection, 'close');
    assert.equal(parseSseBody(reply.body).length, 2);
  });
});

describe('sseAnswerBody and replySseBody', () => {
  it('write a primed answer as the priming frame and the data frame, byte for byte, and store the answer', async () => {
    const events = new MemoryEventStore({ maxEventsPerStream: 10 });
    const response = { jsonrpc: '2.0' as const, id: 3, result: { content: [{ type: 'text', text: 'a\nb "quoted"' }] } };
    const body = sseAnswerBody(JSON.stringify(response), 'session-1', events, true, 1500);
    const streamId = streamIdOf(/^id: (\S+)/.exec(body)?.[1] ?? '');
    assert.ok(streamId, body);
    assert.equal(body, primingFrame(eventIdOf(streamId, 1), 1500) + sseFrame(response, eventIdOf(streamId, 2)));
    const replay = await events.replayAfter('session-1', eventIdOf(streamId, 1));
    assert.deepEqual(replay?.events, [{ id: eventIdOf(streamId, 2), data: JSON.stringify(response) }]);
    assert.equal(sseAnswerBody(JSON.stringify(response), 'session-1', events, false, 1500).split('\n\n').length, 2, 'unprimed: one frame');
  });

  it('send the headers of SSE_HEADERS and the Content-Length', () => {
    let written: Record<string, unknown> | undefined;
    const res = { writeHead: (_status: number, headers: Record<string, unknown>) => (written = headers), end: () => undefined };
    replySseBody(res as unknown as ServerResponse, 'data: x\n\n');
    assert.deepEqual(written, { ...SSE_HEADERS, 'content-length': 9 });
  });

  it('store an answer with append when the store has no appendAnswer (it is optional)', () => {
    const appended: string[] = [];
    const store = { append: (_s: string, streamId: string) => (appended.push(streamId), Promise.resolve()) } as unknown as EventStore;
    const body = sseAnswerBody(JSON.stringify({ jsonrpc: '2.0', id: 4, result: {} }), 'session-2', store, true, 1000);
    assert.equal(appended.length, 1);
    assert.ok(body.includes(`id: ${appended[0]}/2`), body);
  });
});

describe('SseStream.attach', () => {
  it('does not bind a response whose client already left, so the stream stays free for the next GET', () => {
    const stream = new SseStream({ sessionId: 's', events: null, retryMs: 1000 });
    const gone = { destroyed: true, on: () => undefined, write: () => true } as unknown as ServerResponse;
    stream.attach(gone, true);
    assert.equal(stream.attached, false);
  });
});
