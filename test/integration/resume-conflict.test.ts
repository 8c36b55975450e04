/**
 * A session's GET stream belongs to one connection, also while a Last-Event-ID GET is resuming it and reads the
 * event store (slow here, as a networked store is). Before the fix a plain GET arriving then was answered 200 and
 * attached, and the resume then took the stream over: the plain GET stayed open for good, received nothing, and
 * pinned the session against expiry. Two resumes at once orphaned a connection the same way.
 */
import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { McpServer } from '../../src/server/mcp-server.js';
import type { StoredEvent } from '../../src/session/event-store.js';
import { MemoryEventStore } from '../../src/session/memory/memory-event-store.js';
import { MemoryMessageBus } from '../../src/session/memory/memory-message-bus.js';
import { MemorySessionStore } from '../../src/session/memory/memory-session-store.js';
import { startHttp, type HttpHarness } from '../helpers/http-harness.js';
import { initializeHttp, type McpHttpSession } from '../helpers/raw-http-client.js';

const REPLAY_MS = 100;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

class SlowEvents extends MemoryEventStore {
  override async replayAfter(sessionId: string, lastEventId: string): Promise<{ streamId: string; events: StoredEvent[] } | undefined> {
    const out = await super.replayAfter(sessionId, lastEventId);
    await sleep(REPLAY_MS);
    return out;
  }
}

describe('a GET stream while it is being resumed', () => {
  let http: HttpHarness | undefined;
  let server: McpServer;
  let session: McpHttpSession;
  let primingId: string;

  beforeEach(async () => {
    await http?.close();
    server = new McpServer({
      info: { name: 'slow-events', version: '1' },
      sessions: { store: new MemorySessionStore({ idleTtlMs: 60_000 }), events: new SlowEvents({ maxEventsPerStream: 100 }), bus: new MemoryMessageBus() },
    });
    http = await startHttp(server);
    session = await initializeHttp(http.client);
    const first = await session.get();
    const priming = await first.sse.next();
    assert.ok(priming?.id);
    primingId = priming.id;
    first.sse.close();
    await sleep(50);
  });
  after(() => http?.close());

  /** Resumes the stream, sends `other` while the resume reads the store, and checks who got the stream. */
  async function whileResuming(other: () => ReturnType<McpHttpSession['get']>): Promise<void> {
    const resuming = session.get({ 'last-event-id': primingId });
    await sleep(REPLAY_MS / 5);
    const second = await other();
    const resumed = await resuming;
    try {
      assert.equal(second.status, 409);
      assert.equal(resumed.status, 200);
      server.notifyListChanged('tools');
      assert.equal((await resumed.sse.nextMessage())?.method, 'notifications/tools/list_changed');
    } finally {
      second.sse.close();
      resumed.sse.close();
    }
  }

  it('answers a plain GET 409, and the resumed stream carries the messages', () => whileResuming(() => session.get()));

  it('answers a second resume of the same stream 409', () => whileResuming(() => session.get({ 'last-event-id': primingId })));
});

/** A store whose first replay fails, as a networked store's read can time out. */
class FlakyEvents extends MemoryEventStore {
  failNext = true;

  override async replayAfter(sessionId: string, lastEventId: string): Promise<{ streamId: string; events: StoredEvent[] } | undefined> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('store connection lost');
    }
    return super.replayAfter(sessionId, lastEventId);
  }
}

describe('a resume whose store read fails', () => {
  let http: HttpHarness | undefined;
  after(() => http?.close());

  it('answers 500 and leaves the stream free: a retry resumes it, and a plain GET gets it after', async () => {
    const server = new McpServer({
      info: { name: 'flaky-events', version: '1' },
      sessions: { store: new MemorySessionStore({ idleTtlMs: 60_000 }), events: new FlakyEvents({ maxEventsPerStream: 100 }), bus: new MemoryMessageBus() },
    });
    http = await startHttp(server);
    const session = await initializeHttp(http.client);
    const first = await session.get();
    const priming = await first.sse.next();
    assert.ok(priming?.id);
    first.sse.close();
    await sleep(50);
    const statuses: number[] = [];
    for (const headers of [{ 'last-event-id': priming.id }, { 'last-event-id': priming.id }, {}]) {
      const reply = await session.get(headers);
      statuses.push(reply.status);
      reply.sse.close();
      await sleep(20);
    }
    assert.deepEqual(statuses, [500, 200, 200], 'a failed read left the stream held: every later GET was 409');
  });
});
