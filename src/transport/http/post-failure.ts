/**
 * The answer to a request whose serving failed unexpectedly: a store or bus that failed under it (a lost Redis
 * connection, say). A 500 with -32603 and no detail on the wire; the error itself goes to the diagnostics channel.
 * Kept apart from streamable-http.ts because it runs only on that failure path, and re-reads the body for its id.
 */
import type { ServerResponse } from 'node:http';
import { internalError, type EventOrigin, type InternalErrorEvent } from '../../diagnostics/channels.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import { MessageKind, classify, decode, type JsonRpcRequest, type RequestId } from '../../protocol/json-rpc.js';
import { utf8Text } from '../utf8-text.js';
import { TOO_LARGE, UNREADABLE, type BodyResult } from './body-reader.js';
import { refuse } from './http-reply.js';

/**
 * A store or bus that failed under a request (a lost Redis connection, say) is answered with 500 and -32603, with
 * no detail on the wire; the error goes to the diagnostics channel, naming the server's `origin`. `requestId`, when
 * known, is echoed.
 */
export function failed(origin: EventOrigin, res: ServerResponse, err: unknown, requestId?: RequestId): void {
  if (internalError.hasSubscribers) internalError.publish({ error: err, origin } satisfies InternalErrorEvent);
  if (res.headersSent) res.end();
  else refuse(res, 500, 'Internal error', ErrorCode.InternalError, undefined, requestId);
}

/**
 * `failed` for a POST: its 500 echoes the id of the one request the body carried (none for a batch, a notification
 * or a response), as the session-era refusals do (JSON-RPC 2.0 section 5). The id is read again from the body here,
 * on the failure path alone: keeping it from the first parse would cost every POST, for the rare one that fails.
 */
export function failedPost(origin: EventOrigin, res: ServerResponse, err: unknown, read: BodyResult): void {
  const text = res.headersSent || read === TOO_LARGE || read === UNREADABLE ? undefined : utf8Text(read);
  const decoded = text === undefined ? undefined : decode(text);
  const isRequest = decoded?.ok === true && classify(decoded.value) === MessageKind.Request;
  failed(origin, res, err, isRequest ? (decoded.value as JsonRpcRequest).id : undefined);
}
