/**
 * basic/lifecycle: initialization is the first interaction between client and server, once per session. On a
 * stream transport (stdio, memory) the connection is the session, and a second initialize renegotiated the
 * revision mid-session and dropped the session's resource subscriptions from its record while the server kept
 * sending their updates. It is refused with -32600, and the session goes on as it was.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { createTestServer } from '../helpers/test-server.js';
import { connectInitialized } from '../helpers/memory-client.js';

describe('a second initialize on a stream session', () => {
  it('is refused with -32600, and the session keeps its revision', async () => {
    const server = createTestServer();
    const { client } = await connectInitialized(server, { protocolVersion: '2025-11-25' });
    try {
      const again = await client.request('initialize', { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'again', version: '1' } });
      assert.equal((again.error as { code: number } | undefined)?.code, ErrorCode.InvalidRequest, JSON.stringify(again));
      assert.match((again.error as { message: string }).message, /already initialized/);
      // Still 2025-11-25: tools/list entries carry the titles 2025-03-26 would have dropped.
      const tools = ((await client.request('tools/list', {})).result as { tools: { name: string; title?: string }[] }).tools;
      assert.equal(tools.find((t) => t.name === 'echo')?.title, 'Echo');
    } finally {
      await server.close();
    }
  });
});
