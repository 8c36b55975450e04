/**
 * The embedded event store: a bounded array of events per stream, in this process's memory.
 *
 * Each stream keeps at most `maxEventsPerStream` events; older ones are dropped, and a client that resumes from
 * before them gets what is left (the spec makes redelivery best-effort: the server MAY replay).
 */
import type { JsonRpcMessage } from '../../protocol/json-rpc.js';
import { streamIdOf, type EventStore, type StoredEvent } from '../event-store.js';

interface Stream {
  readonly sessionId: string;
  readonly events: StoredEvent[];
}

/** Options of the memory event store. */
export interface MemoryEventStoreOptions {
  /** Events kept per stream before the oldest are dropped. */
  maxEventsPerStream: number;
}

/** An event store in this process's memory. */
export class MemoryEventStore implements EventStore {
  readonly #streams = new Map<string, Stream>();
  readonly #bySession = new Map<string, Set<string>>();
  readonly #max: number;

  constructor(options: MemoryEventStoreOptions) {
    this.#max = options.maxEventsPerStream;
  }

  async append(sessionId: string, streamId: string, eventId: string, message: JsonRpcMessage): Promise<void> {
    let stream = this.#streams.get(streamId);
    if (!stream) {
      stream = { sessionId, events: [] };
      this.#streams.set(streamId, stream);
      let ids = this.#bySession.get(sessionId);
      if (!ids) this.#bySession.set(sessionId, (ids = new Set()));
      ids.add(streamId);
    }
    stream.events.push({ id: eventId, message });
    if (stream.events.length > this.#max) stream.events.splice(0, stream.events.length - this.#max);
  }

  async replayAfter(
    sessionId: string,
    lastEventId: string,
  ): Promise<{ streamId: string; events: StoredEvent[] } | undefined> {
    const streamId = streamIdOf(lastEventId);
    const stream = streamId === undefined ? undefined : this.#streams.get(streamId);
    if (!stream || stream.sessionId !== sessionId || streamId === undefined) return undefined;
    const at = stream.events.findIndex((e) => e.id === lastEventId);
    // An id older than what is kept replays everything that is left.
    return { streamId, events: stream.events.slice(at + 1) };
  }

  async dropSession(sessionId: string): Promise<void> {
    const ids = this.#bySession.get(sessionId);
    if (!ids) return;
    for (const id of ids) this.#streams.delete(id);
    this.#bySession.delete(sessionId);
  }

  async streamCount(): Promise<number> {
    return this.#streams.size;
  }

  async close(): Promise<void> {
    this.#streams.clear();
    this.#bySession.clear();
  }
}
