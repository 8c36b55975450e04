/**
 * Reads a request body into one Buffer, with a size limit; `utf8Text` (../utf8-text.ts) turns it into text.
 *
 * Chunks are kept in an array and joined once at the end (one chunk, the common case, is not copied at all), so
 * the cost is linear in the body size. A declared Content-Length over the limit is refused before any byte is read.
 * The outcome goes to a callback rather than a promise: the POST that follows can then be answered in the same
 * tick as the body's last chunk, with no microtask between (docs/performance.md).
 */
import type { IncomingMessage } from 'node:http';

/** What reading a body gave: the body, or `TOO_LARGE`, or `UNREADABLE` (the request stream failed). */
export type BodyResult = Buffer | typeof TOO_LARGE | typeof UNREADABLE;

export const TOO_LARGE = 0;
export const UNREADABLE = 1;

const EMPTY = Buffer.alloc(0);

/** Reads the whole body of `req`, or stops at `limitBytes`; `done` is called exactly once. */
export function readBody(req: IncomingMessage, limitBytes: number, done: (read: BodyResult) => void): void {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limitBytes) {
    done(TOO_LARGE);
    return;
  }
  let first: Buffer | undefined;
  let chunks: Buffer[] | undefined;
  let total = 0;
  let finished = false;
  req.on('data', (chunk: Buffer) => {
    if (finished) return;
    total += chunk.length;
    if (total > limitBytes) {
      finished = true;
      done(TOO_LARGE);
      return;
    }
    if (first === undefined) first = chunk;
    else (chunks ??= [first]).push(chunk);
  });
  req.on('end', () => {
    if (finished) return;
    finished = true;
    done(chunks ? Buffer.concat(chunks, total) : (first ?? EMPTY));
  });
  req.on('error', () => {
    if (finished) return;
    finished = true;
    done(UNREADABLE);
  });
}
