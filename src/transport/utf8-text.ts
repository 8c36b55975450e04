/**
 * Wire bytes become text only when they are UTF-8. JSON exchanged between systems MUST be UTF-8 (RFC 8259 section
 * 8.1), as MCP messages on every transport MUST be (MCP 2025-11-25 basic/transports), and `toString()` alone turned
 * a Latin-1 "café" or a stray invalid byte into U+FFFD, so a message was served with text its peer never sent. Both
 * server transports (an HTTP body, a stdio line) check here, so they refuse the same bytes the same way.
 */
import { isUtf8 } from 'node:buffer';

/**
 * The bytes as text, or undefined when they are not UTF-8. Decoding turns every invalid sequence into U+FFFD, so a
 * text without one came from valid UTF-8, and only a text with one (a replacement, or a U+FFFD the sender wrote)
 * is checked with `isUtf8`, one native pass (simdutf). A body of ASCII or Latin-1 text decodes to a one-byte string,
 * which V8 knows cannot hold U+FFFD, so nearly every message skips the second pass: paired under load, that pass
 * was 1.5% of a 2026-07-28 tools/call (docs/performance.md). A fatal `TextDecoder` validates as it decodes but
 * signals by throwing and, on a Node built without ICU, refuses the `fatal` option altogether.
 */
export function utf8Text(bytes: Buffer): string | undefined {
  const text = bytes.toString('utf8');
  return text.includes('\uFFFD') && !isUtf8(bytes) ? undefined : text;
}
