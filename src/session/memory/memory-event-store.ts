/**
 * The embedded event store: a bounded array of events per stream, in this process's memory.
 *
 * Each stream keeps at most `maxEventsPerStream` events; older ones are dropped, and a client that resumes from
 * before them gets what is left (the spec makes redelivery best-effort: the server MAY replay). Each session keeps
 * at most `maxStreamsPerSession` streams, the least recently written dropped first: without that bound, a session
 * answered over SSE (responseMode "sse", or any handler that streams) kept every answer stream until it ended,
 * about 1.1 KB per request (bench/macro/memory.mjs, docs/performance.md), as the official SDK's JSON mode keeps
 * an entry per request.
 */
import { ErlmcpError } from '../../errors.js';
import { sequenceOf, streamIdOf, type EventStore, type StoredEvent } from '../event-store.js';

interface Stream {
  readonly sessionId: string;
  readonly events: StoredEvent[];
}

const APPENDED: Promise<void> = Promise.resolve();

/** Streams a session keeps when the options name no bound. */
export const DEFAULT_MAX_STREAMS_PER_SESSION = 100;

/** Options of the memory event store. */
export interface MemoryEventStoreOptions {
  /** Events kept per stream before the oldest are dropped. */
  maxEventsPerStream: number;
  /** Streams kept per session before the least recently written is dropped. Default 100. */
  maxStreamsPerSession?: number;
}

/** An event store in this process's memory. */
export class MemoryEventStore implements EventStore {
  readonly #streams = new Map<string, Stream>();
  readonly #bySession = new Map<string, Set<string>>();
  readonly #max: number;
  readonly #maxStreams: number;

  constructor(options: MemoryEventStoreOptions) {
    this.#max = atLeastOne(options.maxEventsPerStream, 'maxEventsPerStream');
    this.#maxStreams = atLeastOne(options.maxStreamsPerSession ?? DEFAULT_MAX_STREAMS_PER_SESSION, 'maxStreamsPerSession');
  }

  /** Not async: a settled promise shared by every call, since SSE answers append one event each. */
  append(sessionId: string, streamId: string, eventId: string, data: string): Promise<void> {
    const stream = this.#streams.get(streamId);
    let ids = this.#bySession.get(sessionId);
    if (!ids) this.#bySession.set(sessionId, (ids = new Set()));
    if (!stream) {
      // A new stream is born with its first event (most are one-event SSE answers): no push, no array growth, and no
      // trim, since the constructor makes maxEventsPerStream at least 1.
      this.#streams.set(streamId, { sessionId, events: [{ id: eventId, data }] });
      ids.add(streamId);
      if (ids.size > this.#maxStreams) {
        // A Set iterates in insertion order, and a write re-inserts its stream: the first is the least recently written.
        const oldest = ids.values().next().value as string;
        ids.delete(oldest);
        this.#streams.delete(oldest);
      }
      return APPENDED;
    }
    if (ids.size > 1) {
      ids.delete(streamId);
      ids.add(streamId);
    }
    stream.events.push({ id: eventId, data });
    if (stream.events.length > this.#max) stream.events.splice(0, stream.events.length - this.#max);
    return APPENDED;
  }

  async replayAfter(
    sessionId: string,
    lastEventId: string,
  ): Promise<{ streamId: string; events: StoredEvent[] } | undefined> {
    const streamId = streamIdOf(lastEventId);
    const stream = streamId === undefined ? undefined : this.#streams.get(streamId);
    if (!stream || stream.sessionId !== sessionId || streamId === undefined) return undefined;
    // After the id's number, not after its position: a priming id is never stored (finding it failed and replayed
    // the whole stream, duplicates included), and an id newer than anything kept replays nothing. An id older than
    // what is kept replays everything that is left.
    const after = sequenceOf(lastEventId) ?? 0;
    const events = stream.events;
    let at = events.length;
    while (at > 0 && (sequenceOf((events[at - 1] as StoredEvent).id) ?? 0) > after) at--;
    return { streamId, events: events.slice(at) };
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

function atLeastOne(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `MemoryEventStore: options.${name} must be an integer of at least 1, got ${typeof value === 'number' ? String(value) : JSON.stringify(value)}`);
  }
  return value;
}
