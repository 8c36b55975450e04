/**
 * The long-lived and cancellable parts of 2026-07-28: `subscriptions/listen` on a message stream (stdio's path)
 * acknowledges first, tags every notification with the listen request's id, stops on `notifications/cancelled`
 * without answering, and ends with the graceful result when the server shuts down; over HTTP, closing a request's
 * SSE response cancels its handler (the transport's "Cancellation": no `notifications/cancelled` over HTTP); a listen
 * whose filter members have the wrong type is refused -32602 naming the member, not acknowledged without them.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { describe, it } from 'node:test';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { createDualEraServer, modernHeaders, modernMeta } from '../helpers/dual-era-server.js';
import { startHttp } from '../helpers/http-harness.js';
import { connectMemory, type Json } from '../helpers/memory-client.js';
import { within } from '../helpers/deadline.js';

const SUB = 'io.modelcontextprotocol/subscriptionId';

describe('2026-07-28 listen streams and cancellation', () => {
  it('listen on a message stream: ack first, tagged notifications, cancelled ends it, shutdown answers the rest', async () => {
    const server = createDualEraServer();
    const { client } = await connectMemory(server);
    await client.sendRaw({ jsonrpc: '2.0', id: 'L1', method: 'subscriptions/listen', params: { _meta: modernMeta(), notifications: { toolsListChanged: true } } });
    const ack = await client.next((m) => m.method === 'notifications/subscriptions/acknowledged');
    assert.deepEqual(ack.params, { _meta: { [SUB]: 'L1' }, notifications: { toolsListChanged: true } });
    server.notifyListChanged('prompts');
    server.notifyListChanged('tools');
    const note = await client.next((m) => typeof m.method === 'string' && m.method.endsWith('list_changed'));
    assert.equal(note.method, 'notifications/tools/list_changed');
    assert.equal(((note.params as Json)._meta as Json)[SUB], 'L1');
    await client.notify('notifications/cancelled', { requestId: 'L1' });
    await new Promise((r) => setImmediate(r));
    assert.equal(server.modern?.listen.size, 0);
    await client.sendRaw({ jsonrpc: '2.0', id: 'L2', method: 'subscriptions/listen', params: { _meta: modernMeta(), notifications: {} } });
    await client.next((m) => m.method === 'notifications/subscriptions/acknowledged');
    await server.close();
    // stdio ends a listen with notifications/cancelled (schema: CancelledNotification), then the result; like every
    // other message of the subscription, the notification carries its id (NotificationMetaObject: "MUST include
    // this key on every notification delivered via a subscriptions/listen stream").
    const cancelled = await client.next((m) => m.method === 'notifications/cancelled');
    assert.deepEqual(cancelled.params, { _meta: { [SUB]: 'L2' }, requestId: 'L2', reason: 'server shutting down' });
    const final = await client.next((m) => m.id === 'L2');
    assert.deepEqual(final.result, {
      resultType: 'complete',
      _meta: { [SUB]: 'L2', 'io.modelcontextprotocol/serverInfo': { name: 'dual-era', version: '1.0.0' } },
    }, 'the closing result names the server, as every 2026-07-28 result SHOULD');
  });

  it('a notifications/cancelled that carries _meta cancels too: no answer for the request, and a listen ends', async () => {
    const server = createDualEraServer();
    let aborted!: () => void;
    const abortSeen = new Promise<void>((resolve) => (aborted = resolve));
    server.tool('slow', { description: 'Waits for its signal' }, async (_a, ctx) => {
      await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
      aborted();
      return 'cancelled, so never sent';
    });
    try {
      const { client } = await connectMemory(server);
      await client.sendRaw({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'slow', arguments: {}, _meta: modernMeta() } });
      await client.sendRaw({ jsonrpc: '2.0', id: 'L', method: 'subscriptions/listen', params: { _meta: modernMeta(), notifications: { toolsListChanged: true } } });
      await client.next((m) => m.method === 'notifications/subscriptions/acknowledged');
      await client.notify('notifications/cancelled', { requestId: 5, _meta: modernMeta() });
      await client.notify('notifications/cancelled', { requestId: 'L', _meta: modernMeta() });
      await within(abortSeen, 'the handler seeing its signal abort');
      await new Promise((r) => setImmediate(r));
      // The link delivers in order: an answer to request 5 would be in the inbox before this one arrives.
      const discover = await client.request('server/discover', { _meta: modernMeta() });
      assert.ok(discover.result, JSON.stringify(discover));
      assert.equal(server.modern?.listen.size, 0, 'the listen stream ended');
      assert.equal(client.holds((m) => m.id === 5), false, 'no answer to the cancelled request');
    } finally {
      await server.close();
    }
  });

  it('closing the SSE response of an HTTP request aborts its handler', async () => {
    const server = createDualEraServer();
    let aborted!: () => void;
    const abortSeen = new Promise<void>((resolve) => (aborted = resolve));
    server.tool('slow', { description: 'Streams, then waits for its signal' }, async (_a, ctx) => {
      ctx.progress(1, 2);
      await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
      aborted();
      return 'never sent';
    });
    const http = await startHttp(server);
    try {
      const body = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'slow', arguments: {}, _meta: { ...modernMeta(), progressToken: 'p' } } };
      const url = new URL(http.url);
      const text = JSON.stringify(body);
      await new Promise<void>((resolve, reject) => {
        const req = httpRequest({ hostname: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { ...modernHeaders(body), 'content-length': Buffer.byteLength(text) } }, (res) => {
          assert.equal(res.headers['content-type'], 'text/event-stream');
          assert.equal(res.headers['x-accel-buffering'], 'no');
          res.once('data', (chunk: Buffer) => {
            assert.doesNotMatch(chunk.toString(), /^id:/m, 'no event ids in 2026-07-28 SSE');
            req.destroy();
            resolve();
          });
        });
        req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
        req.end(text);
      });
      await within(abortSeen, 'the handler to see its signal abort');
    } finally {
      await http.close();
    }
  });

  it('refuses a listen whose filter members have the wrong type, with -32602 naming the member (HTTP)', async () => {
    const http = await startHttp(createDualEraServer());
    try {
      const cases: [Record<string, unknown>, string][] = [
        [{ toolsListChanged: 'true' }, 'params.notifications.toolsListChanged must be a boolean'],
        [{ promptsListChanged: 1 }, 'params.notifications.promptsListChanged must be a boolean'],
        [{ resourcesListChanged: null }, 'params.notifications.resourcesListChanged must be a boolean'],
        [{ resourceSubscriptions: 'file:///a' }, 'params.notifications.resourceSubscriptions must be an array of strings'],
        [{ toolsListChanged: true, resourceSubscriptions: ['file:///a', 2] }, 'params.notifications.resourceSubscriptions must be an array of strings'],
      ];
      for (const [i, [notifications, message]] of cases.entries()) {
        const body = { jsonrpc: '2.0' as const, id: i + 1, method: 'subscriptions/listen', params: { notifications, _meta: modernMeta() } };
        const res = await fetch(http.url, { method: 'POST', headers: modernHeaders(body), body: JSON.stringify(body) });
        assert.match(String(res.headers.get('content-type')), /^application\/json/, JSON.stringify(notifications));
        const answer = (await res.json()) as { id: number; error?: { code: number; message: string } };
        assert.equal(answer.id, i + 1);
        assert.equal(answer.error?.code, ErrorCode.InvalidParams, JSON.stringify(answer));
        assert.equal(answer.error?.message, `subscriptions/listen: ${message}`);
      }
    } finally {
      await http.close();
    }
  });
});
