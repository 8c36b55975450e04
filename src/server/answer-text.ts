/**
 * The wire text of a request's answer, made once, by the dispatcher that settles the request (the session era's
 * `Dispatcher`, the stateless era's `ModernEra`), before the request's end is published. Transports write the text
 * as they receive it: an HTTP body, SSE data, a stdio line; the memory transport parses it back, as a peer across a
 * wire would.
 *
 * Serialising where the outcome is published is what makes the published outcome true. A response JSON cannot
 * carry (a BigInt or a cycle in a handler's result, in a `WireError`'s data) is answered -32603 with its id, like
 * any handler failure; serialised by the transport after `erlmcp:request:end`, it was published as the result the
 * client never got, and metrics counted it `ok`. A counter cannot be corrected after the fact (it only grows), so
 * the event has to wait for the text.
 */
import { internalError, type EventOrigin, type InternalErrorEvent } from '../diagnostics/channels.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { errorResponse, stringifyMessage, type JsonRpcErrorResponse, type JsonRpcResponse } from '../protocol/json-rpc.js';
import type { JsonRpcErrorObject } from '../protocol/wire-error.js';

/** The error of an answer JSON could not carry: generic, as for any internal failure (no detail on the wire). */
const UNSERIALIZABLE: JsonRpcErrorObject = Object.freeze({ code: ErrorCode.InternalError, message: 'Internal error' });

/**
 * Where an answer is made: the request's session and the server. Read only when the answer fails, so a request's
 * handler context serves as it is, and the stateless era passes one object made with the server.
 */
export interface AnswerScope {
  readonly sessionId: string | undefined;
  readonly origin: EventOrigin;
}

/**
 * The JSON text of `response`, or undefined when JSON cannot carry it; the failure is then published on
 * `erlmcp:server:error` with the request's method, its session and its server (`scope`), and the caller answers
 * `unserializableAnswer`.
 */
export function answerText(response: JsonRpcResponse, method: string, scope: AnswerScope): string | undefined {
  try {
    return stringifyMessage(response);
  } catch (err) {
    if (internalError.hasSubscribers) internalError.publish({ error: err, method, sessionId: scope.sessionId, origin: scope.origin } satisfies InternalErrorEvent);
    return undefined;
  }
}

/** What a request whose answer JSON cannot carry is answered instead: -32603 with its id. */
export function unserializableAnswer(response: JsonRpcResponse): JsonRpcErrorResponse {
  return errorResponse(response.id ?? null, UNSERIALIZABLE);
}
