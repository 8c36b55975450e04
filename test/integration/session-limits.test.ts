/**
 * What one unauthenticated client can make a stateful Streamable HTTP server keep: every initialize makes a session
 * that lives until its idle TTL (30 minutes by default), holding the client's capabilities and clientInfo. The
 * number of sessions is bounded (`maxSessions`: a 503 with Retry-After beyond it), and so is what one initialize
 * may carry (`MAX_INITIALIZE_BYTES`: a 413), so a loop of initialize requests cannot grow the heap without end.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildServer } from '../../src/cli/build-server.js';
import { loadConfig } from '../../src/config/load-config.js';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { SERVER_DEFAULTS } from '../../src/server/mcp-server.js';
import { MAX_INITIALIZE_BYTES } from '../../src/transport/http/streamable-http.js';
import { startHttp, type HttpHarness } from '../helpers/http-harness.js';
import { POST_HEADERS, initializeHttp, initializeRequest, jsonOf } from '../helpers/raw-http-client.js';
import { RemoteLikeStore } from '../helpers/remote-like-store.js';
import { createTestServer } from '../helpers/test-server.js';

const MAX_SESSIONS = 3;

describe('session limits over Streamable HTTP', () => {
  let http: HttpHarness;

  before(async () => {
    http = await startHttp(createTestServer({ maxSessions: MAX_SESSIONS }));
  });

  after(async () => {
    await http.close();
  });

  it('refuses an initialize beyond maxSessions with 503 and Retry-After, and admits one again once a session ends', async () => {
    const sessions = [];
    for (let i = 0; i < MAX_SESSIONS; i++) sessions.push(await initializeHttp(http.client));
    assert.equal(http.server.sessions.liveCount, MAX_SESSIONS);

    const refused = await http.client.send({ body: initializeRequest(1), headers: POST_HEADERS });
    assert.equal(refused.status, 503);
    assert.equal(refused.headers['retry-after'], '1');
    assert.equal(refused.headers['mcp-session-id'], undefined);
    assert.equal((jsonOf(refused).error as { code: number }).code, ErrorCode.Overloaded);
    assert.equal(http.server.sessions.liveCount, MAX_SESSIONS);

    // Sessions already open are still served.
    assert.deepEqual((await sessions[0]?.call('ping'))?.result, {});
    assert.equal((await sessions[0]?.delete())?.status, 200);
    const again = await initializeHttp(http.client);
    assert.equal(http.server.sessions.liveCount, MAX_SESSIONS);
    for (const s of [...sessions.slice(1), again]) await s.delete();
    assert.equal(http.server.sessions.liveCount, 0);
  });

  it('refuses an initialize larger than MAX_INITIALIZE_BYTES with 413, keeping nothing of it', async () => {
    // Well under the body limit (1 MB here, 4 MiB by default): kept, it would stay in the heap for the idle TTL.
    const capabilities = { experimental: { padding: 'x'.repeat(MAX_INITIALIZE_BYTES) } };
    const reply = await http.client.send({ body: initializeRequest(1, { capabilities }), headers: POST_HEADERS });
    assert.equal(reply.status, 413);
    assert.equal(reply.headers['mcp-session-id'], undefined);
    assert.equal((jsonOf(reply).error as { code: number }).code, ErrorCode.InvalidRequest);
    assert.equal(http.server.sessions.liveCount, 0);
    // An ordinary initialize is far below the limit.
    const session = await initializeHttp(http.client, { capabilities: { elicitation: { form: {}, url: {} }, sampling: {}, roots: { listChanged: true } } });
    await session.delete();
  });
});

describe('maxSessions with a store whose create is asynchronous', () => {
  let http: HttpHarness;
  const store = new RemoteLikeStore(100);

  before(async () => {
    http = await startHttp(createTestServer({ maxSessions: MAX_SESSIONS, sessions: { store } }));
  });

  after(async () => {
    await http.close();
  });

  it('counts sessions still being stored, so initializes sent together cannot overshoot the limit', async () => {
    const CONCURRENT = MAX_SESSIONS * 3;
    const replies = await Promise.all(
      Array.from({ length: CONCURRENT }, (_, i) => http.client.send({ body: initializeRequest(i + 1), headers: POST_HEADERS })),
    );
    const opened = replies.filter((r) => r.status === 200);
    const refused = replies.filter((r) => r.status === 503);
    assert.equal(opened.length, MAX_SESSIONS, `statuses: ${replies.map((r) => r.status).join(',')}`);
    assert.equal(refused.length, CONCURRENT - MAX_SESSIONS);
    for (const r of refused) assert.equal((jsonOf(r).error as { code: number }).code, ErrorCode.Overloaded);
    assert.equal(http.server.sessions.liveCount, MAX_SESSIONS);
    assert.equal(await store.count(), MAX_SESSIONS);
    assert.equal(http.server.sessions.count, MAX_SESSIONS, 'nothing is left counted as being opened');
  });

  it('stops counting an initialize whose session the store failed to create', async () => {
    const failing = new RemoteLikeStore(10);
    failing.failCreates = true;
    const h = await startHttp(createTestServer({ maxSessions: 1, sessions: { store: failing } }));
    try {
      const failed = await h.client.send({ body: initializeRequest(1), headers: POST_HEADERS });
      assert.equal(failed.status, 500);
      assert.equal(h.server.sessions.count, 0);
    } finally {
      await h.close();
    }
  });
});

describe('maxSessions configuration', () => {
  it('defaults to 100,000 and takes sessions.maxSessions from the config', async () => {
    assert.equal(SERVER_DEFAULTS.maxSessions, 100_000);
    const server = await buildServer(loadConfig({ env: { ERLMCP_SESSIONS__MAX_SESSIONS: '7' } }));
    try {
      assert.equal(server.maxSessions, 7);
    } finally {
      await server.close();
    }
    assert.throws(() => createTestServer({ maxSessions: 0 }), /options\.maxSessions must be a positive integer, got 0/);
  });
});
