/**
 * The warn lines of connections a transport refused (`erlmcp:transport:refuse`), bounded so that a storm of them
 * cannot flood the log: a refusal is what a server at capacity does many times a second, and one line per refusal
 * would spend the very CPU and disk the server lacks, and bury every other line.
 *
 * Per transport and reason, the first refusal is logged at once ("connection refused", with the limit met); the
 * ones that follow within `windowMs` are only counted, and when the window ends their count is logged in one line
 * ("connections refused", `refused: n`) and a new window starts. A window that ends with none counted closes, so
 * the next refusal is again logged at once. A storm thus costs one line per window, its first refusal is seen
 * without delay, and every refusal is accounted for.
 */
import type { Logger } from 'pino';
import type { TransportRefusalEvent } from '../diagnostics/channels.js';

/** How long refusals after a logged one are counted before their count is logged. */
export const REFUSAL_LOG_WINDOW_MS = 10_000;

/** One transport and reason's window: the refusals counted since its last line, and the timer that ends it. */
interface RefusalWindow {
  readonly event: TransportRefusalEvent;
  refused: number;
  timer: NodeJS.Timeout;
}

/** Logs refusals at warn, at most one line per transport and reason per window. */
export class RefusalLog {
  readonly #logger: Logger;
  readonly #windowMs: number;
  /** Keyed by `<transport> <reason>`. */
  readonly #windows = new Map<string, RefusalWindow>();

  constructor(logger: Logger, windowMs = REFUSAL_LOG_WINDOW_MS) {
    this.#logger = logger;
    this.#windowMs = windowMs;
  }

  /** One refusal: logged now if its window is closed, else counted. */
  record = (e: TransportRefusalEvent): void => {
    const key = `${e.transport} ${e.reason}`;
    const open = this.#windows.get(key);
    if (open !== undefined) {
      open.refused++;
      return;
    }
    this.#logger.warn({ transport: e.transport, reason: e.reason, limit: e.limit }, 'connection refused');
    this.#windows.set(key, { event: e, refused: 0, timer: this.#endAfter(key) });
  };

  /** Logs what is counted and stops every timer. Idempotent. */
  close(): void {
    for (const window of this.#windows.values()) {
      clearTimeout(window.timer);
      this.#flush(window);
    }
    this.#windows.clear();
  }

  #endAfter(key: string): NodeJS.Timeout {
    return setTimeout(() => {
      const window = this.#windows.get(key);
      if (window === undefined) return;
      if (window.refused === 0) {
        this.#windows.delete(key);
        return;
      }
      this.#flush(window);
      window.refused = 0;
      window.timer = this.#endAfter(key);
    }, this.#windowMs).unref();
  }

  #flush(window: RefusalWindow): void {
    if (window.refused === 0) return;
    const e = window.event;
    this.#logger.warn({ transport: e.transport, reason: e.reason, limit: e.limit, refused: window.refused, windowMs: this.#windowMs }, 'connections refused');
  }
}
