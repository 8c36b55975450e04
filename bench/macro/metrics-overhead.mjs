#!/usr/bin/env node
/**
 * What Prometheus metrics cost on the hot path: erlmcp with metrics off against erlmcp with metrics on (issue 5:
 * at most 5% of throughput lost), paired as BENCHMARKING.md asks ("Pair for precision"): both peers run at the
 * same time on CPU 0, each under its own wrk on CPU 1, for several rounds after an equal warm-up, and the report
 * is the median of per-round ratios: CPU µs per request (on/off) and req/s (on/off).
 *
 * "On" is what `erlmcp serve` runs with its default config: ServerMetrics subscribed to the diagnostics channels,
 * prom-client's runtime collectors (event-loop delay, GC, heap), and the /metrics listener, here scraped every
 * `--scrape-ms` (1 s, 15x Prometheus's default rate, so the scrape's own cost is counted generously). It is the
 * same peer script as "off" (peers/erlmcp.mjs), with this file preloaded through `--import`.
 *
 *   npm run build && node bench/macro/metrics-overhead.mjs [--dist ../dist] [--scenario echo]
 *                                  [--warmup 15] [--duration 8] [--rounds 5] [--scrape-ms 1000] [--no-runtime]
 *
 * `--scrape-ms 0` never scrapes and `--no-runtime` leaves out the Node runtime collectors, to see what each costs;
 * `--control` pairs "off" with "off", to see the method's own bias.
 */
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const SELF = fileURLToPath(import.meta.url);

if (process.env.ERLMCP_BENCH_METRICS_PORT !== undefined) {
  // Preloaded into the "on" peer: start metrics as `erlmcp serve` does, before the peer builds its server.
  const dist = pathToFileURL(`${process.env.ERLMCP_DIST}/`).href;
  const { ServerMetrics } = await import(new URL('metrics/server-metrics.js', dist).href);
  const { MetricsServer } = await import(new URL('metrics/metrics-server.js', dist).href);
  // The peer's tools are few and fixed: every name may label a series.
  const metrics = await ServerMetrics.create({ isTool: () => true, runtime: process.env.ERLMCP_BENCH_METRICS_RUNTIME !== '0' });
  const listener = new MetricsServer(metrics, { host: '127.0.0.1', port: Number(process.env.ERLMCP_BENCH_METRICS_PORT), path: '/metrics' });
  await listener.listen();
} else {
  await main();
}

async function main() {
  const { PROTOCOL_VERSION, openSession, post } = await import('../lib/mcp-http.mjs');
  const { BENCH_DIR, cpuMicros, freePort, median, requireWrk, runWrk, startPeer, stopPeer, wrkEnv } = await import('../lib/proc.mjs');
  const { PEERS, SCENARIOS, checkMessage, requestOf } = await import('./scenarios.mjs');

  const { values: opts } = parseArgs({
    options: {
      dist: { type: 'string', default: join(BENCH_DIR, '..', 'dist') },
      scenario: { type: 'string', default: 'echo' },
      warmup: { type: 'string', default: '15' },
      duration: { type: 'string', default: '8' },
      rounds: { type: 'string', default: '5' },
      connections: { type: 'string', default: '50' },
      'scrape-ms': { type: 'string', default: '1000' },
      'no-runtime': { type: 'boolean', default: false },
      control: { type: 'boolean', default: false },
    },
  });
  requireWrk();
  const scenario = SCENARIOS[opts.scenario];
  if (!scenario) throw new Error(`--scenario must be one of ${Object.keys(SCENARIOS).join(', ')}`);
  const dist = resolve(opts.dist);
  if (opts['no-runtime']) process.env.ERLMCP_BENCH_METRICS_RUNTIME = '0';
  const conns = Number(opts.connections);

  async function start(label, metricsPort) {
    process.env.ERLMCP_DIST = dist;
    if (metricsPort === undefined) delete process.env.ERLMCP_BENCH_METRICS_PORT;
    else process.env.ERLMCP_BENCH_METRICS_PORT = String(metricsPort);
    const port = await freePort();
    const child = await startPeer(join(BENCH_DIR, 'peers', 'erlmcp.mjs'), port, [], metricsPort === undefined ? [] : ['--import', SELF]);
    const url = `http://127.0.0.1:${port}/mcp`;
    const sessionId = scenario.noSession ? undefined : await openSession(url);
    const env = wrkEnv(requestOf(scenario, PEERS.erlmcp), sessionId);
    return { label, child, url, sessionId, env };
  }

  const metricsUrl = `http://127.0.0.1:${await freePort()}/metrics`;
  const off = await start('metrics off');
  // --control runs "off" against "off" (an A/A run): any ratio far from 1 is the method's bias, not metrics.
  const on = await start('metrics on', opts.control ? undefined : Number(new URL(metricsUrl).port));
  delete process.env.ERLMCP_BENCH_METRICS_PORT;
  let scrapes = 0;
  const scrapeMs = Number(opts['scrape-ms']);
  const scraper = scrapeMs > 0 && !opts.control
    ? setInterval(() => void fetch(metricsUrl).then((r) => r.text()).then(() => scrapes++, () => {}), scrapeMs)
    : undefined;
  try {
    await Promise.all([runWrk(off.url, off.env, Number(opts.warmup), conns), runWrk(on.url, on.env, Number(opts.warmup), conns)]);
    const rows = [];
    for (let round = 0; round < Number(opts.rounds); round++) {
      // Check before timing (BENCHMARKING.md): both answer correctly, and "on" is really counting.
      for (const p of [off, on]) scenario.check((await post(p.url, checkMessage(scenario), p.sessionId, PROTOCOL_VERSION)).messages);
      if (!opts.control) {
        const counted = /^erlmcp_requests_total (\d+)/m.exec(await (await fetch(metricsUrl)).text());
        if (!counted || Number(counted[1]) === 0) throw new Error('the metrics peer counts no requests');
      }
      const c0 = [cpuMicros(off.child.pid), cpuMicros(on.child.pid)];
      // Which wrk starts first alternates, so neither peer keeps a head start.
      const seconds = Number(opts.duration);
      const [wOff, wOn] = round % 2 === 0
        ? await Promise.all([runWrk(off.url, off.env, seconds, conns), runWrk(on.url, on.env, seconds, conns)])
        : (await Promise.all([runWrk(on.url, on.env, seconds, conns), runWrk(off.url, off.env, seconds, conns)])).reverse();
      const c1 = [cpuMicros(off.child.pid), cpuMicros(on.child.pid)];
      const row = {
        offUs: (c1[0] - c0[0]) / wOff.requests, onUs: (c1[1] - c0[1]) / wOn.requests,
        offRps: wOff.requests / (wOff.duration_us / 1e6), onRps: wOn.requests / (wOn.duration_us / 1e6),
      };
      rows.push(row);
      process.stderr.write(`round ${round + 1}: off ${row.offUs.toFixed(1)} µs/req ${row.offRps.toFixed(0)} req/s, on ${row.onUs.toFixed(1)} µs/req ${row.onRps.toFixed(0)} req/s, cpu on/off ${(row.onUs / row.offUs).toFixed(3)}, req/s on/off ${(row.onRps / row.offRps).toFixed(3)}\n`);
    }
    const cpuRatio = median(rows.map((r) => r.onUs / r.offUs));
    const rpsRatio = median(rows.map((r) => r.onRps / r.offRps));
    const result = {
      scenario: opts.scenario,
      offUsPerReq: median(rows.map((r) => r.offUs)), onUsPerReq: median(rows.map((r) => r.onUs)),
      offRps: median(rows.map((r) => r.offRps)), onRps: median(rows.map((r) => r.onRps)),
      cpuRatioOnOverOff: cpuRatio, rpsRatioOnOverOff: rpsRatio,
      throughputLossPct: (1 - rpsRatio) * 100, cpuOverheadPct: (cpuRatio - 1) * 100,
      scrapes, perRound: rows,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    if (scraper !== undefined) clearInterval(scraper);
    await Promise.all([stopPeer(off.child), stopPeer(on.child)]);
  }
}
