/**
 * A session store that keeps its records elsewhere has only the asynchronous `create` (the contract of
 * SessionStore); the memory store also has `createNow`, so an HTTP initialize on it is answered in one tick. This
 * drives the other path: the session id goes out only once the store has the record, and a store that fails is a
 * 500 with a JSON-RPC error, after which the server keeps serving.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { startHttp, type HttpHarness } from '../helpers/http-harness.js';
import { initializeHttp, initializeRequest, jsonOf, POST_HEADERS } from '../helpers/raw-http-client.js';
import { RemoteLikeStore } from '../helpers/remote-like-store.js';
import { createTestServer } from '../helpers/test-server.js';

describe('HTTP initialize on a store without createNow', () => {
  let http: HttpHarness;
  const store = new RemoteLikeStore(50);

  before(async () => {
    http = await startHttp(createTestServer({ sessions: { store } }));
  });
  after(() => http?.close());

  it('answers once the record is stored, and the session then serves requests', async () => {
    assert.equal('createNow' in store, false);
    const session = await initializeHttp(http.client);
    assert.equal(store.createsLanded, 1);
    assert.notEqual(await store.inner.get(session.id), undefined, 'the session id went out before its record was stored');
    const answer = await session.call('tools/call', { name: 'echo', arguments: { text: 'after a slow create' } });
    assert.deepEqual((answer.result as { content: unknown }).content, [{ type: 'text', text: 'after a slow create' }]);
  });

  it('answers 500 with a JSON-RPC internal error when the store fails, and keeps serving', async () => {
    store.failCreates = true;
    const failed = await http.client.send({ body: initializeRequest(2), headers: POST_HEADERS });
    store.failCreates = false;
    assert.equal(failed.status, 500, failed.body);
    assert.equal(failed.headers['mcp-session-id'], undefined);
    assert.equal((jsonOf(failed).error as { code: number }).code, ErrorCode.InternalError);
    const again = await initializeHttp(http.client);
    assert.equal(typeof again.id, 'string');
  });
});
