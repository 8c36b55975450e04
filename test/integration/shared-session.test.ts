/**
 * One session served by two processes: two servers (standing in for two processes behind a load balancer) share
 * the session store, the event store and the message bus. A session initialized on one is served by the other; a
 * handler on the second asks the client a question, and the client's answer, POSTed to the first, still reaches
 * it: the bus carries it to whichever process subscribed to the session's answers, which it does only once its
 * handler asks (and the subscription ends with the session).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MemoryEventStore } from '../../src/session/memory/memory-event-store.js';
import { MemoryMessageBus } from '../../src/session/memory/memory-message-bus.js';
import type { BusListener } from '../../src/session/message-bus.js';
import { MemorySessionStore } from '../../src/session/memory/memory-session-store.js';
import { startHttp, type HttpHarness } from '../helpers/http-harness.js';
import { initializeHttp, jsonOf, McpHttpSession } from '../helpers/raw-http-client.js';
import { createTestServer } from '../helpers/test-server.js';

describe('a session shared by two servers', () => {
  let first: HttpHarness;
  let second: HttpHarness;
  let bus: MemoryMessageBus;

  before(async () => {
    bus = new MemoryMessageBus();
    const backends = { store: new MemorySessionStore({ idleTtlMs: 60_000 }), events: new MemoryEventStore({ maxEventsPerStream: 100 }), bus };
    first = await startHttp(createTestServer({ sessions: backends }));
    second = await startHttp(createTestServer({ sessions: backends }));
  });
  after(async () => {
    await second?.close();
    await first?.close();
  });

  it('serves on the second server a session the first created, and brings the answer posted to the first back', async () => {
    const onFirst = await initializeHttp(first.client, { capabilities: { elicitation: {} } });
    const onSecond = new McpHttpSession(second.client, onFirst.id, onFirst.protocolVersion);
    assert.equal(bus.topicCount(), 0, 'no session subscribes to its answers before it asks');

    const listed = await onSecond.call('tools/list');
    assert.ok(Array.isArray((listed.result as { tools: unknown[] }).tools), 'the second server knows the session');

    const stream = await onSecond.postStream({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'ask', arguments: {} } });
    const request = await stream.sse.nextMessage();
    assert.equal(request?.method, 'elicitation/create');
    assert.equal(bus.topicCount(), 1, 'the asking server subscribed to the session answers');

    const posted = await onFirst.post({ jsonrpc: '2.0', id: request?.id, result: { action: 'accept', content: { name: 'Ada' } } });
    assert.equal(posted.status, 202);
    const answer = await stream.sse.nextMessage();
    const text = (answer?.result as { content: { text: string }[] } | undefined)?.content[0]?.text;
    assert.match(text ?? '', /Ada/);

    const ended = await onFirst.delete();
    assert.equal(ended.status, 200);
    assert.equal(bus.topicCount(), 0, 'ending the session ends the subscription');
    assert.equal((await onSecond.post({ jsonrpc: '2.0', id: 6, method: 'ping' })).status, 404);
    assert.equal(jsonOf(await onFirst.post({ jsonrpc: '2.0', id: 7, method: 'ping' })).error !== undefined, true);
  });
});

/** A bus whose subscriptions to answer topics never complete, as a Redis bus that stalls would. */
class StallingBus extends MemoryMessageBus {
  override subscribe(topic: string, listener: BusListener): Promise<() => void> {
    return topic.startsWith('responses:') ? new Promise(() => {}) : super.subscribe(topic, listener);
  }
}

describe('a bus that stalls while a session subscribes to its answers', () => {
  it('fails the server request by its timeout instead of waiting for ever: the tool fails, the session lives', async () => {
    const http = await startHttp(createTestServer({ sessions: { bus: new StallingBus() }, clientRequestTimeoutMs: 200 }));
    try {
      const session = await initializeHttp(http.client, { capabilities: { elicitation: {} } });
      const started = Date.now();
      const reply = jsonOf(await session.post({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'ask', arguments: {} } }));
      const result = reply.result as { isError?: boolean; content: { text: string }[] };
      assert.equal(result.isError, true);
      assert.match(result.content[0]?.text ?? '', /elicitation\/create timed out after 200 ms/);
      assert.ok(Date.now() - started < 5_000);
      assert.equal((await session.post({ jsonrpc: '2.0', id: 3, method: 'ping' })).status, 200, 'the session still serves');
    } finally {
      await http.close();
    }
  });
});
