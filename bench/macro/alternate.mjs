#!/usr/bin/env node
/**
 * Sequential comparison of two servers in short alternating windows: each server runs alone on CPU 0 (as in
 * `run.mjs`, which is what issue 3's req/s targets mean), but the windows are short and alternate A B B A, so each
 * ratio compares two windows seconds apart rather than two 5 s rounds a minute apart. On this shared host the
 * phases last seconds to minutes, and a 5 s round's ratio moved by 2x; the median of many adjacent pairs does not.
 * `pair.mjs` (both at once on one core) is steadier still, but it measures two processes sharing a core, which
 * put the stateful mode at 1.025x the stateless one where sequential rounds put it at 1.1-1.5x: this tool checks
 * which of the two is right, with the servers alone.
 *
 *   node bench/macro/alternate.mjs --a raw --b erlmcp [--a-dist dir] [--b-dist dir] [--scenario echo]
 *                                  [--warmup 5] [--seconds 2] [--pairs 20] [--idle 0] [--out file.json]
 *
 * `--idle S` leaves both servers idle S seconds before each window, as `run.mjs` leaves each peer idle while the
 * others run (about 40 s in the echo scenario): V8 shrinks an idle process's young generation, for one.
 *
 * Prints, per pair of windows, the req/s and CPU µs per request of each, and the medians of the per-pair ratios
 * b/a (req/s: above 1 means b is faster; CPU: above 1 means b costs more).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { checkPeer, startNamedPeer } from '../lib/named-peer.mjs';
import { cpuMicros, median, requireWrk, runWrk, stopPeer } from '../lib/proc.mjs';
import { SCENARIOS } from './scenarios.mjs';

const { values: opts } = parseArgs({
  options: {
    a: { type: 'string', default: 'raw' },
    b: { type: 'string', default: 'erlmcp' },
    'a-dist': { type: 'string' },
    'b-dist': { type: 'string' },
    scenario: { type: 'string', default: 'echo' },
    warmup: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '2' },
    pairs: { type: 'string', default: '20' },
    idle: { type: 'string', default: '0' },
    connections: { type: 'string', default: '50' },
    out: { type: 'string' },
  },
});
requireWrk();
const scenario = SCENARIOS[opts.scenario];
if (!scenario) throw new Error(`--scenario must be one of ${Object.keys(SCENARIOS).join(', ')}`);
const seconds = Number(opts.seconds);
const pairs = Number(opts.pairs);
const conns = Number(opts.connections);
const idleS = Number(opts.idle);
if (!(seconds >= 1) || !Number.isInteger(pairs) || pairs < 1) throw new Error(`--seconds must be at least 1 and --pairs a positive integer; got ${opts.seconds} and ${opts.pairs}`);

/** One window of one server alone: its req/s and CPU µs per request, refusing a window with any failed request. */
async function window(p) {
  if (idleS > 0) await new Promise((resolve) => setTimeout(resolve, idleS * 1000));
  const c0 = cpuMicros(p.child.pid);
  const w = await runWrk(p.url, p.env, seconds, conns);
  const c1 = cpuMicros(p.child.pid);
  const bad = w.errors.status + w.errors.connect + w.errors.read + w.errors.write + w.errors.timeout;
  if (bad > 0) throw new Error(`${p.label}: ${w.errors.status} non-2xx answers and ${bad - w.errors.status} socket errors`);
  return { rps: w.requests / (w.duration_us / 1e6), us: (c1 - c0) / w.requests, p99: w.latency_us.p99 / 1000 };
}

const a = await startNamedPeer(opts.a, scenario, { dist: opts['a-dist'] });
const b = await startNamedPeer(opts.b, scenario, { dist: opts['b-dist'] });
const rows = [];
try {
  for (const p of [a, b]) {
    await checkPeer(p);
    await runWrk(p.url, p.env, Number(opts.warmup), conns);
  }
  for (let i = 0; i < pairs; i++) {
    // A B, then B A: a drift of the host within a pair then favours each side equally often.
    const order = i % 2 === 0 ? [a, b] : [b, a];
    const first = await window(order[0]);
    const second = await window(order[1]);
    const [wa, wb] = order[0] === a ? [first, second] : [second, first];
    rows.push({ a: wa, b: wb, rps: wb.rps / wa.rps, cpu: wb.us / wa.us });
    process.stderr.write(`pair ${i + 1}: ${a.name} ${wa.rps.toFixed(0)} req/s ${wa.us.toFixed(1)} µs, ${b.name} ${wb.rps.toFixed(0)} req/s ${wb.us.toFixed(1)} µs, b/a req/s ${(wb.rps / wa.rps).toFixed(3)}\n`);
  }
} finally {
  await Promise.all([stopPeer(a.child), stopPeer(b.child)]);
}

const quartiles = (values) => {
  const v = [...values].sort((x, y) => x - y);
  return [v[Math.floor((v.length - 1) / 4)], v[Math.ceil((3 * (v.length - 1)) / 4)]];
};
const summary = {
  a: a.label, b: b.label, scenario: opts.scenario, seconds, pairs,
  rpsRatioBOverA: median(rows.map((r) => r.rps)), rpsRatioQuartiles: quartiles(rows.map((r) => r.rps)),
  cpuRatioBOverA: median(rows.map((r) => r.cpu)), cpuRatioQuartiles: quartiles(rows.map((r) => r.cpu)),
  aRps: median(rows.map((r) => r.a.rps)), bRps: median(rows.map((r) => r.b.rps)),
  aUsPerReq: median(rows.map((r) => r.a.us)), bUsPerReq: median(rows.map((r) => r.b.us)),
  perPair: rows,
};
if (opts.out) writeFileSync(opts.out, `${JSON.stringify(summary, null, 1)}\n`);
const { perPair: _rows, ...headline } = summary;
process.stdout.write(`${JSON.stringify(headline)}\n`);
