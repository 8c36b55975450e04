/**
 * A session as this process serves it: the stored record plus what only lives here (the requests in flight, for
 * cancellation; the requests this server sent to the client; the outlet of the standalone stream).
 *
 * Everything durable is in `record`, so another process can build its own `ServerSession` from the store and
 * serve the same session. The transport provides the outlets; the server never knows how bytes travel.
 */
import { notificationSent, type EventOrigin, type NotificationEvent } from '../diagnostics/channels.js';
import { lackedCapabilities } from '../protocol/client-capabilities.js';
import type { JsonObject, JsonRpcMessage, RequestId } from '../protocol/json-rpc.js';
import { RequestCorrelator } from '../protocol/correlation.js';
import { isSessionRevision, LATEST_SESSION_REVISION, type SessionRevision } from '../protocol/versions.js';
import type { LogLevel, SessionRecord } from '../session/session-store.js';
import type { HandlerContext } from './handler-context.js';

/** Writes one message to the peer. */
export type Outlet = (message: JsonRpcMessage) => void;

const LEVELS: Readonly<Record<LogLevel, number>> = Object.freeze({
  debug: 0, info: 1, notice: 2, warning: 3, error: 4, critical: 5, alert: 6, emergency: 7,
});

/** True when `value` is an MCP log level. */
export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && Object.hasOwn(LEVELS, value);
}

/** Routes the client's answers to a session's server requests back to this process (the SessionManager). */
export interface ResponseRouter {
  /** Undefined when answers already reach this process; else a promise that settles once they do. */
  route(session: ServerSession): Promise<void> | undefined;
}

/** One session, as served by this process. */
export class ServerSession {
  readonly id: string;
  /** Undefined until initialize succeeds (stream transports create the session first). */
  record: SessionRecord | undefined;
  revision: SessionRevision;
  #correlator: RequestCorrelator | undefined;
  #inFlight: Map<RequestId, HandlerContext> | undefined;
  /**
   * Where messages unrelated to a request go (`list_changed`, `resources/updated`): the stdio stream, or the bus
   * topic that the GET stream's holder listens on. Undefined drops nothing silently: callers check it.
   */
  standalone: Outlet | undefined;
  /**
   * A stateless session stands in for every request of one revision in stateless HTTP mode: it is shared, so
   * requests are not tracked by id (ids of different clients collide, and no cancellation can reach them anyway).
   */
  readonly stateless: boolean;
  /** Set for stored sessions: a server request waits on it so the answer can find this process. */
  router: ResponseRouter | undefined;
  #closed = false;
  /** Open streams that keep the session from idling out (a GET stream), besides the requests in flight. */
  #pins = 0;

  constructor(id: string, record?: SessionRecord, stateless = false) {
    this.id = id;
    this.stateless = stateless;
    this.record = record;
    this.revision = record && isSessionRevision(record.protocolVersion) ? record.protocolVersion : LATEST_SESSION_REVISION;
  }

  /**
   * The requests this server sent to the client, awaiting answers. Made on first use, like `inFlight`: most sessions
   * never send one, and every stateless-era request has a session of its own.
   */
  get correlator(): RequestCorrelator {
    return (this.#correlator ??= this.newCorrelator());
  }

  /** The correlator this kind of session sends its requests through (the stateless era routes them elsewhere). */
  protected newCorrelator(): RequestCorrelator {
    return new RequestCorrelator();
  }

  /**
   * Requests of this session being handled here, by id, so `notifications/cancelled` can reach them. Made on first
   * use: most sessions (every stateless-era request has one) never hold a request past its first tick.
   */
  get inFlight(): Map<RequestId, HandlerContext> {
    return (this.#inFlight ??= new Map());
  }

  /** True when a request of this id is being handled here; reading it allocates nothing, unlike `inFlight`. */
  isInFlight(id: RequestId): boolean {
    return this.#inFlight?.has(id) === true;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * True while the session is in use though no request arrives: a handler still runs, or a stream is open. Idle
   * expiry passes over it (the SessionManager keeps its record fresh), so a long tool call or a client that only
   * listens on its GET stream is not ended under it.
   */
  get busy(): boolean {
    return this.#pins > 0 || (this.#inFlight !== undefined && this.#inFlight.size > 0);
  }

  /** Marks the session in use until the returned function is called (once; later calls do nothing). */
  pin(): () => void {
    this.#pins++;
    let pinned = true;
    return () => {
      if (!pinned) return;
      pinned = false;
      this.#pins--;
      this.touch();
    };
  }

  /** Restarts the idle clock: activity just ended. */
  touch(): void {
    if (this.record) this.record.lastSeenAtMs = Date.now();
  }

  /** The revision this session's peer speaks, as it named it (the stateless era overrides this). */
  wireRevision(): string {
    return this.revision;
  }

  /** True when a log message of `level` passes the level the client set. */
  wantsLog(level: LogLevel): boolean {
    const min = this.record?.logLevel;
    return min === undefined || LEVELS[level] >= LEVELS[min];
  }

  /**
   * What a request of `capability` with `params` needs that the client did not declare at initialize (an
   * elicitation's mode, tools in sampling: `lackedCapabilities`); undefined when it may be sent.
   */
  clientLacks(capability: string, params?: JsonObject): JsonObject | undefined {
    const caps = this.record?.clientCapabilities;
    return lackedCapabilities(capability, caps !== undefined && Object.hasOwn(caps, capability) ? caps[capability] : undefined, params);
  }

  /**
   * Sends an unrelated message on the standalone stream; returns false when there is none to carry it. `origin` is
   * the sending server's, named in the notification's event: a caller has it at hand, where keeping it in every
   * session would cost each stateless request's stand-in a field.
   */
  sendStandalone(message: JsonRpcMessage, origin: EventOrigin): boolean {
    if (this.#closed || !this.standalone) return false;
    this.standalone(message);
    if (notificationSent.hasSubscribers && 'method' in message && !('id' in message)) {
      notificationSent.publish({ method: message.method, sessionId: this.id, origin } satisfies NotificationEvent);
    }
    return true;
  }

  /**
   * Aborts what is in flight and fails pending server requests. Idempotent. `reason` may be a function that makes
   * the Error: it is called only when something is there to receive it. An Error captures a stack trace (about
   * 12 µs here), and a server that expires 10,000 idle sessions a second would otherwise build one per session.
   */
  close(reason: Error | (() => Error)): void {
    if (this.#closed) return;
    this.#closed = true;
    this.standalone = undefined;
    const inFlight = this.#inFlight;
    const handlers = inFlight !== undefined && inFlight.size > 0;
    const correlator = this.#correlator;
    if (!handlers && (correlator === undefined || correlator.size === 0)) return;
    const err = typeof reason === 'function' ? reason() : reason;
    if (handlers) {
      for (const ctx of inFlight.values()) ctx.abort(err);
      inFlight.clear();
    }
    correlator?.rejectAll(err);
  }
}
