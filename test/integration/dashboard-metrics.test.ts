/**
 * deploy/grafana/erlmcp-dashboard.json against the metrics erlmcp exports: it carries the seed's three panels with
 * their expressions verbatim, and every metric name any panel reads is in the `/metrics` output of a served
 * process (over a real socket, after a little traffic), as a declared family and with samples.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Health } from '../../src/metrics/health.js';
import { MetricsServer } from '../../src/metrics/metrics-server.js';
import { ServerMetrics } from '../../src/metrics/server-metrics.js';
import { dashboardExpressions, metricNamesIn, readDashboard, SEED_EXPRESSIONS } from '../helpers/dashboard.js';
import { startHttp, type HttpHarness } from '../helpers/http-harness.js';
import { familyNames, parseSamples } from '../helpers/prom-text.js';
import { createTestServer } from '../helpers/test-server.js';
import { FetchSession } from '../helpers/serve-process.js';

describe('the Grafana dashboard', () => {
  let http: HttpHarness;
  let metrics: ServerMetrics;
  let listener: MetricsServer;
  let metricsUrl: string;

  before(async () => {
    const server = createTestServer();
    metrics = await ServerMetrics.create({ isTool: (name) => server.tools.get(name) !== undefined, liveSessions: () => server.sessions.liveCount });
    const health = new Health({ version: '1.0.0', sessions: () => server.sessions.liveCount });
    http = await startHttp(server, { routes: health.routes() });
    listener = new MetricsServer(metrics, { host: '127.0.0.1', port: 0, path: '/metrics' });
    metricsUrl = (await listener.listen()).url;
  });

  after(async () => {
    await http.close();
    await listener.close();
    metrics.close();
  });

  it('keeps the seed\'s panels and their PromQL verbatim', () => {
    const panels = readDashboard().dashboard.panels;
    const exprs = (title: string): string[] => panels.find((p) => p.title === title)?.targets.map((t) => t.expr) ?? [];
    assert.deepEqual(exprs('Request Rate'), [SEED_EXPRESSIONS[0]]);
    assert.deepEqual(exprs('Response Time'), [SEED_EXPRESSIONS[1], SEED_EXPRESSIONS[2]]);
    assert.deepEqual(exprs('Error Rate'), [SEED_EXPRESSIONS[3]]);
    for (const title of ['Sessions', 'Tool Latency by Tool', 'Event-Loop Delay', 'GC Pauses', 'Heap and RSS']) {
      assert.ok(exprs(title).length > 0, `panel ${title}`);
    }
  });

  it('reads only metric names that /metrics exports', async () => {
    const session = await new FetchSession(http.url).open();
    await session.request('tools/call', { name: 'echo', arguments: { text: 'x' } });
    await session.request('tools/call', { name: 'count', arguments: { steps: 2 }, _meta: { progressToken: 1 } });
    await session.request('tools/call', { name: 'fail', arguments: {} });
    // Enough garbage for a few scavenges, so the GC histogram has samples.
    let keep: unknown[] = [];
    for (let i = 0; i < 200_000; i++) keep.push({ i });
    keep = [];
    await new Promise((resolve) => setImmediate(resolve));
    await session.close();

    const res = await fetch(metricsUrl);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const families = familyNames(text);
    const sampled = new Set(parseSamples(text).map((s) => s.name));
    const used = new Set(dashboardExpressions().flatMap(metricNamesIn));
    assert.ok(used.size >= 15, `the dashboard reads ${used.size} metrics`);
    for (const name of used) {
      const family = name.replace(/_(bucket|sum|count)$/, '');
      assert.ok(families.has(name) || families.has(family), `${name} is declared in /metrics`);
      assert.ok(sampled.has(name), `${name} has samples in /metrics`);
    }
    assert.equal((await fetch(new URL('/nope', metricsUrl))).status, 404);
  });
});
