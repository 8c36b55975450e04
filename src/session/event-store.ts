/**
 * The store of SSE events, for `Last-Event-ID` resumption (Streamable HTTP, "Resumability and Redelivery").
 *
 * Event ids encode their stream, so a reconnecting client's `Last-Event-ID` alone says which stream to replay, as
 * the spec requires (events of one stream are never replayed on another).
 */
import type { JsonRpcMessage } from '../protocol/json-rpc.js';

/** One stored event. */
export interface StoredEvent {
  readonly id: string;
  readonly message: JsonRpcMessage;
}

/** Stores the events of SSE streams, bounded per stream. */
export interface EventStore {
  /** Stores a message sent on `streamId` and returns its event id. */
  append(sessionId: string, streamId: string, message: JsonRpcMessage): Promise<string>;
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
