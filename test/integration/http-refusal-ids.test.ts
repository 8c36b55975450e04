/**
 * The id of an HTTP-level refusal's JSON-RPC body (found in review). JSON-RPC 2.0 section 5 says an error's id is the
 * request's when it can be read, and the 2025-03-26 and 2025-06-18 schemas require it (JSONRPCError.id): a client
 * that reads only JSON-RPC correlates the refusal with its pending request by that id. Once a POST body is parsed as
 * one request, the session-era refusals (no Mcp-Session-Id, an unknown or ended session, an unsupported
 * MCP-Protocol-Version, an initialize over a limit) echo its id, as does the 500 of a store that failed under it. A notification, a client's response or a batch has
 * no single request id to echo, so those refusals stay without one, as do refusals made before the body is read.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { MAX_INITIALIZE_BYTES } from '../../src/transport/http/streamable-http.js';
import { startHttp, type HttpHarness } from '../helpers/http-harness.js';
import { hasNoRequestId, pick } from '../helpers/json-path.js';
import { POST_HEADERS, initializeHttp, initializeRequest, jsonOf, type HttpReply } from '../helpers/raw-http-client.js';
import { RemoteLikeStore } from '../helpers/remote-like-store.js';
import { createTestServer } from '../helpers/test-server.js';

const VERSION = { 'mcp-protocol-version': '2025-11-25' };

function echoCall(id: number | string): Record<string, unknown> {
  return { jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'echo', arguments: { text: 'x' } } };
}

/** Asserts a refusal with `status` whose JSON-RPC body carries `id` (undefined: no id at all). */
function assertRefusedWithId(reply: HttpReply, status: number, id: string | number | undefined, code = ErrorCode.InvalidRequest): void {
  assert.equal(reply.status, status, reply.body);
  const body = jsonOf(reply);
  assert.equal(pick(body, 'error.code'), code, reply.body);
  if (id === undefined) assert.ok(hasNoRequestId(body), `no id expected: ${reply.body}`);
  else assert.equal(body.id, id, `the request's id is echoed: ${reply.body}`);
}

describe('HTTP refusals echo the id of a parsed request: stateful', () => {
  let http: HttpHarness;

  before(async () => {
    http = await startHttp(createTestServer({ maxSessions: 2 }));
  });
  after(() => http.close());

  it('400 without Mcp-Session-Id', async () => {
    const reply = await http.client.send({ body: echoCall('no-session'), headers: { ...POST_HEADERS, ...VERSION } });
    assertRefusedWithId(reply, 400, 'no-session');
  });

  it('404 for an unknown session (looked up in the store)', async () => {
    const reply = await http.client.send({ body: echoCall(41), headers: { ...POST_HEADERS, ...VERSION, 'mcp-session-id': 'no-such-session' } });
    assertRefusedWithId(reply, 404, 41);
  });

  it('404 for a session ended by DELETE', async () => {
    const doomed = await initializeHttp(http.client);
    assert.equal((await doomed.delete()).status, 200);
    assertRefusedWithId(await doomed.post(echoCall('ended')), 404, 'ended');
  });

  it('400 for two Mcp-Session-Id headers', async () => {
    const session = await initializeHttp(http.client);
    const reply = await http.client.send({ body: echoCall(0), headers: { ...session.headers(POST_HEADERS), 'mcp-session-id': [session.id, 'other'] } });
    assertRefusedWithId(reply, 400, 0);
    await session.delete();
  });

  it('400 for an unsupported MCP-Protocol-Version on a live session', async () => {
    const session = await initializeHttp(http.client);
    assertRefusedWithId(await session.post(echoCall('v'), { 'mcp-protocol-version': '1999-01-01' }), 400, 'v');
    await session.delete();
  });

  it('413 for an initialize over MAX_INITIALIZE_BYTES, and 503 beyond maxSessions', async () => {
    const big = initializeRequest('big-init');
    (big.params as Record<string, unknown>)._meta = { pad: 'x'.repeat(MAX_INITIALIZE_BYTES) };
    assertRefusedWithId(await http.client.send({ body: big, headers: POST_HEADERS }), 413, 'big-init');
    const a = await initializeHttp(http.client);
    const b = await initializeHttp(http.client);
    const full = await http.client.send({ body: initializeRequest('full'), headers: POST_HEADERS });
    assertRefusedWithId(full, 503, 'full', ErrorCode.Overloaded);
    await a.delete();
    await b.delete();
  });

  it('keeps no id for a notification, a client response or a batch, which have no request id to echo', async () => {
    const headers = { ...POST_HEADERS, ...VERSION };
    const notification = await http.client.send({ body: { jsonrpc: '2.0', method: 'notifications/initialized' }, headers });
    assertRefusedWithId(notification, 400, undefined);
    const response = await http.client.send({ body: { jsonrpc: '2.0', id: 'r1', result: {} }, headers });
    assertRefusedWithId(response, 400, undefined);
    const batch = await http.client.send({ body: [echoCall(1), echoCall(2)], headers: { ...POST_HEADERS, 'mcp-protocol-version': '2025-03-26' } });
    assertRefusedWithId(batch, 400, undefined);
  });
});

describe('HTTP refusals echo the id of a parsed request: stateless', () => {
  let http: HttpHarness;

  before(async () => {
    http = await startHttp(createTestServer(), { stateless: true });
  });
  after(() => http.close());

  it('400 for an unsupported MCP-Protocol-Version', async () => {
    const reply = await http.client.send({ body: echoCall('s1'), headers: { ...POST_HEADERS, 'mcp-protocol-version': '1999-01-01' } });
    assertRefusedWithId(reply, 400, 's1');
  });
});

describe('HTTP 500s echo the id of a parsed request', () => {
  let http: HttpHarness;
  const store = new RemoteLikeStore(1);

  before(async () => {
    http = await startHttp(createTestServer({ sessions: { store } }));
  });
  after(() => http.close());

  it('500 for an initialize whose session the store failed to create', async () => {
    store.failCreates = true;
    try {
      assertRefusedWithId(await http.client.send({ body: initializeRequest('init-500'), headers: POST_HEADERS }), 500, 'init-500', ErrorCode.InternalError);
    } finally {
      store.failCreates = false;
    }
  });

  it('500 for a request whose session lookup failed, but none for a notification or a batch', async () => {
    const headers = { ...POST_HEADERS, ...VERSION, 'mcp-session-id': 'in-the-store-maybe' };
    store.failGets = true;
    try {
      assertRefusedWithId(await http.client.send({ body: echoCall('get-500'), headers }), 500, 'get-500', ErrorCode.InternalError);
      const notification = await http.client.send({ body: { jsonrpc: '2.0', method: 'notifications/initialized' }, headers });
      assertRefusedWithId(notification, 500, undefined, ErrorCode.InternalError);
      const batch = await http.client.send({ body: [echoCall(1)], headers: { ...headers, 'mcp-protocol-version': '2025-03-26' } });
      assertRefusedWithId(batch, 500, undefined, ErrorCode.InternalError);
    } finally {
      store.failGets = false;
    }
  });
});
