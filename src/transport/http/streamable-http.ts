/**
 * Streamable HTTP (MCP 2025-11-25 basic/transports) for one endpoint: POST carries client messages and answers
 * with JSON or an SSE stream, GET opens the session's standalone SSE stream, DELETE ends a session.
 *
 * A POST answers with JSON unless its handler sends something first (progress, a log, a request to the client):
 * then the answer becomes an SSE stream, opened lazily on that first message (post-answers.ts). Stateful mode keeps sessions in the
 * server's SessionManager; stateless mode issues no session ids and serves every request with a shared stateless
 * session of its revision.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isModernMarked } from '../../protocol/era.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import {
  MessageKind, classify, decode, errorResponseOf, readableId,
  type JsonRpcMessage, type JsonRpcNotification, type JsonRpcRequest, type JsonRpcResponse, type RequestId,
} from '../../protocol/json-rpc.js';
import { SESSION_ERA_REVISIONS, type SessionRevision } from '../../protocol/versions.js';
import { streamIdOf, type EventStore } from '../../session/event-store.js';
import type { McpServer } from '../../server/mcp-server.js';
import { ServerSession } from '../../server/server-session.js';
import { utf8Text } from '../utf8-text.js';
import { readBody, TOO_LARGE, UNREADABLE, type BodyResult } from './body-reader.js';
import { acceptsPost, acceptsSse, checkOrigin, headerRevision, isJsonContentType, type OriginPolicy } from './http-guards.js';
import { accepted, openSse, refuse, refuseOverloaded, refuseTooLarge, replyJson, replyText } from './http-reply.js';
import { PostAnswers } from './post-answers.js';
import { failed, failedPost } from './post-failure.js';
import { primes, writeStoredEvents } from './sse-stream.js';
import { DEFAULT_SSE_KEEP_ALIVE_MS, ModernHttpEndpoint } from './modern-http.js';
import { StandaloneStreams } from './standalone-streams.js';

/** Options of the Streamable HTTP endpoint. */
export interface StreamableHttpOptions {
  readonly stateless: boolean;
  /**
   * `auto` answers a request with JSON unless its handler sends something first; `sse` always answers with an
   * SSE stream (as the official SDK does by default), which some clients and the conformance suite expect.
   */
  readonly responseMode: 'auto' | 'sse';
  readonly maxBodyBytes: number;
  /** The `retry:` hint of priming events. */
  readonly sseRetryMs: number;
  readonly originPolicy: OriginPolicy;
  /** Keep-alive comment interval of SSE streams that stay open: GET, a running handler's, `subscriptions/listen`. Default 15 s. */
  readonly sseKeepAliveMs?: number;
}

const ALLOW = Object.freeze({ allow: 'GET, POST, DELETE' });
const ALLOW_STATELESS = Object.freeze({ allow: 'POST' });
/** What a session id is made of: visible ASCII, 0x21 to 0x7E. */
const SESSION_ID = /^[\x21-\x7e]+$/;
/** The answer to a body that is not UTF-8: a parse error (RFC 8259 section 8.1), built once. */
const NOT_UTF8 = Object.freeze(errorResponseOf(null, ErrorCode.ParseError, 'Parse error: the body is not valid UTF-8 (RFC 8259 section 8.1: JSON text exchanged between systems must be encoded in UTF-8)'));

/**
 * The largest initialize body accepted. A session keeps the client's capabilities and clientInfo until its idle
 * TTL, so without this one unauthenticated client could pin `maxBodyBytes` (4 MiB) of heap per initialize; real
 * ones send well under 2 KiB, and 64 KiB leaves room for `data:` icons in clientInfo (2025-11-25 Implementation).
 */
export const MAX_INITIALIZE_BYTES = 64 * 1024;

/** Serves the MCP endpoint of one server. */
export class StreamableHttpHandler {
  readonly #server: McpServer;
  readonly #options: StreamableHttpOptions;
  readonly #standalone: StandaloneStreams;
  readonly #answers: PostAnswers;
  readonly #statelessSessions: ReadonlyMap<SessionRevision, ServerSession>;
  readonly #removeEndListener: () => void;
  /** The 2026-07-28 POSTs, when the server offers that era; `stateless` above concerns the session era only. */
  readonly #modern: ModernHttpEndpoint | undefined;
  /**
   * A server that offers no session-era revision serves every POST statelessly and answers GET and DELETE with
   * 405, with or without a version header (2026-07-28 streamable-http, "Earlier Streamable HTTP Revisions").
   */
  readonly #modernOnly: boolean;
  /** The session-era revisions this server offers: an `MCP-Protocol-Version` naming another one is a 400. */
  readonly #offered: readonly string[];
  #inFlight = 0;

  constructor(server: McpServer, options: StreamableHttpOptions) {
    this.#server = server;
    this.#options = options;
    this.#statelessSessions = new Map(SESSION_ERA_REVISIONS.map((rev) => [rev, statelessSession(rev)]));
    const keepAliveMs = options.sseKeepAliveMs ?? DEFAULT_SSE_KEEP_ALIVE_MS;
    this.#standalone = new StandaloneStreams(server.sessions, options.sseRetryMs, keepAliveMs);
    this.#answers = new PostAnswers(server, options.responseMode, options.sseRetryMs, keepAliveMs);
    this.#removeEndListener = server.sessions.onSessionEnd((session) => this.#standalone.drop(session.id));
    this.#modern = server.modern && new ModernHttpEndpoint(server, server.modern, {
      responseMode: options.responseMode,
      keepAliveMs,
    });
    this.#modernOnly = this.#modern !== undefined && server.offeredRevisions.length === 0;
    this.#offered = server.offeredRevisions;
  }

  /** Requests being handled now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Routes one request to the endpoint. */
  handle(req: IncomingMessage, res: ServerResponse): void {
    const denied = checkOrigin(req.headers, this.#options.originPolicy);
    if (denied !== undefined) return refuse(res, 403, `Forbidden: ${denied}`);
    switch (req.method) {
      case 'POST':
        return this.#post(req, res);
      case 'GET':
        if (this.#isModern(undefined, req)) return modernOnlyPost(res);
        if (this.#options.stateless) return refuse(res, 405, 'Method Not Allowed: this server is stateless and has no GET stream', undefined, ALLOW_STATELESS);
        this.#get(req, res).catch((err: unknown) => failed(this.#server.origin, res, err));
        return;
      case 'DELETE':
        if (this.#isModern(undefined, req)) return modernOnlyPost(res);
        if (this.#options.stateless) return refuse(res, 405, 'Method Not Allowed: this server is stateless and has no sessions', undefined, ALLOW_STATELESS);
        this.#delete(req, res).catch((err: unknown) => failed(this.#server.origin, res, err));
        return;
      default:
        // A server of 2026-07-28 alone answers GET and DELETE with 405 too: its Allow must not list them.
        return refuse(res, 405, `Method Not Allowed: ${req.method ?? ''}`, undefined, this.#options.stateless || this.#modernOnly ? ALLOW_STATELESS : ALLOW);
    }
  }

  /** True when the request (`value`, the POST body, undefined for GET and DELETE) is of the stateless era. */
  #isModern(value: unknown, req: IncomingMessage): boolean {
    return this.#modern !== undefined && (this.#modernOnly || isModernMarked(value, req.headers['mcp-protocol-version']));
  }

  /** Ends every standalone and live POST stream, for shutdown. */
  closeStreams(): void {
    this.#standalone.dropAll();
    this.#answers.endStreams();
    this.#modern?.closeStreams();
    this.#removeEndListener();
  }

  /**
   * Serves one POST. The request stays counted in `inFlight` until it is answered, and a failure is answered here
   * (500). A request whose every step is synchronous (a live session, a tool returning a plain value) is answered
   * in the tick its body completes, with no promise at all.
   */
  #post(req: IncomingMessage, res: ServerResponse): void {
    if (!acceptsPost(req.headers.accept)) {
      return refuse(res, 406, 'Not Acceptable: the Accept header must list application/json and text/event-stream');
    }
    if (!isJsonContentType(req.headers['content-type'])) {
      return refuse(res, 415, 'Unsupported Media Type: Content-Type must be application/json');
    }
    this.#inFlight++;
    readBody(req, this.#options.maxBodyBytes, (read) => {
      let pending: void | Promise<void> = undefined;
      try {
        pending = this.#serveBody(req, res, read);
      } catch (err) {
        failedPost(this.#server.origin, res, err, read);
      }
      if (pending === undefined) {
        this.#inFlight--;
        return;
      }
      pending.then(
        () => this.#inFlight--,
        (err: unknown) => {
          failedPost(this.#server.origin, res, err, read);
          this.#inFlight--;
        },
      );
    });
  }

  /** Everything a POST does once its body is read; a promise only when a step had to wait. */
  #serveBody(req: IncomingMessage, res: ServerResponse, read: BodyResult): void | Promise<void> {
    if (read === TOO_LARGE) return refuseTooLarge(res, this.#options.maxBodyBytes);
    if (read === UNREADABLE) return refuse(res, 400, 'Bad Request: the body could not be read');
    const text = utf8Text(read);
    if (text === undefined) return replyJson(res, 400, NOT_UTF8);
    const decoded = decode(text);
    if (!decoded.ok) return replyJson(res, 400, decoded.response);
    const value = decoded.value;
    // The era, per request (DESIGN.md "Two protocol eras on one endpoint"): a header compare and a `_meta` probe.
    if (this.#modern !== undefined && this.#isModern(value, req)) return this.#modern.post(req, res, value, text);
    if (Array.isArray(value)) return this.#postBatch(req, res, value);
    const kind = classify(value);
    if (kind === MessageKind.Invalid) {
      return replyJson(res, 400, errorResponseOf(readableId(value), ErrorCode.InvalidRequest, 'Invalid Request: not a JSON-RPC 2.0 message'));
    }
    const msg = value as JsonRpcMessage;
    if (kind === MessageKind.Request && (msg as JsonRpcRequest).method === 'initialize') {
      if (read.length > MAX_INITIALIZE_BYTES) {
        return refuse(res, 413, `Payload Too Large: an initialize request may carry at most ${MAX_INITIALIZE_BYTES} bytes`, undefined, undefined, (msg as JsonRpcRequest).id);
      }
      return this.#initialize(res, msg as JsonRpcRequest);
    }
    // A live session is found without a promise; only a store lookup (a miss here) is awaited. A refusal echoes a
    // request's id; a notification or a client's response has none to echo (JSON-RPC 2.0 section 5).
    const found = this.#session(req, res, kind === MessageKind.Request ? (msg as JsonRpcRequest).id : undefined);
    if (found instanceof Promise) return found.then((session) => this.#serveMessage(res, session, kind, msg));
    return this.#serveMessage(res, found, kind, msg);
  }

  /** Serves one message of an admitted session (undefined: the session check already answered). */
  #serveMessage(res: ServerResponse, session: ServerSession | undefined, kind: MessageKind, msg: JsonRpcMessage): void | Promise<void> {
    if (session === undefined) return;
    if (kind === MessageKind.Request) return this.#answers.answer(res, session, msg as JsonRpcRequest);
    if (kind === MessageKind.Notification) this.#server.dispatcher.dispatchNotification(session, msg as JsonRpcNotification);
    else this.#server.dispatcher.dispatchResponse(session, msg as JsonRpcResponse);
    accepted(res);
  }

  /** Answers an initialize; with an in-process session store, in the tick its body arrived (no promise). */
  #initialize(res: ServerResponse, req: JsonRpcRequest): void | Promise<void> {
    // Every session lives until its idle TTL: unbounded, a loop of initialize requests grew the heap without end.
    // `count`, not `liveCount`: it includes sessions whose (possibly remote) store write has not landed yet.
    if (!this.#options.stateless && this.#server.sessions.count >= this.#server.maxSessions) {
      return refuseOverloaded(res, `Service Unavailable: this server holds its maximum of ${this.#server.maxSessions} sessions; retry later`, req.id);
    }
    const session = this.#options.stateless ? new ServerSession('', undefined, true) : this.#server.sessions.open();
    // dispatchRequest never rejects: a failed initialize comes back as an error response (see #initialized).
    const response = this.#server.dispatcher.dispatchRequest(session, req, noOutlet);
    if (response instanceof Promise) return response.then((r) => this.#initialized(res, session, r));
    return this.#initialized(res, session, response);
  }

  /** `text` is the answer's JSON; an initialize succeeded exactly when it gave the session its record. */
  #initialized(res: ServerResponse, session: ServerSession, text: string): void | Promise<void> {
    if (session.record === undefined || this.#options.stateless) {
      this.#server.sessions.abandon(session);
      return replyText(res, 200, text);
    }
    const committed = this.#server.sessions.commit(session, 'streamable-http');
    if (committed instanceof Promise) return committed.then(() => this.#opened(res, session, text));
    this.#opened(res, session, text);
  }

  #opened(res: ServerResponse, session: ServerSession, text: string): void {
    this.#bind(session);
    replyText(res, 200, text, session.id);
  }

  /**
   * The session a request belongs to, after the session and protocol-version checks; undefined when the request
   * was refused (400 without a session id, 404 for an unknown or ended one, 400 for an unsupported version). A
   * session live in this process is returned as it is, without a promise; only a store lookup is asynchronous.
   * `requestId` is the id of the POST's one request, echoed by a refusal; undefined for GET, DELETE, a batch, a
   * notification or a response.
   */
  #session(req: IncomingMessage, res: ServerResponse, requestId?: RequestId): ServerSession | undefined | Promise<ServerSession | undefined> {
    const revision = headerRevision(req.headers, this.#offered);
    if (this.#options.stateless) {
      if (revision === null) {
        refuse(res, 400, `Bad Request: unsupported MCP-Protocol-Version ${String(req.headers['mcp-protocol-version'])}; supported: ${this.#server.offeredRevisions.join(', ')}`, undefined, undefined, requestId);
        return undefined;
      }
      return this.#statelessSessions.get(revision);
    }
    const id = req.headers['mcp-session-id'];
    if (typeof id !== 'string' || id.length === 0) {
      refuse(res, 400, 'Bad Request: the Mcp-Session-Id header is required', undefined, undefined, requestId);
      return undefined;
    }
    const live = this.#server.sessions.lookup(id);
    if (live !== undefined) return this.#admit(req, res, live, revision, requestId);
    // A session id is visible ASCII (2025-11-25 transports, "Session Management"), so this is no id at all, most
    // often two headers that node:http joined with ", ": a 404 would tell the client to drop a live session.
    if (!SESSION_ID.test(id)) {
      refuse(res, 400, 'Bad Request: Mcp-Session-Id must be one session id of visible ASCII characters', undefined, undefined, requestId);
      return undefined;
    }
    return this.#server.sessions.resolve(id).then((stored) => this.#admit(req, res, stored, revision, requestId));
  }

  /**
   * The checks that follow the lookup: 404 for an unknown or ended session (one may end while its record is read
   * from the store), then the protocol version.
   */
  #admit(
    req: IncomingMessage,
    res: ServerResponse,
    session: ServerSession | undefined,
    revision: SessionRevision | null,
    requestId: RequestId | undefined,
  ): ServerSession | undefined {
    if (session === undefined || session.closed) {
      refuse(res, 404, 'Not Found: the session does not exist or has ended', ErrorCode.InvalidRequest, undefined, requestId);
      return undefined;
    }
    if (revision === null) {
      refuse(res, 400, `Bad Request: unsupported MCP-Protocol-Version ${String(req.headers['mcp-protocol-version'])}; supported: ${this.#server.offeredRevisions.join(', ')}`, undefined, undefined, requestId);
      return undefined;
    }
    if (session.standalone === undefined) this.#bind(session);
    return session;
  }

  /** Routes a session's unrelated messages through the bus, to whichever process holds its GET stream. */
  #bind(session: ServerSession): void {
    const sessions = this.#server.sessions;
    session.standalone = (message) => sessions.publish(session.id, message);
  }

  async #get(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!acceptsSse(req.headers.accept)) return refuse(res, 406, 'Not Acceptable: the Accept header must list text/event-stream');
    const session = await this.#session(req, res);
    if (session === undefined) return;
    const lastEventId = req.headers['last-event-id'];
    if (typeof lastEventId === 'string' && lastEventId.length > 0) return this.#resume(res, session, lastEventId);
    const outcome = await this.#standalone.attach(session, res, primes(session.revision));
    if (outcome === 'conflict') return refuse(res, 409, 'Conflict: this session already has a GET stream open');
    if (outcome === 'ended') return refuse(res, 404, 'Not Found: the session ended while its stream was opening');
    // A client that only listens is not idle: the session stays while the stream is open (if it still is: the
    // client may have left during the bus round trip, and its 'close' will not fire again).
    if (!res.destroyed) res.once('close', session.pin());
  }

  /**
   * Replays what a client missed on one stream, then, if that stream is still live, carries on with it. A live
   * stream whose only event so far is its priming event has nothing stored yet (priming events carry no
   * message), yet its id is a valid Last-Event-ID: a handler that closes the stream before sending anything
   * (SEP-1699 polling) is resumed from it.
   */
  async #resume(res: ServerResponse, session: ServerSession, lastEventId: string): Promise<void> {
    const streamId = streamIdOf(lastEventId);
    const standalone = this.#standalone.stream(session.id);
    let live = streamId === undefined ? undefined : standalone?.id === streamId ? standalone : this.#answers.liveStream(streamId);
    if (live !== undefined && (live.sessionId !== session.id || live.ended)) live = undefined;
    // Two resumes of one stream at once: the second would take the first's held events and then its connection.
    if (live?.held) return refuse(res, 409, 'Conflict: this stream is already being resumed');
    // Hold the live stream before reading the store, so nothing it sends meanwhile falls between replay and attach.
    live?.hold();
    let replay: Awaited<ReturnType<EventStore['replayAfter']>>;
    try {
      replay = await this.#server.sessions.events.replayAfter(session.id, lastEventId);
    } catch (err) {
      // A store that failed (a timeout) must not leave the stream held: every later GET would be a 409.
      live?.release();
      throw err;
    }
    // 400, not 404: a 404 to a request with a session id tells the client its session is gone, and it MUST start a
    // new one (basic/transports, Session Management). The session is fine; only this stream cannot be resumed (its
    // events aged out of the store's bound, or the id was never ours).
    if (replay === undefined && live === undefined) return refuse(res, 400, 'Bad Request: Last-Event-ID names no stream of this session that can be resumed');
    openSse(res);
    const afterSeq = writeStoredEvents(res, replay?.events ?? [], lastEventId);
    if (live === undefined) {
      res.end();
      return;
    }
    live.resumeOn(res, afterSeq);
    if (!res.destroyed) res.once('close', session.pin());
  }

  async #delete(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const session = await this.#session(req, res);
    if (session === undefined) return;
    await this.#server.sessions.end(session.id);
    res.writeHead(200);
    res.end();
  }

  /** A JSON-RPC batch (2025-03-26 only): answered with a JSON array; related messages go to the GET stream. */
  async #postBatch(req: IncomingMessage, res: ServerResponse, batch: unknown[]): Promise<void> {
    const session = await this.#session(req, res);
    if (session === undefined) return;
    const outlet = (message: JsonRpcMessage): void => void session.sendStandalone(message, this.#server.origin);
    const answer = await this.#server.dispatcher.dispatchValue(session, batch, outlet);
    if (answer === undefined) return accepted(res);
    // A batch is answered with an array; one error object instead is the refusal of the batch as a whole.
    replyText(res, answer.startsWith('[') ? 200 : 400, answer);
  }

}

function statelessSession(revision: SessionRevision): ServerSession {
  const now = Date.now();
  return new ServerSession('', {
    id: '',
    protocolVersion: revision,
    clientCapabilities: {},
    clientInfo: {},
    logLevel: undefined,
    subscriptions: [],
    createdAtMs: now,
    lastSeenAtMs: now,
  }, true);
}

function noOutlet(): void {}

/** 2026-07-28 has no GET stream and no sessions to DELETE: only POST (basic/transports/streamable-http). */
function modernOnlyPost(res: ServerResponse): void {
  refuse(res, 405, 'Method Not Allowed: protocol revision 2026-07-28 uses POST only', undefined, ALLOW_STATELESS);
}
