/**
 * A server offering 2026-07-28 alone, over a message stream (stdio, memory): every request is of the stateless era,
 * as on HTTP. One whose `_meta` lacks the protocol version is malformed (basic/index: "MUST reject it with JSON-RPC
 * error code -32602"); before the fix it went to the session era and got -32600 "initialize the session first", an
 * instruction the server itself refuses, and `server/discover` without `_meta` got -32601. A legacy initialize is
 * still answered -32022, naming the versions offered.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { createDualEraServer, modernMeta } from '../helpers/dual-era-server.js';
import { connectMemory } from '../helpers/memory-client.js';

const NO_VERSION = { 'io.modelcontextprotocol/clientCapabilities': {}, 'io.modelcontextprotocol/clientInfo': { name: 'c', version: '1' } };

describe('a 2026-07-28-only server over a message stream', () => {
  for (const [method, params] of [['tools/list', { _meta: NO_VERSION }], ['server/discover', {}]] as const) {
    it(`answers ${method} ${JSON.stringify(params)} with -32602`, async () => {
      const server = createDualEraServer({ revisions: ['2026-07-28'] });
      try {
        const { client } = await connectMemory(server);
        const answer = await client.request(method, params);
        assert.equal((answer.error as { code: number } | undefined)?.code, ErrorCode.InvalidParams, JSON.stringify(answer));
      } finally {
        await server.close();
      }
    });
  }

  it('serves a well-formed request, and answers a legacy initialize -32022 with the versions offered', async () => {
    const server = createDualEraServer({ revisions: ['2026-07-28'] });
    try {
      const { client } = await connectMemory(server);
      const listed = await client.request('tools/list', { _meta: modernMeta() });
      assert.equal((listed.result as { resultType: string }).resultType, 'complete', JSON.stringify(listed));
      const init = await client.request('initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'old', version: '1' } });
      const error = init.error as { code: number; data?: { supported?: unknown } } | undefined;
      assert.equal(error?.code, ErrorCode.UnsupportedProtocolVersion, JSON.stringify(init));
      assert.deepEqual(error?.data?.supported, ['2026-07-28']);
    } finally {
      await server.close();
    }
  });
});
