/**
 * Graceful shutdown of `erlmcp serve`. The first SIGINT or SIGTERM (or the end of stdin, in stdio mode) runs the
 * drain: stop accepting, let requests in flight finish within `server.shutdownGraceMs`, close sessions. Then the
 * process flushes stdout and exits 0. A second signal exits at once, and a drain or flush that overruns its deadline
 * exits 1, so neither a stuck handler nor a client that stopped reading can keep a process from stopping.
 */
import { constants } from 'node:os';
import type { Writable } from 'node:stream';
import { MAX_TIMER_MS } from '../config/config-schema.js';

/** Options of a `Shutdown`. */
export interface ShutdownOptions {
  /** Stops accepting work, waits for what is in flight, and releases everything. */
  drain: (reason: string) => Promise<void>;
  /** Exit 1 if the drain has not finished after this long. */
  deadlineMs: number;
  log: (line: string) => void;
  /** Ends the process; injectable for tests. Default `process.exit`. */
  exit?: (code: number) => void;
  /** Where the answers go, flushed before the exit; injectable for tests. Default `process.stdout`. */
  output?: Writable;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** Runs the drain once, on the first signal or `shutdown()` call. */
export class Shutdown {
  readonly #options: ShutdownOptions;
  readonly #exit: (code: number) => void;
  readonly #output: Writable;
  #running: Promise<void> | undefined;

  constructor(options: ShutdownOptions) {
    this.#options = options;
    this.#exit = options.exit ?? ((code) => process.exit(code));
    this.#output = options.output ?? process.stdout;
  }

  /** Starts listening for SIGINT and SIGTERM. */
  install(): void {
    for (const signal of SIGNALS) process.on(signal, this.#onSignal);
  }

  /** Drains and exits 0 (or 1 when the drain fails or overruns). Later calls return the same promise. */
  shutdown(reason: string): Promise<void> {
    this.#running ??= this.#run(reason);
    return this.#running;
  }

  #onSignal = (signal: NodeJS.Signals): void => {
    if (this.#running !== undefined) {
      this.#options.log(`erlmcp: ${signal} again, exiting now`);
      this.#exit(128 + (constants.signals[signal] ?? 0));
      return;
    }
    this.#options.log(`erlmcp: ${signal} received, shutting down (again to force)`);
    void this.shutdown(signal);
  };

  async #run(reason: string): Promise<void> {
    // The callers add a margin (and, over HTTP, the ready delay) to a grace period that may itself be MAX_TIMER_MS;
    // setTimeout fires a longer delay after 1 ms, which would cut every drain short with exit 1.
    const deadlineMs = Math.min(this.#options.deadlineMs, MAX_TIMER_MS);
    const deadline = setTimeout(() => {
      this.#options.log(`erlmcp: shutdown (${reason}) did not finish within ${deadlineMs} ms, exiting`);
      this.#exit(1);
    }, deadlineMs);
    deadline.unref();
    let code = 0;
    try {
      await this.#options.drain(reason);
    } catch (err) {
      this.#options.log(`erlmcp: shutdown failed: ${(err as Error).message}`);
      code = 1;
    }
    // An empty write calls back once everything written before it is flushed, so no answer is cut off by exit. The
    // deadline still runs: a stdio client that stops reading without closing the pipe would leave it unflushed
    // forever.
    await new Promise<void>((resolve) => this.#output.write('', () => resolve()));
    clearTimeout(deadline);
    this.#exit(code);
  }
}
