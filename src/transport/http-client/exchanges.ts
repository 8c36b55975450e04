/**
 * The HTTP exchanges a `StreamableHttpClientTransport` has under way, each with an `AbortController`, so that none
 * outlives the reason it was started for. undici never ends a request by itself (its header and body timeouts are
 * off, see the transport), and a server that honours `notifications/cancelled` never answers the request it names
 * (basic/utilities/cancellation: it "SHOULD NOT send a response"): a POST kept after the client gave up its requests
 * held its pooled connection forever, and `connections` such requests left the client with none. Nor does a
 * shared dispatcher end a request when one of the transports using it closes. Aborting an exchange aborts its
 * request while it waits for headers and destroys its body while it is read; the socket goes with it and the pool
 * opens another.
 */
import type { RequestId } from '../../protocol/json-rpc.js';

/** One POST with the GETs that resume its stream, or the standalone stream. */
export interface Exchange {
  /** Aborted once the exchange is given up; passed to every request and wait of the exchange. */
  readonly signal: AbortSignal;
  /** The requests of the POST still waiting for an answer; empty for a notification or the standalone stream. */
  readonly pending: Set<RequestId>;
  /** Settles the `send()` waiting for the answers; set by whoever waits. */
  answered: () => void;
  /** Fails the `send()` waiting for the answers (an error response naming no request); set by whoever waits. */
  refused: (err: Error) => void;
  /** What failed the exchange's requests (`Exchanges.fail`): the `send()` rejects with it, though it was aborted. */
  failure: Error | undefined;
}

const noop = (): void => {};

/** The live exchanges of one transport. */
export class Exchanges {
  readonly #live = new Map<Exchange, AbortController>();

  /** Starts an exchange, for the requests of one POST when it has any. */
  open(pending: Set<RequestId> = new Set()): Exchange {
    const controller = new AbortController();
    const exchange: Exchange = { signal: controller.signal, pending, answered: noop, refused: noop, failure: undefined };
    this.#live.set(exchange, controller);
    return exchange;
  }

  /** Forgets an exchange that ended on its own (answered, refused, or failed). */
  end(exchange: Exchange): void {
    this.#live.delete(exchange);
  }

  /**
   * The client gave request `id` up (it sent `notifications/cancelled`). An exchange left with no request to wait
   * for is aborted: nobody reads what it would still carry, and the server may never end it.
   */
  cancel(id: RequestId): void {
    for (const [exchange, controller] of this.#live) {
      if (!exchange.pending.delete(id) || exchange.pending.size > 0) continue;
      this.#live.delete(exchange);
      exchange.answered();
      controller.abort(new Error(`request ${JSON.stringify(id)} was given up`));
    }
  }

  /**
   * The server failed every request of an exchange at once (an error response naming no request, on the POST's
   * stream): the `send()` rejects with `err`, and the stream, which nothing waits on any more, is let go.
   */
  fail(exchange: Exchange, err: Error): void {
    exchange.failure = err;
    exchange.pending.clear();
    exchange.refused(err);
    this.abort(exchange, err);
  }

  /** Aborts one exchange (the standalone stream of a session the server forgot). */
  abort(exchange: Exchange, reason: Error): void {
    const controller = this.#live.get(exchange);
    if (controller === undefined) return;
    this.#live.delete(exchange);
    controller.abort(reason);
  }

  /** Aborts every exchange, for a transport that closes: none may run on, on its own pool or a shared one. */
  abortAll(reason: Error): void {
    const controllers = [...this.#live.values()];
    this.#live.clear();
    for (const controller of controllers) controller.abort(reason);
  }
}

/**
 * Resolves after `ms`, or at once when `signal` aborts: the wait before a resumption (the server's `retry:`, up to
 * whatever it says) must neither outlive its exchange nor hold the process open after close().
 */
export function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
