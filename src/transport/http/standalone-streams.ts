/**
 * The standalone (GET) streams of a session-era endpoint: at most one per session, fed by the session's bus topic,
 * so a message for the session reaches whichever process holds its stream (2025-11-25 transports, "Listening for
 * Messages from the Server").
 *
 * A session's slot is taken before the bus subscription is awaited: two GETs racing over a slow bus (a Redis round
 * trip) used to both see no stream, both subscribe, and both be answered, so every message went out twice (the spec:
 * MUST NOT broadcast one message on several streams); and a DELETE landing during the wait left a subscription and
 * an open stream behind.
 */
import type { ServerResponse } from 'node:http';
import { sessionTopic } from '../../session/message-bus.js';
import type { ServerSession } from '../../server/server-session.js';
import type { SessionManager } from '../../server/session-manager.js';
import { openSse } from './http-reply.js';
import { SseStream } from './sse-stream.js';

interface Slot {
  readonly stream: SseStream;
  /** Undefined while the bus subscription is being made. */
  unsubscribe: (() => void) | undefined;
}

/** What `attach` made of a GET. */
export type AttachOutcome = 'attached' | 'conflict' | 'ended';

/** The standalone streams of one endpoint, by session id. */
export class StandaloneStreams {
  readonly #sessions: SessionManager;
  readonly #retryMs: number;
  readonly #keepAliveMs: number;
  readonly #slots = new Map<string, Slot>();

  constructor(sessions: SessionManager, retryMs: number, keepAliveMs: number) {
    this.#sessions = sessions;
    this.#retryMs = retryMs;
    this.#keepAliveMs = keepAliveMs;
  }

  /** The session's stream, attached or not (a resuming GET re-attaches it). */
  stream(sessionId: string): SseStream | undefined {
    return this.#slots.get(sessionId)?.stream;
  }

  /**
   * Attaches `res` to the session's stream, opening the stream first when there is none: `conflict` when another
   * GET holds, opens or resumes it (409), `ended` when the session ended while its topic was being subscribed (404).
   */
  async attach(session: ServerSession, res: ServerResponse, prime: boolean): Promise<AttachOutcome> {
    const id = session.id;
    // Ended before this GET got here: a slot made now would never be dropped.
    if (session.closed) return 'ended';
    let slot = this.#slots.get(id);
    // Taken: another GET holds the stream, opens it, or resumes it (a Last-Event-ID GET reading the store).
    if (slot !== undefined && (slot.unsubscribe === undefined || slot.stream.attached || slot.stream.held)) return 'conflict';
    if (slot === undefined) {
      const opening: Slot = {
        stream: new SseStream({ sessionId: id, events: this.#sessions.events, retryMs: this.#retryMs, keepAliveMs: this.#keepAliveMs }),
        unsubscribe: undefined,
      };
      this.#slots.set(id, opening);
      let unsubscribe: () => void;
      try {
        unsubscribe = await this.#sessions.bus.subscribe(sessionTopic(id), (message) => opening.stream.send(message));
      } catch (err) {
        if (this.#slots.get(id) === opening) this.#slots.delete(id);
        throw err;
      }
      if (this.#slots.get(id) !== opening || session.closed) {
        unsubscribe();
        if (this.#slots.get(id) === opening) this.#slots.delete(id);
        return 'ended';
      }
      opening.unsubscribe = unsubscribe;
      slot = opening;
    }
    openSse(res);
    slot.stream.attach(res, prime);
    return 'attached';
  }

  /** Ends a session's stream and its subscription (the session ended). */
  drop(sessionId: string): void {
    const slot = this.#slots.get(sessionId);
    if (!slot) return;
    this.#slots.delete(sessionId);
    slot.unsubscribe?.();
    slot.stream.end();
  }

  /** Ends every stream, for shutdown. */
  dropAll(): void {
    for (const id of [...this.#slots.keys()]) this.drop(id);
  }
}
