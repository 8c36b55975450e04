/**
 * ServerMetrics over an in-process server: it counts what the core publishes on its diagnostics channels under
 * the seed's names and labels (requests by method and status, the duration histogram, errors by type), tool calls
 * by tool and outcome, notifications, and records a handler makes through `ctx.metrics`; label values stay
 * bounded; closing it unsubscribes, so the channels have no subscriber left; and over real sockets, the open
 * connections gauge never counts down a socket that connected before it subscribed.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { requestEnd, toolEnd, transportDisconnect, userMetric } from '../../src/diagnostics/channels.js';
import { userMetrics } from '../../src/diagnostics/user-metrics.js';
import { DURATION_BUCKETS_SECONDS, ServerMetrics } from '../../src/metrics/server-metrics.js';
import { STATUS_VALUES } from '../../src/metrics/request-status.js';
import type { McpServer } from '../../src/server/mcp-server.js';
import { startHttp, type HttpHarness } from '../helpers/http-harness.js';
import { connectInitialized, type RawMemoryClient } from '../helpers/memory-client.js';
import { familyNames, parseSamples, valueOf } from '../helpers/prom-text.js';
import { createTestServer } from '../helpers/test-server.js';

describe('ServerMetrics', () => {
  let server: McpServer;
  let metrics: ServerMetrics;
  let client: RawMemoryClient;

  before(async () => {
    server = createTestServer();
    server.tool('instrumented', { description: 'records custom metrics' }, (_args, ctx) => {
      ctx.metrics.recordRequest('GET /upstream', 200, 12);
      ctx.metrics.recordError('upstream_timeout', 'the upstream took too long');
      ctx.metrics.recordMetric('queue_depth', 7, { queue: 'jobs' });
      return 'recorded';
    });
    metrics = await ServerMetrics.create({ isTool: (name) => server.tools.get(name) !== undefined, runtime: false });
    ({ client } = await connectInitialized(server));
  });

  after(async () => {
    metrics.close();
    await server.close();
  });

  it('counts requests by method and status, with an unlabelled total beside them', async () => {
    const before = await metrics.metrics();
    const okBefore = valueOf(before, 'erlmcp_requests_total', { method: 'tools/call', status: 'ok' }) ?? 0;
    const totalBefore = valueOf(before, 'erlmcp_requests_total') ?? 0;
    await client.request('tools/call', { name: 'echo', arguments: { text: 'a' } });
    await client.request('tools/call', { name: 'nope', arguments: {} });
    await client.request('ping');
    const text = await metrics.metrics();
    assert.equal(valueOf(text, 'erlmcp_requests_total', { method: 'tools/call', status: 'ok' }), okBefore + 1);
    assert.equal(valueOf(text, 'erlmcp_requests_total', { method: 'tools/call', status: 'invalid_params' }), 1);
    assert.equal(valueOf(text, 'erlmcp_requests_total', { method: 'ping', status: 'ok' }), 1);
    assert.equal(valueOf(text, 'erlmcp_requests_total'), totalBefore + 3);
    for (const s of parseSamples(text).filter((x) => x.name === 'erlmcp_requests_total' && x.labels.status !== undefined)) {
      assert.ok(STATUS_VALUES.includes(s.labels.status as string), `status ${s.labels.status} is documented`);
    }
  });

  it('keeps the duration histogram cumulative, from sub-millisecond buckets to 5 s', async () => {
    const text = await metrics.metrics();
    const buckets = parseSamples(text).filter((s) => s.name === 'erlmcp_request_duration_seconds_bucket');
    assert.deepEqual(buckets.map((b) => b.labels.le), [...DURATION_BUCKETS_SECONDS.map(String), '+Inf']);
    assert.ok(Number(buckets[0]?.labels.le) < 0.001 && DURATION_BUCKETS_SECONDS.at(-1) === 5);
    for (let i = 1; i < buckets.length; i++) assert.ok((buckets[i]?.value ?? 0) >= (buckets[i - 1]?.value ?? 0));
    assert.equal(buckets.at(-1)?.value, valueOf(text, 'erlmcp_request_duration_seconds_count'));
    assert.equal(valueOf(text, 'erlmcp_request_duration_seconds_count'), valueOf(text, 'erlmcp_requests_total'));
  });

  it('counts errors by type: protocol errors by name, tool errors, and the total', async () => {
    const before = await metrics.metrics();
    const totalBefore = valueOf(before, 'erlmcp_errors_total') ?? 0;
    await client.request('tools/call', { name: 'fail', arguments: {} });
    await client.request('tools/call', { name: 'echo', arguments: {} });
    await client.request('no/such/method');
    const text = await metrics.metrics();
    assert.equal(valueOf(text, 'erlmcp_tool_calls_total', { tool: 'fail', outcome: 'error' }), 1);
    assert.equal(valueOf(text, 'erlmcp_tool_calls_total', { tool: 'echo', outcome: 'error' }), 1, 'arguments failing the schema');
    assert.equal(valueOf(text, 'erlmcp_errors_total', { type: 'tool_error' }), 2);
    assert.equal(valueOf(text, 'erlmcp_errors_total', { type: 'method_not_found' }), 1);
    assert.equal(valueOf(text, 'erlmcp_errors_total'), totalBefore + 3);
    assert.equal(valueOf(text, 'erlmcp_requests_total', { method: 'other', status: 'method_not_found' }), 1);
    assert.equal(valueOf(text, 'erlmcp_tool_duration_seconds_count', { tool: 'fail' }), 1);
  });

  it('bounds labels: unknown methods and tools are "other", however many there are', async () => {
    for (let i = 0; i < 50; i++) await client.request(`made/up/${i}`);
    for (let i = 0; i < 20; i++) await client.request('tools/call', { name: `ghost-${i}`, arguments: {} });
    const text = await metrics.metrics();
    const methods = new Set(parseSamples(text).filter((s) => s.name === 'erlmcp_requests_total').map((s) => s.labels.method));
    assert.ok(![...methods].some((m) => m?.startsWith('made/')), [...methods].join());
    assert.ok(!text.includes('ghost-'));
    assert.equal(valueOf(text, 'erlmcp_requests_total', { method: 'other', status: 'method_not_found' }), 51);
  });

  it('counts notifications sent, by method', async () => {
    await client.request('tools/call', { name: 'count', arguments: { steps: 3 }, _meta: { progressToken: 'p' } });
    const text = await metrics.metrics();
    assert.equal(valueOf(text, 'erlmcp_notifications_sent_total', { method: 'notifications/progress' }), 3);
  });

  it('turns ctx.metrics records into requests, errors and a custom gauge', async () => {
    const before = await metrics.metrics();
    const errorsBefore = valueOf(before, 'erlmcp_errors_total') ?? 0;
    const response = await client.request('tools/call', { name: 'instrumented', arguments: {} });
    assert.ok('result' in response);
    const text = await metrics.metrics();
    assert.equal(valueOf(text, 'erlmcp_requests_total', { method: 'GET /upstream', status: '200' }), 1);
    assert.equal(valueOf(text, 'erlmcp_errors_total', { type: 'upstream_timeout' }), 1);
    assert.equal(valueOf(text, 'erlmcp_errors_total'), errorsBefore + 1);
    assert.equal(valueOf(text, 'erlmcp_user_queue_depth', { queue: 'jobs' }), 7);
    userMetrics.recordMetric('queue_depth', 1, { other: 'label' });
    userMetrics.recordMetric('bad name!', 1);
    assert.equal(valueOf(await metrics.metrics(), 'erlmcp_user_metrics_dropped_total'), 2);
  });

  it('drops what prom-client would throw on, or what would lower a sum, instead of crashing the process', async () => {
    const dropped = valueOf(await metrics.metrics(), 'erlmcp_user_metrics_dropped_total') ?? 0;
    const sum = valueOf(await metrics.metrics(), 'erlmcp_request_duration_seconds_sum') ?? 0;
    // Inside a diagnostics_channel subscriber a throw is re-thrown as an uncaught exception: it would end the test run.
    userMetrics.recordMetric('queue_size', 3, { 'queue-name': 'jobs' });
    userMetrics.recordMetric('reserved_label', 3, { __name: 'x' });
    userMetrics.recordRequest('GET /upstream', 200, -5_000);
    const text = await metrics.metrics();
    assert.equal(valueOf(text, 'erlmcp_user_metrics_dropped_total'), dropped + 3);
    assert.equal(valueOf(text, 'erlmcp_request_duration_seconds_sum'), sum, 'a negative duration lowered the sum');
    assert.equal(familyNames(text).has('erlmcp_user_queue_size'), false);
  });

  it('survives records a JavaScript handler makes with a missing type, method, name or labels', async () => {
    const before = await metrics.metrics();
    const dropped = valueOf(before, 'erlmcp_user_metrics_dropped_total') ?? 0;
    const other = valueOf(before, 'erlmcp_errors_total', { type: 'other' }) ?? 0;
    // As `ctx.metrics.recordError(err.code)` does for an Error without a code. Inside a diagnostics_channel
    // subscriber a throw is re-thrown as an uncaught exception, which ends the process.
    const untyped = userMetrics as unknown as Record<string, (...args: unknown[]) => void>;
    untyped.recordError?.(undefined, 'no code');
    untyped.recordRequest?.(undefined, 200);
    untyped.recordMetric?.('queue_depth', 1, null);
    untyped.recordMetric?.(undefined, 1);
    await new Promise((resolve) => setImmediate(resolve));
    const text = await metrics.metrics();
    assert.equal(valueOf(text, 'erlmcp_errors_total', { type: 'other' }), other + 1);
    assert.equal(valueOf(text, 'erlmcp_requests_total', { method: 'other', status: '200' }), 1);
    assert.equal(valueOf(text, 'erlmcp_user_metrics_dropped_total'), dropped + 2);
    assert.equal(familyNames(text).has('erlmcp_user_undefined'), false);
  });

  it('declares every family with HELP and TYPE', async () => {
    const names = familyNames(await metrics.metrics());
    for (const name of [
      'erlmcp_requests_total', 'erlmcp_request_duration_seconds', 'erlmcp_errors_total', 'erlmcp_tool_calls_total',
      'erlmcp_tool_duration_seconds', 'erlmcp_sessions_active', 'erlmcp_sessions_created_total',
      'erlmcp_sessions_expired_total', 'erlmcp_transport_connections_active', 'erlmcp_transport_received_bytes_total',
      'erlmcp_transport_sent_bytes_total', 'erlmcp_notifications_sent_total',
    ]) assert.ok(names.has(name), name);
  });

  it('unsubscribes on close, so the core publishes nothing afterwards', async () => {
    const probe = await ServerMetrics.create({ isTool: () => false, runtime: false });
    assert.ok(requestEnd.hasSubscribers);
    probe.close();
    probe.close();
    metrics.close();
    assert.equal(requestEnd.hasSubscribers, false);
    assert.equal(toolEnd.hasSubscribers, false);
    assert.equal(userMetric.hasSubscribers, false);
  });
});

/** A keep-alive socket to `url` the server has served one request on (a 406), so it has seen it connect. */
async function servedSocket(url: URL): Promise<Socket> {
  const socket = connect(Number(url.port), url.hostname);
  await once(socket, 'connect');
  socket.write(`GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nAccept: application/json\r\n\r\n`);
  await once(socket, 'data');
  return socket;
}

/** Closes `socket` and resolves once the server has published its disconnect. */
async function closed(socket: Socket): Promise<void> {
  const seen = new Promise<void>((resolve) => {
    const onDisconnect = (message: unknown): void => {
      if ((message as { transport: string }).transport !== 'http') return;
      transportDisconnect.unsubscribe(onDisconnect);
      resolve();
    };
    transportDisconnect.subscribe(onDisconnect);
  });
  socket.destroy();
  await seen;
}

describe('ServerMetrics: open transport connections', () => {
  let http: HttpHarness;

  before(async () => {
    http = await startHttp(createTestServer());
  });
  after(() => http.close());

  it('never counts down a socket that connected before it subscribed, and counts those after it', async () => {
    const url = new URL(http.url);
    const early = await servedSocket(url);
    const metrics = await ServerMetrics.create({ isTool: () => false, runtime: false });
    try {
      await closed(early);
      const active = async (): Promise<number | undefined> => valueOf(await metrics.metrics(), 'erlmcp_transport_connections_active', { transport: 'http' });
      assert.equal(await active() ?? 0, 0);
      const late = await servedSocket(url);
      assert.equal(await active(), 1);
      await closed(late);
      assert.equal(await active(), 0);
      assert.equal(valueOf(await metrics.metrics(), 'erlmcp_transport_connections_total', { transport: 'http' }), 1);
    } finally {
      metrics.close();
    }
  });
});
