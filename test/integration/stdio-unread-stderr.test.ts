/**
 * `erlmcp serve --stdio` as a real process (through tsx, as cli-serve.test.ts runs it) under a client that pipes
 * the server's stderr and never reads it, which basic/transports allows ("MAY capture, forward, or ignore"): once
 * the pipe is full, log lines must wait (or be lost), never the protocol on stdout nor the handling of signals.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { within } from '../helpers/deadline.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'src/cli/main.ts');

const INIT = {
  jsonrpc: '2.0', id: 0, method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'stderr-ignored', version: '1' } },
};
/** At level debug each request logs a line of about 200 bytes: far more than a pipe's 64 KiB buffer. */
const PINGS = 2_000;

describe('erlmcp serve --stdio with a client that never reads stderr', () => {
  const dir = mkdtempSync(join(tmpdir(), 'erlmcp-stderr-'));
  const config = join(dir, 'debug.yaml');
  writeFileSync(config, 'logging:\n  level: debug\n');
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ERLMCP_')));
  // stderr stays a pipe nobody reads: no listener, so it fills and stays full.
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', '--stdio', '--config', config], { cwd: ROOT, env });
  after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers every request and still stops on SIGTERM', async () => {
    const ids = new Set<unknown>();
    let rest = '';
    let answered!: () => void;
    const all = new Promise<void>((resolve) => (answered = resolve));
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      const parts = (rest + text).split('\n');
      rest = parts.pop() ?? '';
      for (const part of parts) ids.add((JSON.parse(part) as { id: unknown }).id);
      if (ids.size === PINGS + 1) answered();
    });
    child.stdin.write(`${JSON.stringify(INIT)}\n`);
    for (let id = 1; id <= PINGS; id++) child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method: 'ping' })}\n`);
    await within(all, `the answers to ${PINGS} pings`, 15_000).catch((err: Error) => {
      throw new Error(`${err.message}; ${ids.size} answered`);
    });
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = (await within(exited, 'the exit on SIGTERM')) as [number | null];
    assert.equal(code, 0);
  });
});
