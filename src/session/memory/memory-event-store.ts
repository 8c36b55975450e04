/**
 * The embedded event store: bounded events per stream, kept per session, in this process's memory.
 *
 * Each stream keeps at most `maxEventsPerStream` events; older ones are dropped, and a client that resumes from
 * before them gets what is left (the spec makes redelivery best-effort: the server MAY replay). Each session keeps
 * at most `maxStreamsPerSession` live streams, the least recently written dropped first, and as many complete
 * answers (`appendAnswer`) in a ring of their own, the oldest overwritten. Without those bounds a session answered
 * over SSE kept every answer until it ended, about 1.1 KB per request (bench/macro/memory.mjs), as the official
 * SDK's JSON mode keeps an entry per request.
 *
 * Answers get the ring because they are one per request in `sse` response mode: a Map insertion and deletion per
 * answer, keyed by a fresh stream-id string, cost about 6% of such a request's CPU (paired, docs/performance.md),
 * and in one pool with the live streams, 100 answers pushed a quiet GET stream's backlog out.
 */
import { ErlmcpError } from '../../errors.js';
import { sequenceOf, streamIdOf, type EventStore, type StoredEvent } from '../event-store.js';

/** A complete answer: its stream and its one event, flat (one object per answer). */
interface Answer extends StoredEvent {
  readonly streamId: string;
}

/** What one session keeps. */
interface SessionEvents {
  /** Live streams by id, in order of their last write (a Map keeps insertion order). */
  readonly streams: Map<string, StoredEvent[]>;
  /** Complete answers: grows to `maxStreamsPerSession`, then a ring whose oldest slot `next` is overwritten. */
  readonly answers: Answer[];
  next: number;
}

const APPENDED: Promise<void> = Promise.resolve();

/** Streams (and answers) a session keeps when the options name no bound. */
export const DEFAULT_MAX_STREAMS_PER_SESSION = 100;

/** Options of the memory event store. */
export interface MemoryEventStoreOptions {
  /** Events kept per stream before the oldest are dropped. */
  maxEventsPerStream: number;
  /** Live streams kept per session before the least recently written is dropped, and answers kept. Default 100. */
  maxStreamsPerSession?: number;
}

/** An event store in this process's memory. */
export class MemoryEventStore implements EventStore {
  readonly #sessions = new Map<string, SessionEvents>();
  readonly #max: number;
  readonly #maxStreams: number;

  constructor(options: MemoryEventStoreOptions) {
    this.#max = atLeastOne(options.maxEventsPerStream, 'maxEventsPerStream');
    this.#maxStreams = atLeastOne(options.maxStreamsPerSession ?? DEFAULT_MAX_STREAMS_PER_SESSION, 'maxStreamsPerSession');
  }

  /** Not async: a settled promise shared by every call, since a streaming handler appends event after event. */
  append(sessionId: string, streamId: string, eventId: string, data: string): Promise<void> {
    const streams = this.#session(sessionId).streams;
    const events = streams.get(streamId);
    if (events === undefined) {
      streams.set(streamId, [{ id: eventId, data }]);
      if (streams.size > this.#maxStreams) streams.delete(streams.keys().next().value as string);
      return APPENDED;
    }
    if (streams.size > 1) {
      // Most recently written last.
      streams.delete(streamId);
      streams.set(streamId, events);
    }
    events.push({ id: eventId, data });
    if (events.length > this.#max) events.splice(0, events.length - this.#max);
    return APPENDED;
  }

  appendAnswer(sessionId: string, streamId: string, eventId: string, data: string): Promise<void> {
    const session = this.#session(sessionId);
    const answer: Answer = { streamId, id: eventId, data };
    const answers = session.answers;
    if (answers.length < this.#maxStreams) {
      answers.push(answer);
    } else {
      answers[session.next] = answer;
      session.next = (session.next + 1) % this.#maxStreams;
    }
    return APPENDED;
  }

  async replayAfter(
    sessionId: string,
    lastEventId: string,
  ): Promise<{ streamId: string; events: StoredEvent[] } | undefined> {
    const streamId = streamIdOf(lastEventId);
    const session = this.#sessions.get(sessionId);
    if (session === undefined || streamId === undefined) return undefined;
    const events = session.streams.get(streamId) ?? answerOf(session, streamId);
    if (events === undefined) return undefined;
    // After the id's number, not after its position: a priming id is never stored, and an id newer than anything
    // kept replays nothing. An id older than what is kept replays everything that is left.
    const after = sequenceOf(lastEventId) ?? 0;
    let at = events.length;
    while (at > 0 && (sequenceOf((events[at - 1] as StoredEvent).id) ?? 0) > after) at--;
    return { streamId, events: events.slice(at) };
  }

  async dropSession(sessionId: string): Promise<void> {
    this.#sessions.delete(sessionId);
  }

  async streamCount(): Promise<number> {
    let count = 0;
    for (const session of this.#sessions.values()) {
      count += session.streams.size + session.answers.length;
    }
    return count;
  }

  async close(): Promise<void> {
    this.#sessions.clear();
  }

  #session(sessionId: string): SessionEvents {
    let session = this.#sessions.get(sessionId);
    if (session === undefined) {
      session = { streams: new Map(), answers: [], next: 0 };
      this.#sessions.set(sessionId, session);
    }
    return session;
  }
}

/** The one event of a kept answer as a stream's events; a scan, since replays are rare and the ring is short. */
function answerOf(session: SessionEvents, streamId: string): StoredEvent[] | undefined {
  for (const answer of session.answers) if (answer.streamId === streamId) return [{ id: answer.id, data: answer.data }];
  return undefined;
}

function atLeastOne(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `MemoryEventStore: options.${name} must be an integer of at least 1, got ${typeof value === 'number' ? String(value) : JSON.stringify(value)}`);
  }
  return value;
}
