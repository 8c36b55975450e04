/**
 * The JSON-RPC 2.0 codec: message types, a hand-written envelope check and the response builders.
 *
 * The envelope check is deliberately hand-written rather than a schema pass: it runs on every message, and a few
 * typeof tests cost far less than a validator call (DESIGN.md, "The hot path"). Method-specific params are
 * validated later, by the handler that knows their shape.
 */
import { ErrorCode } from './error-codes.js';
import type { JsonRpcErrorObject } from './wire-error.js';

/** A JSON-RPC request id. */
export type RequestId = string | number;

/** A JSON object. */
export type JsonObject = Record<string, unknown>;

/** A request: it has an id and expects a response. */
export interface JsonRpcRequest {
  jsonrpc: '2.0';
  id: RequestId;
  method: string;
  params?: JsonObject;
}

/** A notification: no id, no response. */
export interface JsonRpcNotification {
  jsonrpc: '2.0';
  method: string;
  params?: JsonObject;
}

/** A successful response. */
export interface JsonRpcResultResponse {
  jsonrpc: '2.0';
  id: RequestId;
  result: JsonObject;
}

/**
 * An error response. `id` is absent only when the request's id could not be read: MCP 2025-11-25 makes it
 * optional there (JSONRPCErrorResponse), and no revision's schema admits `id: null`.
 */
export interface JsonRpcErrorResponse {
  jsonrpc: '2.0';
  id?: RequestId;
  error: JsonRpcErrorObject;
}

/** Any response. */
export type JsonRpcResponse = JsonRpcResultResponse | JsonRpcErrorResponse;

/** Any JSON-RPC message. */
export type JsonRpcMessage = JsonRpcRequest | JsonRpcNotification | JsonRpcResponse;

/** What the envelope check made of one parsed value. */
export const enum MessageKind {
  Request = 1,
  Notification = 2,
  Response = 3,
  Invalid = 4,
}

/** True for a JSON object that is not an array. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Classifies one parsed value by its envelope. Params, when present, must be an object: MCP never uses
 * by-position params.
 */
export function classify(value: unknown): MessageKind {
  if (!isObject(value) || value.jsonrpc !== '2.0') return MessageKind.Invalid;
  const method = value.method;
  if (typeof method === 'string') {
    const params = value.params;
    if (params !== undefined && !isObject(params)) return MessageKind.Invalid;
    if (!('id' in value)) return MessageKind.Notification;
    const id = value.id;
    return typeof id === 'string' || (typeof id === 'number' && Number.isInteger(id))
      ? MessageKind.Request
      : MessageKind.Invalid;
  }
  if (method !== undefined) return MessageKind.Invalid;
  const id = value.id;
  const idKnown = typeof id === 'string' || typeof id === 'number' || id === null;
  if ('result' in value) return idKnown && isObject(value.result) ? MessageKind.Response : MessageKind.Invalid;
  if ('error' in value) {
    // MCP 2025-11-25 JSONRPCErrorResponse makes the id optional (the peer could not read ours), as we send it.
    const err = value.error;
    return (idKnown || id === undefined) && isObject(err) && typeof err.code === 'number' && typeof err.message === 'string'
      ? MessageKind.Response
      : MessageKind.Invalid;
  }
  return MessageKind.Invalid;
}

/**
 * The id of an invalid message, when one can be read, so its error response can be correlated. Only a valid
 * RequestId (a string or an integer) is echoed: a response carrying `id: 1.5` fails every revision's schema, so
 * such an id is as unreadable as a missing one.
 */
export function readableId(value: unknown): RequestId | null {
  if (!isObject(value)) return null;
  const id = value.id;
  return typeof id === 'string' || (typeof id === 'number' && Number.isInteger(id)) ? id : null;
}

/** A result response. */
export function resultResponse(id: RequestId, result: JsonObject): JsonRpcResultResponse {
  return { jsonrpc: '2.0', id, result };
}

/** An error response; a null id (unreadable) is left out. */
export function errorResponse(id: RequestId | null, error: JsonRpcErrorObject): JsonRpcErrorResponse {
  return id === null ? { jsonrpc: '2.0', error } : { jsonrpc: '2.0', id, error };
}

/** An error response built from a code and message. */
export function errorResponseOf(
  id: RequestId | null,
  code: ErrorCode,
  message: string,
  data?: unknown,
): JsonRpcErrorResponse {
  return errorResponse(id, data === undefined ? { code, message } : { code, message, data });
}

/** The outcome of decoding one wire message. */
export type Decoded =
  | { ok: true; value: unknown }
  | { ok: false; response: JsonRpcErrorResponse };

/** Parses one message's text. A parse failure becomes the -32700 response to send back. */
export function decode(text: string): Decoded {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, response: errorResponseOf(null, ErrorCode.ParseError, 'Parse error: invalid JSON') };
  }
}

/** The JSON text of results that never change (initialize's, one per revision), made once. */
const RESULT_TEXTS = new WeakMap<object, string>();

/**
 * Serialises a result that never changes, once: returns a deeply frozen copy whose responses reuse that text
 * (`stringifyMessage`) instead of serialising it again. The copy is made from the text itself, so nothing the
 * caller still holds (a user's icons array, say) can make the two disagree. An initialize answer is mostly its
 * result.
 */
export function preserialize(result: JsonObject): JsonObject {
  const text = JSON.stringify(result);
  const copy = deepFreeze(JSON.parse(text) as JsonObject);
  RESULT_TEXTS.set(copy, text);
  return copy;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/**
 * The wire text of a message or batch: `JSON.stringify`, except that a response carrying a preserialized result
 * splices in its text (the same bytes, since `resultResponse` orders jsonrpc, id, result).
 */
export function stringifyMessage(message: JsonRpcMessage | JsonRpcMessage[]): string {
  if (!Array.isArray(message) && 'result' in message) {
    const text = RESULT_TEXTS.get(message.result);
    if (text !== undefined) return `{"jsonrpc":"2.0","id":${JSON.stringify(message.id)},"result":${text}}`;
  }
  return JSON.stringify(message);
}

/** True for a response message (either kind). */
export function isResponse(msg: JsonRpcMessage): msg is JsonRpcResponse {
  return 'result' in msg || 'error' in msg;
}

/** True for a request message. */
export function isRequest(msg: JsonRpcMessage): msg is JsonRpcRequest {
  return 'method' in msg && 'id' in msg;
}
