/**
 * The stdio client transport's own duties, with small child programs: a command that cannot start is
 * ERLMCP_ERR_SPAWN_FAILED; a bad line from the server is reported and skipped, never answered (only a server answers
 * framing errors); close() ends a server that ignores the end of its stdin, by SIGTERM after the wait; bad options
 * are refused before anything is spawned, and a closed transport does not start again; a server that dies fails what
 * waits on it naming its exit; an answer over maxMessageBytes fails every request at once, naming the limit.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { McpClient } from '../../src/client/mcp-client.js';
import { ErlmcpError } from '../../src/errors.js';
import { StdioClientTransport } from '../../src/transport/stdio/stdio-client-transport.js';
import { within } from '../helpers/deadline.js';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('StdioClientTransport', () => {
  it('a command that cannot be started rejects start() with ERLMCP_ERR_SPAWN_FAILED', async () => {
    const transport = new StdioClientTransport({ command: '/nonexistent/erlmcp-server' });
    await assert.rejects(transport.start(), (err: unknown) => err instanceof ErlmcpError && err.code === 'ERLMCP_ERR_SPAWN_FAILED');
  });

  it('refuses bad options when made, naming each, so nothing is spawned for them', () => {
    const bad = (options: object, pattern: RegExp): void =>
      assert.throws(() => new StdioClientTransport({ command: process.execPath, ...options } as never), (err: unknown) =>
        err instanceof ErlmcpError && err.code === 'ERLMCP_ERR_INVALID_ARGUMENT' && pattern.test(err.message));
    bad({ maxMessageBytes: 0 }, /options\.maxMessageBytes must be a positive integer, got 0/);
    bad({ exitTimeoutMs: '2s' }, /options\.exitTimeoutMs must be an integer number of ms/);
    bad({ exitTimeoutMs: -1 }, /options\.exitTimeoutMs/);
    bad({ exitTimeoutMs: Number.NaN }, /options\.exitTimeoutMs/);
    bad({ args: '-e 1' }, /options\.args must be an array of strings/);
    bad({ stderr: 'file' }, /options\.stderr must be inherit, pipe or ignore/);
  });

  it('start() after close() is refused and spawns nothing', async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'], exitTimeoutMs: 100 });
    await transport.close();
    try {
      await assert.rejects(transport.start(), (err: unknown) => err instanceof ErlmcpError && err.code === 'ERLMCP_ERR_TRANSPORT_CLOSED');
      assert.equal(transport.pid, undefined);
    } finally {
      // Were one spawned, nothing in the transport could stop it any more.
      if (transport.pid !== undefined && isAlive(transport.pid)) process.kill(transport.pid, 'SIGKILL');
    }
  });

  it('reports a line that is not JSON, delivers the next message, and writes nothing back', async () => {
    // The child prints a bad line and a good one, then echoes to stderr whatever reaches its stdin.
    const script = `process.stdout.write('not json\\n' + JSON.stringify({ jsonrpc: '2.0', method: 'notifications/hello' }) + '\\n');
      process.stdin.on('data', (d) => process.stderr.write('got:' + d));`;
    const transport = new StdioClientTransport({ command: process.execPath, args: ['-e', script], stderr: 'pipe', exitTimeoutMs: 200 });
    let childInput = '';
    const errors: Error[] = [];
    transport.onerror = (err) => errors.push(err);
    const hello = new Promise<unknown>((resolve) => (transport.onmessage = resolve));
    await transport.start();
    transport.stderr?.on('data', (chunk: Buffer) => (childInput += chunk.toString()));
    assert.deepEqual(await within(hello, 'the good message'), { jsonrpc: '2.0', method: 'notifications/hello' });
    assert.equal(errors.length, 1);
    assert.match(errors[0]?.message ?? '', /not valid JSON/);
    await transport.send({ jsonrpc: '2.0', method: 'notifications/ping-back' });
    await within((async () => {
      while (!childInput.includes('ping-back')) await new Promise((resolve) => setTimeout(resolve, 5));
    })(), 'the child to see our message');
    assert.doesNotMatch(childInput, /-32700|Parse error/, 'no parse-error answer was sent to the server');
    await transport.close();
  });

  it('reports a line that is not UTF-8 as it does one that is not JSON, and delivers the next message', async () => {
    // MCP basic/transports: messages MUST be UTF-8. The Latin-1 byte 0xE9 would otherwise reach onmessage as U+FFFD.
    const script = `process.stdout.write(Buffer.concat([Buffer.from('{"jsonrpc":"2.0","method":"notifications/caf'), Buffer.from([0xe9]), Buffer.from('"}\\n')]));
      process.stdout.write(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/hello' }) + '\\n');
      process.stdin.resume();`;
    const transport = new StdioClientTransport({ command: process.execPath, args: ['-e', script], exitTimeoutMs: 200 });
    const errors: Error[] = [];
    transport.onerror = (err) => errors.push(err);
    const first = new Promise<unknown>((resolve) => (transport.onmessage = resolve));
    await transport.start();
    try {
      assert.deepEqual(await within(first, 'the good message'), { jsonrpc: '2.0', method: 'notifications/hello' });
      assert.equal(errors.length, 1);
      assert.match(errors[0]?.message ?? '', /not valid UTF-8/);
    } finally {
      await transport.close();
    }
  });

  it('close() ends a server that ignores the end of stdin, with SIGTERM after exitTimeoutMs', async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'], exitTimeoutMs: 100 });
    let closed = 0;
    transport.onclose = () => closed++;
    await transport.start();
    const pid = transport.pid as number;
    assert.ok(isAlive(pid));
    const started = performance.now();
    await transport.close();
    assert.equal(isAlive(pid), false);
    assert.ok(performance.now() - started >= 90, 'it waited for a voluntary exit first');
    await transport.close();
    assert.equal(closed, 1, 'onclose once, however often close() is called');
    await assert.rejects(transport.send({ jsonrpc: '2.0', method: 'x' }), (err: unknown) => err instanceof ErlmcpError && err.code === 'ERLMCP_ERR_TRANSPORT_CLOSED');
  });

  it('a server that dies fails the handshake and the requests in flight naming how it exited, no error listener needed', async () => {
    // Answers initialize, then dies on the first request after it.
    const script = `require('readline').createInterface({ input: process.stdin }).on('line', (l) => {
      const m = JSON.parse(l);
      if (m.method === 'initialize') process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: m.id, result: { protocolVersion: '2025-06-18', capabilities: {}, serverInfo: { name: 's', version: '1' } } }) + '\\n');
      else if (m.id !== undefined) process.exit(7);
    });`;
    const exitedWith = (code: number) => (err: unknown): boolean => err instanceof ErlmcpError && err.code === 'ERLMCP_ERR_TRANSPORT_CLOSED' && err.message.includes(`exited with code ${code}`);
    const dead = new McpClient({ name: 't', version: '1' });
    await within(assert.rejects(dead.connect(new StdioClientTransport({ command: process.execPath, args: ['-e', 'process.exit(3)'], exitTimeoutMs: 200 })), exitedWith(3)), 'the handshake to fail');
    const client = new McpClient({ name: 't', version: '1' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: ['-e', script], exitTimeoutMs: 200 }));
    await within(assert.rejects(client.request('tools/list'), exitedWith(7)), 'the request to fail');
    await client.close();
  });

  it('an answer over maxMessageBytes fails every request in flight at once, naming the limit, without waiting for the exit', async () => {
    // Answers initialize, answers tools/list with a 4 KiB line, never answers ping, and ignores the end of its stdin,
    // as a server still draining would: the requests must not wait for its exit, nor for their own timeouts.
    const script = `process.stdin.on('end', () => setInterval(() => {}, 1000));
      require('readline').createInterface({ input: process.stdin }).on('line', (l) => {
      const m = JSON.parse(l);
      if (m.method === 'initialize') process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: m.id, result: { protocolVersion: '2025-06-18', capabilities: {}, serverInfo: { name: 's', version: '1' } } }) + '\\n');
      else if (m.method === 'tools/list') process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: m.id, result: { tools: [], pad: 'x'.repeat(4096) } }) + '\\n');
    });`;
    const client = new McpClient({ name: 't', version: '1' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: ['-e', script], maxMessageBytes: 1024, exitTimeoutMs: 1000 }));
    const tooLarge = (err: unknown): boolean => err instanceof ErlmcpError && err.code === 'ERLMCP_ERR_TRANSPORT_CLOSED' && /maxMessageBytes/.test(err.message) && /1024 bytes/.test(err.message);
    try {
      const started = performance.now();
      const ping = client.request('ping', undefined, { timeoutMs: 30_000 });
      const list = client.request('tools/list', undefined, { timeoutMs: 30_000 });
      await within(Promise.all([assert.rejects(list, tooLarge), assert.rejects(ping, tooLarge)]), 'both requests to fail', 5_000);
      assert.ok(performance.now() - started < 500, `failed after ${Math.round(performance.now() - started)} ms`);
    } finally {
      await client.close();
    }
  });
});
