/**
 * Sessions leave nothing behind (STYLE.md rule 9): 10,000 Streamable HTTP sessions are created and ended, by
 * DELETE and by idle expiry, and afterwards the store, the live map, the bus topics and the event streams are
 * empty, no timer was left running, and once the client and the transport close no socket remains.
 *
 * Some sessions also do what holds extra state: a progress call (an SSE stream whose events are stored for
 * resumption), a resource subscription, an open GET stream. Expiry uses the store's fake-clock `sweep(nowMs)`, so
 * nothing waits for a real TTL. The memory store passes over sessions in use (a handler running, a GET stream
 * open); the expiry cases end such sessions too, through the memory store as a store whose records expire elsewhere
 * (Redis) looks to the server, since that is how a session in use can still expire.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHook } from 'node:async_hooks';
import { MemorySessionStore } from '../../src/session/memory/memory-session-store.js';
import type { McpServer } from '../../src/server/mcp-server.js';
import { startHttp, type HttpHarness } from '../helpers/http-harness.js';
import { pick } from '../helpers/json-path.js';
import {
  McpHttpSession, RawHttpClient, initializeHttp, jsonOf, type HttpStream,
} from '../helpers/raw-http-client.js';
import { expiringElsewhere } from '../helpers/remote-like-store.js';
import { createTestServer } from '../helpers/test-server.js';

const SESSIONS = 10_000;
const CONCURRENCY = 50;
// Short next to the 30-minute default, yet longer than the test, so real time never expires a session early.
const IDLE_TTL_MS = 60_000;

/** Runs `task(0..total-1)` with at most `concurrency` in flight. */
async function inParallel(total: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < total) await task(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** Ref'd timers, as the process reports them. */
function activeTimeouts(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

/**
 * Counts every Timeout created and not yet cleared or fired while it is enabled, unref'd ones included, which
 * `getActiveResourcesInfo` does not show. Node's own cache of the HTTP Date header (an unref'd timer that
 * `node:internal/http` re-arms each second, `resetCache`) belongs to the process, not to us, and is left out.
 */
function timerTracker(): { live: () => number; stop: () => void } {
  const live = new Map<number, { _onTimeout?: unknown }>();
  const hook = createHook({
    init(asyncId, type, _trigger, resource) {
      if (type === 'Timeout') live.set(asyncId, resource as { _onTimeout?: unknown });
    },
    destroy(asyncId) {
      live.delete(asyncId);
    },
  });
  hook.enable();
  const ours = (timer: { _onTimeout?: unknown }): boolean =>
    !(typeof timer._onTimeout === 'function' && timer._onTimeout.name === 'resetCache');
  return { live: () => [...live.values()].filter(ours).length, stop: () => hook.disable() };
}

/**
 * Does one session's extra work, by its index: a progress stream, a subscription, a GET stream. GET streams go
 * through `streams`, a client of their own, so the open ones never take the sockets the other requests queue for.
 */
async function exercise(session: McpHttpSession, i: number, streams: RawHttpClient): Promise<HttpStream | undefined> {
  if (i % 10 === 0) {
    const post = await session.postStream({
      jsonrpc: '2.0', id: i, method: 'tools/call',
      params: { name: 'count', arguments: { steps: 2 }, _meta: { progressToken: i } },
    });
    assert.equal(post.headers['content-type'], 'text/event-stream');
    const events = await post.sse.rest();
    assert.equal(pick(JSON.parse(events.at(-1)?.data ?? '{}'), 'result.content.0.text'), 'counted to 2');
  }
  if (i % 25 === 0) {
    assert.deepEqual(pick(await session.call('resources/subscribe', { uri: 'test://static' }), 'result'), {});
  }
  if (i % 100 === 0) {
    const get = await new McpHttpSession(streams, session.id, session.protocolVersion).get();
    assert.equal(get.status, 200);
    await get.sse.next();
    return get;
  }
  return undefined;
}

/** Asserts the server holds no session state at all. */
async function assertNoSessionState(server: McpServer): Promise<void> {
  assert.equal(await server.sessions.store.count(), 0, 'sessions left in the store');
  assert.equal(server.sessions.liveCount, 0, 'live sessions left');
  assert.equal(server.sessions.bus.topicCount(), 0, 'bus topics left');
  assert.equal(await server.sessions.events.streamCount(), 0, 'event streams left');
}

/** Closes the client agents and the transport, then asserts no socket is left. */
async function assertSocketsFreed(http: HttpHarness, streams: RawHttpClient): Promise<void> {
  http.client.close();
  streams.close();
  await http.transport.close(1_000);
  assert.equal(http.transport.socketCount, 0, 'sockets left open');
}

describe('session leak', () => {
  it(`creates and deletes ${SESSIONS} sessions and keeps nothing`, async () => {
    const http = await startHttp(createTestServer(), { maxSockets: CONCURRENCY });
    const streams = new RawHttpClient(http.url, { maxSockets: SESSIONS });
    const server = http.server;
    const timers = timerTracker();
    try {
      const baselineTimeouts = activeTimeouts();
      const baselineTracked = timers.live();
      let peak = 0;
      let getStreams = 0;
      await inParallel(SESSIONS, CONCURRENCY, async (i) => {
        const session = await initializeHttp(http.client);
        peak = Math.max(peak, server.sessions.liveCount);
        const get = await exercise(session, i, streams);
        const deleted = await session.delete();
        assert.equal(deleted.status, 200, deleted.body);
        if (get) {
          // DELETE ends the session's GET stream.
          assert.deepEqual(await get.sse.rest(), []);
          getStreams++;
        }
      });
      assert.ok(peak > 1, `sessions overlapped (peak ${peak})`);
      assert.equal(getStreams, SESSIONS / 100);

      await assertNoSessionState(server);
      assert.equal(activeTimeouts(), baselineTimeouts, 'ref\'d timers left running');

      await assertSocketsFreed(http, streams);
      assert.equal(timers.live(), baselineTracked, 'timers (ref\'d or not) left after the transport closed');
    } finally {
      timers.stop();
      streams.close();
      await http.close();
    }
  });

  it('keeps nothing of a session that ends while its requests are in flight, by DELETE or by expiry', async () => {
    const store = new MemorySessionStore({ idleTtlMs: IDLE_TTL_MS, sweepIntervalMs: 3_600_000 });
    const http = await startHttp(createTestServer({ sessions: { store: expiringElsewhere(store) } }), { maxSockets: CONCURRENCY });
    const streams = new RawHttpClient(http.url, { maxSockets: 1_000 });
    const server = http.server;
    const IN_FLIGHT = 200;
    try {
      /** Starts the `ask` tool, whose elicitation the client never answers, and waits until it asked. */
      const startAsking = async (i: number): Promise<HttpStream> => {
        const session = await initializeHttp(http.client, { capabilities: { elicitation: { form: {} } } });
        const view = new McpHttpSession(streams, session.id, session.protocolVersion);
        const post = await view.postStream({ jsonrpc: '2.0', id: i, method: 'tools/call', params: { name: 'ask', arguments: {} } });
        await post.sse.next();
        assert.equal(JSON.parse((await post.sse.next())?.data ?? '{}').method, 'elicitation/create');
        if (i % 2 === 0) assert.equal((await session.delete()).status, 200);
        return post;
      };
      const posts: HttpStream[] = [];
      await inParallel(IN_FLIGHT, CONCURRENCY, async (i) => {
        posts.push(await startAsking(i));
      });
      // Half were deleted mid-call; the other half expire now.
      assert.equal(store.sweep(Date.now() + IDLE_TTL_MS + 1), IN_FLIGHT / 2);
      for (const post of posts) {
        // The handler's client request fails with the session, and its stream ends.
        const last = (await post.sse.rest()).at(-1);
        assert.equal(pick(JSON.parse(last?.data ?? '{}'), 'result.isError'), true);
      }
      await assertNoSessionState(server);
      await assertSocketsFreed(http, streams);
    } finally {
      streams.close();
      await http.close();
    }
  });

  it(`expires ${SESSIONS} idle sessions by the fake clock and keeps nothing`, async () => {
    // The sweep interval is far beyond the test, so only the fake clock below ends sessions.
    const store = new MemorySessionStore({ idleTtlMs: IDLE_TTL_MS, sweepIntervalMs: 3_600_000 });
    const http = await startHttp(createTestServer({ sessions: { store: expiringElsewhere(store) } }), { maxSockets: CONCURRENCY });
    const streams = new RawHttpClient(http.url, { maxSockets: SESSIONS });
    const server = http.server;
    try {
      const baselineTimeouts = activeTimeouts();
      const gets: HttpStream[] = [];
      let last: McpHttpSession | undefined;
      await inParallel(SESSIONS, CONCURRENCY, async (i) => {
        const session = await initializeHttp(http.client);
        const get = await exercise(session, i, streams);
        if (get) gets.push(get);
        last = session;
      });
      assert.equal(await store.count(), SESSIONS);
      assert.equal(server.sessions.liveCount, SESSIONS);
      assert.ok(await server.sessions.events.streamCount() >= SESSIONS / 10);
      // A topic per GET stream; none for answers, which a session subscribes to only once a handler asks.
      assert.equal(server.sessions.bus.topicCount(), gets.length);

      // Not yet idle for the TTL: nothing ends.
      assert.equal(store.sweep(Date.now()), 0);
      assert.equal(store.sweep(Date.now() + IDLE_TTL_MS + 1), SESSIONS);

      await assertNoSessionState(server);
      for (const get of gets) assert.deepEqual(await get.sse.rest(), [], 'expiry ends GET streams');
      assert.ok(last);
      const gone = await last.post({ jsonrpc: '2.0', id: 1, method: 'ping' });
      assert.equal(gone.status, 404);
      assert.equal(pick(jsonOf(gone), 'error.message'), 'Not Found: the session does not exist or has ended');
      assert.equal(activeTimeouts(), baselineTimeouts, 'ref\'d timers left running');

      await assertSocketsFreed(http, streams);
    } finally {
      streams.close();
      await http.close();
    }
  });
});
