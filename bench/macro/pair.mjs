#!/usr/bin/env node
/**
 * Paired comparison of two servers (BENCHMARKING.md, "Pair for precision"): both run at the same time on CPU 0,
 * each under its own wrk on CPU 1, so both see the same host phase. Reports the ratio of their CPU µs per request
 * per round, stable to about ±2%, where sequential runs are not. Used to check an optimisation of our hot path
 * against the build before it.
 *
 * Rounds of one pair of processes agree closely, but a fresh pair can land 1-2% away, and now and then one
 * process JIT-compiles badly and is off by 10% for its whole life: `--processes 3` starts three pairs one after
 * the other and reports the median of their medians (`perProcessPair`, and `perRound` per pair), which is what
 * docs/performance.md quotes for small changes.
 *
 *   node bench/macro/pair.mjs --a raw --b erlmcp [--a-dist /path/to/old/dist] [--b-flags=--stateless]
 *                             [--b-node-flags=--min-semi-space-size=16]   (node's own flags, for one side)
 *   node bench/macro/pair.mjs --a erlmcp --b erlmcp-2026     (a name of scenarios.mjs's PEERS: its script, flags and request)
 *                             [--scenario echo] [--warmup 10] [--duration 8] [--rounds 5] [--processes 1]
 */
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
    'a-flags': { type: 'string', default: '' },
    'b-flags': { type: 'string', default: '' },
    'a-node-flags': { type: 'string', default: '' },
    'b-node-flags': { type: 'string', default: '' },
    scenario: { type: 'string', default: 'echo' },
    warmup: { type: 'string', default: '10' },
    duration: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '50' },
    processes: { type: 'string', default: '1' },
  },
});
requireWrk();
const scenario = SCENARIOS[opts.scenario];
const processes = Number(opts.processes);
if (!Number.isInteger(processes) || processes < 1) throw new Error(`--processes must be an integer of at least 1, got ${opts.processes}`);

function start(side) {
  const dist = opts[`${side}-dist`];
  const words = (key) => opts[`${side}-${key}`].split(' ').filter(Boolean);
  return startNamedPeer(opts[side], scenario, { flags: words('flags'), nodeFlags: words('node-flags'), dist });
}

/** One pair of processes: warm-up, then `--rounds` timed rounds; the median of its per-round CPU ratios. */
async function onePair() {
  const a = await start('a');
  const b = await start('b');
  try {
    const conns = Number(opts.connections);
    await Promise.all([runWrk(a.url, a.env, Number(opts.warmup), conns), runWrk(b.url, b.env, Number(opts.warmup), conns)]);
    const ratios = [];
    const rows = [];
    for (let round = 0; round < Number(opts.rounds); round++) {
      for (const p of [a, b]) {
        await checkPeer(p);
      }
      const c0 = [cpuMicros(a.child.pid), cpuMicros(b.child.pid)];
      const [wa, wb] = await Promise.all([runWrk(a.url, a.env, Number(opts.duration), conns), runWrk(b.url, b.env, Number(opts.duration), conns)]);
      const c1 = [cpuMicros(a.child.pid), cpuMicros(b.child.pid)];
      // A peer failing fast would look cheap per request: any non-2xx or socket error under load ends the run.
      for (const [p, w] of [[a, wa], [b, wb]]) {
        const bad = w.errors.status + w.errors.connect + w.errors.read + w.errors.write + w.errors.timeout;
        if (bad > 0) throw new Error(`${p.label}: ${w.errors.status} non-2xx answers and ${bad - w.errors.status} socket errors in round ${round + 1}`);
      }
      const ca = (c1[0] - c0[0]) / wa.requests;
      const cb = (c1[1] - c0[1]) / wb.requests;
      ratios.push(cb / ca);
      rows.push({ round, aUs: ca, bUs: cb, aRps: wa.requests / (wa.duration_us / 1e6), bRps: wb.requests / (wb.duration_us / 1e6) });
      process.stderr.write(`round ${round + 1}: ${a.label} ${ca.toFixed(1)} µs/req, ${b.label} ${cb.toFixed(1)} µs/req, b/a ${(cb / ca).toFixed(3)}\n`);
    }
    return {
      a: a.label, b: b.label,
      aUsPerReq: median(rows.map((r) => r.aUs)), bUsPerReq: median(rows.map((r) => r.bUs)),
      cpuRatioBOverA: median(ratios), perRound: ratios,
    };
  } finally {
    await Promise.all([stopPeer(a.child), stopPeer(b.child)]);
  }
}

const pairs = [];
for (let i = 0; i < processes; i++) {
  const result = await onePair();
  pairs.push(result);
  if (processes > 1) process.stderr.write(`process pair ${i + 1}: b/a ${result.cpuRatioBOverA.toFixed(3)}\n`);
}
const [first] = pairs;
const summary = pairs.length === 1 ? first : {
  a: first.a, b: first.b,
  aUsPerReq: median(pairs.map((r) => r.aUsPerReq)), bUsPerReq: median(pairs.map((r) => r.bUsPerReq)),
  cpuRatioBOverA: median(pairs.map((r) => r.cpuRatioBOverA)), perProcessPair: pairs.map((r) => r.cpuRatioBOverA), perRound: pairs.map((r) => r.perRound),
};
process.stdout.write(`${JSON.stringify(summary)}\n`);
