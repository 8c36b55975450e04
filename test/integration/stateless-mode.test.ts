/**
 * Stateless mode, per session-era request: nothing can resume there (no event store, GET is 405), so
 * ctx.closeStream() must do nothing. Before the fix it ended the POST's response, and the answer never reached the
 * client. The stand-in record that all stateless requests share must not carry one client's state to another:
 * logging/setLevel changes nothing, and resources/subscribe (which could never deliver) is refused and not
 * advertised, nor is list_changed (lifecycle: only negotiated capabilities may be used).
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { startHttp, type HttpHarness } from '../helpers/http-harness.js';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { POST_HEADERS, RawHttpClient, initializeRequest, jsonOf } from '../helpers/raw-http-client.js';
import { createTestServer } from '../helpers/test-server.js';

const HEADERS = { ...POST_HEADERS, 'mcp-protocol-version': '2025-11-25' };

describe('stateless mode (2025-11-25 without sessions)', () => {
  let http: HttpHarness;
  after(async () => http?.close());

  it('lets ctx.closeStream() do nothing, so the answer is delivered', async () => {
    const server = createTestServer();
    server.tool('poll', {}, async (_args, ctx) => {
      ctx.closeStream(); // SEP-1699 polling: the client is to resume with Last-Event-ID
      await new Promise((r) => setTimeout(r, 50));
      return 'done';
    });
    http = await startHttp(server, { stateless: true });
    const reply = await http.client.send({
      headers: HEADERS,
      body: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'poll', arguments: {} } },
    });
    const resume = await http.client.send({ method: 'GET', headers: { accept: 'text/event-stream', 'mcp-protocol-version': '2025-11-25' } });
    assert.equal(reply.status, 200);
    assert.match(reply.body, /"text":"done"/, `the answer was lost: ${JSON.stringify(reply.body)}`);
    assert.equal(resume.status, 405);
  });

  it("one client's logging/setLevel does not change what another client receives", async () => {
    await http?.close();
    http = await startHttp(createTestServer(), { stateless: true });
    const alice = http.client;
    const bob = new RawHttpClient(http.url);
    try {
      const before = await bob.send({ headers: HEADERS, body: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'log', arguments: {} } } });
      const debugBefore = (before.body.match(/"level":"debug"/g) ?? []).length;
      const set = await alice.send({ headers: HEADERS, body: { jsonrpc: '2.0', id: 2, method: 'logging/setLevel', params: { level: 'emergency' } } });
      assert.equal(set.status, 200);
      const after = await bob.send({ headers: HEADERS, body: { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'log', arguments: {} } } });
      const debugAfter = (after.body.match(/"level":"debug"/g) ?? []).length;
      assert.deepEqual({ debugBefore, debugAfter }, { debugBefore: 1, debugAfter: 1 }, "bob's debug log survives alice's setLevel");
    } finally {
      bob.close();
    }
  });

  it('refuses resources/subscribe and keeps nothing per URI', async () => {
    await http?.close();
    http = await startHttp(createTestServer(), { stateless: true });
    const server = http.server;
    for (let i = 0; i < 20; i++) {
      const r = await http.client.send({ headers: HEADERS, body: { jsonrpc: '2.0', id: i, method: 'resources/subscribe', params: { uri: `test://users/${i}` } } });
      assert.equal(r.status, 200);
      assert.equal((jsonOf(r).error as { code: number }).code, ErrorCode.MethodNotFound, r.body);
    }
    const off = await http.client.send({ headers: HEADERS, body: { jsonrpc: '2.0', id: 'u', method: 'resources/unsubscribe', params: { uri: 'test://users/1' } } });
    assert.equal(jsonOf(off).error, undefined, off.body);
    // The record of the shared stateless session, reached through a stateless request's handler context.
    let kept = -1;
    server.tool('peek', {}, (_a, ctx) => { kept = ctx.session.record?.subscriptions.length ?? -1; return 'ok'; });
    await http.client.send({ headers: HEADERS, body: { jsonrpc: '2.0', id: 'p', method: 'tools/call', params: { name: 'peek', arguments: {} } } });
    assert.equal(kept, 0, 'the shared stateless record grew by one URI per subscribe');
  });

  it('advertises no resource subscriptions and no list_changed, which it has no stream for; a stateful server does', async () => {
    await http?.close();
    http = await startHttp(createTestServer(), { stateless: true });
    const stateless = jsonOf(await http.client.send({ headers: POST_HEADERS, body: initializeRequest(1) }));
    assert.deepEqual((stateless.result as { capabilities: unknown }).capabilities, { tools: {}, resources: {}, prompts: {}, logging: {}, completions: {} });
    await http.close();
    http = await startHttp(createTestServer());
    const stateful = jsonOf(await http.client.send({ headers: POST_HEADERS, body: initializeRequest(1) }));
    const caps = (stateful.result as { capabilities: Record<string, Record<string, unknown>> }).capabilities;
    assert.deepEqual(caps.resources, { subscribe: true, listChanged: true });
    assert.deepEqual(caps.tools, { listChanged: true });
  });
});
