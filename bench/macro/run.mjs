#!/usr/bin/env node
/**
 * The side-by-side macro benchmark (issue 3). For each scenario it starts the peers pinned to CPU 0, opens their
 * sessions, warms each one up under wrk (pinned to CPU 1), waits until the peers are idle, then runs interleaved
 * rounds (A, B, C, A, B, C, ...). Before every timed run it sends one request and checks the answer. Per run it
 * records req/s, p50/p95/p99/p99.9, server CPU µs per response (utime + stime from /proc) and RSS, and the CPU the
 * idle peers used during the window (`othersCpuPct`: all share CPU 0, so that CPU was taken from the measured
 * peer); it prints the medians and the medians of per-round ratios, checks the targets and writes everything to
 * bench/results/.
 *
 *   node bench/macro/run.mjs [--scenarios echo,initialize,...] [--warmup 15] [--fast-warmup 5]
 *                            [--duration 5] [--rounds 3] [--connections 50] [--check] [--out file]
 *
 * See BENCHMARKING.md (shared) for why: pinning, equal warm-ups, interleaving, medians of ratios, CPU per request.
 *
 * Warm-ups are per peer, the same in every scenario. The peers marked `warmsSlowly` (the SDK, fastmcp) get
 * `--warmup`: the SDK's CPU per request keeps falling for about 17 s under load, and a shorter warm-up measured it
 * 20-30% above its warmed cost, which flattered every "x the SDK" ratio. The others (the raw ceiling and every
 * erlmcp peer) get `--fast-warmup`, all the same one, so the ratios among them stay equal-warm-up ratios; they
 * reach their steady cost within seconds (docs/performance.md, "Warm-ups"), and a warm-up too short could only
 * make erlmcp slower against the SDK, never flatter it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { execSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { openSession, post } from '../lib/mcp-http.mjs';
import { BENCH_DIR, cpuMicros, freePort, median, requireWrk, rssBytes, runWrk, startPeer, stopPeer, wrkEnv } from '../lib/proc.mjs';
import { PEERS, SCENARIOS, checkMessage, requestOf } from './scenarios.mjs';

const { values: opts } = parseArgs({
  options: {
    scenarios: { type: 'string', default: Object.keys(SCENARIOS).join(',') },
    peers: { type: 'string' },
    warmup: { type: 'string', default: '15' },
    'fast-warmup': { type: 'string', default: '5' },
    duration: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    check: { type: 'boolean', default: false },
    out: { type: 'string' },
    'erlmcp-node-flags': { type: 'string', default: '' },
  },
});
const warmupS = Number(opts.warmup);
const fastWarmupS = Number(opts['fast-warmup']);
if (!(warmupS >= 0 && fastWarmupS >= 0 && fastWarmupS <= warmupS)) {
  throw new Error(`--warmup and --fast-warmup must be seconds, with --fast-warmup at most --warmup; got ${opts.warmup} and ${opts['fast-warmup']}`);
}
const durationS = Number(opts.duration);
const rounds = Number(opts.rounds);
const connections = Number(opts.connections);
const onlyPeers = opts.peers ? new Set(opts.peers.split(',')) : undefined;
const erlmcpNodeFlags = opts['erlmcp-node-flags'].split(' ').filter(Boolean);

requireWrk();
if (!existsSync(join(BENCH_DIR, '..', 'dist', 'index.js'))) {
  throw new Error('dist/ is missing: run `npm run build` at the repository root first');
}

const log = (line) => process.stderr.write(`${line}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  let nodeProcesses = NaN;
  try {
    nodeProcesses = Number(execSync('ps -eo comm | grep -c "^node$" || true').toString().trim());
  } catch {}
  let commit = 'unknown';
  try {
    commit = execSync('git rev-parse --short HEAD', { cwd: BENCH_DIR }).toString().trim();
  } catch {}
  return {
    nproc: cpus().length, cpu: model, node: process.version, loadavg: loadavg(), nodeProcesses, at: new Date().toISOString(),
    commit, erlmcpDist: process.env.ERLMCP_DIST ?? 'dist/ of this checkout',
  };
}

async function runScenario(key, scenario) {
  const peers = scenario.peers.filter(([name]) => !onlyPeers || onlyPeers.has(name));
  const conns = scenario.connections ?? connections;
  log(`\n## ${scenario.title} (${peers.map(([n]) => n).join(', ')}; warm-up ${warmupS} s for the SDK and fastmcp, ${fastWarmupS} s for the others, ${rounds} rounds of ${durationS} s, ${conns} connections)`);
  const started = [];
  let stopped;
  try {
    for (const [name, extra = []] of peers) {
      const peer = PEERS[name];
      const port = await freePort();
      const nodeFlags = name.startsWith('erlmcp') ? erlmcpNodeFlags : [];
      const child = await startPeer(join(BENCH_DIR, peer.script), port, [...peer.flags, ...extra], nodeFlags);
      const url = `http://127.0.0.1:${port}/mcp`;
      const sessionId = peer.session && !scenario.noSession ? await openSession(url) : undefined;
      // The peer's own request where it has one (the 2026 peer), so wrk and the check send the same thing.
      const request = requestOf(scenario, peer);
      const env = wrkEnv(request, sessionId);
      const label = scenario.labels?.[name] ?? (extra.includes('--sse') ? peer.label.replace('JSON', 'SSE') : peer.label);
      const warm = peer.warmsSlowly ? warmupS : fastWarmupS;
      started.push({ name, label, child, url, sessionId, request, env, warm, runs: [] });
    }
    const checkOnce = async (p) => {
      const answer = await post(p.url, checkMessage(p.request, 424242), p.sessionId, p.request.version, p.request.headers);
      if (answer.status !== 200) throw new Error(`${p.name}: check request gave HTTP ${answer.status}`);
      try {
        p.request.check(answer.messages, answer);
      } catch (err) {
        throw new Error(`${p.name}: ${err.message}`);
      }
    };
    for (const p of started) {
      await checkOnce(p);
      log(`warm-up ${p.name} ${p.warm} s`);
      if (p.warm > 0) await runWrk(p.url, p.env, p.warm, conns);
    }
    await quiet(started);
    rounds: for (let round = 0; round < rounds; round++) {
      for (const p of started) {
        let w;
        let cpu0;
        let cpu1;
        let others0;
        let others1;
        const pid = p.child.pid;
        try {
          await checkOnce(p);
          others0 = othersCpu(started, p);
          cpu0 = cpuMicros(pid);
          w = await runWrk(p.url, p.env, durationS, conns);
          others1 = othersCpu(started, p);
          cpu1 = scenario.settle?.peers.includes(p.name) ? await settledCpu(pid, scenario.settle.ms) : cpuMicros(pid);
        } catch (err) {
          // A peer that died (the SDK runs out of heap in the 1 MB read after a few rounds) is a result, not a
          // crash of the run: the scenario keeps the rounds every peer completed, and says why it stopped.
          const code = p.child.exitCode ?? p.child.signalCode;
          if (code === null) throw err;
          stopped = { peer: p.name, round: round + 1, exit: String(code) };
          log(`${p.name} exited (${code}) in round ${round + 1}; the scenario keeps the ${round} rounds every peer completed`);
          break rounds;
        }
        const good = w.requests - w.errors.status;
        const run = {
          round,
          requests: w.requests,
          non2xx: w.errors.status,
          socketErrors: w.errors.connect + w.errors.read + w.errors.write + w.errors.timeout,
          rps: w.requests / (w.duration_us / 1e6),
          p50Ms: w.latency_us.p50 / 1000,
          p95Ms: w.latency_us.p95 / 1000,
          p99Ms: w.latency_us.p99 / 1000,
          p999Ms: w.latency_us.p999 / 1000,
          maxMs: w.latency_us.max / 1000,
          cpuUsPerReq: good > 0 ? (cpu1 - cpu0) / good : NaN,
          rssMb: rssBytes(pid) / 2 ** 20,
          mbPerS: w.bytes / (w.duration_us / 1e6) / 2 ** 20,
          othersCpuPct: ((others1 - others0) / w.duration_us) * 100,
        };
        p.runs.push(run);
        log(`round ${round + 1} ${p.name.padEnd(17)} ${run.rps.toFixed(0).padStart(6)} req/s  p95 ${run.p95Ms.toFixed(2)} ms  p99.9 ${run.p999Ms.toFixed(2)} ms  ${run.cpuUsPerReq.toFixed(1)} µs/req  RSS ${run.rssMb.toFixed(0)} MB  others ${run.othersCpuPct.toFixed(1)}% CPU${run.non2xx || run.socketErrors ? `  non-2xx ${run.non2xx} socket errors ${run.socketErrors}` : ''}`);
        if (run.non2xx > 0) throw new Error(`${p.name}: ${run.non2xx} non-2xx answers under load`);
      }
    }
  } finally {
    await Promise.all(started.map((p) => stopPeer(p.child)));
  }
  if (stopped) for (const p of started) p.runs.length = stopped.round - 1;
  const summary = { ...summarise(key, scenario, started), stopped };
  // Each scenario's tables as soon as it ends, so a later failure loses nothing.
  log(printScenario(summary));
  return summary;
}

/**
 * The CPU µs the other live peers used so far: they sit idle on the same core while one peer is measured, and
 * whatever they do then (a GC after their own window, a timer) is taken from that peer's window.
 */
function othersCpu(started, measured) {
  let sum = 0;
  for (const q of started) if (q !== measured && q.child.exitCode === null) sum += cpuMicros(q.child.pid);
  return sum;
}

/**
 * Waits until the peers together use under 2% of a core for a whole second (at most 20 s). The slow peers warm up
 * last, for 15 s each, and what their warm-up leaves behind (the SDK's and fastmcp's GC of the heap it grew) ran on
 * the shared core during round 1: `othersCpuPct` showed 17-61% in one erlmcp window of round 1 in three runs out
 * of three, and never in a later round.
 */
async function quiet(started) {
  const total = () => started.reduce((sum, p) => sum + (p.child.exitCode === null ? cpuMicros(p.child.pid) : 0), 0);
  const until = Date.now() + 20_000;
  let last = total();
  for (;;) {
    await sleep(1_000);
    const now = total();
    if (now - last < 0.02 * 1_000_000) return;
    if (Date.now() > until) {
      log(`the peers still used ${((now - last) / 10_000).toFixed(1)}% of a core after 20 s: starting the rounds anyway`);
      return;
    }
    last = now;
  }
}

/**
 * The peer's CPU once the work its window left behind is done (`scenario.settle`): in the initialize scenario
 * erlmcp's sessions expire some seconds after the window that made them. Read at the window's end, that expiry
 * was charged to no one and ran on the core during the next peer's window. Waits `minMs` first (the last
 * sessions' TTL plus a sweep: with 3 s windows the first expiry comes after the window), then until the peer used
 * under 2% of a core for 1.5 s (longer than the sweep's 1 s interval), at most 15 s more.
 */
async function settledCpu(pid, minMs) {
  await sleep(minMs);
  const until = Date.now() + 15_000;
  let last = cpuMicros(pid);
  for (;;) {
    await sleep(1_500);
    const now = cpuMicros(pid);
    if (now - last < 0.02 * 1_500_000 || Date.now() > until) return now;
    last = now;
  }
}

function summarise(key, scenario, started) {
  const byName = Object.fromEntries(started.map((p) => [p.name, p]));
  const servers = started.map((p) => ({
    name: p.name,
    label: p.label,
    rps: median(p.runs.map((r) => r.rps)),
    p50Ms: median(p.runs.map((r) => r.p50Ms)),
    p95Ms: median(p.runs.map((r) => r.p95Ms)),
    p99Ms: median(p.runs.map((r) => r.p99Ms)),
    p999Ms: median(p.runs.map((r) => r.p999Ms)),
    cpuUsPerReq: median(p.runs.map((r) => r.cpuUsPerReq)),
    rssMb: Math.max(...p.runs.map((r) => r.rssMb)),
    runs: p.runs,
  }));
  const ratios = [];
  for (const [a, b] of scenario.pairs) {
    if (!byName[a] || !byName[b]) continue;
    const perRound = byName[a].runs.map((r, i) => r.rps / byName[b].runs[i].rps);
    const cpuPerRound = byName[a].runs.map((r, i) => byName[b].runs[i].cpuUsPerReq / r.cpuUsPerReq);
    ratios.push({ of: a, to: b, median: median(perRound), perRound, cpuEfficiency: median(cpuPerRound) });
  }
  const serverOf = Object.fromEntries(servers.map((s) => [s.name, s]));
  const targets = [];
  for (const t of scenario.targets) {
    let value;
    if (t.ratio) value = ratios.find((r) => r.of === t.ratio[0] && r.to === t.ratio[1])?.median;
    else value = serverOf[t.metric[0]]?.[t.metric[1]];
    if (value === undefined) continue;
    const held = t.min !== undefined ? (t.strict ? value > t.min : value >= t.min) : (t.strict ? value < t.max : value <= t.max);
    targets.push({ scenario: key, name: t.name, value, held });
  }
  return { key, title: scenario.title, servers, ratios, targets };
}

function printScenario(s) {
  const out = [];
  out.push(`\n### ${s.title}`);
  out.push('| server | req/s | p50 ms | p95 ms | p99 ms | p99.9 ms | CPU µs/req | RSS MB |');
  out.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const v of s.servers) {
    out.push(`| ${v.label} | ${v.rps.toFixed(0)} | ${v.p50Ms.toFixed(2)} | ${v.p95Ms.toFixed(2)} | ${v.p99Ms.toFixed(2)} | ${v.p999Ms.toFixed(2)} | ${v.cpuUsPerReq.toFixed(1)} | ${v.rssMb.toFixed(0)} |`);
  }
  if (s.ratios.length) {
    out.push('');
    out.push('| ratio (req/s, median of per-round ratios) | median | per round | CPU/req ratio |');
    out.push('| --- | ---: | --- | ---: |');
    for (const r of s.ratios) {
      out.push(`| ${r.of} / ${r.to} | ${r.median.toFixed(2)}x | ${r.perRound.map((x) => x.toFixed(2)).join(', ')} | ${r.cpuEfficiency.toFixed(2)}x |`);
    }
  }
  if (s.stopped) out.push(`- ${s.stopped.peer} exited (${s.stopped.exit}) in round ${s.stopped.round}: figures are of the rounds before`);
  for (const t of s.targets) out.push(`- ${t.held ? 'HELD  ' : 'MISSED'} ${t.name}: ${Number(t.value).toFixed(2)}`);
  return out.join('\n');
}

const before = machine();
log(`machine: ${before.nproc} CPUs, ${before.cpu}, Node ${before.node}, load ${before.loadavg.map((l) => l.toFixed(2)).join(' ')}, ${before.nodeProcesses} node processes`);
const results = [];
for (const key of opts.scenarios.split(',')) {
  const scenario = SCENARIOS[key];
  if (!scenario) throw new Error(`unknown scenario ${key}; known: ${Object.keys(SCENARIOS).join(', ')}`);
  results.push(await runScenario(key, scenario));
}
const after = machine();
const report = results.map(printScenario).join('\n');
process.stdout.write(`${report}\n`);
const allTargets = results.flatMap((r) => r.targets);
const missed = allTargets.filter((t) => !t.held);
const doc = {
  kind: opts.check ? 'bench:check' : 'bench',
  machine: before,
  loadAfter: { loadavg: after.loadavg, nodeProcesses: after.nodeProcesses, at: after.at },
  settings: { warmupS, fastWarmupS, durationS, rounds, connections, wrk: 'wrk -t1, pinned to CPU 1; servers pinned to CPU 0' },
  results,
  targets: allTargets,
};
const dir = join(BENCH_DIR, 'results');
mkdirSync(dir, { recursive: true });
const file = opts.out ?? join(dir, `${doc.kind === 'bench' ? 'bench' : 'check'}-${before.at.replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
log(`\nwrote ${file}`);
log(`load after: ${after.loadavg.map((l) => l.toFixed(2)).join(' ')}, ${after.nodeProcesses} node processes`);
if (opts.check && missed.length > 0) {
  log(`${missed.length} target(s) missed: ${missed.map((t) => t.name).join('; ')}`);
  process.exitCode = 1;
}
