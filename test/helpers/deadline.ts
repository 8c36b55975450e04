/**
 * A bound on how long a test waits for something the server should send, so a regression fails the one test that
 * waited (naming what never came) instead of stalling the file until node's runner cancels everything after it.
 *
 * This is a safety net, not a sleep: the timer only fires when the awaited event is missing, and it is cleared as
 * soon as the promise settles. The real `setTimeout` is captured at load, so tests that mock timers (to drive the
 * server's own timeouts) do not also freeze the net.
 */
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

/** How long a test waits for an expected message by default. */
export const DEFAULT_WAIT_MS = 5_000;

/** Resolves or rejects as `promise` does, or rejects after `ms` with an error naming `what`. */
export function within<T>(promise: Promise<T>, what: string, ms: number = DEFAULT_WAIT_MS): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = realSetTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    promise.then(
      (value) => {
        realClearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        realClearTimeout(timer);
        reject(err as Error);
      },
    );
  });
}
