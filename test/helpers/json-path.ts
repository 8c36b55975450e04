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

/**
 * True when an error response carries no request id: the unreadable-id case. JSON-RPC 2.0 writes `id: null`
 * there; MCP 2025-11-25's schema instead makes `id` optional and admits no null, so either form passes, and any
 * real id fails.
 */
export function hasNoRequestId(response: unknown): boolean {
  if (response === null || typeof response !== 'object') return false;
  const id = (response as Record<string, unknown>).id;
  return id === undefined || id === null;
}
