/**
 * The error that crosses the wire: a JSON-RPC code from `ErrorCode`, a message, and optional data.
 *
 * Handlers throw it to answer with a protocol error. Anything else a handler throws is either a tool execution
 * error (tools/call answers `isError: true`) or an internal failure (-32603 with a generic message: no stack
 * trace leaves the process).
 */
import { ErrorCode } from './error-codes.js';

/** A JSON-RPC error object, as it appears in a response. */
export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

/** An error that is sent to the peer as a JSON-RPC error response. */
export class WireError extends Error {
  readonly code: ErrorCode;
  readonly data: unknown;

  constructor(code: ErrorCode, message: string, data?: unknown, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WireError';
    this.code = code;
    this.data = data;
  }

  /** The JSON-RPC error object for this error. */
  toJSON(): JsonRpcErrorObject {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data };
  }
}

/**
 * The failure of a request a server sent to its client (`sampling/createMessage`, `elicitation/create`,
 * `roots/list`): the client's error answer, or no answer in time. A handler may read its code, but it is not the
 * handler's own protocol error: one that escapes a handler is that handler's failure (a tools/call `isError`,
 * elsewhere -32603), never an answer carrying the client's code, which names the wrong request: a client's -32601
 * for sampling read as "tools/call: Method not found".
 */
export class PeerRequestError extends WireError {
  constructor(code: ErrorCode, message: string, data?: unknown) {
    super(code, message, data);
    this.name = 'PeerRequestError';
  }
}

/** The -32001 of a request a server sent to its client that got no answer in time. */
export function peerRequestTimeout(method: string, timeoutMs: number): PeerRequestError {
  return new PeerRequestError(ErrorCode.RequestTimeout, `Request ${method} timed out after ${timeoutMs} ms`);
}

/** Builds a -32602 error. */
export function invalidParams(message: string, data?: unknown): WireError {
  return new WireError(ErrorCode.InvalidParams, message, data);
}

/** Builds a -32601 error naming the method. */
export function methodNotFound(method: string): WireError {
  return new WireError(ErrorCode.MethodNotFound, `Method not found: ${method}`);
}

/** Builds the -32001 of a request to the peer that got no answer in time. */
export function requestTimeout(method: string, timeoutMs: number): WireError {
  return new WireError(ErrorCode.RequestTimeout, `Request ${method} timed out after ${timeoutMs} ms`);
}
