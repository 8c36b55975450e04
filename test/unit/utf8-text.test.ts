/**
 * `utf8Text` decodes first and runs the full UTF-8 check only when the text holds U+FFFD. These cases pin that the
 * shortcut refuses exactly what `isUtf8` refuses: each kind of invalid sequence, a U+FFFD the sender really wrote
 * (accepted) beside an invalid byte (refused), and random bytes compared with `isUtf8` itself.
 */
import assert from 'node:assert/strict';
import { isUtf8 } from 'node:buffer';
import { describe, it } from 'node:test';
import { utf8Text } from '../../src/transport/utf8-text.js';

const bytes = (...parts: (string | number[])[]): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

describe('utf8Text', () => {
  it('returns the text of valid UTF-8: ASCII, Latin-1 range, other planes, and a U+FFFD the sender wrote', () => {
    for (const text of ['{"a":1}', 'café', '☃ 漢字 😀', 'a\uFFFDb', '\uFEFF{"bom":true}', '']) {
      assert.equal(utf8Text(Buffer.from(text, 'utf8')), text);
    }
  });

  it('refuses each kind of invalid sequence', () => {
    const invalid: [string, Buffer][] = [
      ['a Latin-1 byte', bytes('caf', [0xe9])],
      ['a lone continuation byte', bytes('a', [0x80], 'b')],
      ['an overlong slash', bytes([0xc0, 0xaf])],
      ['a UTF-16 surrogate', bytes([0xed, 0xa0, 0x80])],
      ['a truncated sequence at the end', bytes('x', [0xe2, 0x82])],
      ['a code point above U+10FFFF', bytes([0xf4, 0x90, 0x80, 0x80])],
      ['0xFF', bytes([0xff])],
    ];
    for (const [what, buf] of invalid) assert.equal(utf8Text(buf), undefined, what);
  });

  it('refuses an invalid byte even beside a U+FFFD the sender wrote', () => {
    assert.equal(utf8Text(bytes('\uFFFD', [0xfe])), undefined);
    assert.equal(utf8Text(bytes([0xfe], '\uFFFD')), undefined);
  });

  it('agrees with isUtf8 on random bytes', () => {
    let seed = 12345;
    const next = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 16;
    let refused = 0;
    for (let n = 0; n < 20_000; n++) {
      const length = next() % 12;
      // Mostly ASCII, with bytes from the multi-byte ranges, so that valid sequences occur too.
      const buf = Buffer.from(Array.from({ length }, () => (next() % 3 === 0 ? 0x80 + (next() % 0x80) : next() % 0x80)));
      const got = utf8Text(buf);
      if (isUtf8(buf)) assert.equal(got, buf.toString('utf8'), buf.toString('hex'));
      else {
        assert.equal(got, undefined, buf.toString('hex'));
        refused++;
      }
    }
    // The generator must produce both outcomes, or the comparison above proves little.
    assert.ok(refused > 1_000 && refused < 19_000, `refused ${refused} of 20000`);
  });
});
