/**
 * Subscribing to several diagnostics channels as one unit, for the observers (metrics, logs, traces): each
 * listener is typed by the message it expects, and one call removes them all.
 *
 * The channels are process-wide, so an observer of one server is given that server's origin: its listeners then
 * receive that server's events and those of no server (`EventOrigin`), never another server's. Without an origin
 * they receive every event, the view of the whole process.
 */
import type { Channel } from 'node:diagnostics_channel';
import type { EventOrigin, OriginatedEvent } from './channels.js';

/** Listeners subscribed together; `close()` unsubscribes every one. */
export class Subscriptions {
  readonly #removers: (() => void)[] = [];
  readonly #origin: EventOrigin | undefined;

  /** @param origin the server observed; undefined observes every server of the process. */
  constructor(origin?: EventOrigin) {
    this.#origin = origin;
  }

  /** Subscribes `listener`; the channel's documented message type is the caller's to state. */
  on<T>(channel: Channel, listener: (message: T) => void): this {
    const origin = this.#origin;
    // The filter is made here, once per subscription: an observer of the whole process pays nothing per event.
    const fn = origin === undefined
      ? (listener as (message: unknown) => void)
      : (message: unknown): void => {
          const from = (message as Partial<OriginatedEvent> | null | undefined)?.origin;
          if (from === origin || from === undefined) listener(message as T);
        };
    channel.subscribe(fn);
    this.#removers.push(() => void channel.unsubscribe(fn));
    return this;
  }

  /** Unsubscribes everything. Idempotent. */
  close(): void {
    for (const remove of this.#removers.splice(0)) remove();
  }
}
