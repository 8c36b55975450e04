/**
 * Registering costs the same whatever the registry holds: the registry copied its whole list on every add, so a
 * plugin or generated catalogue of N tools took O(N^2) to register (20,000 tools, seconds). Its list views are now
 * built once, when first read after a change. The cost check times N registrations against N inserts into the two
 * plain Maps a registry needs at the least, same keys, best of three each: comparing runs of one size cancels the
 * machine's speed and the cache and GC effects of size (on a busy 2-core machine, plain Map inserts alone grow
 * about 9x from 10,000 to 40,000), so a generous factor clears a linear cost and a quadratic one (hundreds of
 * times the baseline at this size) does not. The other checks pin what the lazy views must keep: registration
 * order, fresh views after every change.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { performance } from 'node:perf_hooks';
import { Registry } from '../../src/server/registry.js';

const N = 20_000;
/** A registry add does a few more checks than two Map inserts; a copy of the list per add is hundreds of times. */
const MAX_FACTOR = 10;

function names(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `tool_${i}`);
}

/** The fastest of three runs of `register` over `all`, each into fresh state, in ms. */
function bestMs(all: readonly string[], register: (all: readonly string[]) => void): number {
  let best = Infinity;
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    register(all);
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

function intoRegistry(all: readonly string[]): void {
  const r = new Registry<string>('tool');
  for (const name of all) r.add(name, name);
  assert.equal(r.size, all.length);
}

/** The least a registry must do per add: refuse a taken name, keep the entry, number it. */
function intoMaps(all: readonly string[]): void {
  const entries = new Map<string, string>();
  const seqOf = new Map<string, number>();
  let seq = 0;
  for (const name of all) {
    if (entries.has(name)) throw new Error(`duplicate ${name}`);
    entries.set(name, name);
    seqOf.set(name, ++seq);
  }
  assert.equal(entries.size, all.length);
}

describe('Registry registration cost', () => {
  it(`registers ${N} entries in less than ${MAX_FACTOR} times what ${N} plain Map inserts take`, () => {
    const all = names(N);
    bestMs(all, intoMaps); // warm-up, so the JIT is not timed
    bestMs(names(1_000), intoRegistry);
    const mapsMs = bestMs(all, intoMaps);
    const registryMs = bestMs(all, intoRegistry);
    assert.ok(registryMs < MAX_FACTOR * Math.max(mapsMs, 1), `${N} entries: registry ${registryMs.toFixed(1)} ms, plain Maps ${mapsMs.toFixed(1)} ms`);
  });

  it('lists in registration order after many adds, and again after removals and a re-registration', () => {
    const r = new Registry<string>('tool');
    const all = names(2_000);
    for (const name of all) r.add(name, name);
    assert.deepEqual(r.values(), all);
    assert.deepEqual(r.page(undefined, 3).items, all.slice(0, 3));
    r.remove('tool_0');
    r.remove('tool_5');
    r.add('tool_0', 'tool_0 again');
    assert.deepEqual(r.values(), [...all.slice(1, 5), ...all.slice(6), 'tool_0 again']);
    assert.deepEqual(r.listPage(undefined, 2, '2025-11-25', 'tools', String).tools, ['tool_1', 'tool_2']);
  });

  it('never changes a view already handed out: a later add builds a new one', () => {
    const r = new Registry<string>('prompt');
    r.add('a', 'A');
    const before = r.values();
    r.add('b', 'B');
    assert.deepEqual(before, ['A'], 'a caller iterating the old view does not see the newcomer');
    assert.deepEqual(r.values(), ['A', 'B']);
    assert.equal(r.values(), r.values(), 'built once until the next change');
  });
});
