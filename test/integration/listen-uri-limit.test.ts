/**
 * How many resource URIs one 2026-07-28 `subscriptions/listen` may name (`maxListenUris`, config
 * `limits.maxListenUris`). The hub checks each requested URI against every fixed resource and template when the
 * listen opens, so unbounded, one request cost URIs times templates: a listen over the bound is refused with -32602
 * naming the limit, before any URI is checked, and one at the bound is served as before.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { SERVER_DEFAULTS } from '../../src/server/mcp-server.js';
import { createDualEraServer, modernMeta } from '../helpers/dual-era-server.js';
import { connectMemory, type Json } from '../helpers/memory-client.js';

const listenRequest = (id: string, uris: string[]): Json => ({
  jsonrpc: '2.0', id, method: 'subscriptions/listen', params: { _meta: modernMeta(), notifications: { resourceSubscriptions: uris } },
});

describe('the bound on resource URIs per subscriptions/listen', () => {
  it('refuses a listen naming more URIs than maxListenUris with -32602 naming the limit, and serves one at it', async () => {
    const server = createDualEraServer({ maxListenUris: 3 });
    try {
      const { client } = await connectMemory(server);
      const uris = ['test://readme', 'test://items/1', 'test://items/2', 'test://items/3'];
      await client.sendRaw(listenRequest('over', uris));
      const refused = await client.next((m) => m.id === 'over');
      const error = refused.error as { code: number; message: string } | undefined;
      assert.equal(error?.code, ErrorCode.InvalidParams);
      assert.match(error?.message ?? '', /resourceSubscriptions names 4 URIs, more than the 3 one listen may \(maxListenUris\)/);
      assert.equal(server.modern?.listen.size, 0);

      await client.sendRaw(listenRequest('at', uris.slice(0, 3)));
      const ack = await client.next((m) => m.method === 'notifications/subscriptions/acknowledged');
      assert.deepEqual(((ack.params as Json).notifications as Json).resourceSubscriptions, uris.slice(0, 3));
      assert.equal(server.modern?.listen.size, 1);
    } finally {
      await server.close();
    }
  });

  it('defaults to SERVER_DEFAULTS.maxListenUris (1024), the most subscriptions a session may hold', () => {
    assert.equal(SERVER_DEFAULTS.maxListenUris, 1024);
  });
});
