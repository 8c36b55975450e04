/**
 * What a server sends the client, and what the application does with it, never ends the client's process: a
 * malformed progress notification, or an `onProgress` callback or event listener that throws, is reported on the
 * client's 'error' event, and the request it belongs to still gets its answer. Before, both threw out of the
 * transport's read loop (an uncaught exception over stdio). Also: `maxTotalTimeoutMs` holds with no progress, and a
 * batch from a 2025-03-26 server is taken apart, message by message. A server request whose params are not an object
 * is answered -32602 rather than reported and left unanswered. An error response naming no request is reported as
 * the server's error, with its code and message, not as a response for an unknown id.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { WireError } from '../../src/protocol/wire-error.js';
import { McpClient } from '../../src/client/mcp-client.js';
import { MemoryTransport } from '../../src/transport/memory/memory-transport.js';
import { within } from '../helpers/deadline.js';
import { connected, ScriptedPeer } from '../helpers/scripted-peer.js';

describe('McpClient, incoming messages', () => {
  it('reports a notifications/progress without params (or without a token) and keeps serving', async () => {
    const { client, peer } = await connected();
    const errors: Error[] = [];
    client.on('error', (e) => errors.push(e));
    await peer.send({ jsonrpc: '2.0', method: 'notifications/progress' });
    await peer.send({ jsonrpc: '2.0', method: 'notifications/progress', params: { progress: 1 } });
    await client.ping();
    assert.equal(errors.length, 2);
    for (const err of errors) {
      assert.ok(err instanceof WireError && err.code === ErrorCode.InvalidRequest);
      assert.match(err.message, /notifications\/progress needs params\.progressToken/);
    }
    await client.close();
  });

  it('reports an onProgress callback that throws, and the request is still answered', async () => {
    const { client, peer } = await connected();
    const errors: Error[] = [];
    client.on('error', (e) => errors.push(e));
    const pending = client.request<{ done: boolean }>('long/op', {}, { onProgress: () => { throw new Error('bug in my progress bar'); } });
    const sent = await peer.request('long/op');
    const token = (sent.params?._meta as { progressToken: number }).progressToken;
    await peer.send({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: token, progress: 1 } });
    await peer.send({ jsonrpc: '2.0', id: sent.id as number, result: { done: true } });
    assert.deepEqual(await within(pending, 'the answer'), { done: true });
    assert.deepEqual(errors.map((e) => e.message), ['bug in my progress bar']);
    await client.close();
  });

  it('reports a notification listener that throws', async () => {
    const { client, peer } = await connected();
    const errors: Error[] = [];
    client.on('error', (e) => errors.push(e));
    client.on('log', () => { throw new Error('bug in my log sink'); });
    await peer.send({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'x' } });
    await client.ping();
    assert.deepEqual(errors.map((e) => e.message), ['bug in my log sink']);
    await client.close();
  });

  it('reports an error response without id, or id null, as the server\'s own error, not as an unknown request id', async () => {
    const { client, peer } = await connected();
    const errors: Error[] = [];
    client.on('error', (e) => errors.push(e));
    await peer.send({ jsonrpc: '2.0', id: null, error: { code: ErrorCode.ParseError, message: 'Parse error: unexpected token' } } as never);
    await peer.send({ jsonrpc: '2.0', error: { code: ErrorCode.InvalidRequest, message: 'Invalid Request: no method' } });
    await client.ping();
    assert.deepEqual(errors.map((e) => [(e as WireError).code, e.message]), [
      [ErrorCode.ParseError, 'the server answered a message it could not read: Parse error: unexpected token'],
      [ErrorCode.InvalidRequest, 'the server answered a message it could not read: Invalid Request: no method'],
    ]);
    await client.close();
  });

  it('answers a server request whose params are not an object -32602, and does not report it', async () => {
    const { client, peer } = await connected({ roots: [{ uri: 'file:///r' }] });
    const errors: Error[] = [];
    client.on('error', (e) => errors.push(e));
    const bad: [string | number, unknown][] = [['s-array', ['file:///r']], [7, 'x'], ['s-null', null]];
    for (const [id, params] of bad) await peer.send({ jsonrpc: '2.0', id, method: 'roots/list', params });
    for (const [id] of bad) {
      const answer = await peer.next((m) => m.id === id && (m.error !== undefined || m.result !== undefined), `the answer to ${id}`);
      assert.equal((answer.error as { code?: number } | undefined)?.code, ErrorCode.InvalidParams, `request ${id}`);
      assert.match((answer.error as { message: string }).message, /roots\/list: params must be an object/);
    }
    // A message with no readable id still cannot be answered, and is reported as before.
    await peer.send({ jsonrpc: '2.0', id: 1.5, method: 'roots/list', params: 'x' });
    await client.ping();
    assert.equal(errors.length, 1);
    assert.match(errors[0]?.message ?? '', /invalid message/);
    await client.close();
  });

  it('maxTotalTimeoutMs below timeoutMs ends a request that gets no progress, naming the total', async () => {
    const { client } = await connected();
    const started = performance.now();
    await assert.rejects(client.request('never/answered', {}, { timeoutMs: 5_000, maxTotalTimeoutMs: 50 }), (err: unknown) =>
      err instanceof WireError && err.code === ErrorCode.RequestTimeout && /after 50 ms/.test(err.message));
    assert.ok(performance.now() - started < 2_000, 'it ended at the total bound, not at timeoutMs');
    await client.close();
  });
});

describe('McpClient, JSON-RPC batches from a 2025-03-26 server', () => {
  it('takes a batch apart: its response settles the request, its notification is an event, its requests are answered', async () => {
    const [a, b] = MemoryTransport.pair();
    const peer = new ScriptedPeer(b);
    peer.revision = '2025-03-26';
    await b.start();
    const client = new McpClient({ name: 't', version: '1' }, { timerResolutionMs: 5, protocolVersion: '2025-03-26', roots: [{ uri: 'file:///r' }] });
    await client.connect(a);
    const errors: Error[] = [];
    client.on('error', (e) => errors.push(e));
    const logs: unknown[] = [];
    client.on('log', (m) => logs.push(m.data));
    const pending = client.request<{ done: boolean }>('long/op', {}, { timeoutMs: 5_000 });
    const sent = await peer.request('long/op');
    // 2025-03-26 basic/transports: a client MUST support receiving batches; responses and notifications may be batched.
    await peer.send([
      { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'x' } },
      { jsonrpc: '2.0', id: sent.id as number, result: { done: true } },
    ] as never);
    assert.deepEqual(await within(pending, 'the batched answer'), { done: true });
    await peer.send([{ jsonrpc: '2.0', id: 's1', method: 'ping' }, { jsonrpc: '2.0', id: 's2', method: 'roots/list' }] as never);
    const roots = await peer.next((m) => m.id === 's2' && m.result !== undefined, 'the roots answer');
    assert.deepEqual(roots.result, { roots: [{ uri: 'file:///r' }] });
    await peer.next((m) => m.id === 's1' && m.result !== undefined, 'the ping answer');
    assert.deepEqual(logs, ['x']);
    assert.deepEqual(errors, []);
    await client.close();
  });
});
