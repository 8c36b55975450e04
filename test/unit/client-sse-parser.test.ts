/**
 * The client's SSE parser (WHATWG "Event stream interpretation"): events split across chunks at any byte, every
 * line ending (LF, CRLF, CR, and a CRLF split between chunks), multi-line data, comments, `id:` and `retry:` that
 * persist across events, and a UTF-8 character split between chunks.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SseParser, type SseEvent } from '../../src/transport/http-client/sse-parser.js';

function parse(chunks: (string | Uint8Array)[]): { events: SseEvent[]; parser: SseParser } {
  const events: SseEvent[] = [];
  const parser = new SseParser((e) => events.push(e));
  for (const chunk of chunks) parser.push(chunk);
  return { events, parser };
}

const STREAM = 'id: event-1\nretry: 500\ndata: \n\n: a comment\nevent: message\nid: 7\ndata: {"a":1}\n\ndata: line one\ndata: line two\n\n';

describe('SseParser', () => {
  it('dispatches events with their data, type and the last event id', () => {
    const { events, parser } = parse([STREAM]);
    assert.deepEqual(events, [
      { event: 'message', data: '', id: 'event-1' },
      { event: 'message', data: '{"a":1}', id: '7' },
      { event: 'message', data: 'line one\nline two', id: '7' },
    ]);
    assert.equal(parser.lastEventId, '7');
    assert.equal(parser.retryMs, 500);
  });

  it('gives the same events however the stream is cut into chunks', () => {
    const whole = parse([STREAM]).events;
    for (let size = 1; size < 12; size++) {
      const chunks: string[] = [];
      for (let i = 0; i < STREAM.length; i += size) chunks.push(STREAM.slice(i, i + size));
      assert.deepEqual(parse(chunks).events, whole, `chunks of ${size}`);
    }
  });

  it('accepts CRLF and CR line endings, a CRLF split between chunks included', () => {
    const crlf = STREAM.replaceAll('\n', '\r\n');
    assert.deepEqual(parse([crlf]).events, parse([STREAM]).events);
    assert.deepEqual(parse([STREAM.replaceAll('\n', '\r')]).events, parse([STREAM]).events);
    const cut = crlf.indexOf('\r\n') + 1;
    assert.deepEqual(parse([crlf.slice(0, cut), crlf.slice(cut)]).events, parse([STREAM]).events);
  });

  it('keeps a UTF-8 character whole when its bytes arrive in two chunks', () => {
    const bytes = Buffer.from('data: héllo ✓\n\n');
    const { events } = parse([bytes.subarray(0, 8), bytes.subarray(8, 16), bytes.subarray(16)]);
    assert.deepEqual(events.map((e) => e.data), ['héllo ✓']);
  });

  it('ignores a retry that is not a number, and an event without data', () => {
    const { events, parser } = parse(['retry: soon\nevent: ping\n\nid: 3\n\n']);
    assert.deepEqual(events, []);
    assert.equal(parser.retryMs, undefined);
    assert.equal(parser.lastEventId, '3');
  });

  it('caps a retry above the largest timer delay at 2^31-1 ms, which Node would otherwise run after 1 ms', () => {
    assert.equal(parse(['retry: 4294967296\n\n']).parser.retryMs, 2_147_483_647);
    assert.equal(parse(['retry: 99999999999999999999999\n\n']).parser.retryMs, 2_147_483_647);
    assert.equal(parse(['retry: 2147483647\n\n']).parser.retryMs, 2_147_483_647);
    assert.equal(parse(['retry: 2147483646\n\n']).parser.retryMs, 2_147_483_646);
  });

  it('resumes from the last complete event: an event cut off by the connection does not count', () => {
    const { events, parser } = parse(['id: e1\ndata: {"n":1}\n\nid: e2\ndata: {"jsonrpc":"2.0","id":2,"res']);
    assert.deepEqual(events.map((e) => e.id), ['e1']);
    assert.equal(parser.lastEventId, 'e1', 'e2 never arrived whole, so a resume must ask for it again');
    parser.push('ult":{}}\n\n');
    assert.equal(parser.lastEventId, 'e2');
  });
});
