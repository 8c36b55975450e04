/**
 * What a server sends the client, and what the application does with it, never ends the client's process: a
 * malformed progress notification, or an `onProgress` callback or event listener that throws, is reported on the
 * client's 'error' event, and the request it belongs to still gets its answer. Before, both threw out of the
 * transport's read loop (an uncaught exception over stdio). Also: `maxTotalTimeoutMs` holds with no progress.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { WireError } from '../../src/protocol/wire-error.js';
import { within } from '../helpers/deadline.js';
import { connected } from '../helpers/scripted-peer.js';

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

  it('maxTotalTimeoutMs below timeoutMs ends a request that gets no progress, naming the total', async () => {
    const { client } = await connected();
    const started = performance.now();
    await assert.rejects(client.request('never/answered', {}, { timeoutMs: 5_000, maxTotalTimeoutMs: 50 }), (err: unknown) =>
      err instanceof WireError && err.code === ErrorCode.RequestTimeout && /after 50 ms/.test(err.message));
    assert.ok(performance.now() - started < 2_000, 'it ended at the total bound, not at timeoutMs');
    await client.close();
  });
});
