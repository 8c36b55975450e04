/**
 * The options of `StreamableHttpClientTransport`, their defaults, and their checks: each is validated once, at
 * construction, and a bad one is refused naming it (a string or NaN used to slip through, meaning "retry forever").
 */
import type * as Undici from 'undici';
import { MAX_TIMER_MS } from '../../config/config-schema.js';
import { ErlmcpError } from '../../errors.js';

/** Options of a `StreamableHttpClientTransport`. */
export interface StreamableHttpClientOptions {
  /** Headers added to every request (an `Authorization`, say). */
  headers?: Readonly<Record<string, string>>;
  /** Open the standalone GET stream once `notifications/initialized` is accepted. Default true. */
  standaloneStream?: boolean;
  /** Keep-alive connections of the transport's own pool. Default 16. */
  connections?: number;
  /** Delay before resuming a stream when the server gave no `retry:`, in ms. Default 1000. */
  reconnectDelayMs?: number;
  /** Consecutive resumption attempts of one stream before giving up. Default 5. */
  maxReconnects?: number;
  /**
   * A dispatcher to use instead of an own pool, shared by many clients; it is not closed with the transport. It
   * carries the answers, notifications and DELETE too, so size it for them: a pool whose every connection holds an
   * open SSE stream leaves the answer to a server request queued behind them.
   */
  dispatcher?: Undici.Dispatcher;
  /** How long the handshake waits for the standalone stream's headers before going on without them, in ms. Default 1000. */
  standaloneWaitMs?: number;
  /** How long close() waits for the answer to its DELETE, in ms. Default 2000. */
  deleteTimeoutMs?: number;
  /**
   * How long a POST that carries no request (a notification, or the answer to a server request) waits for the
   * server to accept it, in ms: nothing else ends such a POST, and `McpClient.connect()` waits on the one of
   * `notifications/initialized`. Past it the send fails with ERLMCP_ERR_TIMEOUT. Default 10000.
   */
  acceptTimeoutMs?: number;
  /**
   * Longest message accepted from the server, in bytes: a JSON answer, or one SSE event (counted in UTF-16 units,
   * the bytes of ASCII JSON). One over it fails its request with ERLMCP_ERR_MESSAGE_TOO_LARGE. Default 4 MiB, as
   * the stdio client's.
   */
  maxMessageBytes?: number;
}

/** Default option values, with units in their names. */
export const HTTP_CLIENT_DEFAULTS = Object.freeze({
  connections: 16,
  reconnectDelayMs: 1000,
  maxReconnects: 5,
  standaloneWaitMs: 1000,
  deleteTimeoutMs: 2000,
  acceptTimeoutMs: 10_000,
  maxMessageBytes: 4 * 1024 * 1024,
});

/**
 * Connections of the transport's second own pool, which carries what must never wait behind an open stream: the
 * answers to server requests (the server waits for them while its stream holds a connection), notifications such as
 * `notifications/cancelled`, and the closing DELETE. Each is answered at once (202, or the DELETE's status).
 */
export const CONTROL_CONNECTIONS = 2;

/**
 * An option that must be a finite number, 0 or more (an integer where `integer`), or its default when absent. A
 * delay passes `max` = `MAX_TIMER_MS`: Node fires a `setTimeout` longer than 2^31 - 1 ms after 1 ms, so a huge
 * `reconnectDelayMs` meant resuming at once.
 */
export function nonNegative(value: unknown, name: string, fallback: number, integer = false, max = Number.POSITIVE_INFINITY): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max || (integer && !Number.isInteger(value))) {
    const range = max === Number.POSITIVE_INFINITY ? '0 or more' : `from 0 to ${max}`;
    throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `options.${name} must be ${integer ? 'an integer' : 'a number'}, ${range}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** A delay option: a number of ms from 0 to `MAX_TIMER_MS`, or its default when absent. */
export function delayMs(value: unknown, name: string, fallback: number): number {
  return nonNegative(value, name, fallback, false, MAX_TIMER_MS);
}

/** A positive integer option, or its default when absent. */
export function positiveInteger(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `options.${name} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}
