/**
 * Bytes in and out per transport without a per-request cost: socket transports announce each socket on connect
 * and close, and the byte counters are read off the live sockets (`bytesRead`, `bytesWritten`) when Prometheus
 * scrapes, plus the final counts of sockets already closed. Stream transports add their byte counts as they go.
 */
import type { Socket } from 'node:net';
import type { CounterFamily } from './metric-families.js';

interface Totals {
  read: number;
  written: number;
  readonly live: Set<Socket>;
}

/** Byte totals by transport. */
export class SocketBytes {
  readonly #byTransport = new Map<string, Totals>();

  /** Starts counting a socket. */
  open(transport: string, socket: Socket): void {
    this.#totals(transport).live.add(socket);
  }

  /**
   * Folds a closed socket's final counts into its transport's totals. False when the socket was not announced
   * open (it connected before this counter subscribed): its bytes before then were never counted, nor is it.
   */
  close(transport: string, socket: Socket): boolean {
    const totals = this.#totals(transport);
    if (!totals.live.delete(socket)) return false;
    totals.read += socket.bytesRead;
    totals.written += socket.bytesWritten;
    return true;
  }

  /** Adds bytes a stream transport read or wrote. */
  add(transport: string, direction: 'read' | 'written', bytes: number): void {
    this.#totals(transport)[direction] += bytes;
  }

  /** Sets each transport's series of `family` to its current total in `direction`. */
  fill(family: CounterFamily, direction: 'read' | 'written'): void {
    for (const [transport, totals] of this.#byTransport) {
      let sum = totals[direction];
      for (const socket of totals.live) sum += direction === 'read' ? socket.bytesRead : socket.bytesWritten;
      family.at(transport).value = sum;
    }
  }

  #totals(transport: string): Totals {
    let totals = this.#byTransport.get(transport);
    if (totals === undefined) this.#byTransport.set(transport, (totals = { read: 0, written: 0, live: new Set() }));
    return totals;
  }
}
