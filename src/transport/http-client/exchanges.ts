/**
 * The HTTP exchanges a `StreamableHttpClientTransport` has under way, each with an `AbortController`, so that none
 * outlives the reason it was started for. undici never ends a request by itself (its header and body timeouts are
 * off, see the transport), and a server that honours `notifications/cancelled` never answers the request it names
 * (basic/utilities/cancellation: it "SHOULD NOT send a response"): a POST kept after the client gave up its requests
 * held its pooled connection forever, and `connections` such requests left the client with none. Aborting an
 * exchange aborts its request while it waits for headers and destroys its body while it is read; the socket goes
 * with it and the pool opens another.
 */
import type { RequestId } from '../../protocol/json-rpc.js';

/** One POST of requests with the GETs that resume its stream. */
export interface Exchange {
  /** Aborted once the exchange is given up; passed to every request and wait of the exchange. */
  readonly signal: AbortSignal;
  /** The requests of the POST still waiting for an answer. */
  readonly pending: Set<RequestId>;
  /** Settles the `send()` waiting for the answers; set by whoever waits. */
  answered: () => void;
}

const noop = (): void => {};

/** The live exchanges of one transport. */
export class Exchanges {
  readonly #live = new Map<Exchange, AbortController>();

  /** Starts an exchange for the requests of one POST. */
  open(pending: Set<RequestId>): Exchange {
    const controller = new AbortController();
    const exchange: Exchange = { signal: controller.signal, pending, answered: noop };
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
}
