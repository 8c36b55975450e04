#!/usr/bin/env node
/**
 * Prints the markdown of docs/performance.md's figures from result files: the macro tables and ratios
 * (bench/results/bench-*.json), the memory figures (memory-*.json), the message-size figures (size-*.json) and
 * the targets of all.
 *
 *   node bench/report.mjs bench/results/bench-<at>.json bench/results/memory-<at>.json bench/results/size-<at>.json
 */
import { readFileSync } from 'node:fs';

const files = process.argv.slice(2).map((f) => ({ f, doc: JSON.parse(readFileSync(f, 'utf8')) }));
const out = [];
const n0 = (x) => Math.round(x).toLocaleString('en');
const f2 = (x) => Number(x).toFixed(2);
const f1 = (x) => Number(x).toFixed(1);

for (const { f, doc } of files.filter(({ doc }) => doc.results)) {
  // A run of another build (ERLMCP_DIST) records the checkout's commit; say which build erlmcp was.
  const dist = doc.machine.erlmcpDist;
  const built = dist && !dist.startsWith('dist/ of') ? `, erlmcp served from ${dist}` : '';
  out.push(`Figures from \`${f.replace(/^.*bench\//, 'bench/')}\` (checkout at commit ${doc.machine.commit}${built}, ${doc.machine.at}).`, '');
  for (const s of doc.results) {
    out.push(`### ${s.title}`, '');
    out.push('| server | req/s | p50 ms | p95 ms | p99 ms | p99.9 ms | CPU µs/req | RSS MB |');
    out.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const v of s.servers) {
      out.push(`| ${v.label} | ${n0(v.rps)} | ${f2(v.p50Ms)} | ${f2(v.p95Ms)} | ${f2(v.p99Ms)} | ${f2(v.p999Ms)} | ${f1(v.cpuUsPerReq)} | ${n0(v.rssMb)} |`);
    }
    if (s.ratios.length) {
      out.push('', '| ratio of req/s | median of rounds | per round | ratio of CPU/req |', '| --- | ---: | --- | ---: |');
      for (const r of s.ratios) out.push(`| ${r.of} / ${r.to} | **${f2(r.median)}x** | ${r.perRound.map(f2).join(', ')} | ${f2(r.cpuEfficiency)}x |`);
    }
    out.push('');
  }
}
for (const { f, doc } of files.filter(({ doc }) => doc.idle)) {
  const i = doc.idle;
  out.push(`Memory figures from \`${f.replace(/^.*bench\//, 'bench/')}\` (${doc.at}).`, '');
  out.push('| scenario | figure |', '| --- | --- |');
  out.push(`| ${n0(i.sessions)} idle sessions (made by wrk in ${f1(i.createdInMs / 1000)} s) | RSS ${f1(i.startRssMb)} → **${f1(i.fullRssMb)} MB**; ${n0(i.bytesPerSessionRss)} B/session of RSS, ${n0(i.bytesPerSessionHeap)} B/session of heap |`);
  out.push(`| after idle expiry (+${f1((i.afterExpiry.settle?.at(-1)?.ms ?? 0) / 1000)} s) | ${i.afterExpiry.sessions} live, RSS **${f1(i.afterExpiry.rssMb)} MB** (${(i.afterExpiry.rssOverStart * 100).toFixed(1)}% against the start), heap ${f1(i.afterExpiry.heapMb)} MB |`);
  const one = (label, r) => r && out.push(`| ${label}: ${n0(r.calls)} tools/call on one session | heap after GC ${f2(r.baseHeapMb)} MB (after ${n0(r.baseAt)}) → ${f2(r.endHeapMb)} MB: **${(r.growth * 100).toFixed(1)}%**, ${f1(r.bytesPerCall)} B/call |`);
  one('erlmcp, JSON answers', doc.erlmcpOneSession);
  one('erlmcp, responseMode sse', doc.erlmcpSseOneSession);
  one('official SDK, stateful JSON', doc.sdkOneSession);
  out.push('');
}
for (const { f, doc } of files.filter(({ doc }) => doc.kind === 'size-scaling')) {
  out.push(`Message-size figures from \`${f.replace(/^.*bench\//, 'bench/')}\` (${doc.at}): server CPU per echo call, medians of interleaved rounds.`, '');
  out.push('| text size | erlmcp µs/req | erlmcp µs/MB | raw µs/req | raw µs/MB | erlmcp / raw |', '| ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of doc.rows) out.push(`| ${n0(r.size / 1024)} KB | ${n0(r.erlmcpUs)} | ${n0(r.erlmcpUsPerMb)} | ${n0(r.rawUs)} | ${n0(r.rawUsPerMb)} | ${f2(r.ratio)} |`);
  out.push('', `µs per MB from 1 MB to 3 MB: erlmcp **${f2(doc.growth.erlmcp)}x**, raw ${f2(doc.growth.raw)}x.`, '');
}
out.push('| target | figure | held? |', '| --- | ---: | --- |');
for (const { doc } of files) {
  for (const t of doc.targets ?? []) out.push(`| ${t.name} | ${typeof t.value === 'number' ? f2(t.value) : t.value} | ${t.informational ? (t.held ? 'yes' : 'no') : t.held ? 'held' : '**missed**'} |`);
}
process.stdout.write(`${out.join('\n')}\n`);
