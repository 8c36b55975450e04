/**
 * The few ways a Streamable HTTP response is written, with headers built once at load.
 *
 * A JSON answer carries a Content-Length, so `node:http` sends header and body in one buffer with no chunk framing
 * (as the raw node:http ceiling of bench/ does). Measured paired, that alone is CPU-neutral: the `writev` at the
 * top of the hot path's profile is the socket write itself, there with or without chunking (docs/performance.md).
 * An SSE answer of a POST is corked for one tick, which is not neutral: about 20% less CPU per request in `sse`
 * response mode.
 *
 * HTTP-level refusals (400, 403, 404, 406, 413, 415) carry a JSON-RPC error body, so a client that only reads
 * JSON-RPC still sees a reason. Its id is the request's once the body was parsed as one request (JSON-RPC 2.0
 * section 5; the 2025-03-26 and 2025-06-18 schemas require it), else absent, as the official SDK sends it.
 */
import type { ServerResponse } from 'node:http';
import { ErrorCode } from '../../protocol/error-codes.js';
import { errorResponseOf, stringifyMessage, type JsonRpcMessage, type RequestId } from '../../protocol/json-rpc.js';
import { OVERLOAD_RETRY_AFTER_MS, overloadedResponse } from '../../protocol/overload.js';

/** Headers of a JSON refusal that carries extra headers (the rare path). */
const JSON_HEADERS = Object.freeze({ 'content-type': 'application/json' });

/**
 * Headers of an SSE answer. No `Connection` header: node:http decides keep-alive from the request and writes
 * `Connection` and `Keep-Alive` itself, while an explicit `keep-alive` would override a client's
 * `Connection: close` (RFC 9112 9.6) and an HTTP/1.0 client's default.
 */
export const SSE_HEADERS = Object.freeze({
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache, no-transform',
});

/**
 * Writes a JSON-RPC message (or batch) as a JSON answer, stringified once, with its Content-Length, and the session
 * id when one is given (initialize). Each header set is a fresh literal: node:http reads it once, in writeHead, and
 * keeps nothing of it; on Node 20 `{ ...shared, 'content-length': n }` costs about 150 ns, a literal 20 ns.
 */
export function replyJson(res: ServerResponse, status: number, body: JsonRpcMessage | JsonRpcMessage[], sessionId?: string): void {
  replyText(res, status, stringifyMessage(body), sessionId);
}

/** Writes a JSON answer already serialised (a request's answer, which the dispatcher serialises), as `replyJson`. */
export function replyText(res: ServerResponse, status: number, text: string, sessionId?: string): void {
  const length = Buffer.byteLength(text);
  res.writeHead(status, sessionId === undefined
    ? { 'content-type': 'application/json', 'content-length': length }
    : { 'content-type': 'application/json', 'content-length': length, 'mcp-session-id': sessionId });
  res.end(text);
}

/**
 * Writes a complete SSE body (`sseAnswerBody`) with its Content-Length: one write, no chunked framing. The headers
 * are those of `SSE_HEADERS`, written as a literal (see `replyJson`).
 */
export function replySseBody(res: ServerResponse, body: string): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache, no-transform',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/**
 * Refuses a request at the HTTP level, with a JSON-RPC error body naming the reason; `id` is the request's, when
 * its body was parsed as one request (a notification, a response or a batch has none to echo).
 */
export function refuse(
  res: ServerResponse,
  status: number,
  message: string,
  code: ErrorCode = ErrorCode.InvalidRequest,
  extraHeaders?: Readonly<Record<string, string>>,
  id?: RequestId,
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = errorResponseOf(id ?? null, code, message);
  if (extraHeaders === undefined) return replyJson(res, status, body);
  const text = stringifyMessage(body);
  res.writeHead(status, { ...JSON_HEADERS, ...extraHeaders, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * 413 for a body over the limit, closing the connection: the body is not read, so nothing else can follow on it.
 * Shared with the endpoint's own check of the bytes that arrive (chunked bodies, or a Content-Length that lied).
 */
export function refuseTooLarge(res: ServerResponse, maxBodyBytes: number): void {
  res.setHeader('connection', 'close');
  refuse(res, 413, `Payload Too Large: the body exceeds ${maxBodyBytes} bytes`);
}

/**
 * The Retry-After of every 503 Overloaded answer: the body's `data.retryAfterMs` in whole seconds (RFC 9110 10.2.3),
 * from the one constant, so header and body agree.
 */
export const OVERLOAD_HEADERS = Object.freeze({ 'retry-after': String(Math.ceil(OVERLOAD_RETRY_AFTER_MS / 1000)) });

/** Refuses a request the server has no room for: 503, Retry-After and an Overloaded error with its retry hint. */
export function refuseOverloaded(res: ServerResponse, message: string, id?: RequestId): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  replyOverloadedText(res, stringifyMessage(overloadedResponse(id ?? null, message)));
}

/** Writes an Overloaded answer already serialised (a 2026-07-28 refusal) as `refuseOverloaded` does. */
export function replyOverloadedText(res: ServerResponse, text: string): void {
  res.writeHead(503, { ...JSON_HEADERS, ...OVERLOAD_HEADERS, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Answers 202 Accepted with no body (notifications and responses). */
export function accepted(res: ServerResponse): void {
  res.writeHead(202);
  res.end();
}

/** Starts an SSE answer; `extra` adds headers such as the session id. */
export function openSse(res: ServerResponse, extra?: Readonly<Record<string, string>>): void {
  res.writeHead(200, extra ? { ...SSE_HEADERS, ...extra } : SSE_HEADERS);
  res.flushHeaders();
}

/**
 * Starts the SSE answer of a POST, corked until the next tick: a handler that answers at once (every request, in
 * `sse` response mode) then sends headers, priming event, result and terminator in one write instead of four, and
 * one that keeps streaming still gets its headers out within the tick.
 */
export function openPostSse(res: ServerResponse): void {
  // A pipelined response has no socket until the one before it ends; it is written from a buffer then anyway.
  if (res.socket === null) return openSse(res);
  res.cork();
  openSse(res);
  process.nextTick(uncork, res);
}

function uncork(res: ServerResponse): void {
  // end() uncorks fully by itself; a response that already ended has nothing left to release.
  if (!res.writableEnded) res.uncork();
}
