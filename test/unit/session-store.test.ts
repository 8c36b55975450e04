/**
 * The session backends of one process: the shared `SessionStore` and `EventStore` case suites run against the
 * memory implementations (Redis ones join the same suites later), plus the memory message bus and what only the
 * memory store has (its coarse sweep timer, unref'd and stopped on close).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryEventStore } from '../../src/session/memory/memory-event-store.js';
import { MemoryMessageBus } from '../../src/session/memory/memory-message-bus.js';
import { MemorySessionStore } from '../../src/session/memory/memory-session-store.js';
import { responseTopic, sessionTopic } from '../../src/session/message-bus.js';
import type { JsonRpcMessage } from '../../src/protocol/json-rpc.js';
import { runEventStoreCases } from '../cases/event-store.case.js';
import { runSessionStoreCases, sessionRecord } from '../cases/session-store.case.js';

runSessionStoreCases({
  name: 'MemorySessionStore',
  create: ({ idleTtlMs }) => new MemorySessionStore({ idleTtlMs }),
  sweep: (store, nowMs) => (store as MemorySessionStore).sweep(nowMs),
});

runEventStoreCases({
  name: 'MemoryEventStore',
  create: ({ maxEventsPerStream }) => new MemoryEventStore({ maxEventsPerStream }),
});

describe('MemorySessionStore specifics', () => {
  it('keeps no ref\'d timer (its sweep interval does not hold the process open)', async () => {
    const timeouts = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timeouts();
    const store = new MemorySessionStore({ idleTtlMs: 1_000 });
    assert.equal(timeouts(), before);
    await store.close();
  });

  it('sweeps by itself on its interval', async (t) => {
    t.mock.timers.enable({ apis: ['setInterval'] });
    const store = new MemorySessionStore({ idleTtlMs: 1_000, sweepIntervalMs: 500 });
    try {
      const record = sessionRecord(5_000);
      await store.create(record);
      const ended = new Promise<string>((resolve) => store.onEnd((_id, reason) => resolve(reason)));
      t.mock.timers.tick(500);
      assert.equal(await ended, 'expired');
      assert.equal(await store.count(), 0);
    } finally {
      await store.close();
      t.mock.timers.reset();
    }
  });

  it('stops sweeping once closed', async (t) => {
    t.mock.timers.enable({ apis: ['setInterval'] });
    const store = new MemorySessionStore({ idleTtlMs: 1_000, sweepIntervalMs: 500 });
    try {
      await store.close();
      let ends = 0;
      store.onEnd(() => ends++);
      await store.create(sessionRecord(5_000));
      t.mock.timers.tick(2_000);
      assert.equal(ends, 0);
    } finally {
      t.mock.timers.reset();
    }
  });
});

describe('MemoryMessageBus', () => {
  const note = (n: number): JsonRpcMessage => ({ jsonrpc: '2.0', method: 'notifications/x', params: { n } });

  it('delivers to every subscriber of a topic, and to no other topic', async () => {
    const bus = new MemoryMessageBus();
    const a: unknown[] = [];
    const b: unknown[] = [];
    const other: unknown[] = [];
    await bus.subscribe(sessionTopic('s1'), (m) => a.push(m));
    await bus.subscribe(sessionTopic('s1'), (m) => b.push(m));
    await bus.subscribe(responseTopic('s1'), (m) => other.push(m));
    await bus.publish(sessionTopic('s1'), note(1));
    await bus.publish(sessionTopic('nobody'), note(2));
    assert.deepEqual(a, [note(1)]);
    assert.deepEqual(b, [note(1)]);
    assert.deepEqual(other, []);
    await bus.close();
  });

  it('frees a topic when its last subscriber leaves, and unsubscribing twice is harmless', async () => {
    const bus = new MemoryMessageBus();
    const first = await bus.subscribe('t', () => {});
    const second = await bus.subscribe('t', () => {});
    await bus.subscribe('u', () => {});
    assert.equal(bus.topicCount(), 2);
    first();
    assert.equal(bus.topicCount(), 2);
    second();
    second();
    assert.equal(bus.topicCount(), 1);
    await bus.close();
    assert.equal(bus.topicCount(), 0);
  });
});
