/**
 * The sessions this process serves, over the shared stores: the live `ServerSession` objects by id, their
 * creation and their end.
 *
 * A lookup first reads the live Map (the hot path); only a miss goes to the `SessionStore`, which lets a process
 * serve a session another process created. Every end, whether DELETE, idle expiry or shutdown, funnels through the
 * store's `onEnd`, so a session's live object, events and bus subscriptions are freed in one place.
 */
import { randomUUID } from 'node:crypto';
import {
  internalError, sessionClose, sessionOpen,
  type EventOrigin, type InternalErrorEvent, type SessionCloseEvent, type SessionOpenEvent,
} from '../diagnostics/channels.js';
import { ErlmcpError } from '../errors.js';
import type { JsonRpcMessage, JsonRpcResponse } from '../protocol/json-rpc.js';
import type { EventStore } from '../session/event-store.js';
import { responseTopic, sessionTopic, type MessageBus } from '../session/message-bus.js';
import type { SessionEndReason, SessionRecord, SessionStore } from '../session/session-store.js';
import { ServerSession, type ResponseRouter } from './server-session.js';

/** The stores a server keeps its sessions in. */
export interface SessionBackends {
  store: SessionStore;
  events: EventStore;
  bus: MessageBus;
}

interface Live {
  readonly session: ServerSession;
  /** True for a session in the store (HTTP), false for a stream transport's connection. */
  readonly stored: boolean;
  /** A stream connection's transport, as its session events name it; undefined for a stored session. */
  readonly transport: string | undefined;
  /** Stream connections only: true once the session was published opened (at initialize), so its close is too. */
  opened: boolean;
  /** The subscription that brings this session's answers landing on other processes, once `route` made it. */
  unsubscribe: (() => void) | undefined;
  routing: Promise<void> | undefined;
}

/** The sessions of one server in this process. */
export class SessionManager implements ResponseRouter {
  readonly store: SessionStore;
  readonly events: EventStore;
  readonly bus: MessageBus;
  /** The server these sessions belong to, named in their diagnostics events. */
  readonly #origin: EventOrigin;
  readonly #live = new Map<string, Live>();
  /** HTTP sessions between `open` and the end of their `commit`: they count against `maxSessions` (see `count`). */
  readonly #opening = new Set<ServerSession>();
  /** Sessions whose record is being read from the store, and whether they ended meanwhile (see `resolve`). */
  readonly #reading = new Map<string, { readers: number; ended: boolean }>();
  readonly #removeEndListener: () => void;
  /** Removes this manager's in-use check from a store that sweeps in this process; undefined for other stores. */
  readonly #removeInUseCheck: (() => void) | undefined;
  readonly #endListeners = new Set<(session: ServerSession) => void>();
  readonly #keepAlive: NodeJS.Timeout | undefined;

  /**
   * @param origin the server's, named in session events and in failures reported here
   * @param keepBusyEveryMs how often the records of busy sessions (`ServerSession.busy`) are refreshed in the store,
   *   well within the idle TTL, so that expiry passes over them; undefined refreshes nothing. Unused with a store
   *   that asks at its sweep whether a session is in use (`addInUseCheck`, the memory store): that answer is exact
   *   at the moment of expiry, where a refresh on its own timer raced the sweep.
   */
  constructor(origin: EventOrigin, backends: SessionBackends, keepBusyEveryMs?: number) {
    this.#origin = origin;
    this.store = backends.store;
    this.events = backends.events;
    this.bus = backends.bus;
    this.#removeEndListener = this.store.onEnd((id, reason) => this.#ended(id, reason));
    this.#removeInUseCheck = this.store.addInUseCheck?.((id) => this.#live.get(id)?.session.busy === true);
    if (keepBusyEveryMs !== undefined && this.#removeInUseCheck === undefined) {
      this.#keepAlive = setInterval(() => this.keepBusyAlive(Date.now()), keepBusyEveryMs);
      this.#keepAlive.unref();
    }
  }

  /**
   * Refreshes the record of every stored session that is busy, as a request would. Public so tests can drive it.
   * Returns how many were refreshed.
   */
  keepBusyAlive(nowMs: number): number {
    let kept = 0;
    for (const entry of this.#live.values()) {
      const record = entry.session.record;
      if (!entry.stored || record === undefined || !entry.session.busy) continue;
      record.lastSeenAtMs = nowMs;
      // From a timer: a store that fails (a lost Redis connection) must not become an unhandled rejection.
      this.store.save(record).catch((err: unknown) => {
        if (internalError.hasSubscribers) internalError.publish({ error: err, sessionId: record.id, origin: this.#origin } satisfies InternalErrorEvent);
      });
      kept++;
    }
    return kept;
  }

  /** Number of sessions with a live object in this process. */
  get liveCount(): number {
    return this.#live.size;
  }

  /**
   * Live sessions plus those being created (`open`, not yet through `commit`): what `maxSessions` bounds. With a
   * remote store, initializes arriving together all passed a check of `liveCount` before any create landed.
   */
  get count(): number {
    return this.#live.size + this.#opening.size;
  }

  /** The live sessions, for broadcasts. */
  *live(): IterableIterator<ServerSession> {
    for (const entry of this.#live.values()) yield entry.session;
  }

  /** A session not yet stored: the stream transports' connection, or an HTTP initialize in progress. */
  draft(): ServerSession {
    return new ServerSession(randomUUID());
  }

  /**
   * A draft for an HTTP initialize, counted in `count` until its `commit` settles or it is given up (`abandon`),
   * so that initializes in flight cannot together overshoot `maxSessions`.
   */
  open(): ServerSession {
    const session = this.draft();
    this.#opening.add(session);
    return session;
  }

  /** Stops counting an opened session that will not be committed (its initialize failed). Idempotent. */
  abandon(session: ServerSession): void {
    this.#opening.delete(session);
  }

  /**
   * Stores an initialized session and makes it live here. A promise only when the store is remote: a store with
   * `createNow` (the memory store) stores it at once. Either way it stops counting as opening once settled.
   */
  commit(session: ServerSession, transport: string): void | Promise<void> {
    const record = session.record;
    if (!record) {
      this.#opening.delete(session);
      throw new ErlmcpError('ERLMCP_ERR_SESSION_NOT_FOUND', 'A session is stored only after initialize');
    }
    const store = this.store;
    if (store.createNow === undefined) {
      return store.create(record).then(
        () => {
          this.#opening.delete(session);
          this.#goLive(session, transport);
        },
        (err: unknown) => {
          this.#opening.delete(session);
          throw err;
        },
      );
    }
    try {
      store.createNow(record);
    } finally {
      this.#opening.delete(session);
    }
    this.#goLive(session, transport);
  }

  #goLive(session: ServerSession, transport: string): void {
    this.#live.set(session.id, { session, stored: true, transport: undefined, opened: false, unsubscribe: undefined, routing: undefined });
    session.router = this;
    if (sessionOpen.hasSubscribers) sessionOpen.publish({ sessionId: session.id, transport, origin: this.#origin } satisfies SessionOpenEvent);
  }

  /**
   * Makes a stream transport's session live without storing it: it lives exactly as long as its connection.
   * `transport` names the transport in its session events (`stdio`, `memory`).
   */
  attach(session: ServerSession, transport: string): void {
    this.#live.set(session.id, { session, stored: false, transport, opened: false, unsubscribe: undefined, routing: undefined });
  }

  /**
   * A stream connection's session completed initialize: it is published opened, as an HTTP session is once
   * committed, so session metrics count stdio sessions too; its close follows in `detach`. A connection that never
   * initializes (a 2026-07-28 client, a probe) is no session. Stored sessions publish theirs in `commit`.
   */
  initialized(session: ServerSession): void {
    const entry = this.#live.get(session.id);
    if (entry === undefined || entry.session !== session || entry.stored || entry.opened) return;
    entry.opened = true;
    if (sessionOpen.hasSubscribers) sessionOpen.publish({ sessionId: session.id, transport: entry.transport ?? 'stream', origin: this.#origin } satisfies SessionOpenEvent);
  }

  /**
   * Makes sure the client's answers to this session's server requests reach this process wherever they land:
   * they are published on the session's response topic, which is subscribed here before the first request goes
   * out. Undefined once subscribed (or for a session that needs none); else the promise of the subscription.
   * Made on demand, since most sessions never ask the client anything: a subscription per session cost every
   * initialize a bus round trip and about 2.5% of its CPU.
   */
  route(session: ServerSession): Promise<void> | undefined {
    const entry = this.#live.get(session.id);
    if (entry === undefined || entry.session !== session || !entry.stored || entry.unsubscribe !== undefined) return undefined;
    return (entry.routing ??= this.bus.subscribe(responseTopic(session.id), (msg) => {
      session.correlator.settle(msg as JsonRpcResponse);
    }).then(
      (unsubscribe) => {
        // The session may have ended while the bus subscribed.
        if (this.#live.get(session.id) === entry) entry.unsubscribe = unsubscribe;
        else unsubscribe();
      },
      (err: unknown) => {
        entry.routing = undefined;
        throw err;
      },
    ));
  }

  /** Forgets a stream transport's session. */
  detach(session: ServerSession, reason: Error): void {
    const entry = this.#live.get(session.id);
    if (entry?.session !== session) return;
    this.#live.delete(session.id);
    entry.unsubscribe?.();
    session.close(reason);
    this.#notifyEnd(session);
    // A stored session's end is published by the store's end event (`#ended`); a stream connection's here.
    if (!entry.stored && entry.opened && sessionClose.hasSubscribers) sessionClose.publish({ sessionId: session.id, reason: 'closed', origin: this.#origin } satisfies SessionCloseEvent);
  }

  /**
   * The live session, without touching its idle clock: for the server's own sends (a resources/updated), which
   * are no sign of a client. Through `lookup`, a session subscribed to a resource changing more often than the idle
   * TTL never expired after its client left.
   */
  peek(id: string): ServerSession | undefined {
    return this.#live.get(id)?.session;
  }

  /** The live session, refreshing its idle clock (a client's request); undefined on a miss (then call `resolve`). */
  lookup(id: string): ServerSession | undefined {
    const entry = this.#live.get(id);
    if (entry === undefined) return undefined;
    entry.session.touch();
    return entry.session;
  }

  /**
   * The session from the live Map or, failing that, from the store. A session that ends while its record is read
   * (a DELETE or expiry on another process) is not made live here: the store's end event has already fired, so
   * nothing would ever remove it, and it would be served after its end.
   */
  async resolve(id: string): Promise<ServerSession | undefined> {
    const hit = this.lookup(id);
    if (hit) return hit;
    const watch = this.#reading.get(id) ?? { readers: 0, ended: false };
    watch.readers++;
    this.#reading.set(id, watch);
    let record: SessionRecord | undefined;
    try {
      record = await this.store.get(id);
    } finally {
      if (--watch.readers === 0) this.#reading.delete(id);
    }
    if (!record || watch.ended) return undefined;
    const again = this.lookup(id);
    if (again) return again;
    const session = new ServerSession(id, record);
    this.#live.set(id, { session, stored: true, transport: undefined, opened: false, unsubscribe: undefined, routing: undefined });
    session.router = this;
    return session;
  }

  /** Writes a session's changed record back to the store. */
  async save(session: ServerSession): Promise<void> {
    if (session.record && this.#live.get(session.id)?.stored === true) await this.store.save(session.record);
  }

  /** Ends a stored session (DELETE). Returns false when it was unknown. */
  end(id: string): Promise<boolean> {
    return this.store.delete(id);
  }

  /** Sends a client's answer to the process whose handler asked the question. */
  forwardResponse(sessionId: string, response: JsonRpcResponse): void {
    this.bus.publish(responseTopic(sessionId), response).catch(this.#busFailed(sessionId));
  }

  /**
   * Publishes a message for a session's standalone stream, wherever it is held. Nobody waits for it, so a bus that
   * fails (a lost Redis connection) is reported on `erlmcp:server:error`, not left an unhandled rejection, which
   * would end the process.
   */
  publish(sessionId: string, message: JsonRpcMessage): void {
    this.bus.publish(sessionTopic(sessionId), message).catch(this.#busFailed(sessionId));
  }

  #busFailed(sessionId: string): (err: unknown) => void {
    return (err) => {
      if (internalError.hasSubscribers) internalError.publish({ error: err, sessionId, origin: this.#origin } satisfies InternalErrorEvent);
    };
  }

  /** Closes every session and the stores. Idempotent. */
  async close(): Promise<void> {
    clearInterval(this.#keepAlive);
    this.#removeInUseCheck?.();
    for (const { session } of [...this.#live.values()]) this.detach(session, new ErlmcpError('ERLMCP_ERR_SERVER_CLOSING', 'The server is closing'));
    await this.store.close();
    this.#removeEndListener();
    await this.events.close();
    await this.bus.close();
  }

  /**
   * Calls `listener` once for every live session that ends, however it ends (DELETE, expiry, disconnect,
   * shutdown). Returns its remover.
   */
  onSessionEnd(listener: (session: ServerSession) => void): () => void {
    this.#endListeners.add(listener);
    return () => this.#endListeners.delete(listener);
  }

  #notifyEnd(session: ServerSession): void {
    for (const listener of this.#endListeners) listener(session);
  }

  #ended(id: string, reason: SessionEndReason): void {
    const reading = this.#reading.get(id);
    if (reading !== undefined) reading.ended = true;
    const entry = this.#live.get(id);
    if (entry) {
      this.#live.delete(id);
      entry.unsubscribe?.();
      entry.session.close(() => new ErlmcpError('ERLMCP_ERR_SESSION_NOT_FOUND', `Session ${reason}`));
      this.#notifyEnd(entry.session);
    }
    this.events.dropSession(id).catch(this.#busFailed(id));
    if (sessionClose.hasSubscribers) sessionClose.publish({ sessionId: id, reason, origin: this.#origin } satisfies SessionCloseEvent);
  }
}
