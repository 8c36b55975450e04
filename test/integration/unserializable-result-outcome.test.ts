/**
 * What `erlmcp:request:end` reports for a result JSON cannot carry (a BigInt, a cycle): the answer the client got,
 * -32603, once, on every transport and in both eras. Before, the dispatcher published the handler's result (so
 * metrics counted `ok`) and the transport only then failed to serialise it and answered an error; over HTTP in the
 * 2026-07-28 era the client even got a 500 without its request id, and over the memory transport (which cloned
 * instead of serialising) the BigInt itself.
 */
import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import { after, before, describe, it } from 'node:test';
import { requestEnd, type RequestEvent } from '../../src/diagnostics/channels.js';
import { ServerMetrics } from '../../src/metrics/server-metrics.js';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import type { McpServer } from '../../src/server/mcp-server.js';
import { createDualEraServer, messagesOf, modernHeaders, modernMeta } from '../helpers/dual-era-server.js';
import { startHttp, type HttpHarness } from '../helpers/http-harness.js';
import { pick } from '../helpers/json-path.js';
import { connectInitialized, type RawMemoryClient } from '../helpers/memory-client.js';
import { valueOf } from '../helpers/prom-text.js';
import { initializeHttp, jsonOf, type McpHttpSession } from '../helpers/raw-http-client.js';
import { withUnserializableTools } from '../helpers/unserializable-tools.js';

describe('the published outcome of a result JSON cannot carry', () => {
  const ends: RequestEvent[] = [];
  const record = (message: unknown): void => void ends.push(message as RequestEvent);
  let server: McpServer;
  let metrics: ServerMetrics;
  let memory: RawMemoryClient;
  let http: HttpHarness;
  let session: McpHttpSession;
  let sseHttp: HttpHarness;
  let sseSession: McpHttpSession;

  before(async () => {
    diagnostics.subscribe(requestEnd.name, record);
    server = withUnserializableTools(createDualEraServer());
    metrics = await ServerMetrics.create({ isTool: (name) => server.tools.get(name) !== undefined, runtime: false });
    ({ client: memory } = await connectInitialized(server));
    http = await startHttp(server);
    session = await initializeHttp(http.client);
    sseHttp = await startHttp(server, { responseMode: 'sse' });
    sseSession = await initializeHttp(sseHttp.client);
  });

  after(async () => {
    diagnostics.unsubscribe(requestEnd.name, record);
    metrics.close();
    await sseHttp.close();
    await http.close();
  });

  /** Asserts the client got -32603 for `id`, and that exactly one end event said so. */
  function assertOutcome(message: unknown, id: string): void {
    assert.equal(pick(message, 'id'), id, JSON.stringify(message, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)));
    assert.equal(pick(message, 'error.code'), ErrorCode.InternalError);
    const published = ends.filter((e) => e.id === id);
    assert.equal(published.length, 1, `one requestEnd for ${id}, got ${published.length}`);
    assert.equal(published[0]?.error?.code, ErrorCode.InternalError, 'the event carries the error the client got');
    assert.equal(published[0]?.result, undefined, 'and not the result it could not get');
  }

  const call = (id: string, name: string, meta?: Record<string, unknown>) => ({
    jsonrpc: '2.0' as const, id, method: 'tools/call', params: { name, arguments: {}, ...(meta === undefined ? {} : { _meta: meta }) },
  });

  it('over a stream connection, session era', async () => {
    assertOutcome(await memory.requestWithId('mem-1', 'tools/call', { name: 'bigint-now', arguments: {} }), 'mem-1');
    assertOutcome(await memory.requestWithId('mem-2', 'tools/call', { name: 'bigint-streamed', arguments: {} }), 'mem-2');
  });

  it('over a stream connection, 2026-07-28', async () => {
    assertOutcome(await memory.requestWithId('mem-3', 'tools/call', { name: 'bigint-now', arguments: {}, _meta: modernMeta() }), 'mem-3');
  });

  it('over HTTP, session era, as JSON, as an SSE body and at the end of a stream that carried progress', async () => {
    assertOutcome(jsonOf(await session.post(call('http-1', 'bigint-now'))), 'http-1');
    const body = (await sseSession.post(call('http-2', 'bigint-now'))).body;
    assertOutcome(messagesOf(body).at(-1), 'http-2');
    const streamed = await session.post(call('http-3', 'bigint-streamed', { progressToken: 'p3' }));
    const messages = messagesOf(streamed.body);
    assert.equal(pick(messages[0], 'method'), 'notifications/progress');
    assertOutcome(messages.at(-1), 'http-3');
  });

  it('over HTTP, 2026-07-28, as JSON and as SSE', async () => {
    for (const [harness, id] of [[http, 'modern-1'], [sseHttp, 'modern-2']] as const) {
      const body = call(id, 'bigint-now', modernMeta());
      const res = await fetch(harness.url, { method: 'POST', headers: modernHeaders(body), body: JSON.stringify(body) });
      assert.equal(res.status, 200);
      assertOutcome(messagesOf(await res.text()).at(-1), id);
    }
  });

  it('is counted as internal_error, never ok', async () => {
    const text = await metrics.metrics();
    assert.equal(valueOf(text, 'erlmcp_requests_total', { method: 'tools/call', status: 'ok' }) ?? 0, 0);
    assert.equal(valueOf(text, 'erlmcp_requests_total', { method: 'tools/call', status: 'internal_error' }), 8);
  });
});
