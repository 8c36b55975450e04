/**
 * The embedded event store: a bounded array of events per stream, in this process's memory.
 *
 * An event id is `<streamId>/<sequence>`, so a `Last-Event-ID` names its stream. Each stream keeps at most
 * `maxEventsPerStream` events; older ones are dropped, and a client that resumes from before them gets what is
 * left (the spec makes redelivery best-effort: the server MAY replay).
 */
import type { JsonRpcMessage } from '../../protocol/json-rpc.js';
import type { EventStore, StoredEvent } from '../event-store.js';

interface Stream {
  readonly sessionId: string;
  seq: number;
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

  async append(sessionId: string, streamId: string, message: JsonRpcMessage): Promise<string> {
    let stream = this.#streams.get(streamId);
    if (!stream) {
      stream = { sessionId, seq: 0, events: [] };
      this.#streams.set(streamId, stream);
      let ids = this.#bySession.get(sessionId);
      if (!ids) this.#bySession.set(sessionId, (ids = new Set()));
      ids.add(streamId);
    }
    const id = `${streamId}/${++stream.seq}`;
    stream.events.push({ id, message });
    if (stream.events.length > this.#max) stream.events.splice(0, stream.events.length - this.#max);
    return id;
  }

  async replayAfter(
    sessionId: string,
    lastEventId: string,
  ): Promise<{ streamId: string; events: StoredEvent[] } | undefined> {
    const slash = lastEventId.lastIndexOf('/');
    if (slash <= 0) return undefined;
    const streamId = lastEventId.slice(0, slash);
    const seq = Number(lastEventId.slice(slash + 1));
    const stream = this.#streams.get(streamId);
    if (!stream || stream.sessionId !== sessionId || !Number.isInteger(seq)) return undefined;
    const events = stream.events.filter((e) => Number(e.id.slice(slash + 1)) > seq);
    return { streamId, events };
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
