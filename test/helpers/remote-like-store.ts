/**
 * A session store with only the asynchronous `create` of the SessionStore contract, each create landing after a
 * round trip of `delayMs`, as a store that keeps its records elsewhere (Redis) would; the memory store also has
 * `createNow`, which answers an HTTP initialize in one tick. `failCreates` makes creates fail, and `failGets`
 * lookups, as an unreachable store does.
 */
import { MemorySessionStore } from '../../src/session/memory/memory-session-store.js';
import type { SessionEndReason, SessionRecord, SessionStore } from '../../src/session/session-store.js';

export class RemoteLikeStore implements SessionStore {
  readonly inner = new MemorySessionStore({ idleTtlMs: 60_000 });
  failCreates = false;
  failGets = false;
  createsLanded = 0;

  constructor(readonly delayMs: number) {}

  async create(record: SessionRecord): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (this.failCreates) throw new Error('store unreachable');
    this.createsLanded++;
    return this.inner.create(record);
  }
  get(id: string): Promise<SessionRecord | undefined> {
    return this.failGets ? Promise.reject(new Error('store unreachable')) : this.inner.get(id);
  }
  save(record: SessionRecord): Promise<void> { return this.inner.save(record); }
  delete(id: string): Promise<boolean> { return this.inner.delete(id); }
  count(): Promise<number> { return this.inner.count(); }
  onEnd(listener: (id: string, reason: SessionEndReason) => void): () => void { return this.inner.onEnd(listener); }
  close(): Promise<void> { return this.inner.close(); }
}

/**
 * The memory store as the server sees a store whose records expire elsewhere (a Redis key's TTL): without
 * `addInUseCheck`, so its sweep ends a session even while it is in use, as a remote expiry does when the busy
 * refresh does not land in time. Everything else is the memory store's own, `createNow` included, so the sessions
 * are created exactly as with the default store.
 */
export function expiringElsewhere(store: MemorySessionStore): SessionStore {
  return {
    idleTtlMs: store.idleTtlMs,
    create: (record) => store.create(record),
    createNow: (record) => store.createNow(record),
    get: (id) => store.get(id),
    save: (record) => store.save(record),
    delete: (id) => store.delete(id),
    count: () => store.count(),
    onEnd: (listener) => store.onEnd(listener),
    close: () => store.close(),
  };
}
