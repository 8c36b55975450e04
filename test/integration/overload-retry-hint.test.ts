/**
 * Every Overloaded (-32003) refusal tells the client when to try again, in the body as well as the headers:
 * `ErrorCode.Overloaded` documents `data.retryAfterMs`, and a client that reads JSON-RPC but not HTTP headers (or one
 * on stdio or a memory connection, which have none) otherwise had no hint. Over HTTP the body's hint agrees with
 * the 503's Retry-After. Each refusal is checked where it happens: sessions at their maximum, a request pipelined
 * while the transport drains (a listen opened while the server closes is checked in listen-close-scope.test.ts). A
 * scan of src/ keeps any new Overloaded error from being built elsewhere, without the hint.
 */
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { OVERLOAD_RETRY_AFTER_MS } from '../../src/protocol/overload.js';
import { startHttp } from '../helpers/http-harness.js';
import { POST_HEADERS, initializeHttp, initializeRequest, jsonOf } from '../helpers/raw-http-client.js';
import { createTestServer } from '../helpers/test-server.js';

type ErrorBody = { error?: { code?: number; data?: { retryAfterMs?: unknown } } };

/** Asserts an Overloaded error whose `data.retryAfterMs` is the shared hint and, over HTTP, agrees with Retry-After. */
function assertHint(body: unknown, retryAfter?: string | number | string[]): void {
  const error = (body as ErrorBody).error;
  assert.equal(error?.code, ErrorCode.Overloaded, JSON.stringify(body));
  assert.equal(error?.data?.retryAfterMs, OVERLOAD_RETRY_AFTER_MS, JSON.stringify(body));
  if (retryAfter !== undefined) assert.equal(Number(retryAfter) * 1000, OVERLOAD_RETRY_AFTER_MS, `Retry-After: ${String(retryAfter)}`);
}

describe('the retry hint of every Overloaded refusal', () => {
  it('an initialize beyond maxSessions', async () => {
    const http = await startHttp(createTestServer({ maxSessions: 1 }));
    try {
      const session = await initializeHttp(http.client);
      const refused = await http.client.send({ body: initializeRequest(2), headers: POST_HEADERS });
      assert.equal(refused.status, 503);
      assert.ok(refused.headers['retry-after'] !== undefined, 'a 503 without Retry-After');
      assertHint(jsonOf(refused), refused.headers['retry-after']);
      await session.delete();
    } finally {
      await http.close();
    }
  });

  it('a request pipelined behind another answer while the transport drains', async () => {
    const http = await startHttp(createTestServer());
    await http.close();
    // A pipelined request's response has no socket until the one before it is written: the draining transport
    // refuses it unrun. Built by hand, as node:http builds it, and handed to the transport's request listener.
    const req = new IncomingMessage(new Socket());
    req.method = 'POST';
    req.url = '/mcp';
    const res = new ServerResponse(req);
    let text = '';
    res.end = ((chunk?: unknown) => {
      text = String(chunk);
      return res;
    }) as typeof res.end;
    http.transport.httpServer.emit('request', req, res);
    assert.equal(res.statusCode, 503);
    assert.ok(res.getHeader('retry-after') !== undefined, 'a 503 without Retry-After');
    assertHint(JSON.parse(text), res.getHeader('retry-after') as string);
  });

  it('is built in one place: no other source file names ErrorCode.Overloaded', async () => {
    const root = join(import.meta.dirname, '../../src');
    const allowed = new Set(['protocol/error-codes.ts', 'protocol/overload.ts']);
    const offenders: string[] = [];
    for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
      const path = relative(root, join(entry.parentPath, entry.name));
      if (!allowed.has(path) && (await readFile(join(root, path), 'utf8')).includes('ErrorCode.Overloaded')) offenders.push(path);
    }
    assert.deepEqual(offenders, [], 'build Overloaded errors with overload.ts, which adds data.retryAfterMs');
  });
});
