/**
 * Closing one HTTP transport ends its own `subscriptions/listen` streams, with the graceful result, and no others.
 * Before the fix it ended every listen of the McpServer, so a stdio or memory connection of the same server that
 * stayed open lost its subscriptions (and got a closing result) because an unrelated transport closed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDualEraServer, modernHeaders, modernMeta } from '../helpers/dual-era-server.js';
import { startHttp } from '../helpers/http-harness.js';
import { connectMemory } from '../helpers/memory-client.js';

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
