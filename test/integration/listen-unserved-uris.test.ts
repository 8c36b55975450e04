/**
 * What a 2026-07-28 `subscriptions/listen` acknowledgement agrees to for resource URIs. The acknowledgement's
 * `notifications` is "the subset of requested notification types the server agreed to honor" (schema,
 * SubscriptionsAcknowledgedNotificationParams; basic/patterns/subscriptions, "Acknowledgment"), and servers "MUST
 * validate all resource URIs" (server/resources, "Security Considerations"): the hub echoed every requested URI,
 * so a client was told it would hear about a resource that nothing serves. A URI is served when resources/read
 * would answer it: a fixed resource, or one a template matches.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDualEraServer, modernMeta } from '../helpers/dual-era-server.js';
import { connectMemory, type Json, type RawMemoryClient } from '../helpers/memory-client.js';

const SUB = 'io.modelcontextprotocol/subscriptionId';

async function listen(client: RawMemoryClient, id: string, notifications: Json): Promise<Json> {
  await client.sendRaw({ jsonrpc: '2.0', id, method: 'subscriptions/listen', params: { _meta: modernMeta(), notifications } });
  const ack = await client.next((m) => m.method === 'notifications/subscriptions/acknowledged' && ((m.params as Json)._meta as Json)[SUB] === id);
  return (ack.params as Json).notifications as Json;
}

describe('subscriptions/listen and resource URIs nothing serves', () => {
  it('acknowledges only the URIs a fixed resource or a template serves, and delivers updates for those alone', async () => {
    const server = createDualEraServer();
    try {
      const { client } = await connectMemory(server);
      const agreed = await listen(client, 'L1', {
        toolsListChanged: true,
        resourceSubscriptions: ['test://readme', 'test://nowhere', 'test://items/7', 'other://items/7'],
      });
      assert.deepEqual(agreed, { toolsListChanged: true, resourceSubscriptions: ['test://readme', 'test://items/7'] });
      server.notifyResourceUpdated('test://nowhere');
      server.notifyResourceUpdated('test://items/7');
      const update = await client.next((m) => m.method === 'notifications/resources/updated');
      assert.equal((update.params as Json).uri, 'test://items/7', 'nothing for the URI the acknowledgement left out');
    } finally {
      await server.close();
    }
  });

  it('leaves resourceSubscriptions out of the acknowledgement when no requested URI is served', async () => {
    const server = createDualEraServer();
    try {
      const { client } = await connectMemory(server);
      assert.deepEqual(await listen(client, 'L2', { promptsListChanged: true, resourceSubscriptions: ['test://nowhere'] }), { promptsListChanged: true });
      assert.deepEqual(await listen(client, 'L3', { resourceSubscriptions: ['test://nowhere'] }), {});
    } finally {
      await server.close();
    }
  });
});
