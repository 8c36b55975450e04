/**
 * The bus that carries messages to whichever process holds a session's stream.
 *
 * A notification for a session (a `list_changed`, a `resources/updated`), or a client's answer to a server
 * request that arrived at another process, is published on the session's topic. The process holding the stream
 * or the pending request subscribes to it. In one process this is a Map of listeners; across nodes it is Redis
 * pub/sub behind the same interface.
 */
import type { JsonRpcMessage } from '../protocol/json-rpc.js';

/** Delivers messages published on a topic. */
export type BusListener = (message: JsonRpcMessage) => void;

/** Publish/subscribe by topic. */
export interface MessageBus {
  /** Delivers `message` to every subscriber of `topic`, in any process. */
  publish(topic: string, message: JsonRpcMessage): Promise<void>;
  /** Subscribes to a topic; returns the function that unsubscribes. */
  subscribe(topic: string, listener: BusListener): Promise<() => void>;
  /** Number of topics with subscribers in this process, for leak checks. */
  topicCount(): number;
  /** Drops every subscription. Idempotent. */
  close(): Promise<void>;
}

/** The topic of messages for a session's standalone (GET) stream. */
export function sessionTopic(sessionId: string): string {
  return `session:${sessionId}`;
}

/** The topic of the client's answers to server requests of a session. */
export function responseTopic(sessionId: string): string {
  return `responses:${sessionId}`;
}
