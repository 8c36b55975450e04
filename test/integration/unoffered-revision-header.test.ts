/**
 * An `MCP-Protocol-Version` header naming a revision erlmcp speaks but this server was configured not to offer
 * (`revisions`) is an unsupported version: 2025-11-25 transports, "Protocol Version Header": "If the server receives
 * a request with an invalid or unsupported MCP-Protocol-Version, it MUST respond with 400 Bad Request." Stateful and
 * stateless alike; a request without the header is still served (the 2025-03-26 assumption, a SHOULD).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { startHttp, type HttpHarness } from '../helpers/http-harness.js';
import { pick } from '../helpers/json-path.js';
import { POST_HEADERS, initializeHttp, jsonOf, type McpHttpSession } from '../helpers/raw-http-client.js';
import { createTestServer } from '../helpers/test-server.js';

const OFFERED = ['2025-11-25', '2025-06-18'] as const;
const PING = { jsonrpc: '2.0', id: 1, method: 'ping' };

describe(`a server offering only ${OFFERED.join(' and ')}`, () => {
  describe('stateful', () => {
    let http: HttpHarness;
    let session: McpHttpSession;

    before(async () => {
      http = await startHttp(createTestServer({ revisions: [...OFFERED] }));
      session = await initializeHttp(http.client);
    });
    after(() => http.close());

    it('answers MCP-Protocol-Version: 2025-03-26 with 400 naming the offered revisions, on POST, GET and DELETE', async () => {
      const post = await session.post(PING, { 'mcp-protocol-version': '2025-03-26' });
      assert.equal(post.status, 400, post.body);
      assert.equal(pick(jsonOf(post), 'error.code'), ErrorCode.InvalidRequest);
      assert.match(String(pick(jsonOf(post), 'error.message')), /2025-11-25, 2025-06-18/);
      const get = await http.client.send({ method: 'GET', headers: session.headers({ accept: 'text/event-stream', 'mcp-protocol-version': '2025-03-26' }) });
      assert.equal(get.status, 400, get.body);
      const del = await http.client.send({ method: 'DELETE', headers: session.headers({ 'mcp-protocol-version': '2025-03-26' }) });
      assert.equal(del.status, 400, del.body);
    });

    it('still serves the offered revisions, and a request without the header', async () => {
      for (const version of OFFERED) assert.equal((await session.post(PING, { 'mcp-protocol-version': version })).status, 200);
      const headerless = await http.client.send({ body: PING, headers: { ...POST_HEADERS, 'mcp-session-id': session.id } });
      assert.equal(headerless.status, 200, headerless.body);
    });
  });

  describe('stateless', () => {
    let http: HttpHarness;

    before(async () => {
      http = await startHttp(createTestServer({ revisions: [...OFFERED] }), { stateless: true });
    });
    after(() => http.close());

    it('answers MCP-Protocol-Version: 2025-03-26 with 400 instead of serving that revision', async () => {
      const reply = await http.client.send({ body: PING, headers: { ...POST_HEADERS, 'mcp-protocol-version': '2025-03-26' } });
      assert.equal(reply.status, 400, reply.body);
      assert.equal(pick(jsonOf(reply), 'error.code'), ErrorCode.InvalidRequest);
    });

    it('serves an offered revision', async () => {
      const reply = await http.client.send({ body: PING, headers: { ...POST_HEADERS, 'mcp-protocol-version': '2025-06-18' } });
      assert.equal(reply.status, 200, reply.body);
    });
  });
});
