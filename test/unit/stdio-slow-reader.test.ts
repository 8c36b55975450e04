/**
 * A stdio client that reads the server's stdout slowly (or not at all) while it keeps writing requests: the server
 * transport stops reading its input while its output is over the high-water mark, as Node's HTTP server stops
 * parsing a socket whose responses are backed up, so the answers it owes stay bounded instead of piling up in
 * memory. A client's transport keeps reading, since both ends pausing would deadlock the pipe pair.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import { StdioTransport } from '../../src/transport/stdio/stdio-transport.js';
import { within } from '../helpers/deadline.js';

const ping = (id: number): string => `${JSON.stringify({ jsonrpc: '2.0', id, method: 'ping' })}\n`;
const big = { jsonrpc: '2.0' as const, method: 'notifications/message', params: { level: 'info', data: 'x'.repeat(256) } };

/** An output whose writes complete only when `release()` is called: a reader that has stopped reading. */
function stalledOutput(): { output: Writable; release: () => void } {
  const held: (() => void)[] = [];
  const output = new Writable({ highWaterMark: 64, write: (_chunk, _enc, callback) => void held.push(() => callback()) });
  return { output, release: () => { while (held.length > 0) held.shift()?.(); } };
}

/** Lets every pending read and write callback run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('StdioTransport with a slow reader', () => {
  it('stops reading input while the output is backed up, and reads again once it drains', async () => {
    const input = new PassThrough();
    const { output, release } = stalledOutput();
    const transport = new StdioTransport({ input, output });
    const seen: unknown[] = [];
    transport.onmessage = (message) => void seen.push(message);
    await transport.start();
    const sent = transport.send(big);
    input.write(ping(1));
    await settle();
    assert.deepEqual(seen, [], 'no request is taken while the answers owed cannot be written');
    release();
    await within(sent, 'the send to finish once the output drains');
    await settle();
    assert.deepEqual(seen.map((m) => (m as { id: number }).id), [1]);
    await transport.close();
  });

  it('does not read again on drain after pause(), which graceful shutdown relies on', async () => {
    const input = new PassThrough();
    const { output, release } = stalledOutput();
    const transport = new StdioTransport({ input, output });
    const seen: unknown[] = [];
    transport.onmessage = (message) => void seen.push(message);
    await transport.start();
    const sent = transport.send(big);
    transport.pause();
    input.write(ping(1));
    release();
    await within(sent, 'the send to finish once the output drains');
    await settle();
    assert.deepEqual(seen, []);
    await transport.close();
  });

  it('keeps reading in a client transport (pauseInputWhileBacklogged false)', async () => {
    const input = new PassThrough();
    const { output, release } = stalledOutput();
    const transport = new StdioTransport({ input, output, answerInvalidLines: false, pauseInputWhileBacklogged: false });
    const seen: unknown[] = [];
    transport.onmessage = (message) => void seen.push(message);
    await transport.start();
    const sent = transport.send(big);
    input.write(ping(1));
    await settle();
    assert.equal(seen.length, 1, 'the peer\'s messages are still read');
    release();
    await sent;
    await transport.close();
  });
});
