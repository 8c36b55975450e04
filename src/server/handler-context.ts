/**
 * The context a tool, resource or prompt handler receives: the request's signal, `_meta`, progress and logging,
 * and the requests a handler may send to the client (sampling, elicitation, roots).
 *
 * One is made per request. Its AbortController is created only when someone reads `signal` or a cancellation
 * arrives, since most handlers never look (DESIGN.md, "The hot path").
 */
import { MAX_TIMER_MS } from '../config/config-schema.js';
import {
  internalError, notificationSent, type EventOrigin, type InternalErrorEvent, type NotificationEvent,
} from '../diagnostics/channels.js';
import type { UserMetrics } from '../diagnostics/user-metrics.js';
import { ErlmcpError } from '../errors.js';
import { peerRequestTimeout } from '../protocol/wire-error.js';
import type { JsonObject, JsonRpcNotification, RequestId } from '../protocol/json-rpc.js';
import { featuresOf } from '../protocol/versions.js';
import type { LogLevel } from '../session/session-store.js';
import { formOnlyRequest } from './elicitation-shape.js';
import { olderNotificationParams, olderPeerKnows } from './notification-shape.js';
import { olderSamplingRequest, samplingNewerOnly } from './sampling-shape.js';
import type { Outlet, ServerSession } from './server-session.js';

/** Options of a request the handler sends to the client. */
export interface ClientRequestOptions {
  /** Fails the request with -32001 after this long; defaults to the server's `clientRequestTimeoutMs`. */
  timeoutMs?: number;
  /** Cancels the request at the client. Defaults to the handler's own signal. */
  signal?: AbortSignal;
  /**
   * Under 2026-07-28 the request becomes an `inputRequests` entry of an `input_required` result, under this key
   * (default: `input-<n>` by call order); under 2025-11-25 it is ignored. Asked again in the same run (a retry after
   * a wrong answer), it becomes `<key>#2`, `<key>#3`... so each ask gets its own answer.
   */
  key?: string;
}

/**
 * What a handler context reads of its server, set once per server (the `McpServer` itself): held as one reference,
 * so a context per request costs no more for it.
 */
export interface HandlerScope {
  /** The default timeout of requests the handler sends to the client. */
  readonly clientRequestTimeoutMs: number;
  /** Names the server in the diagnostics events the context publishes. */
  readonly origin: EventOrigin;
  /** `ctx.metrics`: records that name the server. */
  readonly userMetrics: UserMetrics;
}

/** The context of one handler invocation. */
export class HandlerContext {
  readonly session: ServerSession;
  readonly requestId: RequestId;
  /** The request's `params._meta`, passed through untouched. */
  readonly meta: JsonObject | undefined;
  readonly #outlet: Outlet;
  readonly #detach: (() => void) | undefined;
  readonly #scope: HandlerScope;
  #controller: AbortController | undefined;
  /** Set once the request is answered: what the handler sends after that has no stream to go to. */
  #answered = false;
  /** The last progress value sent: each must be above it. */
  #lastProgress = Number.NEGATIVE_INFINITY;

  constructor(
    session: ServerSession,
    requestId: RequestId,
    meta: JsonObject | undefined,
    outlet: Outlet,
    scope: HandlerScope,
    detach?: () => void,
  ) {
    this.session = session;
    this.requestId = requestId;
    this.meta = meta;
    this.#outlet = outlet;
    this.#scope = scope;
    this.#detach = detach;
  }

  /** Aborted when the client cancels the request, or the session ends. */
  get signal(): AbortSignal {
    return (this.#controller ??= new AbortController()).signal;
  }

  /** True once the signal aborted; reading it allocates nothing, unlike `signal`. */
  get aborted(): boolean {
    return this.#controller?.signal.aborted ?? false;
  }

  /**
   * Custom metrics (the seed's record_request, record_error, record_metric). They reach Prometheus when the
   * metrics module is enabled, and cost one property read when it is not. They name this server, so the metrics
   * of another server in the process do not count them.
   */
  get metrics(): UserMetrics {
    return this.#scope.userMetrics;
  }

  get sessionId(): string {
    return this.session.id;
  }

  /** The server handling the request, as its diagnostics events name it. */
  get origin(): EventOrigin {
    return this.#scope.origin;
  }

  /** The protocol revision of this request's peer: the negotiated one, or the one a stateless request named. */
  get protocolVersion(): string {
    return this.session.wireRevision();
  }

  /**
   * Over Streamable HTTP, closes the connection that carries this request's SSE stream without ending the stream
   * (2025-11-25 transports, SEP-1699 polling): the client reconnects after the `retry:` hint, resumes with
   * `Last-Event-ID`, and receives what follows, the result included. A long-running handler uses it so that no
   * connection is held open for its whole run. Elsewhere it does nothing: on stdio, in the stateless era, and for a
   * client of a revision before 2025-11-25, whose streams carry no event id to resume from.
   */
  closeStream(): void {
    this.#detach?.();
  }

  /**
   * Marks the request answered (the dispatcher calls it as the answer is made). A handler that keeps running, a
   * timer or a loop left behind, may still call `progress` or `log`, but the answer's stream is gone: progress is
   * dropped (basic/utilities/progress: it MUST stop at completion), other notifications take the session's
   * standalone route, and what cannot be delivered is reported on `erlmcp:server:error`, never written to a
   * finished response. A server request made then is refused.
   */
  finish(): void {
    this.#answered = true;
  }

  /** Aborts the handler's signal. */
  abort(reason: unknown): void {
    (this.#controller ??= new AbortController()).abort(reason);
  }

  /**
   * Reports progress against the request's `progressToken`; a no-op when the client sent none, or none valid. The
   * value MUST increase with each notification (basic/utilities/progress) and is a number in the schema: a value
   * that is not finite or not above the last one sent is dropped and reported on `erlmcp:server:error`, never sent
   * (a NaN went out as null).
   */
  progress(progress: number, total?: number, message?: string): void {
    const token = this.meta?.progressToken;
    // A token MUST be a string or an integer (basic/utilities/progress): any other value (null, 1.5, an object)
    // asks for nothing the client could match, and a notification echoing it fails the schema.
    if ((typeof token !== 'string' && !Number.isInteger(token)) || this.#controller?.signal.aborted === true) return;
    if (!(progress > this.#lastProgress) || !Number.isFinite(progress) || (total !== undefined && !Number.isFinite(total))) {
      if (internalError.hasSubscribers) {
        const error = new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `Progress ${String(progress)}${total === undefined ? '' : ` of ${String(total)}`} was not sent: progress must be a finite number above the last value sent (${String(this.#lastProgress)})`);
        internalError.publish({ error, method: 'notifications/progress', sessionId: this.session.id, origin: this.#scope.origin } satisfies InternalErrorEvent);
      }
      return;
    }
    this.#lastProgress = progress;
    const params: JsonObject = { progressToken: token, progress };
    if (total !== undefined) params.total = total;
    if (message !== undefined) params.message = message;
    this.#send({ jsonrpc: '2.0', method: 'notifications/progress', params });
  }

  /** Sends `notifications/message` on the request's stream, when the session's level lets it through. */
  log(level: LogLevel, data: unknown, logger?: string): void {
    if (!this.session.wantsLog(level)) return;
    const params: JsonObject = logger === undefined ? { level, data } : { level, logger, data };
    this.#send({ jsonrpc: '2.0', method: 'notifications/message', params });
  }

  /**
   * Sends any notification on the request's stream, written as 2025-11-25 defines it. A session of an older revision
   * gets it without the `_meta` its params lack there, and is not sent one its revision has no definition of (that
   * drop is reported on `erlmcp:server:error`): notification-shape.ts.
   */
  notify(method: string, params?: JsonObject): void {
    const revision = this.session.revision;
    if (!featuresOf(revision).notificationMeta) {
      if (!olderPeerKnows(method)) {
        if (internalError.hasSubscribers) {
          const error = new ErlmcpError('ERLMCP_ERR_CAPABILITY_MISSING', `Protocol revision ${revision} has no ${method}, so it was not sent`);
          internalError.publish({ error, method, sessionId: this.session.id, origin: this.#scope.origin } satisfies InternalErrorEvent);
        }
        return;
      }
      params = olderNotificationParams(method, params);
    }
    const message: JsonRpcNotification = params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params };
    this.#send(message);
  }

  /**
   * Asks the client's model for a completion (`sampling/createMessage`), written as 2025-11-25 defines it. Tools in
   * sampling are 2025-11-25's (client/sampling, "Tool Use"): a session negotiated at an older revision is never sent
   * `tools`, `toolChoice`, `task` or tool_use / tool_result content, whatever its client declared, since that
   * revision's CreateMessageRequest has none of them; the rest goes in its shape, one block per message and no
   * `_meta` where it has none (sampling-shape.ts).
   */
  sample(params: JsonObject, options?: ClientRequestOptions): Promise<JsonObject> {
    const revision = this.session.revision;
    const f = featuresOf(revision);
    if (!f.samplingTools) {
      const newer = samplingNewerOnly(params);
      if (newer !== undefined) {
        return Promise.reject(new ErlmcpError('ERLMCP_ERR_CAPABILITY_MISSING', `Protocol revision ${revision} has no tools or tasks in sampling, so sampling/createMessage cannot carry ${newer}`));
      }
      params = olderSamplingRequest(f, params);
    }
    return this.#clientRequest('sampling', 'sampling/createMessage', params, options);
  }

  /**
   * Asks the user for input (`elicitation/create`). A session negotiated at a revision without elicitation
   * (2025-03-26) is never sent one, whatever capabilities its client declared: its schema has no such request.
   * Modes are 2025-11-25's (client/elicitation): a 2025-06-18 session is never sent URL mode, and form mode goes to
   * it without the `mode` field its ElicitRequest does not define, and without the defaults its schema allows only
   * on booleans (elicitation-shape.ts).
   */
  elicit(params: JsonObject, options?: ClientRequestOptions): Promise<JsonObject> {
    const revision = this.session.revision;
    const f = featuresOf(revision);
    if (!f.elicitation) {
      return Promise.reject(new ErlmcpError('ERLMCP_ERR_CAPABILITY_MISSING', `Protocol revision ${revision} has no elicitation, so elicitation/create cannot be sent`));
    }
    if (!f.elicitationModes) {
      if (params.mode !== undefined && params.mode !== 'form') {
        return Promise.reject(new ErlmcpError('ERLMCP_ERR_CAPABILITY_MISSING', `Protocol revision ${revision} has form-mode elicitation only, so elicitation/create cannot be sent in ${String(params.mode)} mode`));
      }
      params = formOnlyRequest(params);
    }
    return this.#clientRequest('elicitation', 'elicitation/create', params, options);
  }

  /** Asks the client for its roots (`roots/list`). */
  listRoots(options?: ClientRequestOptions): Promise<JsonObject> {
    return this.#clientRequest('roots', 'roots/list', undefined, options);
  }

  /**
   * Sends any request to the client on this request's stream. A stored session's answers may land on another
   * process, so the first request waits until the bus brings them here; that wait counts against its timeout.
   */
  request(method: string, params: JsonObject | undefined, options?: ClientRequestOptions): Promise<JsonObject> {
    if (this.#answered) return Promise.reject(this.#late(method));
    const session = this.session;
    // Its pending requests were failed as it closed; one made after that (under a signal of the handler's own, so
    // not aborted with the session) went out on a dead session's stream and waited out its whole timeout.
    if (session.closed) return Promise.reject(sessionEnded(method));
    const timeoutMs = options?.timeoutMs ?? this.#scope.clientRequestTimeoutMs;
    // Node fires a timer above 2^31-1 ms after 1 ms: such a request would time out at once, with a false message.
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_TIMER_MS) {
      return Promise.reject(new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `options.timeoutMs of ${method} must be an integer between 1 and ${MAX_TIMER_MS}, got ${JSON.stringify(timeoutMs)}`));
    }
    const send = (budgetMs: number): Promise<JsonObject> => session.correlator.request(this.#outlet, method, params, {
      timeoutMs: budgetMs,
      signal: options?.signal ?? this.signal,
      key: options?.key,
    });
    const routing = session.router?.route(session);
    if (routing === undefined) return send(timeoutMs);
    const started = Date.now();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(peerRequestTimeout(method, timeoutMs)), timeoutMs);
      timer.unref();
      routing.then(resolve, reject).finally(() => clearTimeout(timer));
    }).then(() => {
      if (session.closed) throw sessionEnded(method);
      return send(Math.max(1, timeoutMs - (Date.now() - started)));
    });
  }

  /**
   * Writes a notification on the request's stream; once the request is answered, progress is dropped (it MUST
   * stop) and anything else goes where the session's unrelated messages go (stdio's connection, the GET stream),
   * or is dropped when there is no such place. A drop is reported; only what was written is counted as sent.
   */
  #send(message: JsonRpcNotification): void {
    if (!this.#answered) {
      this.#outlet(message);
      if (notificationSent.hasSubscribers) notificationSent.publish({ method: message.method, sessionId: this.session.id, origin: this.#scope.origin } satisfies NotificationEvent);
      return;
    }
    if (message.method !== 'notifications/progress' && this.session.sendStandalone(message, this.#scope.origin)) return;
    if (internalError.hasSubscribers) {
      internalError.publish({ error: this.#late(message.method), method: message.method, sessionId: this.session.id, origin: this.#scope.origin } satisfies InternalErrorEvent);
    }
  }

  #late(method: string): ErlmcpError {
    return new ErlmcpError('ERLMCP_ERR_STREAM_ENDED', `Request ${JSON.stringify(this.requestId)} was already answered, so its ${method} cannot be sent`);
  }

  #clientRequest(
    capability: string,
    method: string,
    params: JsonObject | undefined,
    options: ClientRequestOptions | undefined,
  ): Promise<JsonObject> {
    const lacks = this.session.clientLacks(capability, params);
    if (lacks !== undefined) {
      return Promise.reject(new ErlmcpError('ERLMCP_ERR_CAPABILITY_MISSING', `The client did not declare the capabilities ${JSON.stringify(lacks)}, so ${method} cannot be sent`));
    }
    return this.request(method, params, options);
  }
}

function sessionEnded(method: string): ErlmcpError {
  return new ErlmcpError('ERLMCP_ERR_SESSION_NOT_FOUND', `The session ended before ${method} could be sent`);
}
