#!/usr/bin/env node
/**
 * Issue 3's "no buffer handling that grows worse than linearly with message size": the echo tool called with a
 * text argument of growing size, so the message grows both ways (the body read, parse and validation coming in; the
 * stringify and socket write going out). For each size it reports the server CPU per request and per MB, erlmcp's
 * and the raw node:http ceiling's, interleaved in rounds (medians). Linear handling keeps the µs per MB flat once
 * the fixed per-request cost is amortised; a quadratic step (re-concatenating chunks, re-scanning a growing buffer)
 * would make it climb with the size. `growth` is the µs per MB at 3 MB over that at 1 MB: both sizes are large
 * enough that the per-request cost is amortised (at this driver's low request rate that cost is high, hundreds of
 * µs, so the small sizes mostly show it).
 *
 *   taskset -c 1 node bench/macro/size-scaling.mjs [--rounds 3] [--seconds 1.5] [--concurrency 4] [--check] [--out file]
 *
 * `--check` exits 1 when erlmcp's growth exceeds 1.5 (linear is about 1; the margin is this host's noise). The
 * result goes to bench/results/size-<time>.json unless `--out` names a file.
 *
 * Servers run pinned to CPU 0 (startPeer); CPU per request comes from /proc, so the driver's own cost (on CPU 1)
 * does not enter it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openSession, post } from '../lib/mcp-http.mjs';
import { BENCH_DIR, cpuMicros, freePort, median, startPeer, stopPeer } from '../lib/proc.mjs';

const { values: opts } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '1.5' },
    concurrency: { type: 'string', default: '4' },
    out: { type: 'string' },
    check: { type: 'boolean', default: false },
  },
});
// Up to 3 MiB of text: the body stays under erlmcp's (and the bench peer's) 4 MiB limit with its envelope.
const SIZES = [1024, 16 * 1024, 128 * 1024, 1024 * 1024, 3 * 1024 * 1024];
const MB = 1024 * 1024;
const log = (line) => process.stderr.write(`${line}\n`);

async function peer(name, script, session) {
  const port = await freePort();
  const child = await startPeer(join(BENCH_DIR, 'peers', script), port);
  const url = `http://127.0.0.1:${port}/mcp`;
  return { name, child, url, sessionId: session ? await openSession(url) : undefined };
}

/** Sends echo calls of `size` characters for `seconds`, `concurrency` at a time; the server's CPU per request. */
async function measure(p, size) {
  const text = 'x'.repeat(size);
  let id = 0;
  const call = async () => {
    const answer = await post(p.url, { jsonrpc: '2.0', id: ++id, method: 'tools/call', params: { name: 'echo', arguments: { text } } }, p.sessionId);
    const got = answer.messages.at(-1)?.result?.content?.[0]?.text;
    if (answer.status !== 200 || got !== text) throw new Error(`${p.name}: a ${size}-character echo came back as HTTP ${answer.status} with ${got?.length} characters`);
  };
  await call();
  const c0 = cpuMicros(p.child.pid);
  const until = performance.now() + Number(opts.seconds) * 1000;
  let requests = 0;
  await Promise.all(Array.from({ length: Number(opts.concurrency) }, async () => {
    while (performance.now() < until || requests < 8) {
      await call();
      requests++;
    }
  }));
  return (cpuMicros(p.child.pid) - c0) / requests;
}

const peers = [await peer('erlmcp', 'erlmcp.mjs', true), await peer('raw', 'raw.mjs', false)];
const rows = [];
try {
  for (const size of SIZES) {
    const us = { erlmcp: [], raw: [] };
    for (let round = 0; round < Number(opts.rounds); round++) {
      for (const p of peers) us[p.name].push(await measure(p, size));
    }
    const row = { size, erlmcpUs: median(us.erlmcp), rawUs: median(us.raw) };
    row.erlmcpUsPerMb = row.erlmcpUs / (size / MB);
    row.rawUsPerMb = row.rawUs / (size / MB);
    row.ratio = median(us.erlmcp.map((v, i) => v / us.raw[i]));
    rows.push(row);
    log(`${String(size).padStart(8)} chars: erlmcp ${row.erlmcpUs.toFixed(0)} µs/req (${row.erlmcpUsPerMb.toFixed(0)} µs/MB), raw ${row.rawUs.toFixed(0)} µs/req (${row.rawUsPerMb.toFixed(0)} µs/MB), erlmcp/raw ${row.ratio.toFixed(2)}`);
  }
} finally {
  await Promise.all(peers.map((p) => stopPeer(p.child)));
}
const row = (size) => rows.find((r) => r.size === size);
const growth = (key) => row(SIZES.at(-1))[key] / row(MB)[key];
const summary = { growth: { erlmcp: growth('erlmcpUsPerMb'), raw: growth('rawUsPerMb') }, rows };
log(`growth of µs per MB from 1 MB to ${SIZES.at(-1) / MB} MB: erlmcp ${summary.growth.erlmcp.toFixed(2)}x, raw ${summary.growth.raw.toFixed(2)}x (linear: about 1)`);
const held = summary.growth.erlmcp <= 1.5;
process.stdout.write(`- ${held ? 'HELD  ' : 'MISSED'} message handling no worse than linear (µs per MB, 3 MB over 1 MB, at most 1.5): ${summary.growth.erlmcp.toFixed(2)}\n`);
const at = new Date().toISOString();
const dir = join(BENCH_DIR, 'results');
mkdirSync(dir, { recursive: true });
const file = opts.out ?? join(dir, `size-${at.replace(/[:.]/g, '-')}.json`);
const targets = [{ name: 'message handling no worse than linear (µs per MB, 3 MB over 1 MB, at most 1.5)', value: summary.growth.erlmcp, held }];
writeFileSync(file, `${JSON.stringify({ kind: 'size-scaling', at, loadavg: loadavg(), node: process.version, erlmcpDist: process.env.ERLMCP_DIST ?? 'dist/ of this checkout', ...summary, targets }, null, 2)}\n`);
log(`wrote ${file}`);
if (opts.check && !held) process.exitCode = 1;
