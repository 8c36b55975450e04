#!/usr/bin/env node
/**
 * Where two servers' CPU differs, symbol by symbol, measured in one host phase: both run at once on CPU 0 under
 * their own wrk (as `pair.mjs` runs them) while Linux `perf` samples CPU 0, and each process's samples are turned
 * into CPU µs per request per symbol (its JavaScript named through `--perf-basic-prof`). V8's own profiler
 * (`profile.mjs`) sees one process and no kernel or C++ frames; a `perf` profile of one server and then the other
 * compares two host phases, which on this machine differ by more than the servers do. Issue 3 asks a missed target
 * to come with the profile that shows why: this is that profile, as a difference.
 *
 *   node bench/macro/pair-perf.mjs --a lean --b erlmcp [--a-dist dir] [--b-dist dir] [--scenario echo]
 *                                  [--warmup 6] [--seconds 10] [--freq 2000] [--top 40] [--out file.json]
 *
 * Needs `perf` (Debian: linux-perf) with permission to sample a CPU (root, or kernel.perf_event_paranoid <= 0).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startNamedPeer } from '../lib/named-peer.mjs';
import { cpuMicros, requireWrk, runWrk, stopPeer } from '../lib/proc.mjs';
import { SCENARIOS } from './scenarios.mjs';

const { values: opts } = parseArgs({
  options: {
    a: { type: 'string', default: 'lean' },
    b: { type: 'string', default: 'erlmcp' },
    'a-dist': { type: 'string' },
    'b-dist': { type: 'string' },
    scenario: { type: 'string', default: 'echo' },
    warmup: { type: 'string', default: '6' },
    seconds: { type: 'string', default: '10' },
    freq: { type: 'string', default: '2000' },
    top: { type: 'string', default: '40' },
    connections: { type: 'string', default: '50' },
    out: { type: 'string' },
  },
});
requireWrk();
if (spawnSync('perf', ['--version']).error) throw new Error('perf is not installed: apt-get install -y linux-perf');
const scenario = SCENARIOS[opts.scenario];
if (!scenario) throw new Error(`--scenario must be one of ${Object.keys(SCENARIOS).join(', ')}`);
const seconds = Number(opts.seconds);
const freq = Number(opts.freq);
const conns = Number(opts.connections);
const dataFile = join(mkdtempSync(join(tmpdir(), 'erlmcp-pair-perf-')), 'perf.data');

/** The thread ids of a process: V8's compiler and GC helpers and libuv's pool count with its main thread. */
function threadsOf(pid) {
  return new Set(readdirSync(`/proc/${pid}/task`).map(Number));
}

/**
 * Symbol → samples, per process. perf's own `--pid` filter cannot be used with `--sort sym`: perf 6.1 merges the
 * entries of all processes first, so each symbol showed up under one process only. Samples are split by thread id.
 */
function samplesBy(threads) {
  const report = spawnSync('perf', ['report', '-i', dataFile, '--no-children', '--sort', 'pid,sym', '-F', 'sample,pid,sym', '--stdio', '-g', 'none'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (report.status !== 0) throw new Error(`perf report failed: ${report.stderr}`);
  const bySide = threads.map(() => new Map());
  for (const line of report.stdout.split('\n')) {
    const m = /^\s+(\d+)\s+(\d+):.*?\s+\[[^\]]*\]\s+(.+)$/.exec(line);
    if (!m) continue;
    const side = threads.findIndex((set) => set.has(Number(m[2])));
    if (side < 0) continue;
    // perf-basic-prof names optimised JS `JS:*name url:line:col`; keep the name and the file, not the full URL.
    const symbol = m[3].trim().replace(/file:\/\/\S*\/((?:dist|bench|peers)\/\S+)/, '$1').replace(/\s+/g, ' ').slice(0, 100);
    bySide[side].set(symbol, (bySide[side].get(symbol) ?? 0) + Number(m[1]));
  }
  return bySide;
}

const a = await startNamedPeer(opts.a, scenario, { dist: opts['a-dist'], nodeFlags: ['--perf-basic-prof'] });
const b = await startNamedPeer(opts.b, scenario, { dist: opts['b-dist'], nodeFlags: ['--perf-basic-prof'] });
let result;
try {
  await Promise.all([runWrk(a.url, a.env, Number(opts.warmup), conns), runWrk(b.url, b.env, Number(opts.warmup), conns)]);
  // perf starts a little before the window and stops a little after it: the per-request figures divide by the
  // window's requests, so the margin makes them at most ~2% high, the same for both servers.
  const perf = spawn('perf', ['record', '-F', String(freq), '-C', '0', '-g', '-o', dataFile, '--', 'sleep', String(seconds + 0.3)], { stdio: 'ignore' });
  const perfDone = new Promise((resolve, reject) => {
    perf.once('error', reject);
    perf.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`perf record exited with ${code}`))));
  });
  await new Promise((r) => setTimeout(r, 150));
  const c0 = [cpuMicros(a.child.pid), cpuMicros(b.child.pid)];
  const [wa, wb] = await Promise.all([runWrk(a.url, a.env, seconds, conns), runWrk(b.url, b.env, seconds, conns)]);
  const c1 = [cpuMicros(a.child.pid), cpuMicros(b.child.pid)];
  const threads = [threadsOf(a.child.pid), threadsOf(b.child.pid)];
  await perfDone;
  for (const [p, w] of [[a, wa], [b, wb]]) {
    const bad = w.errors.status + w.errors.connect + w.errors.read + w.errors.write + w.errors.timeout;
    if (bad > 0) throw new Error(`${p.label}: ${w.errors.status} non-2xx answers and ${bad - w.errors.status} socket errors`);
  }
  const usPerSample = 1e6 / freq;
  const perReq = (samples, requests) => (samples * usPerSample) / requests;
  const [sa, sb] = samplesBy(threads);
  const symbols = [...new Set([...sa.keys(), ...sb.keys()])].map((symbol) => ({
    symbol, a: perReq(sa.get(symbol) ?? 0, wa.requests), b: perReq(sb.get(symbol) ?? 0, wb.requests),
  }));
  const total = (side) => symbols.reduce((sum, s) => sum + s[side], 0);
  symbols.sort((x, y) => Math.abs(y.b - y.a) - Math.abs(x.b - x.a));
  result = {
    a: a.label, b: b.label, scenario: opts.scenario, seconds,
    procUsPerReq: { a: (c1[0] - c0[0]) / wa.requests, b: (c1[1] - c0[1]) / wb.requests },
    perfUsPerReq: { a: total('a'), b: total('b') },
    symbols,
  };
} finally {
  await Promise.all([stopPeer(a.child), stopPeer(b.child)]);
}

const f = (x) => x.toFixed(2).padStart(7);
console.log(`${result.a}: ${result.procUsPerReq.a.toFixed(1)} µs/request (/proc), ${result.perfUsPerReq.a.toFixed(1)} in perf's samples`);
console.log(`${result.b}: ${result.procUsPerReq.b.toFixed(1)} µs/request (/proc), ${result.perfUsPerReq.b.toFixed(1)} in perf's samples`);
console.log(`\n| b - a µs | a µs | b µs | symbol |\n| ---: | ---: | ---: | --- |`);
for (const s of result.symbols.slice(0, Number(opts.top))) console.log(`| ${f(s.b - s.a)} | ${f(s.a)} | ${f(s.b)} | \`${s.symbol.replaceAll('|', '\\|')}\` |`);
if (opts.out) writeFileSync(opts.out, `${JSON.stringify(result, null, 1)}\n`);
