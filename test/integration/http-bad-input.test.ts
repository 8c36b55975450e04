/**
 * Streamable HTTP refusals over real sockets: each bad request gets the right HTTP status and a JSON-RPC error body
 * with the right code, and the server goes on serving a good request afterwards. The statuses follow the 2025-11-25
 * transport (missing session 400, unknown or ended session 404, unsupported MCP-Protocol-Version 400, bad Origin
 * 403) and HTTP itself (405, 406, 413, 415).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { startHttp, type HttpHarness } from '../helpers/http-harness.js';
import { hasNoRequestId, pick } from '../helpers/json-path.js';
import {
  POST_HEADERS, initializeHttp, initializeRequest, jsonOf, type HttpReply, type McpHttpSession,
} from '../helpers/raw-http-client.js';
import { createTestServer } from '../helpers/test-server.js';

const MAX_BODY_BYTES = 4_096;

function echoCall(id: number | string, text: string): Record<string, unknown> {
  return { jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'echo', arguments: { text } } };
}

/** Asserts an HTTP-level refusal: the status, a JSON body, and its JSON-RPC error code. */
function assertRefused(reply: HttpReply, status: number, code: ErrorCode, message?: RegExp): Record<string, unknown> {
  assert.equal(reply.status, status, `status; body: ${reply.body}`);
  assert.match(String(reply.headers['content-type']), /^application\/json/);
  const body = jsonOf(reply);
  assert.equal(pick(body, 'error.code'), code, `error code; body: ${reply.body}`);
  if (message) assert.match(String(pick(body, 'error.message')), message);
  return body;
}

describe('Streamable HTTP, stateful: bad input', () => {
  let http: HttpHarness;
  let session: McpHttpSession;
  let served = 0;

  before(async () => {
    http = await startHttp(createTestServer(), { maxBodyBytes: MAX_BODY_BYTES });
    session = await initializeHttp(http.client);
  });
  after(() => http.close());

  /** The server still answers a good request on the same session. */
  async function assertStillServes(): Promise<void> {
    const text = `still here ${++served}`;
    const reply = await session.post(echoCall(`ok-${served}`, text));
    assert.equal(reply.status, 200, reply.body);
    assert.equal(pick(jsonOf(reply), 'result.content.0.text'), text);
  }

  it('answers a good request (the baseline the other cases compare with)', async () => {
    await assertStillServes();
  });

  it('answers malformed JSON with 400 and -32700, without an id', async () => {
    const reply = await session.post('{"jsonrpc":"2.0","id":1,"method":');
    const body = assertRefused(reply, 400, ErrorCode.ParseError);
    assert.ok(hasNoRequestId(body), reply.body);
    await assertStillServes();
  });

  it('answers a body that is not UTF-8 with 400 and -32700 naming UTF-8, rather than serving it with U+FFFD in it', async () => {
    // RFC 8259 section 8.1: JSON exchanged between systems MUST be UTF-8. A Latin-1 client's "café", and a lone
    // invalid sequence inside an otherwise good request, were decoded with replacement characters and served.
    const call = (text: Buffer): Buffer => Buffer.concat([Buffer.from('{"jsonrpc":"2.0","id":"latin1","method":"tools/call","params":{"name":"echo","arguments":{"text":"'), text, Buffer.from('"}}}')]);
    for (const text of [Buffer.from('café', 'latin1'), Buffer.from([0x61, 0xc3, 0x28]), Buffer.from([0xed, 0xa0, 0x80])]) {
      const reply = await session.post(call(text));
      const body = assertRefused(reply, 400, ErrorCode.ParseError, /UTF-8/);
      assert.ok(hasNoRequestId(body), reply.body);
    }
    // Characters beyond ASCII, sent as UTF-8, are of course served.
    const good = await session.post(echoCall('utf8', 'café ✓ 日本'));
    assert.equal(pick(jsonOf(good), 'result.content.0.text'), 'café ✓ 日本');
    await assertStillServes();
  });

  it('answers a body that is JSON but not JSON-RPC with 400 and -32600', async () => {
    const reply = await session.post({ jsonrpc: '2.0', id: 5, method: 'ping', params: [1, 2] });
    const body = assertRefused(reply, 400, ErrorCode.InvalidRequest);
    assert.equal(body.id, 5);
    await assertStillServes();
  });

  it('answers an unknown method with 200 and -32601, echoing the id', async () => {
    const reply = await session.post({ jsonrpc: '2.0', id: 'u1', method: 'tools/frobnicate' });
    assert.equal(reply.status, 200);
    const body = jsonOf(reply);
    assert.equal(body.id, 'u1');
    assert.equal(pick(body, 'error.code'), ErrorCode.MethodNotFound);
    await assertStillServes();
  });

  it('answers tools/call without a name with -32602', async () => {
    const reply = await session.post({ jsonrpc: '2.0', id: 'n1', method: 'tools/call', params: { arguments: {} } });
    assert.equal(reply.status, 200);
    assert.equal(pick(jsonOf(reply), 'error.code'), ErrorCode.InvalidParams);
    await assertStillServes();
  });

  it('answers arguments failing the schema with isError naming the path', async () => {
    const reply = await session.post({ jsonrpc: '2.0', id: 'a1', method: 'tools/call', params: { name: 'echo', arguments: { text: 7 } } });
    assert.equal(reply.status, 200);
    const body = jsonOf(reply);
    assert.equal(pick(body, 'result.isError'), true);
    assert.match(String(pick(body, 'result.content.0.text')), /arguments\.text must be string/);
    await assertStillServes();
  });

  it('answers an unknown session id with 404', async () => {
    const reply = await http.client.send({
      body: echoCall(1, 'x'),
      headers: { ...POST_HEADERS, 'mcp-session-id': 'no-such-session', 'mcp-protocol-version': '2025-11-25' },
    });
    assertRefused(reply, 404, ErrorCode.InvalidRequest, /session/i);
    await assertStillServes();
  });

  it('answers a session ended by DELETE with 404, on POST, GET and DELETE', async () => {
    const doomed = await initializeHttp(http.client);
    assert.equal((await doomed.post(echoCall(1, 'alive'))).status, 200);
    const deleted = await doomed.delete();
    assert.equal(deleted.status, 200);
    assertRefused(await doomed.post(echoCall(2, 'dead')), 404, ErrorCode.InvalidRequest);
    const get = await http.client.send({ method: 'GET', headers: doomed.headers({ accept: 'text/event-stream' }) });
    assertRefused(get, 404, ErrorCode.InvalidRequest);
    assertRefused(await doomed.delete(), 404, ErrorCode.InvalidRequest);
    await assertStillServes();
  });

  it('answers two Mcp-Session-Id headers with 400 naming the header, not the 404 that makes a client start over', async () => {
    // node:http joins them into "id, id": no session has that id, but the client's session is alive and well, and
    // a 404 tells a client to drop it and initialize anew (2025-11-25 transports, "Session Management").
    for (const ids of [[session.id, session.id], [session.id, 'other']]) {
      const reply = await http.client.send({ body: echoCall(1, 'x'), headers: { ...session.headers(POST_HEADERS), 'mcp-session-id': ids } });
      assertRefused(reply, 400, ErrorCode.InvalidRequest, /Mcp-Session-Id/);
      const get = await http.client.send({ method: 'GET', headers: { ...session.headers({ accept: 'text/event-stream' }), 'mcp-session-id': ids } });
      assertRefused(get, 400, ErrorCode.InvalidRequest, /Mcp-Session-Id/);
    }
    await assertStillServes();
  });

  it('answers a request without Mcp-Session-Id with 400', async () => {
    const reply = await http.client.send({ body: echoCall(1, 'x'), headers: { ...POST_HEADERS, 'mcp-protocol-version': '2025-11-25' } });
    assertRefused(reply, 400, ErrorCode.InvalidRequest, /Mcp-Session-Id/i);
    await assertStillServes();
  });

  it('answers an unsupported MCP-Protocol-Version with 400 naming the supported ones', async () => {
    const reply = await session.post(echoCall(1, 'x'), { 'mcp-protocol-version': '1999-01-01' });
    assertRefused(reply, 400, ErrorCode.InvalidRequest, /2025-11-25/);
    await assertStillServes();
  });

  it('answers a foreign Origin with 403, and lets a loopback Origin through', async () => {
    assertRefused(await session.post(echoCall(1, 'x'), { origin: 'http://evil.example' }), 403, ErrorCode.InvalidRequest, /Origin/);
    assertRefused(await session.post(echoCall(1, 'x'), { origin: 'null' }), 403, ErrorCode.InvalidRequest);
    const loopback = await session.post(echoCall(2, 'from localhost'), { origin: 'http://localhost:3000' });
    assert.equal(loopback.status, 200, loopback.body);
    assert.equal(pick(jsonOf(loopback), 'result.content.0.text'), 'from localhost');
    assert.equal((await session.post(echoCall(3, 'v6'), { origin: 'http://[::1]:8080' })).status, 200);
    await assertStillServes();
  });

  it('answers a Host header naming another host with 403 (DNS rebinding), on a loopback-bound server', async () => {
    const reply = await session.post(echoCall(1, 'x'), { host: 'evil.example' });
    assertRefused(reply, 403, ErrorCode.InvalidRequest, /Host/);
    assertRefused(await session.post(echoCall(1, 'x'), { host: 'evil.example:1234' }), 403, ErrorCode.InvalidRequest);
    const named = await session.post(echoCall(2, 'by name'), { host: `localhost:${new URL(http.url).port}` });
    assert.equal(named.status, 200);
    await assertStillServes();
  });

  it('answers a body over maxBodyBytes with 413, declared or chunked', async () => {
    const big = echoCall(1, 'x'.repeat(MAX_BODY_BYTES * 2));
    assertRefused(await session.post(big), 413, ErrorCode.InvalidRequest, new RegExp(String(MAX_BODY_BYTES)));
    // Without Content-Length the limit is enforced while reading.
    const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const url = new URL(http.url);
      const req = httpRequest({
        hostname: url.hostname, port: url.port, path: url.pathname, method: 'POST',
        headers: { ...POST_HEADERS, ...session.headers(), 'transfer-encoding': 'chunked' },
      }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.write(JSON.stringify(big).slice(0, MAX_BODY_BYTES));
      req.end(JSON.stringify(big).slice(MAX_BODY_BYTES));
    });
    assert.equal(chunked.status, 413, chunked.body);
    assert.equal(pick(JSON.parse(chunked.body), 'error.code'), ErrorCode.InvalidRequest);
    await assertStillServes();
  });

  it('refuses Expect: 100-continue with a declared body over maxBodyBytes before the body is sent', async () => {
    /** Posts with Expect: 100-continue, sending the body only if the server says to continue. */
    const expectContinue = (body: string, declared: number): Promise<{ status: number; continued: boolean; body: string }> =>
      new Promise((resolve, reject) => {
        const url = new URL(http.url);
        let continued = false;
        const req = httpRequest({
          hostname: url.hostname, port: url.port, path: url.pathname, method: 'POST',
          headers: { ...POST_HEADERS, ...session.headers(), expect: '100-continue', 'content-length': declared },
        }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, continued, body: text }));
        });
        req.on('continue', () => {
          continued = true;
          req.end(body);
        });
        req.on('error', reject);
      });
    const refused = await expectContinue('', MAX_BODY_BYTES + 1);
    assert.equal(refused.status, 413, refused.body);
    assert.equal(refused.continued, false, 'no 100 Continue for a body that would be refused');
    const small = JSON.stringify(echoCall('c1', 'continued'));
    const served = await expectContinue(small, Buffer.byteLength(small));
    assert.equal(served.continued, true);
    assert.equal(served.status, 200, served.body);
    assert.equal(pick(JSON.parse(served.body), 'result.content.0.text'), 'continued');
    await assertStillServes();
  });

  it('answers an Accept without both JSON and SSE with 406', async () => {
    assertRefused(await session.post(echoCall(1, 'x'), { accept: 'text/html' }), 406, ErrorCode.InvalidRequest, /Accept/);
    assertRefused(await session.post(echoCall(1, 'x'), { accept: 'application/json' }), 406, ErrorCode.InvalidRequest);
    // Media types that merely start like JSON's or SSE's are other media types.
    assertRefused(await session.post(echoCall(1, 'x'), { accept: 'application/json-seq, text/event-stream' }), 406, ErrorCode.InvalidRequest);
    assertRefused(await session.post(echoCall(1, 'x'), { accept: 'application/json, text/event-streamx' }), 406, ErrorCode.InvalidRequest);
    await assertStillServes();
  });

  it('answers a Content-Type other than JSON with 415', async () => {
    assertRefused(await session.post(JSON.stringify(echoCall(1, 'x')), { 'content-type': 'text/plain' }), 415, ErrorCode.InvalidRequest);
    // A media type that merely starts like JSON's is another media type.
    assertRefused(await session.post(JSON.stringify(echoCall(1, 'x')), { 'content-type': 'application/json-patch+json' }), 415, ErrorCode.InvalidRequest);
    await assertStillServes();
  });

  it('reads media types case-insensitively, with parameters (RFC 9110 section 8.3.1)', async () => {
    const reply = await session.post(echoCall('case', 'any case'), {
      'content-type': 'Application/JSON; charset=UTF-8',
      accept: 'Application/Json, Text/Event-Stream',
    });
    assert.equal(reply.status, 200, reply.body);
    assert.equal(pick(jsonOf(reply), 'result.content.0.text'), 'any case');
    const get = await session.get({ accept: 'TEXT/EVENT-STREAM' });
    assert.equal(get.status, 200);
    get.sse.close();
    await assertStillServes();
  });

  it('answers a GET without text/event-stream in Accept with 406', async () => {
    const reply = await http.client.send({ method: 'GET', headers: session.headers({ accept: 'application/json' }) });
    assertRefused(reply, 406, ErrorCode.InvalidRequest, /text\/event-stream/);
    const near = await http.client.send({ method: 'GET', headers: session.headers({ accept: 'text/event-streamx' }) });
    assertRefused(near, 406, ErrorCode.InvalidRequest, /text\/event-stream/);
    await assertStillServes();
  });

  it('answers PUT with 405 and an Allow header', async () => {
    const reply = await http.client.send({ method: 'PUT', body: echoCall(1, 'x'), headers: session.headers(POST_HEADERS) });
    assertRefused(reply, 405, ErrorCode.InvalidRequest);
    assert.equal(reply.headers.allow, 'GET, POST, DELETE');
    await assertStillServes();
  });

  it('serves a request whose target is in absolute form, as RFC 9112 section 3.2.2 requires', async () => {
    // `POST http://127.0.0.1:port/mcp HTTP/1.1`: what a client sends to a proxy, and some proxies pass on as is.
    const reply = await http.client.send({ path: `${http.url}?probe=1`, body: echoCall('abs', 'absolute'), headers: session.headers(POST_HEADERS) });
    assert.equal(reply.status, 200, reply.body);
    assert.equal(pick(jsonOf(reply), 'result.content.0.text'), 'absolute');
    const elsewhere = await http.client.send({ path: new URL('/elsewhere', http.url).href, body: echoCall(1, 'x'), headers: session.headers(POST_HEADERS) });
    assertRefused(elsewhere, 404, ErrorCode.InvalidRequest, /Not Found: \/elsewhere;/);
    await assertStillServes();
  });

  it('answers another path with 404', async () => {
    const reply = await http.client.send({ path: '/elsewhere', body: echoCall(1, 'x'), headers: session.headers(POST_HEADERS) });
    assertRefused(reply, 404, ErrorCode.InvalidRequest);
    await assertStillServes();
  });

  it('answers a notification with 202 and an empty body', async () => {
    const reply = await session.post({ jsonrpc: '2.0', method: 'notifications/initialized' });
    assert.equal(reply.status, 202);
    assert.equal(reply.body, '');
    const unknown = await session.post({ jsonrpc: '2.0', method: 'notifications/never-heard-of-it' });
    assert.equal(unknown.status, 202);
    await assertStillServes();
  });

  it('answers a response to nothing it asked with 202 and an empty body', async () => {
    const reply = await session.post({ jsonrpc: '2.0', id: 'nobody-asked', result: {} });
    assert.equal(reply.status, 202);
    assert.equal(reply.body, '');
    await assertStillServes();
  });

  it('answers a batch under 2025-11-25 with 400 and -32600', async () => {
    const reply = await session.post([echoCall(1, 'a'), echoCall(2, 'b')]);
    assertRefused(reply, 400, ErrorCode.InvalidRequest, /batch/i);
    await assertStillServes();
  });

  it('answers a 2025-03-26 batch with an array', async () => {
    const old = await initializeHttp(http.client, { protocolVersion: '2025-03-26' });
    const reply = await old.post([echoCall(1, 'a'), { jsonrpc: '2.0', method: 'notifications/initialized' }, echoCall(2, 'b')]);
    assert.equal(reply.status, 200, reply.body);
    const body = JSON.parse(reply.body) as unknown[];
    assert.deepEqual(body.map((r) => pick(r, 'result.content.0.text')).sort(), ['a', 'b']);
    await assertStillServes();
  });
});

describe('Streamable HTTP, stateless', () => {
  let http: HttpHarness;

  before(async () => {
    http = await startHttp(createTestServer(), { stateless: true });
  });
  after(() => http.close());

  it('answers initialize without an Mcp-Session-Id header', async () => {
    const reply = await http.client.send({ body: initializeRequest(1), headers: POST_HEADERS });
    assert.equal(reply.status, 200, reply.body);
    assert.equal(reply.headers['mcp-session-id'], undefined);
    assert.equal(pick(jsonOf(reply), 'result.protocolVersion'), '2025-11-25');
  });

  it('serves tools/call without a session', async () => {
    const reply = await http.client.send({ body: echoCall(7, 'no session'), headers: { ...POST_HEADERS, 'mcp-protocol-version': '2025-11-25' } });
    assert.equal(reply.status, 200, reply.body);
    const body = jsonOf(reply);
    assert.equal(body.id, 7);
    assert.equal(pick(body, 'result.content.0.text'), 'no session');
    // Without the version header the 2025-03-26 default applies, and it still serves.
    const headerless = await http.client.send({ body: echoCall(8, 'headerless'), headers: POST_HEADERS });
    assert.equal(pick(jsonOf(headerless), 'result.content.0.text'), 'headerless');
  });

  it('answers GET and DELETE with 405 and Allow: POST', async () => {
    const get = await http.client.send({ method: 'GET', headers: { accept: 'text/event-stream' } });
    assertRefused(get, 405, ErrorCode.InvalidRequest);
    assert.equal(get.headers.allow, 'POST');
    const del = await http.client.send({ method: 'DELETE' });
    assertRefused(del, 405, ErrorCode.InvalidRequest);
    const ok = await http.client.send({ body: echoCall(9, 'after'), headers: POST_HEADERS });
    assert.equal(pick(jsonOf(ok), 'result.content.0.text'), 'after');
  });

  it('answers an unsupported MCP-Protocol-Version with 400', async () => {
    const reply = await http.client.send({ body: echoCall(1, 'x'), headers: { ...POST_HEADERS, 'mcp-protocol-version': '1999-01-01' } });
    assertRefused(reply, 400, ErrorCode.InvalidRequest);
  });

  it('keeps no sessions', async () => {
    assert.equal(await http.server.sessions.store.count(), 0);
    assert.equal(http.server.sessions.liveCount, 0);
  });
});
