/**
 * The one way an Overloaded (-32003) error is made, so that every one carries the retry hint its code documents
 * (`data.retryAfterMs`, DESIGN.md "Every queue is bounded"). Each refusal had written the code itself, and only the
 * newest (the connection bound) remembered the hint: a client that reads JSON-RPC but not HTTP headers, or one on
 * stdio or a memory connection, which have none, was told the server was busy but not when to come back. The hint
 * and the HTTP transport's Retry-After are both derived from `OVERLOAD_RETRY_AFTER_MS`, so they cannot disagree.
 */
import { EraError } from './era.js';
import { ErrorCode } from './error-codes.js';
import { errorResponseOf, type JsonRpcErrorResponse, type RequestId } from './json-rpc.js';

/**
 * When a client refused as overloaded should try again. One second for every refusal: a connection, a session or
 * a drained process's place frees up within seconds (a keep-alive connection idles out after 5 s), so a sooner retry
 * mostly meets the bound again, and a later one waits for nothing. A whole number of seconds, as Retry-After takes.
 */
export const OVERLOAD_RETRY_AFTER_MS = 1000;

/** The `data` of every Overloaded error: one frozen object, never built per refusal. */
export const OVERLOAD_DATA: Readonly<{ retryAfterMs: number }> = Object.freeze({ retryAfterMs: OVERLOAD_RETRY_AFTER_MS });

/** The Overloaded answer to request `id` (null for a request never read), carrying the hint. */
export function overloadedResponse(id: RequestId | null, message: string): JsonRpcErrorResponse {
  return errorResponseOf(id, ErrorCode.Overloaded, message, OVERLOAD_DATA);
}

/** An Overloaded refusal thrown in the 2026-07-28 era: HTTP 503, with the hint. */
export function overloadedEraError(message: string): EraError {
  return new EraError(ErrorCode.Overloaded, message, 503, OVERLOAD_DATA);
}
