#!/usr/bin/env node
/**
 * A CPU profile of erlmcp's hot path under load: the erlmcp peer runs on CPU 0 while wrk (CPU 1) sends a
 * scenario's request (tools/call echo by default); after `--warmup` seconds the peer's own V8 profiler (the
 * inspector's, as `node --cpu-prof` uses) records exactly `--seconds` of load, neither start-up nor shutdown.
 * The self time is then summed per function and the top items printed, with a share per layer (erlmcp's dist/,
 * Node's JS, native code such as the socket writes, GC) so the MCP share is visible.
 *
 *   node bench/macro/profile.mjs [--peer erlmcp|raw] [--mode stateful|stateless|sse|2026] [--scenario echo]
 *                                [--warmup 5] [--seconds 15] [--top 25] [--out file.json]
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openSession, post } from '../lib/mcp-http.mjs';
import { BENCH_DIR, cpuMicros, freePort, requireWrk, runWrk, startPeer, stopPeer, wrkEnv } from '../lib/proc.mjs';
import { PEERS, SCENARIOS, checkMessage, requestOf } from './scenarios.mjs';

const { values: opts } = parseArgs({
  options: {
    mode: { type: 'string', default: 'stateful' },
    seconds: { type: 'string', default: '15' },
    warmup: { type: 'string', default: '5' },
    top: { type: 'string', default: '25' },
    out: { type: 'string' },
    scenario: { type: 'string', default: 'echo' },
    peer: { type: 'string', default: 'erlmcp' },
  },
});
requireWrk();
const scenario = SCENARIOS[opts.scenario];
const dir = mkdtempSync(join(tmpdir(), 'erlmcp-prof-'));
// The scenario's own flags for this peer too (initialize runs erlmcp with a short idle TTL, as run.mjs does).
const scenarioFlags = scenario.peers.find(([name]) => name === opts.peer)?.[1] ?? [];
const flags = [...(opts.mode === 'stateless' ? ['--stateless'] : opts.mode === 'sse' ? ['--sse'] : []), ...scenarioFlags];
const port = await freePort();
const child = await startPeer(join(BENCH_DIR, 'peers', `${opts.peer}.mjs`), port, flags);
const profileFile = join(dir, 'window.cpuprofile');
const ask = (type, reply, extra = {}) => new Promise((resolve) => {
  const on = (msg) => {
    if (msg?.type !== reply) return;
    child.off('message', on);
    resolve();
  };
  child.on('message', on);
  child.send({ type, ...extra });
});
let summary;
try {
  const url = `http://127.0.0.1:${port}/mcp`;
  // `--mode 2026` sends what the erlmcp-2026 peer of run.mjs sends: no session, the request in its 2026-07-28 form.
  const request = requestOf(scenario, opts.mode === '2026' ? PEERS['erlmcp-2026'] : { });
  const sessionless = opts.mode === 'stateless' || opts.mode === '2026' || opts.peer === 'raw' || scenario.noSession;
  const sessionId = sessionless ? undefined : await openSession(url);
  const answer = await post(url, checkMessage(request), sessionId, request.version, request.headers);
  request.check(answer.messages);
  const env = wrkEnv(request, sessionId);
  if (Number(opts.warmup) > 0) await runWrk(url, env, Number(opts.warmup));
  await ask('profile-start', 'profile-started');
  const cpu0 = cpuMicros(child.pid);
  const w = await runWrk(url, env, Number(opts.seconds));
  const cpu1 = cpuMicros(child.pid);
  await ask('profile-stop', 'profile-stopped', { file: profileFile });
  summary = { requests: w.requests, rps: w.requests / (w.duration_us / 1e6), cpuUsPerReq: (cpu1 - cpu0) / w.requests };
} finally {
  await stopPeer(child);
}

const profile = JSON.parse(readFileSync(profileFile, 'utf8'));

// Self time per node: the samples' time deltas, attributed to the sampled node.
const selfUs = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
/**
 * The layer of a frame, from its full URL: erlmcp's dist/, the bench peer's own script, dependencies (Ajv, the SDK),
 * Node's JS, and code with no script (native bindings such as writev, GC, the engine). Functions made by `new
 * Function` (Ajv's compiled validators) have a script but no URL.
 */
function layerOf({ functionName, url, scriptId }) {
  if (url.includes('/node_modules/')) return 'deps';
  if (url.startsWith('node:') || url.startsWith('internal/')) return 'node';
  if (url.includes('/bench/')) return 'bench peer';
  if (url.includes('/dist/')) return 'erlmcp';
  if (url === '' && String(scriptId) !== '0') return 'generated JS';
  if (functionName === '(garbage collector)') return 'gc';
  if (functionName === '(program)') return 'program';
  return 'native';
}
const rows = new Map();
const layers = new Map();
let total = 0;
let idle = 0;
for (const node of profile.nodes) {
  const us = selfUs.get(node.id) ?? 0;
  if (us === 0) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  if (functionName === '(idle)') {
    idle += us;
    continue;
  }
  total += us;
  const where = url ? `${url.replace(/^file:\/\//, '').replace(/^.*?\/(node_modules|dist|bench)\//, '$1/')}:${lineNumber + 1}` : '';
  const key = `${functionName || '(anonymous)'} ${where}`.trim();
  rows.set(key, (rows.get(key) ?? 0) + us);
  const layer = layerOf(node.callFrame);
  layers.set(layer, (layers.get(layer) ?? 0) + us);
}
const byLayer = Object.fromEntries(layers);
const top = [...rows].sort((a, b) => b[1] - a[1]).slice(0, Number(opts.top)).map(([key, us]) => ({ fn: key, selfPct: (100 * us) / total }));

const lines = [];
lines.push(`profile of ${opts.peer} ${opts.mode} (${opts.scenario}) under wrk: ${summary.rps.toFixed(0)} req/s, ${summary.cpuUsPerReq.toFixed(1)} µs CPU/request`);
lines.push(`idle: ${((100 * idle) / (idle + total)).toFixed(1)}% of the profiled time (the main thread waiting for work)`);
lines.push(`share of busy time by layer: ${Object.entries(byLayer).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${((100 * v) / total).toFixed(1)}%`).join(', ')}`);
lines.push('| self % | function |');
lines.push('| ---: | --- |');
for (const r of top) lines.push(`| ${r.selfPct.toFixed(1)} | \`${r.fn}\` |`);
process.stdout.write(`${lines.join('\n')}\n`);
if (opts.out) {
  writeFileSync(opts.out, `${JSON.stringify({ mode: opts.mode, scenario: opts.scenario, summary, byLayer: Object.fromEntries(Object.entries(byLayer).map(([k, v]) => [k, (100 * v) / total])), top, idlePct: (100 * idle) / (idle + total) }, null, 2)}\n`);
}
