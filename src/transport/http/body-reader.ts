/**
 * Reads a request body into one Buffer, with a size limit.
 *
 * Chunks are kept in an array and joined once at the end (one chunk, the common case, is not copied at all), so
 * the cost is linear in the body size. A declared Content-Length over the limit is refused before any byte is read.
 */
import type { IncomingMessage } from 'node:http';

/** What reading a body gave. */
export type BodyResult = { ok: true; body: Buffer } | { ok: false; tooLarge: boolean };

/** Reads the whole body of `req`, or stops at `limitBytes`. */
export function readBody(req: IncomingMessage, limitBytes: number): Promise<BodyResult> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limitBytes) {
    return Promise.resolve({ ok: false, tooLarge: true });
  }
  return new Promise((resolve) => {
    let first: Buffer | undefined;
    let chunks: Buffer[] | undefined;
    let total = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      total += chunk.length;
      if (total > limitBytes) {
        done = true;
        resolve({ ok: false, tooLarge: true });
        return;
      }
      if (first === undefined) first = chunk;
      else (chunks ??= [first]).push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      resolve({ ok: true, body: chunks ? Buffer.concat(chunks, total) : (first ?? Buffer.alloc(0)) });
    });
    req.on('error', () => {
      if (done) return;
      done = true;
      resolve({ ok: false, tooLarge: false });
    });
  });
}
