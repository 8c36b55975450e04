/**
 * The few ways a Streamable HTTP response is written, with headers built once at load.
 *
 * HTTP-level refusals (400, 403, 404, 406, 413, 415) carry a JSON-RPC error body without an id, as the official
 * SDK does, so a client that only reads JSON-RPC still sees a reason.
 */
import type { ServerResponse } from 'node:http';
import { ErrorCode } from '../../protocol/error-codes.js';
import type { JsonRpcMessage } from '../../protocol/json-rpc.js';

/** Headers of a JSON answer. */
export const JSON_HEADERS = Object.freeze({ 'content-type': 'application/json' });

/** Headers of an SSE answer. */
export const SSE_HEADERS = Object.freeze({
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
});

/** Writes a JSON-RPC message (or batch) as a JSON answer. */
export function replyJson(res: ServerResponse, status: number, body: JsonRpcMessage | JsonRpcMessage[], headers: Readonly<Record<string, string>> = JSON_HEADERS): void {
  res.writeHead(status, headers);
  res.end(JSON.stringify(body));
}

/** Refuses a request at the HTTP level, with a JSON-RPC error body naming the reason. */
export function refuse(
  res: ServerResponse,
  status: number,
  message: string,
  code: ErrorCode = ErrorCode.InvalidRequest,
  extraHeaders?: Readonly<Record<string, string>>,
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const headers = extraHeaders ? { ...JSON_HEADERS, ...extraHeaders } : JSON_HEADERS;
  replyJson(res, status, { jsonrpc: '2.0', error: { code, message } }, headers);
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
