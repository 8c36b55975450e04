/**
 * ServerMetrics over real sockets for 2026-07-28 requests: a request the stateless era refuses before any handler
 * runs (an unknown method, a version header that disagrees with `_meta`) is counted in `erlmcp_requests_total` and
 * `erlmcp_errors_total` as the session era counts its refusals, over HTTP and over a stream connection; and a tool
 * call answered `input_required` before it completes is one tool call, not one per round; and the notifications
 * of a `subscriptions/listen` stream are counted as sent.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ServerMetrics } from '../../src/metrics/server-metrics.js';
import { connectInitialized, type RawMemoryClient } from '../helpers/memory-client.js';
import { createDualEraServer, modernHeaders, modernMeta } from '../helpers/dual-era-server.js';
import { startHttp, type HttpHarness } from '../helpers/http-harness.js';
import { valueOf } from '../helpers/prom-text.js';

describe('metrics of 2026-07-28 requests', () => {
  let http: HttpHarness;
  let metrics: ServerMetrics;
  let client: RawMemoryClient;

  before(async () => {
    const server = createDualEraServer();
    metrics = await ServerMetrics.create({ isTool: (name) => server.tools.get(name) !== undefined, runtime: false });
    http = await startHttp(server);
    ({ client } = await connectInitialized(server));
  });

  after(async () => {
    metrics.close();
    await http.close();
  });

  const post = async (body: { jsonrpc: '2.0'; id: number; method: string; params: Record<string, unknown> }, version = '2026-07-28'): Promise<number> => {
    const headers = { ...modernHeaders(body as Parameters<typeof modernHeaders>[0]), 'mcp-protocol-version': version };
    const res = await fetch(http.url, { method: 'POST', headers, body: JSON.stringify(body) });
    await res.text();
    return res.status;
  };

  it('counts an HTTP request refused for an unknown method or a mismatched version header', async () => {
    const before = await metrics.metrics();
    const total = valueOf(before, 'erlmcp_requests_total') ?? 0;
    const errors = valueOf(before, 'erlmcp_errors_total') ?? 0;
    assert.equal(await post({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'chatty', arguments: {}, _meta: modernMeta() } }), 200);
    assert.equal(await post({ jsonrpc: '2.0', id: 2, method: 'no/such/method', params: { _meta: modernMeta() } }), 404);
    assert.equal(await post({ jsonrpc: '2.0', id: 3, method: 'tools/list', params: { _meta: modernMeta() } }, '2025-11-25'), 400);
    const text = await metrics.metrics();
    assert.equal(valueOf(text, 'erlmcp_requests_total'), total + 3);
    assert.equal(valueOf(text, 'erlmcp_requests_total', { method: 'other', status: 'method_not_found' }), 1);
    assert.equal(valueOf(text, 'erlmcp_requests_total', { method: 'tools/list', status: 'header_mismatch' }), 1);
    assert.equal(valueOf(text, 'erlmcp_errors_total'), errors + 2);
    assert.equal(valueOf(text, 'erlmcp_request_duration_seconds_count'), valueOf(text, 'erlmcp_requests_total'));
  });

  it('counts a refused 2026-07-28 request on a stream connection', async () => {
    const before = await metrics.metrics();
    const total = valueOf(before, 'erlmcp_requests_total') ?? 0;
    const unsupported = valueOf(before, 'erlmcp_errors_total', { type: 'unsupported_protocol_version' }) ?? 0;
    const meta = modernMeta(undefined, { 'io.modelcontextprotocol/protocolVersion': '2099-01-01' });
    const response = await client.request('tools/list', { _meta: meta });
    assert.ok('error' in response, JSON.stringify(response));
    const text = await metrics.metrics();
    assert.equal(valueOf(text, 'erlmcp_requests_total'), total + 1);
    assert.equal(valueOf(text, 'erlmcp_errors_total', { type: 'unsupported_protocol_version' }), unsupported + 1);
  });

  it('counts a tool call that asks for input once, when it completes, not per input_required round', async () => {
    const tool = { tool: 'ask_name', outcome: 'success' };
    const call = (extra: Record<string, unknown>) => client.request('tools/call', { name: 'ask_name', arguments: {}, _meta: modernMeta(), ...extra });
    const first = (await call({})).result as { resultType: string; requestState: string };
    assert.equal(first.resultType, 'input_required');
    const inputResponses = { name: { action: 'accept', content: { name: 'Ada' } } };
    const second = (await call({ requestState: first.requestState, inputResponses })).result as { resultType: string };
    assert.equal(second.resultType, 'complete', JSON.stringify(second));
    const text = await metrics.metrics();
    assert.equal(valueOf(text, 'erlmcp_requests_total', { method: 'tools/call', status: 'ok' }), 3, 'each round is a request');
    assert.equal(valueOf(text, 'erlmcp_tool_calls_total', tool), 1);
    assert.equal(valueOf(text, 'erlmcp_tool_duration_seconds_count', { tool: 'ask_name' }), 1);
  });

  it('counts the list_changed notifications a subscriptions/listen stream carries', async () => {
    const method = { method: 'notifications/tools/list_changed' };
    const before = valueOf(await metrics.metrics(), 'erlmcp_notifications_sent_total', method) ?? 0;
    await client.sendRaw({ jsonrpc: '2.0', id: 'L1', method: 'subscriptions/listen', params: { _meta: modernMeta(), notifications: { toolsListChanged: true } } });
    await client.next((m) => m.method === 'notifications/subscriptions/acknowledged');
    http.server.notifyListChanged('tools');
    await client.next((m) => m.method === 'notifications/tools/list_changed');
    await client.next((m) => m.method === 'notifications/tools/list_changed');
    await client.notify('notifications/cancelled', { requestId: 'L1' });
    // One to the connection's initialized session, as to any session-era session, and one on the listen stream.
    assert.equal(valueOf(await metrics.metrics(), 'erlmcp_notifications_sent_total', method), before + 2);
  });
});
