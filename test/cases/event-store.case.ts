/**
 * The shared case suite of `EventStore`, the record behind `Last-Event-ID` resumption (2025-11-25 transports,
 * "Resumability and Redelivery"). A caller passes a factory; the suite registers its tests under `describe(name)`.
 *
 * What it pins down: replay gives a stream's events after an id, in order, and never another stream's or another
 * session's; a stream keeps at most its bound; dropping a session frees its streams.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { JsonRpcMessage } from '../../src/protocol/json-rpc.js';
import { eventIdOf, sequenceOf, streamIdOf, type EventStore } from '../../src/session/event-store.js';
import { pick } from '../helpers/json-path.js';

/** An implementation under test. */
export interface EventStoreImpl {
  /** Names the describe block, such as "MemoryEventStore". */
  readonly name: string;
  /** A fresh, empty store keeping at most `maxEventsPerStream` events per stream. */
  create(options: { maxEventsPerStream: number }): EventStore | Promise<EventStore>;
}

function note(n: number): string {
  const message: JsonRpcMessage = { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: { n } } };
  return JSON.stringify(message);
}

/** Appends `count` events numbered from `from` to a stream, as an SseStream would; returns their ids. */
async function appendMany(store: EventStore, sessionId: string, streamId: string, from: number, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let n = from; n < from + count; n++) {
    const id = eventIdOf(streamId, n);
    await store.append(sessionId, streamId, id, note(n));
    ids.push(id);
  }
  return ids;
}

function numbers(events: readonly { data: string }[]): unknown[] {
  return events.map((e) => pick(JSON.parse(e.data) as JsonRpcMessage, 'params.data.n'));
}

/** Registers the event store cases for `impl`. */
export function runEventStoreCases(impl: EventStoreImpl): void {
  describe(`EventStore: ${impl.name}`, () => {
    const stores: EventStore[] = [];
    after(async () => {
      for (const store of stores) await store.close();
    });

    async function fresh(maxEventsPerStream = 100): Promise<EventStore> {
      const store = await impl.create({ maxEventsPerStream });
      stores.push(store);
      return store;
    }

    it('names each event by its stream', () => {
      const stream = randomUUID();
      assert.equal(streamIdOf(eventIdOf(stream, 7)), stream);
      assert.equal(streamIdOf('no-slash'), undefined);
      assert.equal(streamIdOf('/1'), undefined);
      assert.equal(sequenceOf(eventIdOf(stream, 7)), 7);
      for (const odd of ['x/0x10', 'x/1e3', 'x/-1', 'x/0', 'x/', 'x/ 2']) assert.equal(sequenceOf(odd), undefined, odd);
    });

    it('replays the events after an id, in order, with their ids and message texts', async () => {
      const store = await fresh();
      const session = randomUUID();
      const stream = randomUUID();
      const ids = await appendMany(store, session, stream, 1, 5);
      const replay = await store.replayAfter(session, ids[1] ?? '');
      assert.ok(replay);
      assert.equal(replay.streamId, stream);
      assert.deepEqual(replay.events.map((e) => e.id), ids.slice(2));
      assert.equal(replay.events[0]?.data, note(3));
    });

    it('replays nothing after the last event (an empty list, not unknown)', async () => {
      const store = await fresh();
      const session = randomUUID();
      const stream = randomUUID();
      const ids = await appendMany(store, session, stream, 1, 3);
      assert.deepEqual(await store.replayAfter(session, ids[2] ?? ''), { streamId: stream, events: [] });
    });

    it('replays by sequence: from an id that was never stored (a priming event), only what came after it', async () => {
      const store = await fresh();
      const session = randomUUID();
      const stream = randomUUID();
      // A stream primed at 1, messages at 2 and 3, re-primed at 4 (never stored), then a message at 5.
      await appendMany(store, session, stream, 2, 2);
      await appendMany(store, session, stream, 5, 1);
      assert.deepEqual(numbers((await store.replayAfter(session, eventIdOf(stream, 4)))?.events ?? []), [5]);
      assert.deepEqual(numbers((await store.replayAfter(session, eventIdOf(stream, 1)))?.events ?? []), [2, 3, 5]);
      assert.deepEqual((await store.replayAfter(session, eventIdOf(stream, 999)))?.events, [], 'an id beyond the stream replays nothing');
    });

    it('never replays another stream, and knows no stream that was never written', async () => {
      const store = await fresh();
      const session = randomUUID();
      const a = randomUUID();
      const b = randomUUID();
      const aIds = await appendMany(store, session, a, 1, 3);
      await appendMany(store, session, b, 100, 3);
      await appendMany(store, session, a, 4, 1);
      const replay = await store.replayAfter(session, aIds[0] ?? '');
      assert.deepEqual(numbers(replay?.events ?? []), [2, 3, 4]);
      assert.equal(await store.replayAfter(session, eventIdOf(randomUUID(), 1)), undefined);
      assert.equal(await store.replayAfter(session, 'not-an-event-id'), undefined);
    });

    it('never replays a stream to another session', async () => {
      const store = await fresh();
      const owner = randomUUID();
      const stream = randomUUID();
      const ids = await appendMany(store, owner, stream, 1, 2);
      assert.equal(await store.replayAfter(randomUUID(), ids[0] ?? ''), undefined);
      assert.ok(await store.replayAfter(owner, ids[0] ?? ''));
    });

    it('keeps at most maxEventsPerStream events per stream, the newest', async () => {
      const store = await fresh(3);
      const session = randomUUID();
      const stream = randomUUID();
      const other = randomUUID();
      const ids = await appendMany(store, session, stream, 1, 6);
      await appendMany(store, session, other, 1, 2);
      // From an id still kept: what follows it.
      assert.deepEqual(numbers((await store.replayAfter(session, ids[4] ?? ''))?.events ?? []), [6]);
      // From an id already dropped: everything that is left, and no more than the bound.
      assert.deepEqual(numbers((await store.replayAfter(session, ids[0] ?? ''))?.events ?? []), [4, 5, 6]);
      // The bound is per stream.
      assert.deepEqual(numbers((await store.replayAfter(session, eventIdOf(other, 1)))?.events ?? []), [2]);
    });

    it('counts streams, and dropSession frees every stream of that session only', async () => {
      const store = await fresh();
      const gone = randomUUID();
      const kept = randomUUID();
      const keptStream = randomUUID();
      assert.equal(await store.streamCount(), 0);
      await appendMany(store, gone, randomUUID(), 1, 2);
      await appendMany(store, gone, randomUUID(), 1, 2);
      const keptIds = await appendMany(store, kept, keptStream, 1, 2);
      assert.equal(await store.streamCount(), 3);
      await store.dropSession(gone);
      assert.equal(await store.streamCount(), 1);
      await store.dropSession(gone);
      await store.dropSession(randomUUID());
      assert.equal(await store.streamCount(), 1);
      assert.deepEqual(numbers((await store.replayAfter(kept, keptIds[0] ?? ''))?.events ?? []), [2]);
    });

    it('forgets a dropped session: its ids no longer resume', async () => {
      const store = await fresh();
      const session = randomUUID();
      const ids = await appendMany(store, session, randomUUID(), 1, 2);
      await store.dropSession(session);
      assert.equal(await store.replayAfter(session, ids[0] ?? ''), undefined);
    });

    it('releases everything on close, idempotently', async () => {
      const store = await fresh();
      await appendMany(store, randomUUID(), randomUUID(), 1, 2);
      await appendMany(store, randomUUID(), randomUUID(), 1, 2);
      await store.close();
      await store.close();
      assert.equal(await store.streamCount(), 0);
    });
  });
}
