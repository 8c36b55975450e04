/**
 * A handler result that JSON cannot carry (a BigInt, a cycle) fails when the transport serialises the answer. The
 * request must still be answered, with -32603 and its id, like any other handler failure, and its SSE stream must
 * still end: before, a stream that had already sent progress was left open for ever (the connection was cut, the
 * stream stayed live), so the client never got an answer and a Last-Event-ID resume of it hung.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { startHttp, type HttpHarness } from '../helpers/http-harness.js';
import { pick } from '../helpers/json-path.js';
import { initializeHttp, jsonOf, type McpHttpSession } from '../helpers/raw-http-client.js';
import { parseSseBody, type SseEvent } from '../helpers/sse-reader.js';
import { createTestServer } from '../helpers/test-server.js';
import { withUnserializableTools } from '../helpers/unserializable-tools.js';

function call(id: number, name: string): Record<string, unknown> {
  return { jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: {}, _meta: { progressToken: `t${id}` } } };
}

function assertInternalError(message: unknown, id: number): void {
  assert.equal(pick(message, 'id'), id, JSON.stringify(message));
  assert.equal(pick(message, 'error.code'), ErrorCode.InternalError, JSON.stringify(message));
}

function dataOf(events: SseEvent[]): unknown[] {
  return events.filter((e) => e.data !== '').map((e) => JSON.parse(e.data) as unknown);
}

for (const responseMode of ['auto', 'sse'] as const) {
  describe(`a result JSON cannot carry (responseMode ${responseMode})`, () => {
    let http: HttpHarness;
    let session: McpHttpSession;

    before(async () => {
      http = await startHttp(withUnserializableTools(createTestServer()), { responseMode });
      session = await initializeHttp(http.client);
    });
    after(() => http.close());

    it('is answered with -32603 and the request id when the result is ready at once', async () => {
      const reply = await session.post(call(6, 'bigint-now'));
      assert.equal(reply.status, 200, reply.body);
      const message = responseMode === 'auto' ? jsonOf(reply) : dataOf(parseSseBody(reply.body))[0];
      assertInternalError(message, 6);
    });

    it('ends a stream that already carried progress with -32603, and a resume replays it and ends', async () => {
      const post = await session.postStream(call(5, 'bigint-streamed'));
      assert.equal(post.status, 200);
      const events = await post.sse.rest();
      const messages = dataOf(events);
      assert.equal(pick(messages[0], 'method'), 'notifications/progress');
      assertInternalError(messages[1], 5);
      const priming = events[0]?.id;
      assert.ok(priming, 'no priming event');
      const resumed = await session.get({ 'last-event-id': priming });
      assert.equal(resumed.status, 200);
      const replayed = dataOf(await resumed.sse.rest());
      assertInternalError(replayed[1], 5);
    });

    it('goes on serving', async () => {
      const reply = await session.post({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'echo', arguments: { text: 'still' } } });
      assert.equal(reply.status, 200, reply.body);
    });
  });
}

