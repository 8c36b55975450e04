/**
 * Idle expiry counts only idleness. A session with a handler still running, or with its GET stream open, is in use
 * though no request arrives: the server keeps its record fresh, so it outlives its idle TTL. Before, the idle
 * clock moved only on requests: a tool running past the TTL was aborted with "Session expired", and a client that
 * only listened had its stream closed and its session ended under it. A session with nothing going on still ends,
 * and what the server sends it (a resources/updated) is not activity of the client's.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { McpServer } from '../../src/server/mcp-server.js';
import { MemorySessionStore } from '../../src/session/memory/memory-session-store.js';
import { startHttp, type HttpHarness } from '../helpers/http-harness.js';
import { initializeHttp } from '../helpers/raw-http-client.js';
import { createTestServer } from '../helpers/test-server.js';

/** The TTL, and how long each case outlasts it: the memory store sweeps every second at this TTL. */
const TTL_MS = 1_000;
const OUTLAST_MS = 3_000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe(`idle expiry (TTL ${TTL_MS} ms)`, () => {
  let http: HttpHarness;

  before(async () => {
    const server = new McpServer({ info: { name: 'expiry', version: '1' }, sessionIdleTtlMs: TTL_MS });
    server.tool('long', { description: `Runs for ${OUTLAST_MS} ms unless cancelled` }, async (_args, ctx) => {
      const cancelled = new Promise<string>((resolve) => ctx.signal.addEventListener('abort', () => resolve(`aborted: ${String(ctx.signal.reason)}`), { once: true }));
      return Promise.race([sleep(OUTLAST_MS).then(() => 'finished'), cancelled]);
    });
    http = await startHttp(server);
  });
  after(() => http?.close());

  it('keeps a session whose handler runs past the TTL, and the session lives on after it', async () => {
    const session = await initializeHttp(http.client);
    const answer = await session.call('tools/call', { name: 'long', arguments: {} });
    assert.deepEqual((answer.result as { content: unknown }).content, [{ type: 'text', text: 'finished' }]);
    const ping = await session.post({ jsonrpc: '2.0', id: 9, method: 'ping' });
    assert.equal(ping.status, 200, ping.body);
  });

  it('keeps a session that only listens on its GET stream, and leaves the stream open', async () => {
    const session = await initializeHttp(http.client);
    const stream = await session.get();
    assert.equal(stream.status, 200);
    await sleep(OUTLAST_MS);
    assert.equal(stream.sse.done, false, 'the server closed the GET stream');
    const ping = await session.post({ jsonrpc: '2.0', id: 10, method: 'ping' });
    assert.equal(ping.status, 200, ping.body);
  });

  it('still ends a session with nothing going on', async () => {
    const session = await initializeHttp(http.client);
    await sleep(OUTLAST_MS);
    const ping = await session.post({ jsonrpc: '2.0', id: 11, method: 'ping' });
    assert.equal(ping.status, 404, ping.body);
  });
});

describe('idle expiry with a session store given in the options', () => {
  it('keeps a busy session by the TTL of the store given, not by sessionIdleTtlMs (which applies to the default store)', async () => {
    // No sessionIdleTtlMs: its 30-minute default refreshed busy sessions every 30 s, far beyond this store's TTL,
    // so a handler running past the TTL was aborted with "Session expired".
    const server = new McpServer({ info: { name: 'given-store', version: '1' }, sessions: { store: new MemorySessionStore({ idleTtlMs: TTL_MS }) } });
    server.tool('long', {}, async (_args, ctx) => {
      const cancelled = new Promise<string>((resolve) => ctx.signal.addEventListener('abort', () => resolve(`aborted: ${String(ctx.signal.reason)}`), { once: true }));
      return Promise.race([sleep(OUTLAST_MS).then(() => 'finished'), cancelled]);
    });
    const http = await startHttp(server);
    try {
      const session = await initializeHttp(http.client);
      const answer = await session.call('tools/call', { name: 'long', arguments: {} });
      assert.deepEqual((answer.result as { content: unknown }).content, [{ type: 'text', text: 'finished' }]);
      const ping = await session.post({ jsonrpc: '2.0', id: 2, method: 'ping' });
      assert.equal(ping.status, 200, ping.body);
    } finally {
      await http.close();
    }
  });
});

describe('idle expiry at any moment of the sweep', () => {
  it('passes over a session with a handler running, however long since the busy refresh (a TTL under its 250 ms floor)', async () => {
    // The busy refresh ran on its own timer, at most four times per TTL and at least 250 ms apart, and nothing ordered
    // it before the sweep: at a TTL under about 300 ms (or after an event-loop stall longer than the TTL) the sweep
    // found a running handler's record older than the TTL and aborted it with "Session expired". Here the sweep is
    // driven by hand, ten TTLs after the request arrived, with no refresh in between.
    const ttlMs = 100;
    // Only the sweeps below end sessions: the store's own is an hour away.
    const store = new MemorySessionStore({ idleTtlMs: ttlMs, sweepIntervalMs: 3_600_000 });
    const server = new McpServer({ info: { name: 'sweep-moment', version: '1' }, sessions: { store } });
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    let finish!: () => void;
    const release = new Promise<void>((resolve) => (finish = resolve));
    server.tool('held', {}, async (_args, ctx) => {
      started();
      const aborted = new Promise<string>((resolve) => ctx.signal.addEventListener('abort', () => resolve(`aborted: ${String(ctx.signal.reason)}`), { once: true }));
      return Promise.race([release.then(() => 'finished'), aborted]);
    });
    const http = await startHttp(server);
    try {
      const session = await initializeHttp(http.client);
      const answer = session.call('tools/call', { name: 'held', arguments: {} });
      // Awaited below; a failed assertion before that closes the server, which must not surface as this rejection.
      answer.catch(() => undefined);
      await running;
      assert.equal(store.sweep(Date.now() + 10 * ttlMs), 0, 'the sweep ended a session with a handler running');
      finish();
      assert.deepEqual(((await answer).result as { content: unknown }).content, [{ type: 'text', text: 'finished' }]);
      // Its idle clock restarts when the handler ends: a sweep within the TTL after that keeps it too.
      assert.equal(store.sweep(Date.now() + ttlMs - 10), 0, 'the sweep ended a session idle for less than its TTL');
      const ping = await session.post({ jsonrpc: '2.0', id: 2, method: 'ping' });
      assert.equal(ping.status, 200, ping.body);
      assert.equal(store.sweep(Date.now() + 2 * ttlMs), 1, 'a session with nothing going on still ends');
    } finally {
      await http.close();
    }
  });
});

describe('idle expiry and what the server sends', () => {
  it('ends a subscribed session that only receives resources/updated: a server notification is not client activity', async (t) => {
    const ttlMs = 60_000;
    // Only the fake clock below ends sessions: the store's own sweep is an hour away.
    const store = new MemorySessionStore({ idleTtlMs: ttlMs, sweepIntervalMs: 3_600_000 });
    const http = await startHttp(createTestServer({ sessions: { store }, sessionIdleTtlMs: ttlMs }));
    try {
      const session = await initializeHttp(http.client);
      assert.deepEqual((await session.call('resources/subscribe', { uri: 'test://static' })).result, {});
      t.mock.timers.enable({ apis: ['Date'], now: Date.now() });
      // The resource changes every half TTL, for two TTLs; the client, gone, sends nothing.
      for (let i = 0; i < 4; i++) {
        t.mock.timers.tick(ttlMs / 2);
        http.server.notifyResourceUpdated('test://static');
      }
      assert.equal(store.sweep(Date.now()), 1, 'the session outlived its idle TTL');
      t.mock.timers.reset();
      const ping = await session.post({ jsonrpc: '2.0', id: 2, method: 'ping' });
      assert.equal(ping.status, 404, ping.body);
    } finally {
      t.mock.timers.reset();
      await http.close();
    }
  });
});
