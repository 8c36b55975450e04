/**
 * Closing one HTTP transport ends its own `subscriptions/listen` streams, with the graceful result, and no others.
 * Before the fix it ended every listen of the McpServer, so a stdio or memory connection of the same server that
 * stayed open lost its subscriptions (and got a closing result) because an unrelated transport closed.
 *
 * And once `McpServer.close()` has begun, a listen that still reaches a transport is refused (-32003, as draining
 * refuses): the server had already ended its streams, so one opened then was never ended.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { OVERLOAD_RETRY_AFTER_MS } from '../../src/protocol/overload.js';
import { createDualEraServer, modernHeaders, modernMeta } from '../helpers/dual-era-server.js';
import { startHttp } from '../helpers/http-harness.js';
import { connectMemory } from '../helpers/memory-client.js';
import { jsonOf } from '../helpers/raw-http-client.js';

describe('closing an HTTP transport and the listen streams of a server', () => {
  it('ends the HTTP listen with its result and keeps the memory connection\'s', async () => {
    const server = createDualEraServer();
    const http = await startHttp(server);
    try {
      const { client } = await connectMemory(server);
      await client.sendRaw({ jsonrpc: '2.0', id: 'M', method: 'subscriptions/listen', params: { _meta: modernMeta(), notifications: { toolsListChanged: true } } });
      await client.next((m) => m.method === 'notifications/subscriptions/acknowledged');
      const body = { jsonrpc: '2.0', id: 'H', method: 'subscriptions/listen', params: { _meta: modernMeta(), notifications: { toolsListChanged: true } } };
      const stream = await http.client.stream({ body, headers: modernHeaders(body) });
      assert.equal(stream.status, 200);
      assert.equal((await stream.sse.nextMessage())?.method, 'notifications/subscriptions/acknowledged');
      assert.equal(server.modern?.listen.size, 2);

      await http.transport.close(1_000);
      const closing = await stream.sse.nextMessage();
      assert.equal(closing?.id, 'H');
      assert.equal((closing?.result as { resultType?: string } | undefined)?.resultType, 'complete');
      assert.equal(server.modern?.listen.size, 1, 'the memory connection\'s listen was ended by the HTTP transport\'s close');

      server.tool('added', { description: 'added after the HTTP transport closed' }, () => 'x');
      const changed = await client.next((m) => m.method === 'notifications/tools/list_changed');
      assert.equal((changed.params as { _meta: Record<string, unknown> })._meta['io.modelcontextprotocol/subscriptionId'], 'M');
    } finally {
      await server.close();
    }
  });
});

describe('a listen opened while the server closes', () => {
  it('is refused with -32003 over HTTP and over a memory connection, and nothing is left listening', async () => {
    const server = createDualEraServer();
    const http = await startHttp(server);
    try {
      const { client } = await connectMemory(server);
      const closing = server.close();
      const body = { jsonrpc: '2.0', id: 'late', method: 'subscriptions/listen', params: { _meta: modernMeta(), notifications: { toolsListChanged: true } } };
      const stream = await http.client.stream({ body, headers: modernHeaders(body) });
      assert.equal(stream.status, 503, 'a listen opened during close() was accepted and would never be ended');
      const refusal = await http.client.send({ body, headers: modernHeaders(body) });
      assert.equal(refusal.status, 503);
      const error = jsonOf(refusal).error as { code: number; data?: { retryAfterMs?: unknown } };
      assert.equal(error.code, ErrorCode.Overloaded);
      // When to retry, in the body and in Retry-After, agreeing (overload-retry-hint.test.ts checks the others).
      assert.equal(error.data?.retryAfterMs, OVERLOAD_RETRY_AFTER_MS);
      assert.equal(Number(refusal.headers['retry-after']) * 1000, OVERLOAD_RETRY_AFTER_MS, 'a 503 without a matching Retry-After');

      await client.sendRaw({ jsonrpc: '2.0', id: 'M', method: 'subscriptions/listen', params: { _meta: modernMeta(), notifications: { toolsListChanged: true } } });
      const answer = await client.next((m) => m.id === 'M');
      const memoryError = answer.error as { code: number; data?: { retryAfterMs?: unknown } } | undefined;
      assert.equal(memoryError?.code, ErrorCode.Overloaded);
      assert.equal(memoryError?.data?.retryAfterMs, OVERLOAD_RETRY_AFTER_MS);
      assert.equal(server.modern?.listen.size, 0);
      await closing;
    } finally {
      await server.close();
      await http.close();
    }
  });
});
