/**
 * The session record and the store that keeps it.
 *
 * Sessions are data, not objects pinned to a process (DESIGN.md): everything a process needs to serve a request
 * of a session is in its `SessionRecord`, so any process that shares the store can serve it. The in-memory store
 * is the embedded default; a Redis store implements the same interface for scale-out.
 */
import type { JsonObject } from '../protocol/json-rpc.js';

/** A log level of MCP's `logging/setLevel` (RFC 5424 severities). */
export type LogLevel = 'debug' | 'info' | 'notice' | 'warning' | 'error' | 'critical' | 'alert' | 'emergency';

/** Everything a process needs to serve one session. */
export interface SessionRecord {
  readonly id: string;
  /** The revision negotiated at initialize. */
  protocolVersion: string;
  /** The client's capabilities from initialize. */
  clientCapabilities: JsonObject;
  /** The client's implementation info from initialize. */
  clientInfo: JsonObject;
  /** The minimum level of `notifications/message` the client asked for; undefined sends every level. */
  logLevel: LogLevel | undefined;
  /** Resource URIs the client subscribed to. */
  subscriptions: string[];
  readonly createdAtMs: number;
  lastSeenAtMs: number;
}

/** Why a session ended. */
export type SessionEndReason = 'deleted' | 'expired' | 'closed';

/** Stores session records, and expires them after an idle TTL. */
export interface SessionStore {
  /**
   * The idle TTL after which this store ends a session, when it expires sessions itself. The server refreshes the
   * records of busy sessions well within it; without it, within the server's `sessionIdleTtlMs`.
   */
  readonly idleTtlMs?: number;
  /** Adds a new record. */
  create(record: SessionRecord): Promise<void>;
  /**
   * Adds a new record at once, for a store that keeps records in this process (the memory store): an HTTP
   * initialize is then answered in the tick its body arrives, with no promise. Optional; `create` is the contract.
   */
  createNow?(record: SessionRecord): void;
  /** The record, or undefined when the session is unknown or ended. Reading it counts as activity. */
  get(id: string): Promise<SessionRecord | undefined>;
  /** Writes back a changed record. */
  save(record: SessionRecord): Promise<void>;
  /** Ends a session. Returns false when it was unknown. */
  delete(id: string): Promise<boolean>;
  /** Number of live sessions. */
  count(): Promise<number>;
  /**
   * Registers a check of whether a session is in use (a handler still runs, a stream is open), for a store that
   * expires sessions in this process: its sweep asks, at the moment of expiry, about each session idle past the TTL,
   * and passes over one that any check says is in use. Returns its remover. Optional: a store whose records expire
   * elsewhere (a Redis key's TTL) cannot ask, and the server refreshes the records of busy sessions instead.
   */
  addInUseCheck?(check: (id: string) => boolean): () => void;
  /** Registers a listener for sessions that end in any way; returns its remover. */
  onEnd(listener: (id: string, reason: SessionEndReason) => void): () => void;
  /** Stops the expiry sweep and drops every session. Idempotent. */
  close(): Promise<void>;
}
