#!/usr/bin/env node
/**
 * Micro-benchmark (mitata) of what one request costs the metrics: prom-client's own `counter.inc({method, status})`
 * plus `histogram.observe(v)`, which hash and validate the label object on every call, against erlmcp's cells
 * (src/metrics/metric-families.ts: a Map lookup per label and an add). Runs against the built dist/ (or --dist).
 * The whole request, metrics on against off, is bench/macro/metrics-overhead.mjs.
 *
 *   npm run build && node bench/micro/metrics-cells.mjs [--dist ../dist]
 */
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { bench, group, run, summary } from 'mitata';

const { values: opts } = parseArgs({ options: { dist: { type: 'string', default: join(import.meta.dirname ?? '.', '..', '..', 'dist') } } });
const dist = resolve(opts.dist);
const load = (path) => import(pathToFileURL(join(dist, path)).href);
const { CounterFamily, HistogramFamily } = await load('metrics/metric-families.js');
const { DURATION_BUCKETS_SECONDS } = await load('metrics/server-metrics.js');
// prom-client is erlmcp's dependency, not the bench's: resolve it from the build.
const prom = createRequire(join(dist, 'index.js'))('prom-client');

const registry = new prom.Registry();
const counter = new prom.Counter({ name: 'p_total', help: 'p', labelNames: ['method', 'status'], registers: [registry] });
const histogram = new prom.Histogram({ name: 'p_seconds', help: 'p', buckets: [...DURATION_BUCKETS_SECONDS], registers: [registry] });
const cells = new CounterFamily('c_total', 'c', ['method', 'status']);
const durations = new HistogramFamily('c_seconds', 'c', DURATION_BUCKETS_SECONDS);
const all = durations.unlabelled();
let i = 0;

summary(() => {
  group('one request counted and timed', () => {
    bench('prom-client inc + observe', () => {
      counter.inc({ method: 'tools/call', status: 'ok' });
      histogram.observe(0.00003 + (i++ % 7) * 0.0001);
    });
    bench('erlmcp cells', () => {
      cells.at('tools/call', 'ok').value++;
      durations.observe(all, 0.00003 + (i++ % 7) * 0.0001);
    });
  });
});

await run();
