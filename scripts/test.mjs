#!/usr/bin/env node
// The test command (`npm test`): typecheck, then every *.test.ts under test/ through node's test runner with tsx.
// Node 20's --test takes no glob, so the files are listed here. Integration suites that need a real service
// (Redis, PostgreSQL, Prometheus) check for it themselves and fail with a message naming what is missing.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const only = process.argv.slice(2);
const files = only.length > 0 ? only : walk('test');
if (files.length === 0) {
  console.error('no test files found under test/');
  process.exit(1);
}

const tsc = spawnSync('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json'], { stdio: 'inherit' });
if (tsc.status !== 0) {
  console.error('typecheck failed');
  process.exit(tsc.status ?? 1);
}

const run = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
process.exit(run.status ?? 1);
