/**
 * A session ended (DELETE on another process) while this process reads it from a slow store (a networked store's
 * round trip) must not be made live here: before the fix the request was served instead of 404, and the session
 * stayed live on this process for good (the store's end event had already fired, so nothing ever removed it).
 *
 * A handler still running after its session ended must not reach a client that is gone: a server request it makes
 * then is refused at once, not written to the stream and left to wait out its timeout.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { MemoryEventStore } from '../../src/session/memory/memory-event-store.js';
import { MemoryMessageBus } from '../../src/session/memory/memory-message-bus.js';
import { MemorySessionStore } from '../../src/session/memory/memory-session-store.js';
import type { SessionRecord } from '../../src/session/session-store.js';
import { startHttp, type HttpHarness } from '../helpers/http-harness.js';
import { initializeHttp, McpHttpSession } from '../helpers/raw-http-client.js';
import { createTestServer } from '../helpers/test-server.js';

const GET_MS = 50;

/** The memory store, with every get answered GET_MS later, as a networked store would. */
class SlowStore extends MemorySessionStore {
  override async get(id: string): Promise<SessionRecord | undefined> {
    const record = this.peek(id);
    await new Promise((r) => setTimeout(r, GET_MS));
    return record;
  }
}

describe('a session lookup racing the session\'s end', () => {
  let first: HttpHarness;
  let second: HttpHarness;
  after(async () => {
    await second?.close();
    await first?.close();
  });

  it('answers 404 to a request whose session was deleted while the store lookup was in flight', async () => {
    const backends = { store: new SlowStore({ idleTtlMs: 60_000 }), events: new MemoryEventStore({ maxEventsPerStream: 100 }), bus: new MemoryMessageBus() };
    first = await startHttp(createTestServer({ sessions: backends }));
    second = await startHttp(createTestServer({ sessions: backends }));
    const onFirst = await initializeHttp(first.client);
    const onSecond = new McpHttpSession(second.client, onFirst.id, onFirst.protocolVersion);

    const ping = onSecond.post({ jsonrpc: '2.0', id: 1, method: 'ping' }); // second: a miss, so a store read
    await new Promise((r) => setTimeout(r, GET_MS / 2));
    assert.equal((await onFirst.delete()).status, 200); // ended while second reads the store
    const pinged = await ping;
    const later = await onSecond.post({ jsonrpc: '2.0', id: 2, method: 'ping' });

    assert.equal(await backends.store.count(), 0, 'the store has no session');
    assert.deepEqual(
      { inFlight: pinged.status, later: later.status, liveOnSecond: second.server.sessions.liveCount },
      { inFlight: 404, later: 404, liveOnSecond: 0 },
    );
  });
});

describe('a server request made after the session ended', () => {
  it('is refused at once, never sent, even when the handler passes a signal of its own', async () => {
    const server = createTestServer();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    server.tool('ask_later', { description: 'Asks once released, under a signal of its own' }, async (_args, ctx) => {
      ctx.progress(1, 2);
      started();
      await released;
      try {
        await ctx.elicit(
          { mode: 'form', message: 'Still there?', requestedSchema: { type: 'object', properties: {} } },
          { signal: new AbortController().signal, timeoutMs: 60_000 },
        );
        return 'answered';
      } catch (err) {
        return { content: [{ type: 'text', text: `refused: ${(err as Error).message}` }], isError: true };
      }
    });
    const http = await startHttp(server);
    try {
      const session = await initializeHttp(http.client, { capabilities: { elicitation: { form: {} } } });
      const call = await session.postStream({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'ask_later', arguments: {}, _meta: { progressToken: 'p' } } });
      await running;
      assert.equal((await session.delete()).status, 200);
      release();
      // Sent, the request waited out its 60 s timeout: the deadline of rest() fails first.
      const messages = (await call.sse.rest()).map((e) => JSON.parse(e.data || '{}') as Record<string, unknown>);
      assert.deepEqual(messages.filter((m) => m.method === 'elicitation/create'), [], 'no request sent for an ended session');
      const answer = messages.find((m) => m.id === 1);
      assert.equal((answer?.result as { isError?: boolean } | undefined)?.isError, true, JSON.stringify(answer));
      assert.match(JSON.stringify(answer?.result), /refused: .*session/i);
    } finally {
      await http.close();
    }
  });
});
