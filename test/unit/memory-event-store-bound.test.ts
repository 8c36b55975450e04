/**
 * The memory event store's bound on streams per session: a session that opens stream after stream (every answer
 * over SSE) keeps only its most recently written ones, so its memory stays bounded however long it lives, while a
 * stream that is still written to (a GET stream, a long handler) is kept. Complete answers have a ring of their
 * own, so however many there are, a live stream's backlog stays.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonRpcMessage } from '../../src/protocol/json-rpc.js';
import { eventIdOf } from '../../src/session/event-store.js';
import { DEFAULT_MAX_STREAMS_PER_SESSION, MemoryEventStore } from '../../src/session/memory/memory-event-store.js';

const NOTE = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 1 } } satisfies JsonRpcMessage);

describe('MemoryEventStore streams per session', () => {
  it('keeps at most maxStreamsPerSession streams of a session, dropping the least recently written', async () => {
    const store = new MemoryEventStore({ maxEventsPerStream: 10, maxStreamsPerSession: 3 });
    try {
      await store.append('s1', 'a', eventIdOf('a', 1), NOTE);
      await store.append('s1', 'b', eventIdOf('b', 1), NOTE);
      await store.append('s1', 'c', eventIdOf('c', 1), NOTE);
      // Writing to "a" again makes "b" the least recently written.
      await store.append('s1', 'a', eventIdOf('a', 2), NOTE);
      await store.append('s1', 'd', eventIdOf('d', 1), NOTE);
      assert.equal(await store.streamCount(), 3);
      assert.equal(await store.replayAfter('s1', eventIdOf('b', 0)), undefined);
      assert.equal((await store.replayAfter('s1', eventIdOf('a', 0)))?.events.length, 2);
      assert.equal((await store.replayAfter('s1', eventIdOf('d', 0)))?.events.length, 1);
    } finally {
      await store.close();
    }
  });

  it('bounds each session apart, and by default at DEFAULT_MAX_STREAMS_PER_SESSION', async () => {
    const store = new MemoryEventStore({ maxEventsPerStream: 10 });
    try {
      for (let i = 0; i < DEFAULT_MAX_STREAMS_PER_SESSION + 50; i++) {
        await store.append('s1', `s1-${i}`, eventIdOf(`s1-${i}`, 1), NOTE);
      }
      await store.append('s2', 'only', eventIdOf('only', 1), NOTE);
      assert.equal(await store.streamCount(), DEFAULT_MAX_STREAMS_PER_SESSION + 1);
      assert.equal(await store.replayAfter('s1', eventIdOf('s1-0', 0)), undefined);
      assert.ok(await store.replayAfter('s1', eventIdOf(`s1-${DEFAULT_MAX_STREAMS_PER_SESSION + 49}`, 0)));
      await store.dropSession('s1');
      assert.equal(await store.streamCount(), 1);
    } finally {
      await store.close();
    }
  });

  it('keeps the first event of a new stream and bounds events per stream, oldest dropped', async () => {
    const store = new MemoryEventStore({ maxEventsPerStream: 2 });
    try {
      await store.append('s1', 'x', eventIdOf('x', 1), NOTE);
      assert.deepEqual((await store.replayAfter('s1', eventIdOf('x', 0)))?.events.map((e) => e.id), [eventIdOf('x', 1)]);
      await store.append('s1', 'x', eventIdOf('x', 2), NOTE);
      await store.append('s1', 'x', eventIdOf('x', 3), NOTE);
      assert.deepEqual((await store.replayAfter('s1', eventIdOf('x', 0)))?.events.map((e) => e.id), [eventIdOf('x', 2), eventIdOf('x', 3)]);
    } finally {
      await store.close();
    }
  });

  it('keeps answers in a ring of their own: the newest maxStreamsPerSession, and they never push a live stream out', async () => {
    const store = new MemoryEventStore({ maxEventsPerStream: 10, maxStreamsPerSession: 3 });
    try {
      // A GET stream with a backlog, then answer after answer (responseMode "sse"): the backlog stays.
      await store.append('s1', 'get', eventIdOf('get', 2), NOTE);
      for (let i = 0; i < 10; i++) await store.appendAnswer('s1', `answer-${i}`, eventIdOf(`answer-${i}`, 2), NOTE);
      assert.deepEqual((await store.replayAfter('s1', eventIdOf('get', 1)))?.events.map((e) => e.id), [eventIdOf('get', 2)]);
      // The three newest answers resume from their priming ids; older ones are gone.
      for (const i of [7, 8, 9]) {
        assert.deepEqual(await store.replayAfter('s1', eventIdOf(`answer-${i}`, 1)), { streamId: `answer-${i}`, events: [{ id: eventIdOf(`answer-${i}`, 2), data: NOTE }] });
      }
      assert.equal(await store.replayAfter('s1', eventIdOf('answer-6', 1)), undefined);
      assert.equal(await store.replayAfter('s2', eventIdOf('answer-9', 1)), undefined, 'never to another session');
      assert.equal(await store.streamCount(), 4);
      await store.dropSession('s1');
      assert.equal(await store.streamCount(), 0);
    } finally {
      await store.close();
    }
  });

  it('refuses bounds below 1, naming the option', () => {
    assert.throws(() => new MemoryEventStore({ maxEventsPerStream: 0 }), /options\.maxEventsPerStream must be an integer of at least 1, got 0/);
    assert.throws(() => new MemoryEventStore({ maxEventsPerStream: 5, maxStreamsPerSession: 1.5 }), /options\.maxStreamsPerSession/);
  });
});
