/**
 * The client side of Streamable HTTP (MCP 2025-11-25 basic/transports), on undici@7: each message is POSTed, and its
 * answer comes back as JSON or as an SSE stream; after `notifications/initialized` a standalone GET stream carries
 * what the server sends outside any request; `Mcp-Session-Id` and `MCP-Protocol-Version` ride on every request once
 * known; a stream that ends before its answers arrived is resumed with GET and `Last-Event-ID`, after the server's
 * `retry:` delay (SEP-1699, resumable-streams.ts); `close()` ends the session with DELETE.
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
import { CONTROL_CONNECTIONS, HTTP_CLIENT_DEFAULTS, delayMs, nonNegative, positiveInteger, type StreamableHttpClientOptions } from './http-client-options.js';
import { Exchanges, type Exchange } from './exchanges.js';
import { isInitialized, jsonAnswer, refusal, requestIds } from './post-answers.js';
import { ResumableStreams, type ResponseBody } from './resumable-streams.js';

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
/**
 * Media types are case-insensitive (RFC 9110 8.3.1), so `Text/Event-Stream; charset=utf-8` is an event stream too;
 * the type must end at a parameter or the value's end, not merely begin the value.
 */
const EVENT_STREAM_TYPE = /^text\/event-stream[ \t]*(?:;|$)/i;
const SESSION_HEADER = 'mcp-session-id';

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
  readonly #deleteTimeoutMs: number;
  readonly #acceptTimeoutMs: number;
  readonly #maxMessageBytes: number;
  #sessionId: string | undefined;
  #protocolVersion: string | undefined;
  #postHeaders: Record<string, string>;
  #getHeaders: Record<string, string>;
  /** Every POST (with the GETs resuming its stream) and the standalone stream, until they end; aborted on close. */
  readonly #exchanges = new Exchanges();
  /** The POSTs' SSE answers and the standalone stream, read and resumed in resumable-streams.ts. */
  readonly #streams: ResumableStreams;
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
    const limits = Object.freeze({
      reconnectDelayMs: delayMs(options.reconnectDelayMs, 'reconnectDelayMs', HTTP_CLIENT_DEFAULTS.reconnectDelayMs),
      maxReconnects: nonNegative(options.maxReconnects, 'maxReconnects', HTTP_CLIENT_DEFAULTS.maxReconnects, true),
      standaloneWaitMs: delayMs(options.standaloneWaitMs, 'standaloneWaitMs', HTTP_CLIENT_DEFAULTS.standaloneWaitMs),
      maxMessageBytes: positiveInteger(options.maxMessageBytes, 'maxMessageBytes', HTTP_CLIENT_DEFAULTS.maxMessageBytes),
    });
    this.#maxMessageBytes = limits.maxMessageBytes;
    this.#deleteTimeoutMs = delayMs(options.deleteTimeoutMs, 'deleteTimeoutMs', HTTP_CLIENT_DEFAULTS.deleteTimeoutMs);
    this.#acceptTimeoutMs = delayMs(options.acceptTimeoutMs, 'acceptTimeoutMs', HTTP_CLIENT_DEFAULTS.acceptTimeoutMs);
    this.#streams = new ResumableStreams({
      get: (lastEventId, signal) => this.#get(lastEventId, signal),
      deliver: (message) => this.onmessage?.(message),
      report: (err) => this.onerror?.(err),
      closed: () => this.#closed,
    }, this.#exchanges, limits);
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
    return this.#streams.standaloneOpen;
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
      if (exchange.failure !== undefined) throw exchange.failure;
      if (!exchange.signal.aborted) throw err;
      if (this.#closed) throw new ErlmcpError('ERLMCP_ERR_TRANSPORT_CLOSED', 'The HTTP client transport closed before the answer to its POST', { cause: err });
      // Every request of the POST was given up: nobody waits for its answer.
    } finally {
      if (!followed) this.#exchanges.end(exchange);
    }
  }

  /** The POST of `send()`; true when its answer is an SSE stream still followed in the background. */
  async #post(message: JsonRpcMessage | JsonRpcMessage[], exchange: Exchange): Promise<boolean> {
    const sentWith = this.#sessionId;
    if (exchange.pending.size === 0) return this.#postAccepted(message, exchange, sentWith);
    const { statusCode, headers, body } = await this.#dispatcher.request({
      origin: this.#origin, path: this.#path, method: 'POST', headers: this.#postHeaders, body: JSON.stringify(message),
      headersTimeout: 0, bodyTimeout: 0, signal: exchange.signal,
    });
    this.#adoptSession(headers);
    if (statusCode < 200 || statusCode >= 300) {
      await this.#refused(statusCode, body, exchange.pending, sentWith);
      return false;
    }
    const type = headers['content-type'];
    if (typeof type === 'string' && EVENT_STREAM_TYPE.test(type)) {
      await this.#streams.followPost(body, exchange);
      return true;
    }
    // A request is answered with JSON or SSE; anything else fails the send, and with it the request, at once,
    // rather than leaving it to time out with the cause lost.
    if (statusCode === 202 || typeof type !== 'string' || !/^application\/json\b/i.test(type)) {
      await body.dump();
      throw new ErlmcpError('ERLMCP_ERR_HTTP_STATUS', `HTTP ${statusCode} with ${typeof type === 'string' ? `content-type ${type}` : 'no content-type'} is no answer to a request: expected application/json or text/event-stream`);
    }
    const { messages, failure } = jsonAnswer(parseAnswer(await readText(body, this.#maxMessageBytes)), exchange.pending);
    for (const item of messages) this.onmessage?.(item);
    if (failure !== undefined) throw failure;
    return false;
  }

  /** Takes the session id a POST's answer names (initialize's, or a new one the server moved the client to). */
  #adoptSession(headers: Record<string, string | string[] | undefined>): void {
    const session = headers[SESSION_HEADER];
    if (typeof session === 'string' && session !== this.#sessionId) {
      this.#sessionId = session;
      this.#rebuildHeaders();
    }
  }

  /**
   * The POST of notifications and responses, on the control pool (it is answered at once, and may be what a
   * stream on the main pool waits for): answered 202 with no body (a 200 with a body, as
   * some servers send, is ignored). Bounded by `acceptTimeoutMs`, unlike a request's POST, whose answer may take
   * as long as its handler: nothing else ends this one.
   */
  async #postAccepted(message: JsonRpcMessage | JsonRpcMessage[], exchange: Exchange, sentWith: string | undefined): Promise<false> {
    const ms = this.#acceptTimeoutMs;
    let statusCode: number;
    try {
      const answer = await this.#control.request({
        origin: this.#origin, path: this.#path, method: 'POST', headers: this.#postHeaders, body: JSON.stringify(message),
        headersTimeout: ms, bodyTimeout: ms, signal: exchange.signal,
      });
      statusCode = answer.statusCode;
      this.#adoptSession(answer.headers);
      if (statusCode < 200 || statusCode >= 300) {
        await this.#refused(statusCode, answer.body, exchange.pending, sentWith);
        return false;
      }
      await answer.body.dump();
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (code !== 'UND_ERR_HEADERS_TIMEOUT' && code !== 'UND_ERR_BODY_TIMEOUT') throw err;
      throw new ErlmcpError('ERLMCP_ERR_TIMEOUT', `The server did not accept the POST of ${describeMessage(message)} within options.acceptTimeoutMs (${ms} ms)`, { cause: err });
    }
    if (statusCode === 202 && isInitialized(message) && this.#standaloneStream) await this.#streams.openStandalone();
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
  async #refused(status: number, body: ResponseBody, pending: Set<RequestId> | undefined, sentWith: string | undefined): Promise<void> {
    const outcome = refusal(status, await readText(body, this.#maxMessageBytes).catch(() => ''), pending, sentWith);
    if (outcome instanceof ErlmcpError) {
      if (outcome.code === 'ERLMCP_ERR_SESSION_NOT_FOUND' && sentWith === this.#sessionId) this.#forgetSession();
      throw outcome;
    }
    this.onmessage?.(outcome.answer);
  }

  /** A GET of an SSE stream, resuming after `lastEventId` when given; undefined when the server offers none. */
  async #get(lastEventId: string | undefined, signal: AbortSignal): Promise<ResponseBody | undefined> {
    const headers = lastEventId === undefined ? this.#getHeaders : { ...this.#getHeaders, 'last-event-id': lastEventId };
    const sentWith = this.#sessionId;
    const res = await this.#dispatcher.request({ origin: this.#origin, path: this.#path, method: 'GET', headers, headersTimeout: 0, bodyTimeout: 0, signal });
    if (res.statusCode === 404 && sentWith !== undefined) {
      await res.body.dump();
      // A GET carries the session id as a POST does, and a 404 to it means the same (2025-11-25 basic/transports,
      // Session Management): the client MUST start a new session. The client renews on this report; the stream
      // resumed ends here, since its events died with the session.
      const gone = new ErlmcpError('ERLMCP_ERR_SESSION_NOT_FOUND', `HTTP 404 to a GET: the session ${sentWith} is gone`);
      if (sentWith === this.#sessionId) {
        this.#forgetSession();
        this.onerror?.(gone);
      }
      throw new ErlmcpError('ERLMCP_ERR_STREAM_ENDED', `The stream could not be resumed: HTTP 404, the session ${sentWith} is gone`, { cause: gone });
    }
    const type = res.headers['content-type'];
    if (res.statusCode !== 200 || typeof type !== 'string' || !EVENT_STREAM_TYPE.test(type)) {
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
    this.#streams.dropStandalone(new Error('the session ended'));
  }
}

/** The value of a JSON answer; invalid JSON fails the POST's requests, which it was the only answer to. */
function parseAnswer(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ErlmcpError('ERLMCP_ERR_HTTP_STATUS', 'The server answered with invalid JSON: expected the JSON-RPC answer to the POST', { cause: err });
  }
}

/**
 * A body's text, refused past `max` bytes (`maxMessageBytes`): read whole, a server's endless or huge answer grew
 * the client's memory without bound. Leaving the loop early destroys the body, and its connection with it.
 */
async function readText(body: ResponseBody, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > max) {
      throw new ErlmcpError('ERLMCP_ERR_MESSAGE_TOO_LARGE', `The server's answer is over maxMessageBytes (${max} bytes): expected one within it (raise maxMessageBytes to accept such messages)`);
    }
    chunks.push(chunk as Buffer);
  }
  // TextDecoder drops a leading BOM, as undici's body.text() did.
  return new TextDecoder().decode(Buffer.concat(chunks, size));
}

/** What a POST without requests carried, for an error: the notification's method, or the answer's id. */
function describeMessage(message: JsonRpcMessage | JsonRpcMessage[]): string {
  if (Array.isArray(message)) return `a batch of ${message.length} messages`;
  return 'method' in message ? message.method : `the answer to request ${JSON.stringify(message.id)}`;
}
