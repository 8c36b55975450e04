/**
 * The client side of Streamable HTTP (MCP 2025-11-25 basic/transports), on undici@7: each message is POSTed, and its
 * answer comes back as JSON or as an SSE stream; after `notifications/initialized` a standalone GET stream carries
 * what the server sends outside any request; `Mcp-Session-Id` and `MCP-Protocol-Version` ride on every request once
 * known; a stream that ends before its answers arrived is resumed with GET and `Last-Event-ID`, after the server's
 * `retry:` delay (SEP-1699); `close()` ends the session with DELETE.
 *
 * It is the base of the load generator, so the POST path is kept light: one keep-alive `Pool` per origin (or a
 * dispatcher the caller shares between many clients), headers rebuilt only when the session or revision changes,
 * `JSON.parse` of the body with no schema pass, and no timer or closure per request beyond undici's own: a request
 * costs one `AbortController`, which ends it once the client gives it up (exchanges.ts).
 */
import { createRequire } from 'node:module';
import type * as Undici from 'undici';
import { ErlmcpError } from '../../errors.js';
import type { JsonRpcMessage, RequestId } from '../../protocol/json-rpc.js';
import type { ClientTransport } from '../../client/client-transport.js';
import { CONTROL_CONNECTIONS, HTTP_CLIENT_DEFAULTS, nonNegative, type StreamableHttpClientOptions } from './http-client-options.js';
import { delay, Exchanges, type Exchange } from './exchanges.js';
import { isInitialized, refusal, requestIds } from './post-answers.js';
import { SseParser } from './sse-parser.js';

export { HTTP_CLIENT_DEFAULTS, type StreamableHttpClientOptions };

/**
 * undici is loaded by the first transport that needs a pool, not when erlmcp is imported: a server process never
 * makes one, and merely importing undici cost a plain node:http server 2-4% more CPU per request (three paired
 * runs, docs/performance.md). undici is CommonJS, so `require` keeps the constructor synchronous.
 */
const require = createRequire(import.meta.url);
let undici: typeof Undici | undefined;

function newPool(origin: string, options: Undici.Pool.Options): Undici.Dispatcher {
  undici ??= require('undici') as typeof Undici;
  return new undici.Pool(origin, options);
}

const EVENT_STREAM = 'text/event-stream';
const SESSION_HEADER = 'mcp-session-id';

type Body = Undici.Dispatcher.ResponseData['body'];

/** A Streamable HTTP client transport for one MCP endpoint. */
export class StreamableHttpClientTransport implements ClientTransport {
  readonly #origin: string;
  readonly #path: string;
  readonly #dispatcher: Undici.Dispatcher;
  /** Messages that are not requests, and the DELETE: an own pool of their own, else the shared dispatcher. */
  readonly #control: Undici.Dispatcher;
  readonly #ownPool: boolean;
  readonly #extraHeaders: Readonly<Record<string, string>>;
  readonly #standaloneStream: boolean;
  readonly #reconnectDelayMs: number;
  readonly #maxReconnects: number;
  readonly #standaloneWaitMs: number;
  readonly #deleteTimeoutMs: number;
  #sessionId: string | undefined;
  #protocolVersion: string | undefined;
  #postHeaders: Record<string, string>;
  #getHeaders: Record<string, string>;
  /** Every POST (with the GETs resuming its stream) and the standalone stream, until they end; aborted on close. */
  readonly #exchanges = new Exchanges();
  /** The standalone stream's exchange while it is open. */
  #standalone: Exchange | undefined;
  #closed = false;
  onmessage?: (message: unknown) => void;
  onerror?: (error: Error) => void;
  onclose?: () => void;

  constructor(url: string | URL, options: StreamableHttpClientOptions = {}) {
    const target = new URL(url);
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `url must be http: or https:, got ${JSON.stringify(String(url))}`);
    }
    this.#origin = target.origin;
    this.#path = `${target.pathname}${target.search}`;
    const connections = options.connections ?? HTTP_CLIENT_DEFAULTS.connections;
    if (!Number.isInteger(connections) || connections <= 0) {
      throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `options.connections must be a positive integer, got ${JSON.stringify(connections)}`);
    }
    this.#ownPool = options.dispatcher === undefined;
    // Timeouts belong to the client (per request) and to the server (`retry:`); a long tool call or a quiet
    // standalone stream is not a dead connection, so undici's own header and body timeouts are off.
    this.#dispatcher = options.dispatcher ?? newPool(this.#origin, { connections, headersTimeout: 0, bodyTimeout: 0 });
    this.#control = options.dispatcher ?? newPool(this.#origin, { connections: CONTROL_CONNECTIONS, headersTimeout: 0, bodyTimeout: 0 });
    this.#extraHeaders = Object.freeze({ ...options.headers });
    this.#standaloneStream = options.standaloneStream ?? true;
    this.#reconnectDelayMs = nonNegative(options.reconnectDelayMs, 'reconnectDelayMs', HTTP_CLIENT_DEFAULTS.reconnectDelayMs);
    this.#maxReconnects = nonNegative(options.maxReconnects, 'maxReconnects', HTTP_CLIENT_DEFAULTS.maxReconnects, true);
    this.#standaloneWaitMs = nonNegative(options.standaloneWaitMs, 'standaloneWaitMs', HTTP_CLIENT_DEFAULTS.standaloneWaitMs);
    this.#deleteTimeoutMs = nonNegative(options.deleteTimeoutMs, 'deleteTimeoutMs', HTTP_CLIENT_DEFAULTS.deleteTimeoutMs);
    this.#postHeaders = {};
    this.#getHeaders = {};
    this.#rebuildHeaders();
  }

  /** The session id the server issued at initialize, if any. */
  get sessionId(): string | undefined {
    return this.#sessionId;
  }

  /** The revision sent as `MCP-Protocol-Version`, once negotiated. */
  get protocolVersion(): string | undefined {
    return this.#protocolVersion;
  }

  /** True while the standalone GET stream is open. */
  get standaloneOpen(): boolean {
    return this.#standalone !== undefined;
  }

  async start(): Promise<void> {
    if (this.#closed) throw new ErlmcpError('ERLMCP_ERR_TRANSPORT_CLOSED', 'The HTTP client transport is closed');
  }

  setProtocolVersion(version: string): void {
    this.#protocolVersion = version;
    this.#rebuildHeaders();
  }

  /**
   * POSTs one message (or batch). For requests it resolves once their answers were delivered to `onmessage`, and
   * rejects when the server refused the POST or its stream ended, beyond resumption, without them.
   */
  async send(message: JsonRpcMessage | JsonRpcMessage[]): Promise<void> {
    if (this.#closed) throw new ErlmcpError('ERLMCP_ERR_TRANSPORT_CLOSED', 'The HTTP client transport is closed');
    const pending = requestIds(message);
    if (pending === undefined) this.#forgetCancelled(message);
    const exchange = this.#exchanges.open(pending);
    let followed = false;
    try {
      followed = await this.#post(message, exchange);
    } catch (err) {
      if (!exchange.signal.aborted) throw err;
      if (this.#closed) throw new ErlmcpError('ERLMCP_ERR_TRANSPORT_CLOSED', 'The HTTP client transport closed before the answer to its POST', { cause: err });
      // Every request of the POST was given up: nobody waits for its answer.
    } finally {
      if (!followed) this.#exchanges.end(exchange);
    }
  }

  /** The POST of `send()`; true when its answer is an SSE stream still followed in the background. */
  async #post(message: JsonRpcMessage | JsonRpcMessage[], exchange: Exchange): Promise<boolean> {
    const requests = exchange.pending.size > 0;
    // A POST with no request in it is answered at once, and may be what a stream on the main pool waits for.
    const dispatcher = requests ? this.#dispatcher : this.#control;
    const sentWith = this.#sessionId;
    const { statusCode, headers, body } = await dispatcher.request({
      origin: this.#origin, path: this.#path, method: 'POST', headers: this.#postHeaders, body: JSON.stringify(message),
      headersTimeout: 0, bodyTimeout: 0, signal: exchange.signal,
    });
    const session = headers[SESSION_HEADER];
    if (typeof session === 'string' && session !== this.#sessionId) {
      this.#sessionId = session;
      this.#rebuildHeaders();
    }
    if (statusCode < 200 || statusCode >= 300) {
      await this.#refused(statusCode, body, exchange.pending, sentWith);
      return false;
    }
    if (!requests) {
      // Notifications and responses are answered 202 with no body; a 200 with a body (some servers) is ignored.
      await body.dump();
      if (statusCode === 202 && isInitialized(message) && this.#standaloneStream) await this.#awaitStandalone();
      return false;
    }
    const type = headers['content-type'];
    if (typeof type === 'string' && type.startsWith(EVENT_STREAM)) {
      await this.#followPostStream(body, exchange);
      return true;
    }
    // A request is answered with JSON or SSE; anything else fails the send, and with it the request, at once,
    // rather than leaving it to time out with the cause lost.
    if (statusCode === 202 || typeof type !== 'string' || !/^application\/json\b/i.test(type)) {
      await body.dump();
      throw new ErlmcpError('ERLMCP_ERR_HTTP_STATUS', `HTTP ${statusCode} with ${typeof type === 'string' ? `content-type ${type}` : 'no content-type'} is no answer to a request: expected application/json or text/event-stream`);
    }
    this.#deliverText(await body.text());
    return false;
  }

  /** Ends the session (DELETE, when it has one), stops every stream and, when it owns it, closes the pool. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // Whoever owns the pool: a shared one would otherwise run this transport's requests and streams on.
    this.#exchanges.abortAll(new ErlmcpError('ERLMCP_ERR_TRANSPORT_CLOSED', 'The HTTP client transport closed'));
    try {
      if (this.#sessionId !== undefined) {
        const res = await this.#control.request({
          origin: this.#origin, path: this.#path, method: 'DELETE', headers: this.#getHeaders,
          headersTimeout: this.#deleteTimeoutMs, bodyTimeout: this.#deleteTimeoutMs,
        });
        await res.body.dump();
      }
    } catch {
      // The server is gone or refuses; the session ends with it either way.
    } finally {
      if (this.#ownPool) await Promise.all([this.#dispatcher.destroy(), this.#control.destroy()]);
      this.onclose?.();
    }
  }

  #rebuildHeaders(): void {
    const common: Record<string, string> = { ...this.#extraHeaders };
    if (this.#sessionId !== undefined) common[SESSION_HEADER] = this.#sessionId;
    if (this.#protocolVersion !== undefined) common['mcp-protocol-version'] = this.#protocolVersion;
    this.#postHeaders = { ...common, 'content-type': 'application/json', accept: `application/json, ${EVENT_STREAM}` };
    this.#getHeaders = { ...common, accept: EVENT_STREAM };
  }

  /**
   * A request the client gave up on (it sends `notifications/cancelled`) is no longer followed, and its POST is
   * aborted once none of its requests is left: a server that kept accepting resumptions without ever answering was
   * polled until close(), and one that honours the cancellation never ends the POST, which held its connection.
   */
  #forgetCancelled(message: JsonRpcMessage | JsonRpcMessage[]): void {
    if (Array.isArray(message) || !('method' in message) || message.method !== 'notifications/cancelled') return;
    const id = message.params?.requestId;
    if (typeof id === 'string' || typeof id === 'number') this.#exchanges.cancel(id);
  }

  /** A non-2xx answer: a JSON-RPC error for our request is delivered as such; anything else fails the send. */
  async #refused(status: number, body: Body, pending: Set<RequestId> | undefined, sentWith: string | undefined): Promise<void> {
    const outcome = refusal(status, await body.text().catch(() => ''), pending, sentWith);
    if (outcome instanceof ErlmcpError) {
      if (outcome.code === 'ERLMCP_ERR_SESSION_NOT_FOUND' && sentWith === this.#sessionId) this.#forgetSession();
      throw outcome;
    }
    this.onmessage?.(outcome.answer);
  }

  #deliverText(text: string): void {
    if (text.length === 0) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      this.onerror?.(new ErlmcpError('ERLMCP_ERR_HTTP_STATUS', 'The server answered with invalid JSON', { cause: err }));
      return;
    }
    if (Array.isArray(value)) for (const item of value) this.onmessage?.(item);
    else this.onmessage?.(value);
  }

  /**
   * Reads a POST's SSE stream until every request of the POST was answered, resuming it with GET and
   * `Last-Event-ID` when it ends first. Reading goes on in the background after the answers, for whatever else the
   * stream carries.
   */
  async #followPostStream(body: Body, exchange: Exchange): Promise<void> {
    const done = new Promise<void>((resolve) => (exchange.answered = resolve));
    const reading = this.#resumeLoop(body, exchange).finally(() => this.#exchanges.end(exchange));
    await Promise.race([done, reading]);
    reading.catch((err: unknown) => {
      if (!this.#closed) this.onerror?.(err as Error);
    });
  }

  async #resumeLoop(first: Body, exchange: Exchange): Promise<void> {
    const { pending, signal } = exchange;
    const parser = this.#parserFor(exchange);
    let body: Body | undefined = first;
    // Attempts count resumptions the server refused or failed in a row. A GET it answers with a stream resets them,
    // events or not: a server polling with SEP-1699 closes each connection before anything new is due.
    let attempts = 0;
    // What failed the last GET when the network did, not the server: it is the cause of the final error.
    let failure: Error | undefined;
    for (;;) {
      if (body !== undefined) await this.#read(body, parser, signal);
      if (pending.size === 0 || this.#closed) return;
      const lastEventId = parser.lastEventId;
      if (lastEventId === '') {
        throw new ErlmcpError('ERLMCP_ERR_STREAM_ENDED', 'The response stream ended before its answer, and gave no event id to resume from');
      }
      if (++attempts > this.#maxReconnects) {
        const why = failure === undefined ? '' : `: the last GET failed (${failure.message})`;
        throw new ErlmcpError('ERLMCP_ERR_STREAM_ENDED', `The response stream could not be resumed after ${this.#maxReconnects} attempts${why}`, { cause: failure });
      }
      await delay(parser.retryMs ?? this.#reconnectDelayMs, signal);
      if (signal.aborted || pending.size === 0) return;
      try {
        body = await this.#get(lastEventId, signal);
        failure = undefined;
      } catch (err) {
        if (signal.aborted) return;
        // A GET the network failed (a reset, a server restarting) is a failed attempt like a refused one.
        body = undefined;
        failure = err as Error;
      }
      if (body !== undefined) attempts = 0;
    }
  }

  /** A GET of an SSE stream, resuming after `lastEventId` when given; undefined when the server offers none. */
  async #get(lastEventId: string | undefined, signal: AbortSignal): Promise<Body | undefined> {
    const headers = lastEventId === undefined ? this.#getHeaders : { ...this.#getHeaders, 'last-event-id': lastEventId };
    const res = await this.#dispatcher.request({ origin: this.#origin, path: this.#path, method: 'GET', headers, headersTimeout: 0, bodyTimeout: 0, signal });
    const type = res.headers['content-type'];
    if (res.statusCode !== 200 || typeof type !== 'string' || !type.startsWith(EVENT_STREAM)) {
      await res.body.dump();
      return undefined;
    }
    return res.body;
  }

  /**
   * The server answered 404 for our session: the next initialize goes without a session id (2025-11-25
   * basic/transports, Session Management: the client MUST start a new session "without a session ID attached"),
   * and the old session's standalone stream is dropped, so that the new session's can open.
   */
  #forgetSession(): void {
    this.#sessionId = undefined;
    this.#rebuildHeaders();
    if (this.#standalone !== undefined) this.#exchanges.abort(this.#standalone, new Error('the session ended'));
  }

  /** Opens the standalone stream, waiting for its headers at most `standaloneWaitMs` (a server may hold them back). */
  async #awaitStandalone(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.#standaloneWaitMs)));
    try {
      await Promise.race([this.#openStandalone(), waited]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Opens the standalone stream and resolves once the server holds it (its headers arrived), so that whatever the
   * server sends right after initialization already has somewhere to go. The stream is then read in the background
   * and resumed when it ends, until close. A server without one (405, or any refusal) is left alone.
   */
  async #openStandalone(): Promise<void> {
    const exchange = this.#exchanges.open();
    let body: Body | undefined;
    try {
      body = await this.#get(undefined, exchange.signal);
    } catch (err) {
      if (!this.#closed) this.onerror?.(err as Error);
    }
    if (body === undefined) {
      this.#exchanges.end(exchange);
      return;
    }
    this.#standalone = exchange;
    void this.#standaloneLoop(body, exchange.signal).finally(() => {
      if (this.#standalone === exchange) this.#standalone = undefined;
      this.#exchanges.end(exchange);
    });
  }

  async #standaloneLoop(first: Body, signal: AbortSignal): Promise<void> {
    const parser = this.#parserFor(undefined);
    let body: Body | undefined = first;
    let attempts = 0;
    while (!this.#closed) {
      if (body !== undefined) {
        try {
          if (await this.#read(body, parser, signal)) attempts = 0;
        } catch (err) {
          // Aborted on purpose (close, or the session is gone): not a failure to report.
          if (!this.#closed && !signal.aborted) this.onerror?.(err as Error);
        }
      }
      if (this.#closed || ++attempts > this.#maxReconnects) return;
      await delay(parser.retryMs ?? this.#reconnectDelayMs, signal);
      if (signal.aborted) return;
      try {
        body = await this.#get(parser.lastEventId === '' ? undefined : parser.lastEventId, signal);
      } catch (err) {
        if (!this.#closed && !signal.aborted) this.onerror?.(err as Error);
        body = undefined;
      }
      // A server that no longer offers the stream (405, ended session) is not asked again and again.
      if (body === undefined) return;
    }
  }

  #parserFor(exchange: Exchange | undefined): SseParser {
    return new SseParser((event) => {
      if (event.data.length === 0 || event.event !== 'message') return;
      let value: unknown;
      try {
        value = JSON.parse(event.data);
      } catch (err) {
        this.onerror?.(new ErlmcpError('ERLMCP_ERR_HTTP_STATUS', 'An SSE event held invalid JSON', { cause: err }));
        return;
      }
      const id = (value as { id?: unknown } | null)?.id;
      if (exchange !== undefined && (typeof id === 'string' || typeof id === 'number') && !('method' in (value as object))) {
        if (exchange.pending.delete(id) && exchange.pending.size === 0) exchange.answered();
      }
      this.onmessage?.(value);
    });
  }

  /** Reads one SSE body to its end; true when it carried at least one chunk. */
  async #read(body: Body, parser: SseParser, signal: AbortSignal): Promise<boolean> {
    // Each body is a new connection: nothing half-read on the last one carries over.
    parser.reset();
    let progressed = false;
    try {
      for await (const chunk of body) {
        progressed = true;
        parser.push(chunk as Buffer);
      }
    } catch (err) {
      // Aborted (given up, or closed): its exchange destroyed it.
      if (signal.aborted) return progressed;
      // A reset connection is a stream that ended: the caller resumes it like a graceful close.
      this.onerror?.(err as Error);
    }
    return progressed;
  }
}
