/**
 * `erlmcp call`, run as a real process: over HTTP against a tour server in this process (port 0), and over stdio
 * against a server it spawns (`--stdio "<command line>"`). The JSON result goes to stdout and exit code 0; a JSON-RPC
 * error, bad params or an unreachable server is one line on stderr and exit code 1.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { HttpTransport } from '../../src/transport/http/http-transport.js';
import { createTourServer } from '../interop/tour-server.js';
import { within } from '../helpers/deadline.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const TOUR_STDIO = fileURLToPath(new URL('../interop/tour-stdio-server.ts', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function erlmcp(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('erlmcp call', () => {
  const { server } = createTourServer();
  const http = new HttpTransport(server, {
    host: '127.0.0.1', port: 0, path: '/mcp', stateless: false, allowedOrigins: [], allowedHosts: [], maxBodyBytes: 1 << 20,
  });
  let url = '';

  before(async () => {
    url = (await http.listen()).url;
  });

  after(async () => {
    await http.close();
    await server.close();
  });

  it('prints the JSON result of tools/call over HTTP', async () => {
    const run = await erlmcp('call', url, 'tools/call', '{"name":"echo","arguments":{"text":"hi"}}');
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { content: [{ type: 'text', text: 'hi' }] });
  });

  it('prints the result on one line with --compact, and takes a method without params', async () => {
    const run = await erlmcp('call', '--compact', url, 'prompts/list');
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trim().split('\n').length, 1);
    assert.deepEqual((JSON.parse(run.stdout) as { prompts: { name: string }[] }).prompts.map((p) => p.name), ['greet', 'summary']);
  });

  it('spawns a server with --stdio and calls it', async () => {
    const run = await erlmcp('call', '--stdio', `"${process.execPath}" --import tsx "${TOUR_STDIO}"`, 'tools/call', '{"name":"add","arguments":{"a":2,"b":40}}');
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual((JSON.parse(run.stdout) as { structuredContent: unknown }).structuredContent, { sum: 42 });
  });

  it('gives up on a --stdio server that never answers, and leaves none of its processes behind', async () => {
    // A shell command line: the shell's child must go too (signalling the shell alone orphaned it, holding the pipes).
    const marker = `sleep 41.${process.pid}`;
    const started = Date.now();
    // "; :" keeps the shell from exec'ing sleep in its own place: the server must be the shell's child.
    const run = await erlmcp('call', '--timeout', '500', '--stdio', `${marker}; :`, 'tools/list');
    const tookMs = Date.now() - started;
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /timed out/);
    assert.ok(tookMs < 15_000, `took ${tookMs} ms`);
    const left = await new Promise<string>((resolve) => execFile('ps', ['-eo', 'args'], (_err, stdout) => resolve(stdout)));
    assert.equal(left.split('\n').filter((line) => line.trim() === marker).length, 0, `still running: ${marker}`);
  });

  it('on Ctrl-C (SIGINT) ends the --stdio server it started and exits 130', async () => {
    const marker = `sleep 44.${process.pid}`;
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'call', '--timeout', '30000', '--stdio', `${marker}; :`, 'tools/list'], { cwd: ROOT });
    child.stderr.resume();
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // Once the server runs, interrupt the CLI as a terminal would.
    await within(new Promise<void>((resolve) => {
      const poll = (): void => void execFile('ps', ['-eo', 'args'], (_err, out) => (out.split('\n').some((l) => l.trim() === marker) ? resolve() : setTimeout(poll, 100)));
      poll();
    }), 'the --stdio server starting', 15_000);
    child.kill('SIGINT');
    assert.equal(await within(exited, 'the CLI exiting', 15_000), 130);
    const left = await new Promise<string>((resolve) => execFile('ps', ['-eo', 'args'], (_err, stdout) => resolve(stdout)));
    assert.equal(left.split('\n').filter((line) => line.trim() === marker).length, 0, `still running: ${marker}`);
  });

  it('exits quietly when the reader of its stdout is gone (erlmcp call ... | head -c1), ending its server', async () => {
    const marker = `${process.pid}.epipe`;
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'call', '--stdio', `"${process.execPath}" --import tsx "${TOUR_STDIO}" ${marker}`, 'tools/call', '{"name":"echo","arguments":{"text":"hi"}}'], { cwd: ROOT });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // What a reader that stops early does (head -c1, or a pager quit): close its end of the pipe; the result then
    // meets EPIPE.
    child.stdout.destroy();
    assert.equal(await within(exited, 'the CLI exiting', 15_000), 0, stderr);
    assert.doesNotMatch(stderr, /EPIPE|Unhandled|\n\s+at /, 'no crash report');
    const left = await new Promise<string>((resolve) => execFile('ps', ['-eo', 'args'], (_err, stdout) => resolve(stdout)));
    assert.equal(left.split('\n').filter((line) => line.includes(marker)).length, 0, 'the --stdio server was ended');
  });

  it('says how a --stdio server that died went: its exit code', async () => {
    const run = await erlmcp('call', '--timeout', '5000', '--stdio', 'exit 3', 'tools/list');
    assert.equal(run.code, 1);
    assert.match(run.stderr, /The server process exited with code 3/);
  });

  it('a JSON-RPC error is one line on stderr with its code, and exit code 1', async () => {
    const run = await erlmcp('call', url, 'tools/call', '{"name":"no_such_tool"}');
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^erlmcp: tools\/call failed: .*no_such_tool.* \(JSON-RPC error -32602\)\n$/);
  });

  it('refuses -H with --stdio in one line naming both, exit 1, without starting the server', async () => {
    const marker = join(tmpdir(), `erlmcp-call-h-${process.pid}-${Date.now()}`);
    const run = await erlmcp('call', '--stdio', `${JSON.stringify(process.execPath)} -e "require('node:fs').writeFileSync(process.argv[1], '')" ${JSON.stringify(marker)}`, '-H', 'Authorization: Bearer t', 'ping');
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^erlmcp: -H\/--header .*--stdio\n$/);
    assert.equal(existsSync(marker), false, 'the --stdio command was not run');
  });

  it('--help says what the exit codes and --timeout 0 mean', async () => {
    const run = await erlmcp('call', '--help');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Exit codes:$/m);
    assert.match(run.stdout, /^ {2}0 +the result was printed/m);
    assert.match(run.stdout, /^ {2}1 +a JSON-RPC error, a timeout/m);
    assert.match(run.stdout, /^ {2}130 +interrupted by SIGINT \(Ctrl-C\), 143 by SIGTERM/m);
    assert.match(run.stdout, /--timeout[\s\S]*0 means no\s+time limit/);
    assert.match(run.stdout, /not with --stdio/);
  });

  it('refuses params that are not a JSON object, and an unreachable server, with exit code 1', async () => {
    const bad = await erlmcp('call', url, 'tools/list', '[1]');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /json-params must be a JSON object/);
    const down = await erlmcp('call', 'http://127.0.0.1:9/mcp', 'ping');
    assert.equal(down.code, 1);
    assert.match(down.stderr, /ECONNREFUSED/);
  });

  it('refuses a URL that does not parse in one line naming it, exit 1, not "Invalid URL"', async () => {
    for (const bad of ['http://127.0.0.1:99999/mcp', 'http://[::1/mcp']) {
      const run = await erlmcp('call', bad, 'ping');
      assert.equal(run.code, 1);
      assert.equal(run.stdout, '');
      assert.equal(run.stderr, `erlmcp: call needs an http(s) URL or --stdio "command", got ${JSON.stringify(bad)}, which is not a valid URL\n`);
    }
  });

  it('refuses json-params with initialize, which call sends itself, rather than dropping them', async () => {
    const run = await erlmcp('call', url, 'initialize', '{"protocolVersion":"2025-03-26"}');
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^erlmcp: call initialize takes no json-params: .*--protocol-version.*\n$/);
  });
});
