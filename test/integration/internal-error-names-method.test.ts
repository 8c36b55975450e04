/**
 * An internal failure of a handler is published on `erlmcp:server:error` naming the method it happened in, in both
 * protocol eras, so the operator's line (`erlmcp: internal error in resources/read: ...`) says where in either.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { internalError, type InternalErrorEvent } from '../../src/diagnostics/channels.js';
import { modernMeta } from '../helpers/dual-era-server.js';
import { connectInitialized } from '../helpers/memory-client.js';
import { createTestServer } from '../helpers/test-server.js';

describe('internal error events', () => {
  it('name the failed request\'s method in the 2025-11-25 and the 2026-07-28 era alike', async () => {
    const server = createTestServer();
    const events: InternalErrorEvent[] = [];
    const seen = (message: unknown): void => void events.push(message as InternalErrorEvent);
    internalError.subscribe(seen);
    try {
      const { client } = await connectInitialized(server);
      const legacy = await client.request('resources/read', { uri: 'test://broken' });
      const modern = await client.request('resources/read', { uri: 'test://broken', _meta: modernMeta() });
      for (const answer of [legacy, modern]) assert.equal((answer.error as { code: number } | undefined)?.code, -32603);
      assert.deepEqual(events.map((e) => [e.method, e.origin]), [['resources/read', server.origin], ['resources/read', server.origin]]);
    } finally {
      internalError.unsubscribe(seen);
      await server.close();
    }
  });
});
