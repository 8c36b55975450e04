/**
 * The store of SSE events, for `Last-Event-ID` resumption (Streamable HTTP, "Resumability and Redelivery").
 *
 * Event ids are `<streamId>/<sequence>`, assigned by the stream that writes them (so writing never waits on the
 * store), and they name their stream: a reconnecting client's `Last-Event-ID` alone says which stream to replay,
 * as the spec requires (events of one stream are never replayed on another).
 */
import type { JsonRpcMessage } from '../protocol/json-rpc.js';

/** One stored event. */
export interface StoredEvent {
  readonly id: string;
  readonly message: JsonRpcMessage;
}

/** Stores the events of SSE streams, bounded per stream. */
export interface EventStore {
  /** Stores a message sent on `streamId` under `eventId`. */
  append(sessionId: string, streamId: string, eventId: string, message: JsonRpcMessage): Promise<void>;
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

/** The event id of the `seq`th event of a stream. */
export function eventIdOf(streamId: string, seq: number): string {
  return `${streamId}/${seq}`;
}

/** The stream an event id belongs to, or undefined for an id of another shape. */
export function streamIdOf(eventId: string): string | undefined {
  const slash = eventId.lastIndexOf('/');
  return slash > 0 ? eventId.slice(0, slash) : undefined;
}
