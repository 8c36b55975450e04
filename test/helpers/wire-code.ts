/**
 * The wire error code a synchronous check throws: what tests of the stateless era's checks (headers, `_meta`,
 * versions) assert on, without a try/catch in every case.
 */
import { WireError } from '../../src/protocol/wire-error.js';

/** `fn`'s WireError code; -1 for any other throw, undefined when it does not throw. */
export function codeOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof WireError ? err.code : -1;
  }
  return undefined;
}
