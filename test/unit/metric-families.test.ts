/**
 * The metric cells behind erlmcp's series, exported through prom-client's own Registry: histogram buckets are
 * `le`-inclusive and cumulative with a `+Inf` bucket, `_sum` and `_count`; counters keep one cell per label set
 * plus an optional unlabelled total; a gauge refreshes on scrape through `collect`; bad bounds are refused; and the
 * label guard lets known values through, admits a few more up to its cap, and maps the rest to `other`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { LabelGuard, OTHER } from '../../src/metrics/label-guard.js';
import { CounterFamily, GaugeFamily, HistogramFamily } from '../../src/metrics/metric-families.js';
import { valueOf } from '../helpers/prom-text.js';

async function expose(...families: object[]): Promise<string> {
  const registry = new Registry();
  for (const f of families) registry.registerMetric(f as Parameters<Registry['registerMetric']>[0]);
  return registry.metrics();
}

describe('metric families', () => {
  it('histogram: le-inclusive, cumulative buckets with +Inf, sum and count', async () => {
    const h = new HistogramFamily('t_seconds', 'help', [0.001, 0.01, 0.1], ['tool']);
    const cell = h.at('echo');
    for (const v of [0.0005, 0.001, 0.005, 0.1, 3]) h.observe(cell, v);
    const text = await expose(h);
    assert.match(text, /^# TYPE t_seconds histogram$/m);
    const bucket = (le: string): number | undefined => valueOf(text, 't_seconds_bucket', { tool: 'echo', le });
    assert.deepEqual(['0.001', '0.01', '0.1', '+Inf'].map(bucket), [2, 3, 4, 5]);
    assert.equal(valueOf(text, 't_seconds_count', { tool: 'echo' }), 5);
    assert.equal(valueOf(text, 't_seconds_sum', { tool: 'echo' }), 0.0005 + 0.001 + 0.005 + 0.1 + 3);
    assert.throws(() => new HistogramFamily('bad', 'help', [0.1, 0.1]), /bucket bounds must increase/);
  });

  it('counter: a cell per label set, the unlabelled total beside them, the same cell on every lookup', async () => {
    const c = new CounterFamily('r_total', 'help', ['method', 'status']);
    c.at('ping', 'ok').value++;
    c.at('ping', 'ok').value++;
    c.at('ping', 'invalid_params').value++;
    c.unlabelled().value += 3;
    assert.equal(c.at('ping', 'ok'), c.at('ping', 'ok'));
    const text = await expose(c);
    assert.equal(valueOf(text, 'r_total', { method: 'ping', status: 'ok' }), 2);
    assert.equal(valueOf(text, 'r_total', { method: 'ping', status: 'invalid_params' }), 1);
    assert.equal(valueOf(text, 'r_total'), 3);
  });

  it('gauge: collect refreshes the value at scrape time', async () => {
    const g = new GaugeFamily('g', 'help');
    let live = 4;
    g.collect = () => void (g.unlabelled().value = live);
    assert.equal(valueOf(await expose(g), 'g'), 4);
    live = 9;
    assert.equal(valueOf(await expose(g), 'g'), 9);
  });

  it('label guard: known values pass, a few others are admitted, the rest are other', () => {
    const guard = new LabelGuard((v) => v === 'known', 2);
    assert.deepEqual(['known', 'a', 'b', 'c', 'a', 'x'.repeat(200)].map((v) => guard.label(v)), ['known', 'a', 'b', OTHER, 'a', OTHER]);
    const strict = new LabelGuard((v) => v === 'known');
    assert.deepEqual(['known', 'made-up'].map((v) => strict.label(v)), ['known', OTHER]);
  });
});
