/**
 * `erlmcp serve` as a real process (through tsx, so no build is needed): over stdio it speaks only protocol on
 * stdout and answers initialize and tools/call; over HTTP it announces its URL on stderr; config modules load;
 * internal errors reach stderr; and SIGTERM, or the end of stdin, drains requests in flight and exits 0.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { within } from '../helpers/deadline.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'src/cli/main.ts');

type Json = Record<string, unknown>;

const INIT = {
  jsonrpc: '2.0', id: 1, method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'cli-test', version: '1' } },
};

/** A running `erlmcp` process, with its stdout read as JSON lines and its stderr collected. */
class CliProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stderr = '';
  stdoutRaw = '';
  /** Lines of stdout that are not JSON: anything there but protocol messages corrupts a stdio stream. */
  readonly notJson: string[] = [];
  readonly #lines: Json[] = [];
  readonly #waiters: ((message: Json) => void)[] = [];
  readonly #stderrWaiters: { pattern: RegExp; resolve: (match: RegExpMatchArray) => void }[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(args: string[]) {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ERLMCP_')));
    this.child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, env });
    this.exited = once(this.child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
    let rest = '';
    this.child.stdout.setEncoding('utf8').on('data', (text: string) => {
      this.stdoutRaw += text;
      const parts = (rest + text).split('\n');
      rest = parts.pop() ?? '';
      for (const part of parts) {
        let message: Json;
        try {
          message = JSON.parse(part) as Json;
        } catch {
          this.notJson.push(part);
          continue;
        }
        const waiter = this.#waiters.shift();
        if (waiter) waiter(message);
        else this.#lines.push(message);
      }
    });
    this.child.stderr.setEncoding('utf8').on('data', (text: string) => {
      this.stderr += text;
      for (const w of [...this.#stderrWaiters]) {
        const match = this.stderr.match(w.pattern);
        if (match) {
          this.#stderrWaiters.splice(this.#stderrWaiters.indexOf(w), 1);
          w.resolve(match);
        }
      }
    });
  }

  send(message: unknown): void {
    this.child.stdin.write(JSON.stringify(message) + '\n');
  }

  next(): Promise<Json> {
    const line = this.#lines.shift();
    return line ? Promise.resolve(line) : new Promise((resolve) => this.#waiters.push(resolve));
  }

  stderrMatch(pattern: RegExp): Promise<RegExpMatchArray> {
    const match = this.stderr.match(pattern);
    if (match) return Promise.resolve(match);
    return new Promise((resolve) => this.#stderrWaiters.push({ pattern, resolve }));
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

let dir: string;
let configFile: string;
let chattyConfig: string;
let strayConfig: string;
const running: CliProcess[] = [];

function start(args: string[]): CliProcess {
  const p = new CliProcess(args);
  running.push(p);
  return p;
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'erlmcp-cli-serve-'));
  // A user module, loaded through the config: a slow tool to observe draining, and a resource whose reader fails.
  writeFileSync(join(dir, 'tools.mjs'), `
export function register(server, config) {
  server.tool('slow', { description: 'answers after 400 ms' }, async () => {
    await new Promise((resolve) => setTimeout(resolve, 400));
    return 'slow done on ' + config.server.name;
  });
  server.resource('test://boom', { name: 'boom' }, () => { throw new Error('kaboom'); });
  server.tool('ask', { description: 'asks the client to confirm' }, async (_args, ctx) => {
    try {
      const answer = await ctx.elicit({ message: 'Go on?', requestedSchema: { type: 'object', properties: {} } });
      return 'the client said ' + answer.action;
    } catch (err) {
      return { content: [{ type: 'text', text: 'no answer: ' + err.message }], isError: true };
    }
  });
}
`);
  // A module that logs the way most code does, to the console.
  writeFileSync(join(dir, 'chatty.mjs'), `
export default function (server) {
  console.log('registering chatty tools');
  server.tool('chatty', {}, () => {
    console.info('chatty was called');
    console.table([{ calls: 1 }]);
    console.dir({ calls: 1 });
    return 'ok';
  });
}
`);
  chattyConfig = join(dir, 'chatty.yaml');
  writeFileSync(chattyConfig, 'modules:\n  - ./chatty.mjs\n');
  // A module that writes to process.stdout itself, as progress bars and some libraries do; the first write has no
  // newline, so on the real stdout it would be glued to the front of the next protocol message.
  writeFileSync(join(dir, 'stray.mjs'), `
export default function (server) {
  process.stdout.write('stray at load, ');
  server.tool('stray', {}, () => {
    process.stdout.write('stray in a handler\\n');
    return 'ok';
  });
}
`);
  strayConfig = join(dir, 'stray.yaml');
  writeFileSync(strayConfig, 'modules:\n  - ./stray.mjs\n');
  configFile = join(dir, 'erlmcp.yaml');
  writeFileSync(configFile, 'server:\n  name: cli-test-server\n  shutdownGraceMs: 5000\nmodules:\n  - ./tools.mjs\n');
});

after(() => {
  for (const p of running) p.kill();
  rmSync(dir, { recursive: true, force: true });
});

describe('erlmcp serve --stdio', () => {
  it('answers initialize and tools/call echo on stdout, and exits 0 on SIGTERM', async () => {
    const p = start(['serve', '--stdio']);
    p.send(INIT);
    const init = await p.next();
    assert.equal(init.id, 1);
    assert.equal((init.result as Json).protocolVersion, '2025-11-25');
    assert.deepEqual((init.result as { serverInfo: Json }).serverInfo.name, 'erlmcp');
    p.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    p.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: { text: 'over stdio' } } });
    assert.deepEqual(await p.next(), { jsonrpc: '2.0', id: 2, result: { content: [{ type: 'text', text: 'over stdio' }] } });
    p.child.kill('SIGTERM');
    const { code } = await p.exited;
    assert.equal(code, 0, p.stderr);
    assert.ok(p.stdoutRaw.split('\n').filter(Boolean).every((l) => JSON.parse(l) !== undefined), 'stdout holds protocol messages only');
    assert.match(p.stderr, /SIGTERM received, shutting down/);
  });

  it('lets a request in flight answer before a SIGTERM exit, and loads config modules', async () => {
    const p = start(['serve', '--stdio', '--config', configFile]);
    p.send(INIT);
    assert.equal(((await p.next()).result as { serverInfo: Json }).serverInfo.name, 'cli-test-server');
    p.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    p.send({ jsonrpc: '2.0', id: 2, method: 'ping' });
    await p.next();
    p.send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'slow', arguments: {} } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    p.child.kill('SIGTERM');
    const answer = await p.next();
    assert.equal(answer.id, 3);
    assert.deepEqual(answer.result, { content: [{ type: 'text', text: 'slow done on cli-test-server' }] });
    assert.equal((await p.exited).code, 0, p.stderr);
  });

  it('answers what was piped in, then exits 0 when stdin ends', async () => {
    const p = start(['serve', '--stdio', '--config', configFile]);
    p.send(INIT);
    p.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    p.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'slow', arguments: {} } });
    p.child.stdin.end();
    assert.equal((await p.next()).id, 1);
    assert.equal((await p.next()).id, 2);
    assert.equal((await p.exited).code, 0, p.stderr);
  });

  it('prints internal errors to stderr, one line with the method, while the client gets a generic internal error', async () => {
    const p = start(['serve', '--stdio', '--config', configFile]);
    p.send(INIT);
    await p.next();
    p.send({ jsonrpc: '2.0', id: 2, method: 'resources/read', params: { uri: 'test://boom' } });
    const answer = await p.next();
    assert.deepEqual(answer.error, { code: ErrorCode.InternalError, message: 'Internal error' });
    await p.stderrMatch(/erlmcp: internal error in resources\/read: kaboom\n/);
    assert.ok(!p.stderr.includes('    at '), 'no stack trace without --verbose');
    p.child.stdin.end();
    assert.equal((await p.exited).code, 0);
  });

  it('still reads the client\'s answer to a request in flight after SIGTERM, so that request is answered', async () => {
    const p = start(['serve', '--stdio', '--config', configFile]);
    p.send({ ...INIT, params: { ...INIT.params, capabilities: { elicitation: {} } } });
    await p.next();
    p.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    p.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'ask', arguments: {} } });
    const ask = await within(p.next(), 'the elicitation request');
    assert.equal(ask.method, 'elicitation/create');
    p.child.kill('SIGTERM');
    await p.stderrMatch(/SIGTERM received/);
    p.send({ jsonrpc: '2.0', id: 3, method: 'ping' });
    // Not served, but answered at once, as HTTP answers it while draining (503, -32003): JSON-RPC owes every request
    // a response, and left unanswered the client waited for it until the process exited.
    const refused = await within(p.next(), 'the refusal of the request sent after the signal', 2_500);
    assert.equal(refused.id, 3);
    assert.equal((refused.error as Json).code, ErrorCode.Overloaded);
    assert.match((refused.error as Json).message as string, /shutting down/);
    // Stdio has no Retry-After: the hint Overloaded documents is in the body.
    assert.equal(((refused.error as Json).data as Json | undefined)?.retryAfterMs, 1000);
    p.send({ jsonrpc: '2.0', id: ask.id, result: { action: 'accept', content: {} } });
    const answer = await within(p.next(), 'the answer to tools/call, well within the 5 s grace period', 2_500);
    assert.equal(answer.id, 2);
    assert.deepEqual(answer.result, { content: [{ type: 'text', text: 'the client said accept' }] });
    assert.equal((await p.exited).code, 0, p.stderr);
    assert.ok(!p.stdoutRaw.includes('"id":3,"result"'), 'a request sent after the signal is not served');
  });

  it('when stdin ends while a request awaits the client\'s answer, fails that wait at once, answers and exits', async () => {
    const p = start(['serve', '--stdio', '--config', configFile]);
    p.send({ ...INIT, params: { ...INIT.params, capabilities: { elicitation: {} } } });
    await p.next();
    p.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    p.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'ask', arguments: {} } });
    assert.equal((await within(p.next(), 'the elicitation request')).method, 'elicitation/create');
    const started = Date.now();
    // The client can no longer answer: waiting for it would only hold the exit for the 5 s grace period.
    p.child.stdin.end();
    const answer = await within(p.next(), 'the answer to tools/call', 2_500);
    assert.equal(answer.id, 2);
    assert.equal((answer.result as Json).isError, true);
    assert.match(JSON.stringify(answer.result), /no answer: /);
    assert.equal((await within(p.exited, 'the exit', 2_500)).code, 0, p.stderr);
    assert.ok(Date.now() - started < 2_500, `exited after ${Date.now() - started} ms`);
  });

  it('sends the console output of config modules to stderr: stdout carries protocol messages only', async () => {
    const p = start(['serve', '--stdio', '--config', chattyConfig]);
    p.send(INIT);
    await p.next();
    p.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    p.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'chatty', arguments: {} } });
    assert.deepEqual((await within(p.next(), 'the answer to tools/call')).result, { content: [{ type: 'text', text: 'ok' }] });
    p.child.stdin.end();
    assert.equal((await p.exited).code, 0, p.stderr);
    assert.deepEqual(p.notJson, [], 'nothing but JSON-RPC messages on stdout');
    assert.match(p.stderr, /registering chatty tools/);
    assert.match(p.stderr, /chatty was called/);
  });

  it('sends writes to process.stdout by config modules to stderr: stdout carries protocol messages only', async () => {
    const p = start(['serve', '--stdio', '--config', strayConfig]);
    p.send(INIT);
    assert.equal((await within(p.next(), 'the answer to initialize')).id, 1);
    p.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    p.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'stray', arguments: {} } });
    assert.deepEqual((await within(p.next(), 'the answer to tools/call')).result, { content: [{ type: 'text', text: 'ok' }] });
    p.child.stdin.end();
    assert.equal((await within(p.exited, 'the exit')).code, 0, p.stderr);
    assert.deepEqual(p.notJson, [], 'nothing but JSON-RPC messages on stdout');
    assert.ok(!p.stdoutRaw.includes('stray'), 'no stray text on stdout');
    assert.match(p.stderr, /stray at load, /);
    assert.match(p.stderr, /stray in a handler\n/);
  });

  it('keeps serving when the client closes the server\'s stderr, which it may ignore', async () => {
    const p = start(['serve', '--stdio', '--config', configFile]);
    // basic/transports: the client MAY capture, forward, or ignore stderr; here it closes its end of the pipe.
    p.child.stderr.destroy();
    p.send(INIT);
    assert.equal((await within(p.next(), 'the initialize answer')).id, 1);
    // Each of these has the server write a line to stderr, which now fails with EPIPE.
    p.child.stdin.write('not json\n');
    assert.equal(((await within(p.next(), 'the parse error')).error as Json).code, ErrorCode.ParseError);
    p.send({ jsonrpc: '2.0', id: 2, method: 'resources/read', params: { uri: 'test://boom' } });
    assert.equal(((await within(p.next(), 'the internal error')).error as Json).code, ErrorCode.InternalError);
    p.send({ jsonrpc: '2.0', id: 3, method: 'ping' });
    assert.deepEqual(await within(p.next(), 'the answer to ping'), { jsonrpc: '2.0', id: 3, result: {} });
    p.child.stdin.end();
    assert.equal((await p.exited).code, 0);
  });

  it('exits at once, non-zero, on a second signal', async () => {
    const p = start(['serve', '--stdio', '--config', configFile]);
    p.send(INIT);
    await p.next();
    p.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'slow', arguments: {} } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    p.child.kill('SIGINT');
    await p.stderrMatch(/SIGINT received/);
    p.child.kill('SIGINT');
    const { code } = await p.exited;
    assert.equal(code, 130);
    assert.match(p.stderr, /SIGINT again, exiting now/);
  });
});

describe('erlmcp serve (HTTP)', () => {
  it('prints its URL on stderr, serves MCP there, and drains on SIGTERM', async () => {
    const p = start(['serve', '--port', '0', '--metrics-port', '0', '--config', configFile]);
    const [, url] = (await p.stderrMatch(/^erlmcp listening on (http:\/\/127\.0\.0\.1:\d+\/mcp)$/m)) as [string, string];
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const init = await fetch(url, { method: 'POST', headers, body: JSON.stringify(INIT) });
    assert.equal(init.status, 200);
    const sessionId = init.headers.get('mcp-session-id');
    assert.ok(sessionId);
    assert.equal(((await init.json()) as { result: { serverInfo: Json } }).result.serverInfo.name, 'cli-test-server');
    const session = { ...headers, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' };
    await fetch(url, { method: 'POST', headers: session, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });
    const slow = fetch(url, {
      method: 'POST', headers: session,
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'slow', arguments: {} } }),
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    p.child.kill('SIGTERM');
    const res = await slow;
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.match(text, /slow done on cli-test-server/);
    assert.equal((await p.exited).code, 0, p.stderr);
    assert.equal(p.stdoutRaw, '', 'nothing on stdout');
  });
});

describe('erlmcp serve: a listener that cannot bind', () => {
  it('names the keys and the listener when the port is taken, exit 1', async () => {
    const { createServer } = await import('node:net');
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const taken = (holder.address() as { port: number }).port;
    try {
      const p = start(['serve', '--port', String(taken), '--metrics-port', '0']);
      assert.equal((await p.exited).code, 1);
      assert.match(p.stderr, new RegExp(`^erlmcp: cannot listen for MCP on 127\\.0\\.0\\.1:${taken} \\(server\\.host, server\\.port\\): port ${taken} is already in use`, 'm'));
    } finally {
      holder.close();
    }
  });

  it('refuses metrics.port equal to server.port on the same host before binding either, naming both keys', async () => {
    const p = start(['serve', '--port', '18181', '--metrics-port', '18181']);
    assert.equal((await p.exited).code, 1);
    assert.match(p.stderr, /^config: metrics\.port 18181 is server\.port too, on 127\.0\.0\.1; /m);
  });
});

describe('erlmcp serve --help', () => {
  it('says what each exit code means: 0 graceful, 1 startup error or drain overrun, 128+signal on a second signal', async () => {
    const p = start(['serve', '--help']);
    assert.equal((await p.exited).code, 0, p.stderr);
    const help = p.stdoutRaw;
    assert.match(help, /^Exit codes:$/m);
    assert.match(help, /^ {2}0 +drained and stopped gracefully$/m);
    assert.match(help, /^ {2}1 +a startup error .*drain failed or overran/ms);
    assert.match(help, /^ {2}128\+n +a second signal during the drain: 130 for SIGINT, 143 for SIGTERM$/m);
    assert.match(help, /server\.shutdownGraceMs/);
  });
});
