/**
 * Which era answers an HTTP request, where the request is ambiguous or the server offers one era only.
 * - A request carrying the stateless era's `_meta` under a session-era `MCP-Protocol-Version` is a stateless
 *   request whose header disagrees: 400, -32020, with its id (2026-07-28 streamable-http, "Protocol Version
 *   Header": the server MUST reject a mismatch). It used to be served under the older rules (stateless mode) or
 *   refused for a missing session id.
 * - A server offering 2026-07-28 only answers every POST statelessly: a POST without the version header is -32020,
 *   initialize is 400 -32022 naming the versions offered (basic/versioning: the only diagnostic a legacy client
 *   gets; the schema: -32022 is 400 on HTTP), and GET and DELETE are 405 with or without a header.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { createDualEraServer, modernHeaders, modernMeta } from '../helpers/dual-era-server.js';
import { startHttp } from '../helpers/http-harness.js';
import { initializeHttp, jsonOf } from '../helpers/raw-http-client.js';

const LEGACY_POST = { accept: 'application/json, text/event-stream', 'content-type': 'application/json' };

describe('era routing over HTTP', () => {
  for (const stateless of [false, true]) {
    it(`refuses modern _meta under a 2025-11-25 header with 400 -32020 and the request id (stateless: ${stateless})`, async () => {
      const http = await startHttp(createDualEraServer(), { stateless });
      try {
        const body = { jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'chatty', arguments: {}, _meta: modernMeta() } };
        const reply = await http.client.send({ body, headers: { ...modernHeaders(body), 'mcp-protocol-version': '2025-11-25' } });
        assert.equal(reply.status, 400, reply.body);
        const answer = jsonOf(reply);
        assert.equal(answer.id, 5);
        assert.equal((answer.error as { code: number }).code, ErrorCode.HeaderMismatch);
        assert.match((answer.error as { message: string }).message, /2025-11-25 does not match/);
      } finally {
        await http.close();
      }
    });
  }

  it('still serves a session-era request under a session-era header', async () => {
    const http = await startHttp(createDualEraServer());
    try {
      const session = await initializeHttp(http.client);
      const answer = await session.call('tools/list');
      assert.ok(Array.isArray((answer.result as { tools: unknown }).tools));
    } finally {
      await http.close();
    }
  });

  describe('a server offering 2026-07-28 only', () => {
    it('answers initialize with 400 -32022 naming the versions it offers', async () => {
      const http = await startHttp(createDualEraServer({ revisions: ['2026-07-28'] }));
      try {
        const body = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'legacy', version: '1' } } };
        const reply = await http.client.send({ body, headers: LEGACY_POST });
        assert.equal(reply.status, 400, reply.body);
        assert.equal(reply.headers['mcp-session-id'], undefined, 'no session is minted');
        const error = jsonOf(reply).error as { code: number; data: { supported: string[]; requested: string } };
        assert.equal(error.code, ErrorCode.UnsupportedProtocolVersion);
        assert.deepEqual(error.data, { supported: ['2026-07-28'], requested: '2025-11-25' });
      } finally {
        await http.close();
      }
    });

    it('refuses a POST without the version header with 400 -32020, not a session error', async () => {
      const http = await startHttp(createDualEraServer({ revisions: ['2026-07-28'] }));
      try {
        const reply = await http.client.send({ body: { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} }, headers: LEGACY_POST });
        assert.equal(reply.status, 400, reply.body);
        const answer = jsonOf(reply);
        assert.equal(answer.id, 2);
        assert.equal((answer.error as { code: number }).code, ErrorCode.HeaderMismatch);
        const body = { jsonrpc: '2.0', id: 3, method: 'tools/list', params: { _meta: modernMeta() } };
        const served = jsonOf(await http.client.send({ body, headers: modernHeaders(body) }));
        assert.ok(Array.isArray((served.result as { tools: unknown }).tools), 'a proper 2026-07-28 request is served');
      } finally {
        await http.close();
      }
    });

    it('answers GET and DELETE with 405 Allow: POST even without a version header', async () => {
      const http = await startHttp(createDualEraServer({ revisions: ['2026-07-28'] }));
      try {
        // PUT and OPTIONS too: an Allow listing GET and DELETE sent the client to two more 405s (RFC 9110 15.5.6).
        for (const method of ['GET', 'DELETE', 'PUT', 'OPTIONS']) {
          const reply = await http.client.send({ method, headers: { accept: 'text/event-stream', 'mcp-session-id': 'anything' } });
          assert.equal(reply.status, 405, `${method}: ${reply.body}`);
          assert.equal(reply.headers.allow, 'POST', method);
        }
      } finally {
        await http.close();
      }
    });
  });
});
