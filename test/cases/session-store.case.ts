/**
 * The shared case suite of `SessionStore` (STYLE.md rule 11: one suite per interface, run against every
 * implementation). A caller passes a factory; the suite registers its tests under `describe(name)`.
 *
 * Expiry is driven by a fake clock: the implementation's `sweep(store, nowMs)` ends what is idle at `nowMs`, so no
 * test waits for a real TTL. Records are copied before they are changed, so a store that keeps the caller's object
 * (the memory store) cannot pass a test its `save` would fail.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { SessionEndReason, SessionRecord, SessionStore } from '../../src/session/session-store.js';

/** An implementation under test. */
export interface SessionStoreImpl {
  /** Names the describe block, such as "MemorySessionStore". */
  readonly name: string;
  /** A fresh, empty store whose sessions end after `idleTtlMs` without activity. */
  create(options: { idleTtlMs: number }): SessionStore | Promise<SessionStore>;
  /** Ends the sessions idle as of `nowMs` (a fake clock); resolves with how many ended. */
  sweep(store: SessionStore, nowMs: number): number | Promise<number>;
}

const TTL_MS = 60_000;

/** A record as initialize writes it, last seen `idleForMs` ago. */
export function sessionRecord(idleForMs = 0, overrides: Partial<SessionRecord> = {}): SessionRecord {
  const now = Date.now();
  return {
    id: randomUUID(),
    protocolVersion: '2025-11-25',
    clientCapabilities: { sampling: {}, roots: { listChanged: true } },
    clientInfo: { name: 'case-client', version: '1.0.0' },
    logLevel: undefined,
    subscriptions: [],
    createdAtMs: now - idleForMs,
    lastSeenAtMs: now - idleForMs,
    ...overrides,
  };
}

/** Registers the session store cases for `impl`. */
export function runSessionStoreCases(impl: SessionStoreImpl): void {
  describe(`SessionStore: ${impl.name}`, () => {
    const stores: SessionStore[] = [];
    after(async () => {
      for (const store of stores) await store.close();
    });

    async function fresh(): Promise<SessionStore> {
      const store = await impl.create({ idleTtlMs: TTL_MS });
      stores.push(store);
      return store;
    }

    function recordEnds(store: SessionStore): [string, SessionEndReason][] {
      const ends: [string, SessionEndReason][] = [];
      store.onEnd((id, reason) => ends.push([id, reason]));
      return ends;
    }

    it('returns what was created, and undefined for an unknown id', async () => {
      const store = await fresh();
      const record = sessionRecord(0, { subscriptions: ['test://a'], logLevel: 'info' });
      await store.create(structuredClone(record));
      const got = await store.get(record.id);
      assert.ok(got);
      const { lastSeenAtMs: _seen, ...rest } = got;
      const { lastSeenAtMs: _expected, ...expected } = record;
      assert.deepEqual(rest, expected);
      assert.equal(await store.get(randomUUID()), undefined);
    });

    it('counts live sessions', async () => {
      const store = await fresh();
      assert.equal(await store.count(), 0);
      const records = [sessionRecord(), sessionRecord(), sessionRecord()];
      for (const r of records) await store.create(r);
      assert.equal(await store.count(), 3);
      await store.delete(records[1]?.id ?? '');
      assert.equal(await store.count(), 2);
    });

    it('counts a get as activity', async () => {
      const store = await fresh();
      const record = sessionRecord(10 * TTL_MS);
      await store.create(structuredClone(record));
      const before = Date.now();
      const got = await store.get(record.id);
      assert.ok((got?.lastSeenAtMs ?? 0) >= before, 'lastSeenAtMs was not refreshed');
    });

    it('writes back a saved record', async () => {
      const store = await fresh();
      const record = sessionRecord();
      await store.create(structuredClone(record));
      const changed = structuredClone(await store.get(record.id));
      assert.ok(changed);
      changed.logLevel = 'error';
      changed.subscriptions.push('test://x');
      await store.save(changed);
      const got = await store.get(record.id);
      assert.equal(got?.logLevel, 'error');
      assert.deepEqual(got?.subscriptions, ['test://x']);
    });

    it('does not bring an ended session back through save', async () => {
      const store = await fresh();
      const record = sessionRecord();
      await store.create(structuredClone(record));
      await store.delete(record.id);
      await store.save(structuredClone(record));
      assert.equal(await store.get(record.id), undefined);
      assert.equal(await store.count(), 0);
    });

    it('deletes once: true, then false; the session is gone', async () => {
      const store = await fresh();
      const record = sessionRecord();
      await store.create(record);
      assert.equal(await store.delete(record.id), true);
      assert.equal(await store.delete(record.id), false);
      assert.equal(await store.delete(randomUUID()), false);
      assert.equal(await store.get(record.id), undefined);
    });

    it('tells onEnd listeners of a delete, once, with reason "deleted"', async () => {
      const store = await fresh();
      const ends = recordEnds(store);
      const second = recordEnds(store);
      const record = sessionRecord();
      await store.create(record);
      await store.delete(record.id);
      await store.delete(record.id);
      await store.delete(randomUUID());
      assert.deepEqual(ends, [[record.id, 'deleted']]);
      assert.deepEqual(second, ends, 'every listener hears it');
    });

    it('stops calling a listener once it is removed', async () => {
      const store = await fresh();
      let calls = 0;
      const remove = store.onEnd(() => calls++);
      const a = sessionRecord();
      const b = sessionRecord();
      await store.create(a);
      await store.create(b);
      await store.delete(a.id);
      remove();
      await store.delete(b.id);
      assert.equal(calls, 1);
    });

    it('expires sessions idle longer than the TTL, by the fake clock, with reason "expired"', async () => {
      const store = await fresh();
      const ends = recordEnds(store);
      const now = Date.now();
      const records = [sessionRecord(), sessionRecord()];
      for (const r of records) await store.create(structuredClone(r));
      assert.equal(await impl.sweep(store, now + TTL_MS - 1_000), 0, 'ended before its TTL');
      assert.equal(await store.count(), 2);
      assert.equal(await impl.sweep(store, now + TTL_MS + 1_000), 2);
      assert.equal(await store.count(), 0);
      assert.deepEqual(ends.map(([, reason]) => reason), ['expired', 'expired']);
      assert.deepEqual(new Set(ends.map(([id]) => id)), new Set(records.map((r) => r.id)));
      for (const r of records) assert.equal(await store.get(r.id), undefined);
    });

    it('keeps a session that was active within the TTL', async () => {
      const store = await fresh();
      const ends = recordEnds(store);
      const active = sessionRecord(2 * TTL_MS);
      const idle = sessionRecord(2 * TTL_MS);
      await store.create(structuredClone(active));
      await store.create(structuredClone(idle));
      await store.get(active.id);
      assert.equal(await impl.sweep(store, Date.now() + 1_000), 1);
      assert.deepEqual(ends, [[idle.id, 'expired']]);
      assert.ok(await store.get(active.id));
    });

    it('passes over a session past its TTL that an in-use check names, until the check is removed (when the store asks)', async (t) => {
      const store = await fresh();
      if (store.addInUseCheck === undefined) return t.skip('the store does not ask: its records expire elsewhere');
      const ends = recordEnds(store);
      const busy = sessionRecord(2 * TTL_MS);
      const idle = sessionRecord(2 * TTL_MS);
      await store.create(structuredClone(busy));
      await store.create(structuredClone(idle));
      const asked: string[] = [];
      const remove = store.addInUseCheck((id) => {
        asked.push(id);
        return id === busy.id;
      });
      // A second check that knows nothing of it does not end it: any check that names it keeps it.
      store.addInUseCheck(() => false);
      assert.equal(await impl.sweep(store, Date.now()), 1);
      assert.deepEqual(ends, [[idle.id, 'expired']]);
      assert.deepEqual(new Set(asked), new Set([busy.id, idle.id]), 'only records past the TTL are asked about');
      remove();
      assert.equal(await impl.sweep(store, Date.now()), 1);
      assert.deepEqual(ends.at(-1), [busy.id, 'expired']);
    });

    it('ends every session on close with reason "closed", and close is idempotent', async () => {
      const store = await fresh();
      const ends = recordEnds(store);
      const records = [sessionRecord(), sessionRecord(), sessionRecord()];
      for (const r of records) await store.create(r);
      await store.close();
      await store.close();
      assert.deepEqual(ends.map(([, reason]) => reason), ['closed', 'closed', 'closed']);
      assert.deepEqual(new Set(ends.map(([id]) => id)), new Set(records.map((r) => r.id)));
      assert.equal(await store.count(), 0);
    });

    it('handles many sessions', async () => {
      const store = await fresh();
      const ids: string[] = [];
      for (let i = 0; i < 2_000; i++) {
        const r = sessionRecord();
        ids.push(r.id);
        await store.create(r);
      }
      assert.equal(await store.count(), 2_000);
      for (const id of ids.slice(0, 500)) assert.equal(await store.delete(id), true);
      assert.equal(await store.count(), 1_500);
      assert.equal(await impl.sweep(store, Date.now() + TTL_MS + 1), 1_500);
      assert.equal(await store.count(), 0);
    });
  });
}
