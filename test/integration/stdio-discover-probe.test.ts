/**
 * The stdio backward-compatibility probe (MCP 2026-07-28 basic/transports/stdio): a modern client sends
 * `server/discover` with its preferred version in `_meta` before anything else. Against `erlmcp serve --stdio`:
 * a DiscoverResult for an offered version, -32022 naming the offered ones for another (a "recognized modern
 * error": the client must not fall back), -32602 for malformed `_meta`, and then `initialize` on the same process
 * still opens a 2025-11-25 session. With only session-era revisions configured, the probe gets what a legacy
 * server answers (-32601, no modern error), so the client falls back to initialize.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { within } from '../helpers/deadline.js';
import { modernMeta } from '../helpers/dual-era-server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'src/cli/main.ts');

type Json = Record<string, unknown>;

/** A grace period far longer than a prompt exit, so waiting it out shows. */
const GRACE_MS = 8_000;

/** `erlmcp serve --stdio` with stdout read as JSON lines, answers matched by id. */
class StdioServer {
  readonly child: ChildProcessWithoutNullStreams;
  readonly #answers = new Map<unknown, (message: Json) => void>();

  constructor(config: string) {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ERLMCP_')));
    this.child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', '--stdio', '--config', config], { cwd: ROOT, env });
    this.child.stderr.resume();
    let rest = '';
    this.child.stdout.setEncoding('utf8').on('data', (text: string) => {
      const parts = (rest + text).split('\n');
      rest = parts.pop() ?? '';
      for (const part of parts) {
        const message = JSON.parse(part) as Json;
        this.#answers.get(message.id)?.(message);
      }
    });
  }

  /** The message that will carry id `id`, however it is sent. */
  answerTo(id: number | string): Promise<Json> {
    return within(new Promise<Json>((resolve) => this.#answers.set(id, resolve)), `the answer to ${String(id)}`);
  }

  request(id: number, method: string, params: Json): Promise<Json> {
    const answered = new Promise<Json>((resolve) => this.#answers.set(id, resolve));
    this.child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    return within(answered, `the answer to ${method}`);
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.stdin.end();
    this.child.kill('SIGTERM');
    await exited;
  }
}

describe('erlmcp serve --stdio answers the server/discover probe', () => {
  const dir = mkdtempSync(join(tmpdir(), 'erlmcp-probe-'));
  const dualConfig = join(dir, 'dual.json');
  const legacyConfig = join(dir, 'legacy.json');
  writeFileSync(dualConfig, JSON.stringify({ demo: { enabled: true } }));
  writeFileSync(legacyConfig, JSON.stringify({ server: { revisions: ['2025-11-25', '2025-06-18'] } }));
  const graceConfig = join(dir, 'grace.json');
  writeFileSync(graceConfig, JSON.stringify({ server: { shutdownGraceMs: GRACE_MS } }));
  const servers: StdioServer[] = [];
  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('dual-era: DiscoverResult, -32022 for another version, -32602 for bad _meta, then initialize on the same process', async () => {
    const server = new StdioServer(dualConfig);
    servers.push(server);
    const discover = await server.request(1, 'server/discover', { _meta: modernMeta({}) });
    const result = discover.result as Json;
    assert.deepEqual(result.supportedVersions, ['2026-07-28', '2025-11-25', '2025-06-18', '2025-03-26']);
    assert.equal(result.resultType, 'complete');
    assert.equal(typeof result.ttlMs, 'number');
    const other = await server.request(2, 'server/discover', { _meta: { ...modernMeta({}), 'io.modelcontextprotocol/protocolVersion': '2027-01-01' } });
    assert.equal((other.error as Json).code, ErrorCode.UnsupportedProtocolVersion);
    assert.deepEqual((other.error as Json).data, { supported: result.supportedVersions, requested: '2027-01-01' });
    const malformed = await server.request(3, 'server/discover', { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' } });
    assert.equal((malformed.error as Json).code, ErrorCode.InvalidParams);
    const init = await server.request(4, 'initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'probe', version: '1' } });
    assert.equal((init.result as Json).protocolVersion, '2025-11-25');
  });

  it('exits promptly when its input ends with a listen open, after sending the listen its graceful result', async () => {
    const server = new StdioServer(graceConfig);
    servers.push(server);
    await server.request(1, 'server/discover', { _meta: modernMeta({}) });
    const final = server.answerTo('L');
    server.child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 'L', method: 'subscriptions/listen', params: { _meta: modernMeta({}), notifications: { toolsListChanged: true } } })}\n`);
    const started = Date.now();
    const exited = once(server.child, 'exit');
    server.child.stdin.end();
    const result = (await final).result as Json;
    assert.equal(result.resultType, 'complete');
    const [code] = (await within(exited, 'the server exiting')) as [number | null];
    assert.equal(code, 0);
    const tookMs = Date.now() - started;
    assert.ok(tookMs < GRACE_MS / 2, `exited after ${tookMs} ms; the grace period is ${GRACE_MS} ms`);
  });

  it('session era only: the probe gets a legacy answer, never a modern error, and initialize follows', async () => {
    const server = new StdioServer(legacyConfig);
    servers.push(server);
    const probe = await server.request(1, 'server/discover', { _meta: modernMeta({}) });
    assert.equal((probe.error as Json | undefined)?.code, ErrorCode.MethodNotFound, JSON.stringify(probe));
    const init = await server.request(2, 'initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'probe', version: '1' } });
    assert.equal((init.result as Json).protocolVersion, '2025-11-25');
  });
});
