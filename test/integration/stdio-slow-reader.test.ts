/**
 * `erlmcp serve --stdio` as a real process (through tsx, as cli-serve.test.ts runs it) with a client that writes
 * requests faster than it reads the answers: the server stops taking requests while its stdout is backed up, so
 * its memory holds a bounded number of unsent answers, not one per request the client managed to write. Every
 * request is still answered once the client reads again.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { within } from '../helpers/deadline.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'src/cli/main.ts');

const INIT = {
  jsonrpc: '2.0', id: 1, method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'slow-reader', version: '1' } },
};
/** Requests, each answered with its own 512 KiB: 24 MiB of answers in all. */
const REQUESTS = 48;
const TEXT = 'x'.repeat(512 * 1024);
/** How long a server that keeps reading needs to take in every request; it takes well under a second. */
const OBSERVE_MS = 1_500;

describe('erlmcp serve --stdio with a client that reads slowly', () => {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ERLMCP_')));
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', '--stdio'], { cwd: ROOT, env });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  it('stops reading requests while its answers are unread, then answers every one', async () => {
    const ids = new Set<unknown>();
    let rest = '';
    let initialized!: () => void;
    let answered!: () => void;
    const init = new Promise<void>((resolve) => (initialized = resolve));
    const all = new Promise<void>((resolve) => (answered = resolve));
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      const parts = (rest + text).split('\n');
      rest = parts.pop() ?? '';
      for (const part of parts) ids.add((JSON.parse(part) as { id: unknown }).id);
      if (ids.has(1)) initialized();
      if (ids.size === REQUESTS + 1) answered();
    });
    child.stdin.write(`${JSON.stringify(INIT)}\n`);
    // Once the server is up, the client stops reading: the pipe fills and the server's writes back up.
    await within(init, 'the answer to initialize', 20_000);
    child.stdout.pause();
    for (let id = 2; id < 2 + REQUESTS; id++) {
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'echo', arguments: { text: TEXT } } })}\n`);
    }
    const drained = once(child.stdin, 'drain').then(() => true);
    const waited = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), OBSERVE_MS).unref());
    assert.equal(await Promise.race([drained, waited]), false, 'the server took in every request while none of its answers could be written');
    assert.ok(child.stdin.writableLength > (REQUESTS / 2) * TEXT.length, `only ${child.stdin.writableLength} bytes of requests are left unread`);
    child.stdout.resume();
    await within(all, 'every answer once the client reads', 20_000);
    const exited = once(child, 'exit');
    child.stdin.end();
    const [code] = (await within(exited, 'the exit')) as [number | null];
    assert.equal(code, 0, stderr);
  });
});
