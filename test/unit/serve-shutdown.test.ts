/**
 * The graceful shutdown of `erlmcp serve` (src/cli/shutdown.ts), driven in process with an injected exit: the exit
 * code says whether the drain finished within its deadline, whatever the configured grace periods add up to.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { CONFIG_SCHEMA, MAX_TIMER_MS } from '../../src/config/config-schema.js';
import { Shutdown } from '../../src/cli/shutdown.js';
import { within } from '../helpers/deadline.js';

/** Runs one shutdown whose drain takes `drainMs`; resolves with the exit code and the log lines. */
async function shutdownWith(deadlineMs: number, drainMs: number): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  let exited!: (code: number) => void;
  const code = new Promise<number>((resolve) => (exited = resolve));
  const shutdown = new Shutdown({
    deadlineMs,
    log: (line) => lines.push(line),
    drain: () => new Promise((resolve) => setTimeout(resolve, drainMs)),
    exit: exited,
  });
  void shutdown.shutdown('test');
  return { code: await within(code, 'the shutdown to exit'), lines };
}

describe('Shutdown', () => {
  it('exits 0 when the drain finishes within the largest grace period the config accepts', async () => {
    // serve-stdio.ts and serve-http.ts add a margin (and the ready delay) to server.shutdownGraceMs, whose maximum
    // is MAX_TIMER_MS: the sum is past what setTimeout honours.
    assert.equal(CONFIG_SCHEMA.keys.server.keys.shutdownGraceMs.max, MAX_TIMER_MS);
    const { code, lines } = await shutdownWith(MAX_TIMER_MS + 5_000, 50);
    assert.deepEqual(lines, []);
    assert.equal(code, 0);
  });

  it('exits 1 when the drain overruns its deadline', async () => {
    const { code, lines } = await shutdownWith(20, 200);
    assert.equal(code, 1);
    assert.match(lines.join('\n'), /did not finish within 20 ms/);
  });

  it('exits 1 at the deadline when stdout cannot be flushed, rather than hanging', async () => {
    // A stdio client that stops reading its end of the pipe, without closing it: the last answers never drain.
    const stuck = new Writable({ highWaterMark: 1, write: () => {} });
    stuck.write('{"jsonrpc":"2.0","id":1,"result":{}}\n');
    const lines: string[] = [];
    let exited!: (code: number) => void;
    const code = new Promise<number>((resolve) => (exited = resolve));
    void new Shutdown({ deadlineMs: 50, log: (line) => lines.push(line), drain: async () => {}, exit: exited, output: stuck }).shutdown('end of input');
    assert.equal(await within(code, 'the shutdown to exit', 2_000), 1);
    assert.match(lines.join('\n'), /did not finish within 50 ms/);
  });
});
