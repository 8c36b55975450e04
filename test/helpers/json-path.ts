/**
 * Reads a value out of parsed JSON by a dotted path (`result.content.0.text`), so tests can assert on wire
 * messages without casting at every step. A missing step yields undefined, which then fails the assertion that
 * expected a value, naming nothing misleading.
 */

/** The value at `path` in `value`, or undefined when any step is missing. */
export function pick(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
