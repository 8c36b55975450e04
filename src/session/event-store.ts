/**
 * The store of SSE events, for `Last-Event-ID` resumption (Streamable HTTP, "Resumability and Redelivery").
 *
 * Event ids are `<streamId>/<sequence>`, assigned by the stream that writes them (so writing never waits on the
 * store), and they name their stream: a reconnecting client's `Last-Event-ID` alone says which stream to replay,
 * as the spec requires (events of one stream are never replayed on another).
 */
import { randomBytes } from 'node:crypto';

/**
 * One stored event. The message is kept in its wire form, the JSON text the stream already made: no store
 * serialises twice, and the memory store holds one string per event rather than an object graph for the GC to
 * trace (about 10% of an SSE answer's CPU went to keeping events, measured before this).
 */
export interface StoredEvent {
  readonly id: string;
  /** The JSON text of the JSON-RPC message. */
  readonly data: string;
}

/** Stores the events of SSE streams, bounded per stream. */
export interface EventStore {
  /**
   * Stores a message sent on `streamId` under `eventId`; `data` is its JSON text. Never rejects: streams write
   * without waiting on the store (`void store.append(...)`), so a store whose backend fails reports that itself
   * (on the `erlmcp:server:error` diagnostics channel) and resolves; a rejection would be unhandled.
   */
  append(sessionId: string, streamId: string, eventId: string, data: string): Promise<void>;
  /**
   * Stores a stream that is complete as written: one event, an SSE answer sent at once (`responseMode: 'sse'`),
   * never appended to again. Same contract as `append`; a store may keep these apart from live streams, since
   * they are many and short (the memory store keeps them in a ring, so they cost no Map insertion and cannot push
   * a GET stream's backlog out). Optional: without it, `append` is used.
   */
  appendAnswer?(sessionId: string, streamId: string, eventId: string, data: string): Promise<void>;
  /**
   * The events of the stream that `lastEventId` belongs to, after it, in order. Undefined when the id is unknown
   * or not of this session.
   */
  replayAfter(sessionId: string, lastEventId: string): Promise<{ streamId: string; events: StoredEvent[] } | undefined>;
  /** Drops every stream of a session. */
  dropSession(sessionId: string): Promise<void>;
  /** Number of streams held, for leak checks. */
  streamCount(): Promise<number>;
  /** Releases everything. Idempotent. */
  close(): Promise<void>;
}

const STREAM_PREFIX = randomBytes(6).toString('base64url');
let streams = 0;

/**
 * A new stream id: unique across processes (a random prefix per process, then a counter), which is all an id
 * needs, since a replay is only ever given to the session that owns the stream. Cheaper than a UUID per answer.
 */
export function newStreamId(): string {
  return `${STREAM_PREFIX}-${(++streams).toString(36)}`;
}

/** The event id of the `seq`th event of a stream. */
export function eventIdOf(streamId: string, seq: number): string {
  return `${streamId}/${seq}`;
}

/**
 * The sequence number of an event id (`<streamId>/<seq>`), or undefined for an id of another shape. A stream's ids
 * count up, and its priming events take a number too without being stored, so a replay is "what came after this
 * number", not "what follows this stored id".
 */
export function sequenceOf(eventId: string): number | undefined {
  const tail = eventId.slice(eventId.lastIndexOf('/') + 1);
  // Digits only: Number() would also read "0x10" or "1e3" from an id we never issued.
  if (!DIGITS.test(tail)) return undefined;
  const seq = Number(tail);
  return seq > 0 && Number.isSafeInteger(seq) ? seq : undefined;
}

const DIGITS = /^\d{1,15}$/;

/** The stream an event id belongs to, or undefined for an id of another shape. */
export function streamIdOf(eventId: string): string | undefined {
  const slash = eventId.lastIndexOf('/');
  return slash > 0 ? eventId.slice(0, slash) : undefined;
}
