/**
 * A linked pair of in-memory transports, for tests: what one side sends, the other receives, on a later
 * microtask, as a real stream would deliver it. Messages are cloned so neither side can mutate the other's; the
 * server's answers, which its dispatcher serialises, arrive parsed from that JSON text, as across any real wire.
 */
import { ErlmcpError } from '../../errors.js';
import type { JsonRpcMessage } from '../../protocol/json-rpc.js';
import type { Transport } from '../transport.js';

/** One end of an in-memory link. */
export class MemoryTransport implements Transport {
  readonly name = 'memory';
  #peer: MemoryTransport | undefined;
  #started = false;
  #closed = false;
  readonly #queue: unknown[] = [];
  onmessage?: (message: unknown) => void;
  onerror?: (error: Error) => void;
  onclose?: () => void;

  /** Two transports linked to each other. */
  static pair(): [MemoryTransport, MemoryTransport] {
    const a = new MemoryTransport();
    const b = new MemoryTransport();
    a.#peer = b;
    b.#peer = a;
    return [a, b];
  }

  async start(): Promise<void> {
    this.#started = true;
    for (const message of this.#queue.splice(0)) this.onmessage?.(message);
  }

  async send(message: JsonRpcMessage | JsonRpcMessage[]): Promise<void> {
    if (this.#closed || !this.#peer) throw new ErlmcpError('ERLMCP_ERR_TRANSPORT_CLOSED', 'The memory transport is closed');
    const copy = structuredClone(message);
    const peer = this.#peer;
    queueMicrotask(() => peer.#deliver(copy));
  }

  async sendText(text: string): Promise<void> {
    if (this.#closed || !this.#peer) throw new ErlmcpError('ERLMCP_ERR_TRANSPORT_CLOSED', 'The memory transport is closed');
    const copy = JSON.parse(text) as unknown;
    const peer = this.#peer;
    queueMicrotask(() => peer.#deliver(copy));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const peer = this.#peer;
    this.#peer = undefined;
    this.onclose?.();
    if (peer) await peer.close();
  }

  #deliver(message: unknown): void {
    if (this.#closed) return;
    if (this.#started) this.onmessage?.(message);
    else this.#queue.push(message);
  }
}
