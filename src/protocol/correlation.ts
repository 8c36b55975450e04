/**
 * Correlation of the requests a server sends to its client (`sampling/createMessage`, `elicitation/create`,
 * `roots/list`, `ping`): ids, timeouts and cancellation.
 *
 * Ids carry a per-process prefix, so that when a session is served by several processes the answer can be routed
 * back to the process that asked. A timer exists only while a request is pending and is cleared on settle; these
 * requests are rare (a handler asking its user), unlike client requests, so no shared timer wheel is needed here.
 */
import { randomBytes } from 'node:crypto';
import type { JsonObject, JsonRpcNotification, JsonRpcRequest, JsonRpcResponse, RequestId } from './json-rpc.js';
import { PeerRequestError, peerRequestTimeout } from './wire-error.js';

/** Options of one outgoing request. */
export interface OutgoingRequestOptions {
  /** How long to wait for the answer before failing with a timeout and cancelling it at the peer. */
  timeoutMs: number;
  /** Aborting it cancels the request at the peer (`notifications/cancelled`). */
  signal?: AbortSignal;
  /**
   * The input key of a 2026-07-28 multi round-trip (`inputRequests` / `inputResponses`); session-era requests
   * ignore it.
   */
  key?: string;
}

interface Pending {
  send: SendFn;
  method: string;
  resolve: (result: JsonObject) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

const PROCESS_PREFIX = `srv-${randomBytes(4).toString('hex')}-`;

/** Writes one message towards the peer, on the stream the request belongs to. */
export type SendFn = (msg: JsonRpcRequest | JsonRpcNotification) => void;

/** Tracks the requests one session has in flight towards its peer. */
export class RequestCorrelator {
  /** Made on the first request: most sessions never send one. */
  #pending: Map<RequestId, Pending> | undefined;
  #next = 0;

  /** Number of requests awaiting an answer. */
  get size(): number {
    return this.#pending?.size ?? 0;
  }

  /**
   * Sends a request through `send` and resolves with its result, or rejects with the peer's error, a timeout or
   * the abort. A cancellation, when one is due, goes out through the same `send`.
   */
  request(
    send: SendFn,
    method: string,
    params: JsonObject | undefined,
    options: OutgoingRequestOptions,
  ): Promise<JsonObject> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const id = PROCESS_PREFIX + String(++this.#next);
    return new Promise<JsonObject>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#cancel(id, 'timeout');
        reject(peerRequestTimeout(method, options.timeoutMs));
      }, options.timeoutMs);
      timer.unref();
      let onAbort: (() => void) | undefined;
      if (signal) {
        onAbort = () => {
          this.#cancel(id, 'aborted');
          reject(abortError(signal));
        };
        signal.addEventListener('abort', onAbort, { once: true });
      }
      (this.#pending ??= new Map()).set(id, { send, method, resolve, reject, timer, signal, onAbort });
      const msg: JsonRpcRequest = params === undefined
        ? { jsonrpc: '2.0', id, method }
        : { jsonrpc: '2.0', id, method, params };
      try {
        send(msg);
      } catch (err) {
        this.#forget(id);
        reject(err as Error);
      }
    });
  }

  /** Routes a response from the peer. Returns false when no request of ours has that id. */
  settle(response: JsonRpcResponse): boolean {
    const id = response.id;
    if (id === undefined) return false;
    const pending = this.#forget(id);
    if (!pending) return false;
    if ('result' in response) pending.resolve(response.result);
    else {
      const { code, message, data } = response.error;
      pending.reject(new PeerRequestError(code, `The client answered ${pending.method} with error ${code}: ${message}`, data));
    }
    return true;
  }

  /** True when `id` has the shape of one of this process's request ids. */
  static ownsId(id: RequestId | null): boolean {
    return typeof id === 'string' && id.startsWith(PROCESS_PREFIX);
  }

  /** Fails every pending request, for a session that ends. */
  rejectAll(err: Error): void {
    if (this.#pending === undefined) return;
    for (const id of [...this.#pending.keys()]) this.#forget(id)?.reject(err);
  }

  #forget(id: RequestId): Pending | undefined {
    const pending = this.#pending?.get(id);
    if (!pending) return undefined;
    this.#pending?.delete(id);
    clearTimeout(pending.timer);
    if (pending.onAbort) pending.signal?.removeEventListener('abort', pending.onAbort);
    return pending;
  }

  #cancel(id: RequestId, reason: string): void {
    const pending = this.#forget(id);
    if (!pending) return;
    try {
      pending.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason } });
    } catch {
      // The peer is gone; there is nobody left to tell.
    }
  }
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error(String(reason ?? 'aborted'));
}
