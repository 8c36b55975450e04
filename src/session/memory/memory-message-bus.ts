/**
 * The embedded message bus: listeners by topic, delivered in this process only.
 */
import type { JsonRpcMessage } from '../../protocol/json-rpc.js';
import type { BusListener, MessageBus } from '../message-bus.js';

/** A message bus within one process. */
export class MemoryMessageBus implements MessageBus {
  readonly #topics = new Map<string, Set<BusListener>>();

  async publish(topic: string, message: JsonRpcMessage): Promise<void> {
    const listeners = this.#topics.get(topic);
    if (!listeners) return;
    for (const listener of listeners) listener(message);
  }

  async subscribe(topic: string, listener: BusListener): Promise<() => void> {
    let listeners = this.#topics.get(topic);
    if (!listeners) this.#topics.set(topic, (listeners = new Set()));
    listeners.add(listener);
    return () => {
      const current = this.#topics.get(topic);
      if (!current) return;
      current.delete(listener);
      if (current.size === 0) this.#topics.delete(topic);
    };
  }

  topicCount(): number {
    return this.#topics.size;
  }

  async close(): Promise<void> {
    this.#topics.clear();
  }
}
