/**
 * Takes the process's stdout for the protocol in `erlmcp serve --stdio`. Over stdio the server MUST NOT write
 * anything to its stdout that is not a valid MCP message (MCP basic/transports, stdio), yet user modules write to
 * `process.stdout` directly (progress bars, `process.stdout.write` debugging, libraries that print): one such write
 * without a newline glued itself to the front of the next answer, and the client dropped it as invalid JSON.
 *
 * The real stdout stream is kept as the protocol's private handle, and `process.stdout` is redefined to be
 * `process.stderr` from then on. Swapping the whole object, rather than patching `process.stdout.write`, leaves
 * the protocol's stream untouched (no wrapper and no cost per message), and also keeps a module's `end()`, `cork()`
 * or `destroy()` on "stdout" away from the protocol. Code that writes to file descriptor 1 itself (`fs.writeSync(1)`,
 * a logger given `destination: 1`) is not covered: Node offers no way to move a file descriptor.
 */
import type { Writable } from 'node:stream';

/**
 * Returns the real stdout stream, for the protocol writer alone, and makes `process.stdout` the stderr stream for
 * everything else. Call it before any user module is loaded; a second call returns the same stream.
 */
export function claimStdout(): Writable {
  if (claimed !== undefined) return claimed;
  const stdout = process.stdout;
  claimed = stdout;
  // Node defines process.stdout as a configurable lazy getter (lib/internal/bootstrap/switches/is_main_thread.js).
  Object.defineProperty(process, 'stdout', { configurable: true, enumerable: true, get: () => process.stderr });
  return stdout;
}

let claimed: Writable | undefined;
