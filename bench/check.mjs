#!/usr/bin/env node
/**
 * `npm run bench:check`: the targets of issues 3 and 4 in one run of under 5 minutes, exiting non-zero when one is
 * missed. Shorter than `npm run bench` (5 s warm-ups, 3 rounds of 3 s, no fastmcp and no untargeted scenario; the
 * memory scenarios without the SDK), so its figures are coarser: quote `npm run bench` for numbers. Not part of
 * `npm test`: timings on a shared machine are noisy, and a test asserts behaviour, never a speed (STYLE rule 12).
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const started = Date.now();
const steps = [
  [join(here, 'macro', 'run.mjs'), '--check', '--scenarios', 'echo,initialize,progress,read1mb', '--peers', 'raw,erlmcp,erlmcp-2026,erlmcp-sse,erlmcp-stateless,sdk,sdk-stateless',
    '--warmup', '5', '--secondary-warmup', '3', '--duration', '3', '--rounds', '3'],
  [join(here, 'macro', 'memory.mjs'), '--check', '--sdk-calls', '0', '--sse-calls', '0', '--idle-ttl-ms', '15000', '--settle-ms', '5000'],
];
let failed = 0;
for (const args of steps) {
  const run = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
process.stderr.write(`bench:check took ${((Date.now() - started) / 1000).toFixed(0)} s; ${failed === 0 ? 'every target held' : 'a target was missed (see MISSED above)'}\n`);
process.exit(failed === 0 ? 0 : 1);
