/**
 * What a POST of the Streamable HTTP client carries and what its refusal means, apart from the transport's state:
 * the ids of the requests in a message (the answers `send()` waits for), whether it is the `notifications/initialized`
 * that opens the standalone stream, and what a non-2xx answer becomes. Kept out of streamable-http-client.ts so that
 * file holds the connection logic only.
 */
import { ErlmcpError } from '../../errors.js';
import type { ErrorCode } from '../../protocol/error-codes.js';
import { isObject, type JsonRpcMessage, type RequestId } from '../../protocol/json-rpc.js';
import { WireError } from '../../protocol/wire-error.js';

/** The ids of the requests in a message or batch; undefined when it holds none. */
export function requestIds(message: JsonRpcMessage | JsonRpcMessage[]): Set<RequestId> | undefined {
  if (!Array.isArray(message)) {
    return 'method' in message && 'id' in message ? new Set([message.id]) : undefined;
  }
  const ids = new Set<RequestId>();
  for (const m of message) if ('method' in m && 'id' in m) ids.add(m.id);
  return ids.size === 0 ? undefined : ids;
}

/** True for `notifications/initialized`, after whose 202 the standalone stream is opened. */
export function isInitialized(message: JsonRpcMessage | JsonRpcMessage[]): boolean {
  return !Array.isArray(message) && 'method' in message && message.method === 'notifications/initialized';
}

/**
 * A non-2xx answer with body `text`: a JSON-RPC error for one of the `pending` requests is that request's answer,
 * to deliver; anything else is an error to fail the send with, naming the status and the server's detail. A 404
 * once the server issued `sessionId` means the session is gone whatever its body says: servers echo the request's
 * id in that refusal (JSON-RPC 2.0 section 5), and delivering it as the answer would skip the new session the
 * client MUST then start (2025-11-25 basic/transports, Session Management).
 */
export function refusal(status: number, text: string, pending: ReadonlySet<RequestId> | undefined, sessionId: string | undefined): { answer: unknown } | ErlmcpError {
  let detail = text.slice(0, 200);
  const sessionGone = status === 404 && sessionId !== undefined;
  try {
    const parsed = JSON.parse(text) as { id?: RequestId; error?: { message?: unknown } };
    if (!sessionGone && parsed.id !== undefined && pending?.has(parsed.id) === true && parsed.error !== undefined) return { answer: parsed };
    if (typeof parsed.error?.message === 'string') detail = parsed.error.message;
  } catch {
    // Not JSON: the text itself is the detail.
  }
  if (sessionGone) {
    return new ErlmcpError('ERLMCP_ERR_SESSION_NOT_FOUND', `HTTP 404: the session ${sessionId} is gone${detail ? ` (${detail})` : ''}`);
  }
  return new ErlmcpError('ERLMCP_ERR_HTTP_STATUS', `HTTP ${status}${detail ? `: ${detail}` : ''}`);
}

/**
 * The messages of a POST's JSON answer to deliver, and the failure of the POST's requests that it left unanswered.
 * A JSON answer is the whole answer: nothing more can come for a request it lacks, which would otherwise wait out
 * its timeout (forever with none). An error response without an id, or with `id: null` (the server could not tie it
 * to our request, JSON-RPC 2.0 section 5), is that failure rather than a message: delivered, it named no request.
 */
export function jsonAnswer(value: unknown, pending: ReadonlySet<RequestId>): { messages: unknown[]; failure: Error | undefined } {
  const left = new Set(pending);
  const messages: unknown[] = [];
  let idless: WireError | undefined;
  for (const item of Array.isArray(value) ? value : [value]) {
    const id = isObject(item) && !('method' in item) ? item.id : undefined;
    if (typeof id === 'string' || typeof id === 'number') left.delete(id);
    const error = idlessError(item);
    if (error !== undefined) {
      idless ??= error;
      continue;
    }
    messages.push(item);
  }
  if (left.size === 0) return { messages, failure: undefined };
  const failure = idless ?? new ErlmcpError('ERLMCP_ERR_HTTP_STATUS', `The server's JSON answer to the POST lacked an answer: expected the answer to request ${[...left].map((id) => JSON.stringify(id)).join(', ')}`);
  return { messages, failure };
}

/**
 * An error response with no id or `id: null` (its sender could not read the request's id, JSON-RPC 2.0 section 5),
 * as the error it is; undefined for any other message. On a POST's answer it can only be about that POST's requests.
 */
export function idlessError(item: unknown): WireError | undefined {
  if (!isObject(item) || 'method' in item || (item.id !== undefined && item.id !== null)) return undefined;
  const error = item.error;
  if (!isObject(error) || typeof error.code !== 'number' || typeof error.message !== 'string') return undefined;
  return new WireError(error.code as ErrorCode, error.message, error.data);
}
