/**
 * A real Prometheus (Debian's `prometheus` package) scrapes a real `erlmcp serve` through the scrape config in
 * deploy/prometheus/prometheus.yml, shortened to a 1 s interval, while the test applies a short load. Then the
 * seed's PromQL (its dashboard's request rate, p95 and p99 response time, and error rate) and every expression of
 * deploy/grafana/erlmcp-dashboard.json run through Prometheus's HTTP API, and each returns data.
 *
 * Without the prometheus binary this test fails, naming it: CI installs it (.ci/run).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { dashboardExpressions, SCRAPE_CONFIG_FILE, SEED_EXPRESSIONS } from '../helpers/dashboard.js';
import { FetchSession, startServe, type ServeProcess } from '../helpers/serve-process.js';

const LOAD_MS = 4_000;
const QUERY_DEADLINE_MS = 20_000;

/** A tool module for the served process: progress notifications, failures, and ctx.metrics records. */
const MODULE = `
export default function register(server) {
  server.tool('ticker', { description: 'reports progress twice' }, (_args, ctx) => {
    ctx.progress(1, 2);
    ctx.progress(2, 2);
    ctx.metrics.recordMetric('ticks', 2, { source: 'ticker' });
    return 'ticked';
  });
  server.tool('flaky', { description: 'fails' }, () => {
    throw new Error('flaky failed on purpose');
  });
}
`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

interface QueryResult {
  status: string;
  data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
  error?: string;
}

describe('Prometheus scraping erlmcp', () => {
  let dir: string;
  let erlmcp: ServeProcess | undefined;
  let prometheus: ChildProcess | undefined;
  let prometheusLog = '';
  let api: string;

  before(async () => {
    const found = spawnSync('prometheus', ['--version'], { encoding: 'utf8' });
    if (found.error !== undefined || found.status !== 0) {
      assert.fail('the prometheus binary is missing: install Debian\'s "prometheus" package (apt-get install -y prometheus), as .ci/run does');
    }
    dir = mkdtempSync(join(tmpdir(), 'erlmcp-prometheus-'));
    writeFileSync(join(dir, 'tools.mjs'), MODULE);
    writeFileSync(join(dir, 'erlmcp.yaml'), stringify({ modules: ['./tools.mjs'], logging: { level: 'warn' } }));
    erlmcp = await startServe(['--config', join(dir, 'erlmcp.yaml')]);
    const metricsPort = new URL(erlmcp.metricsUrl as string).port;

    // deploy/'s scrape config, with the interval shortened and the target pointed at the test server.
    const config = parse(readFileSync(SCRAPE_CONFIG_FILE, 'utf8')) as {
      global: Record<string, string>;
      scrape_configs: { job_name: string; scrape_interval: string; scrape_timeout: string; static_configs: { targets: string[] }[] }[];
    };
    config.global.scrape_interval = '1s';
    config.global.evaluation_interval = '1s';
    const job = config.scrape_configs.find((j) => j.job_name === 'erlmcp');
    assert.ok(job, 'deploy/prometheus/prometheus.yml has the erlmcp job');
    assert.deepEqual(job.static_configs[0]?.targets, ['erlmcp:8081']);
    job.scrape_interval = '1s';
    job.scrape_timeout = '1s';
    job.static_configs = [{ targets: [`127.0.0.1:${metricsPort}`] }];
    writeFileSync(join(dir, 'prometheus.yml'), stringify(config));

    const port = await freePort();
    api = `http://127.0.0.1:${port}`;
    prometheus = spawn('prometheus', [
      `--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn',
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    prometheus.stderr?.setEncoding('utf8').on('data', (text: string) => (prometheusLog += text));
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (prometheus.exitCode !== null) assert.fail(`prometheus exited (${prometheus.exitCode}): ${prometheusLog}`);
      const ready = await fetch(`${api}/-/ready`).then((r) => r.status === 200, () => false);
      if (ready) break;
      if (Date.now() > deadline) assert.fail(`prometheus was not ready within 20 s: ${prometheusLog}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  after(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = once(prometheus, 'exit');
      prometheus.kill('SIGTERM');
      await exited;
    }
    await erlmcp?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function query(expr: string): Promise<QueryResult> {
    const res = await fetch(`${api}/api/v1/query?query=${encodeURIComponent(expr)}`);
    return (await res.json()) as QueryResult;
  }

  it('answers the seed\'s PromQL and every dashboard expression with data after a short load', async () => {
    const server = erlmcp as ServeProcess;
    // Prometheus applies new targets after its discovery throttle (5 s): load only once it has scraped, so the
    // load spans several scrapes and rate() sees it.
    const scraped = Date.now() + QUERY_DEADLINE_MS;
    while (((await query('up{job="erlmcp"} == 1')).data?.result.length ?? 0) === 0) {
      if (Date.now() > scraped) assert.fail(`prometheus never scraped erlmcp: ${prometheusLog}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // The load: four sessions calling tools (ok, failing, notifying), an unknown method, and session churn.
    const until = Date.now() + LOAD_MS;
    let sent = 0;
    await Promise.all([0, 1, 2, 3].map(async (worker) => {
      while (Date.now() < until) {
        const session = await new FetchSession(server.url).open();
        for (let i = 0; i < 25; i++) {
          await session.request('tools/call', { name: 'echo', arguments: { text: `w${worker} ${i}` } });
          if (i % 5 === 0) await session.request('tools/call', { name: 'ticker', arguments: {}, _meta: { progressToken: `t${i}` } });
          if (i % 10 === 0) await session.request('tools/call', { name: 'flaky', arguments: {} });
          if (i % 12 === 0) await session.request('no/such/method');
          sent += 1;
        }
        await session.close();
      }
    }));
    assert.ok(sent > 100, `the load sent ${sent} rounds`);
    assert.equal((await fetch(`${server.origin}/health`)).status, 200);

    const expressions = [...new Set([...SEED_EXPRESSIONS, ...dashboardExpressions(), 'up{job="erlmcp"}'])];
    const deadline = Date.now() + QUERY_DEADLINE_MS;
    let missing: string[] = [];
    const results = new Map<string, QueryResult>();
    for (;;) {
      missing = [];
      for (const expr of expressions) {
        const result = await query(expr);
        results.set(expr, result);
        assert.equal(result.status, 'success', `${expr}: ${result.error ?? ''}`);
        if ((result.data?.result.length ?? 0) === 0) missing.push(expr);
      }
      if (missing.length === 0 || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    assert.deepEqual(missing, [], `expressions without data after ${QUERY_DEADLINE_MS} ms (prometheus log: ${prometheusLog})`);

    const first = (expr: string): number => Number(results.get(expr)?.data?.result[0]?.value[1]);
    assert.equal(first('up{job="erlmcp"}'), 1);
    for (const q of [SEED_EXPRESSIONS[1], SEED_EXPRESSIONS[2]] as string[]) {
      const seconds = first(q);
      assert.ok(Number.isFinite(seconds) && seconds > 0 && seconds <= 5, `${q} = ${seconds}`);
    }
    const errorRate = first(SEED_EXPRESSIONS[3] as string);
    assert.ok(errorRate > 0 && errorRate < 1, `error rate ${errorRate}`);
    for (const expr of SEED_EXPRESSIONS) {
      process.stdout.write(`# PromQL ${expr} -> ${JSON.stringify(results.get(expr)?.data?.result.map((r) => [r.metric, r.value[1]]))}\n`);
    }
  });
});
