/**
 * Subscribing to several diagnostics channels as one unit, for the observers (metrics, logs, traces): each
 * listener is typed by the message it expects, and one call removes them all.
 */
import type { Channel } from 'node:diagnostics_channel';

/** Listeners subscribed together; `close()` unsubscribes every one. */
export class Subscriptions {
  readonly #removers: (() => void)[] = [];

  /** Subscribes `listener`; the channel's documented message type is the caller's to state. */
  on<T>(channel: Channel, listener: (message: T) => void): this {
    const fn = listener as (message: unknown) => void;
    channel.subscribe(fn);
    this.#removers.push(() => void channel.unsubscribe(fn));
    return this;
  }

  /** Unsubscribes everything. Idempotent. */
  close(): void {
    for (const remove of this.#removers.splice(0)) remove();
  }
}
