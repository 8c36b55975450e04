/**
 * The embedded session store: a Map, and one coarse sweep timer for idle expiry.
 *
 * There is no timer per session (a 10,000-session test checks it). The sweep visits every record once per
 * interval, which for 100,000 sessions is about a millisecond of work; activity only writes a timestamp.
 *
 * A session past its TTL is asked about (`addInUseCheck`) before it ends, at the sweep itself: a busy session is
 * never ended, whatever the TTL, the sweep interval or an event-loop stall. Keeping busy records fresh from a timer
 * of their own, as a remote store needs, raced the sweep: below a TTL of about 300 ms (that timer's 250 ms floor)
 * the sweep found running handlers' records stale and aborted them with "Session expired".
 */
import type { SessionEndReason, SessionRecord, SessionStore } from '../session-store.js';

/** Options of the memory store. */
export interface MemorySessionStoreOptions {
  /** A session idle for longer than this ends. */
  idleTtlMs: number;
  /** How often expiry is checked; defaults to a tenth of the TTL, at least 1 s and at most 30 s. */
  sweepIntervalMs?: number;
}

/** A session store in this process's memory. */
export class MemorySessionStore implements SessionStore {
  readonly #records = new Map<string, SessionRecord>();
  readonly #listeners = new Set<(id: string, reason: SessionEndReason) => void>();
  readonly #inUseChecks = new Set<(id: string) => boolean>();
  readonly #idleTtlMs: number;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: MemorySessionStoreOptions) {
    this.#idleTtlMs = options.idleTtlMs;
    const interval = options.sweepIntervalMs ?? Math.min(30_000, Math.max(1_000, Math.floor(options.idleTtlMs / 10)));
    this.#timer = setInterval(() => this.sweep(Date.now()), interval);
    this.#timer.unref();
  }

  /** A session idle for longer than this ends. */
  get idleTtlMs(): number {
    return this.#idleTtlMs;
  }

  async create(record: SessionRecord): Promise<void> {
    this.createNow(record);
  }

  createNow(record: SessionRecord): void {
    this.#records.set(record.id, record);
  }

  async get(id: string): Promise<SessionRecord | undefined> {
    return this.peek(id);
  }

  /** The record without a promise, for callers in this process (the transport's hot path). */
  peek(id: string): SessionRecord | undefined {
    const record = this.#records.get(id);
    if (record) record.lastSeenAtMs = Date.now();
    return record;
  }

  async save(record: SessionRecord): Promise<void> {
    if (this.#records.has(record.id)) this.#records.set(record.id, record);
  }

  async delete(id: string): Promise<boolean> {
    return this.#end(id, 'deleted');
  }

  async count(): Promise<number> {
    return this.#records.size;
  }

  addInUseCheck(check: (id: string) => boolean): () => void {
    this.#inUseChecks.add(check);
    return () => this.#inUseChecks.delete(check);
  }

  onEnd(listener: (id: string, reason: SessionEndReason) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Ends every session idle since before `nowMs - idleTtlMs` and not in use by the checks' account. Public so tests
   * can drive it with a fake clock.
   */
  sweep(nowMs: number): number {
    const cutoff = nowMs - this.#idleTtlMs;
    let ended = 0;
    for (const [id, record] of this.#records) {
      // The checks run only for the few records past the cutoff, not for every record on every sweep.
      if (record.lastSeenAtMs < cutoff && !this.#inUse(id) && this.#end(id, 'expired')) ended++;
    }
    return ended;
  }

  #inUse(id: string): boolean {
    for (const check of this.#inUseChecks) if (check(id)) return true;
    return false;
  }

  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    for (const id of [...this.#records.keys()]) this.#end(id, 'closed');
    this.#listeners.clear();
    this.#inUseChecks.clear();
  }

  #end(id: string, reason: SessionEndReason): boolean {
    if (!this.#records.delete(id)) return false;
    for (const listener of this.#listeners) listener(id, reason);
    return true;
  }
}
