/**
 * The requests a client has in flight: numeric ids, per-request timeouts, cancellation by AbortSignal, and progress
 * routed by token.
 *
 * Unlike the server's `RequestCorrelator` (rare server-to-client requests, one timer each), a client may hold
 * thousands of requests at once (the load generator), so timeouts share one coarse sweep timer, as undici's
 * `util/timers.js` does: a deadline is a number in the entry, the sweep runs every `resolutionMs` while any entry
 * has one, and a timeout fires up to one resolution late. No timer or closure is allocated per request unless the
 * caller passes a signal.
 *
 * Progress tokens are one table too: a token is "unique across all active requests" (basic/utilities/progress), so
 * the token the client generates for an `onProgress` request and a token the caller put in `_meta` itself are kept
 * apart. A caller's token already in flight is refused; a generated token steps aside from a caller's that holds it.
 */
import { ErrorCode } from '../protocol/error-codes.js';
import type { JsonObject, JsonRpcResponse } from '../protocol/json-rpc.js';
import { WireError, requestTimeout } from '../protocol/wire-error.js';
import type { ProgressNotification } from './client-types.js';

/** Options of one request. */
export interface RequestOptions {
  /** Fail the request (and cancel it at the server) after this long, in ms. 0 disables. Default: the client's. */
  timeoutMs?: number;
  /** Aborting it fails the request with the signal's reason and sends `notifications/cancelled`. */
  signal?: AbortSignal;
  /**
   * Receives the request's progress notifications; asking for them adds a `progressToken` the client generates,
   * in place of any in `params._meta`.
   */
  onProgress?: (progress: ProgressNotification) => void;
  /** Restart the timeout on each progress notification. Default false. */
  resetTimeoutOnProgress?: boolean;
  /**
   * The longest the request may take in all, in ms, progress or not: the bound on `resetTimeoutOnProgress`
   * (basic/lifecycle "Timeouts": a sender SHOULD always enforce a maximum). 0 (the default) sets none.
   */
  maxTotalTimeoutMs?: number;
}

interface Pending {
  method: string;
  resolve: (result: JsonObject) => void;
  reject: (err: Error) => void;
  /** `performance.now()` deadline; 0 for none. */
  deadline: number;
  /** `performance.now()` deadline that progress does not move; 0 for none. */
  hardDeadline: number;
  maxTotalMs: number;
  timeoutMs: number;
  resetOnProgress: boolean;
  onProgress: ((progress: ProgressNotification) => void) | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  /** The request's progress token in `#tokens`, generated or the caller's own; undefined for none. */
  token: ProgressToken | undefined;
}

/** A progress token (MCP `ProgressToken`). */
export type ProgressToken = string | number;

/** Tells the peer a request was given up (`notifications/cancelled`). */
export type CancelFn = (id: number, reason: string) => void;

/** The table of a client's requests in flight. */
export class PendingRequests {
  readonly #entries = new Map<number, Pending>();
  /** The progress token of every request in flight that has one, to that request's id. */
  readonly #tokens = new Map<ProgressToken, number>();
  readonly #cancel: CancelFn;
  readonly #resolutionMs: number;
  #timer: NodeJS.Timeout | undefined;
  #withDeadline = 0;
  #next = 0;

  constructor(cancel: CancelFn, resolutionMs: number) {
    this.#cancel = cancel;
    this.#resolutionMs = resolutionMs;
  }

  /** Requests awaiting their answer. */
  get size(): number {
    return this.#entries.size;
  }

  /** True while request `id` awaits its answer (not answered, timed out, aborted or failed). */
  has(id: number): boolean {
    return this.#entries.has(id);
  }

  /**
   * Registers a request and returns its id, its progress token (generated when it has `onProgress`, else
   * `callerToken`) and the promise of its result. The caller has already refused a signal that was aborted before
   * the request was sent, and a `callerToken` that `tokenInUse`.
   */
  open(method: string, timeoutMs: number, options: RequestOptions | undefined, callerToken?: ProgressToken): { id: number; token: ProgressToken | undefined; result: Promise<JsonObject> } {
    const id = ++this.#next;
    const token = options?.onProgress === undefined ? callerToken : this.#generateToken(id);
    let resolve!: (result: JsonObject) => void;
    let reject!: (err: Error) => void;
    const result = new Promise<JsonObject>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const signal = options?.signal;
    const entry: Pending = {
      method, resolve, reject, timeoutMs,
      deadline: timeoutMs > 0 ? performance.now() + timeoutMs : 0,
      hardDeadline: options?.maxTotalTimeoutMs ? performance.now() + options.maxTotalTimeoutMs : 0,
      maxTotalMs: options?.maxTotalTimeoutMs ?? 0,
      resetOnProgress: options?.resetTimeoutOnProgress === true,
      onProgress: options?.onProgress,
      signal,
      onAbort: undefined,
      token,
    };
    if (signal !== undefined) {
      entry.onAbort = () => {
        const reason = abortReason(signal);
        this.#giveUp(id, reason, reason.message);
      };
      signal.addEventListener('abort', entry.onAbort, { once: true });
    }
    this.#entries.set(id, entry);
    if (token !== undefined) this.#tokens.set(token, id);
    // The total bound holds with or without progress: the sooner of the two deadlines is the one swept for.
    if (entry.hardDeadline > 0 && (entry.deadline === 0 || entry.hardDeadline < entry.deadline)) entry.deadline = entry.hardDeadline;
    if (entry.deadline > 0 && ++this.#withDeadline === 1) this.#startSweep();
    return { id, token, result };
  }

  /** True when `token` is the progress token of a request in flight, so another request may not use it. */
  tokenInUse(token: ProgressToken): boolean {
    return this.#tokens.has(token);
  }

  /** Settles the request a response answers; false when no request of ours has its id. */
  settle(response: JsonRpcResponse): boolean {
    const id = response.id;
    if (typeof id !== 'number') return false;
    const entry = this.#take(id);
    if (entry === undefined) return false;
    if ('result' in response) entry.resolve(response.result);
    else entry.reject(new WireError(response.error.code as ErrorCode, response.error.message, response.error.data));
    return true;
  }

  /**
   * True when `id` is one this table issued: a response for it that `settle` did not match answers a request given
   * up (timed out or cancelled), which a Streamable HTTP server still answers, and is not an error.
   */
  issued(id: unknown): boolean {
    return typeof id === 'number' && Number.isInteger(id) && id > 0 && id <= this.#next;
  }

  /** Fails one request locally (its transport could not send it), without telling the peer. */
  fail(id: number, err: Error): void {
    this.#take(id)?.reject(err);
  }

  /** Routes a progress notification to its request; false when the token is not one of ours. */
  progress(params: ProgressNotification): boolean {
    const id = this.#tokens.get(params.progressToken);
    const entry = id === undefined ? undefined : this.#entries.get(id);
    if (entry === undefined) return false;
    if (entry.resetOnProgress && entry.timeoutMs > 0) {
      const next = performance.now() + entry.timeoutMs;
      entry.deadline = entry.hardDeadline > 0 ? Math.min(next, entry.hardDeadline) : next;
    }
    entry.onProgress?.(params);
    return true;
  }

  /** Fails every request, for a client that closes. */
  rejectAll(err: Error): void {
    for (const id of [...this.#entries.keys()]) this.#take(id)?.reject(err);
  }

  #take(id: number): Pending | undefined {
    const entry = this.#entries.get(id);
    if (entry === undefined) return undefined;
    this.#entries.delete(id);
    if (entry.token !== undefined) this.#tokens.delete(entry.token);
    if (entry.onAbort !== undefined) entry.signal?.removeEventListener('abort', entry.onAbort);
    if (entry.deadline > 0 && --this.#withDeadline === 0) this.#stopSweep();
    return entry;
  }

  /**
   * The request's id, unless a caller's own token in flight is that number: then a string form of it no request
   * in flight holds, since the caller's token was there first.
   */
  #generateToken(id: number): ProgressToken {
    let token: ProgressToken = id;
    for (let n = 1; this.#tokens.has(token); n++) token = `${id}.${n}`;
    return token;
  }

  #giveUp(id: number, err: Error, reason: string): void {
    const entry = this.#take(id);
    if (entry === undefined) return;
    // basic/utilities/cancellation: the initialize request MUST NOT be cancelled by clients.
    if (entry.method !== 'initialize') this.#cancel(id, reason);
    entry.reject(err);
  }

  #startSweep(): void {
    // Kept ref'd: it exists only while a request with a deadline is pending, and that request's caller is waiting
    // for it to settle one way or the other, even over a transport that holds no handle (memory).
    this.#timer = setInterval(this.#sweep, this.#resolutionMs);
  }

  #stopSweep(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #sweep = (): void => {
    const now = performance.now();
    for (const [id, entry] of this.#entries) {
      if (entry.deadline === 0 || entry.deadline > now) continue;
      const total = entry.hardDeadline > 0 && entry.hardDeadline <= now;
      this.#giveUp(id, requestTimeout(entry.method, total ? entry.maxTotalMs : entry.timeoutMs), 'timeout');
    }
  };
}

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error(String(reason ?? 'aborted'));
}
