/**
 * The official MCP conformance suite (`@modelcontextprotocol/conformance@0.1.13`) against the erlmcp client:
 * `conformance client --command "<tsx> examples/conformance/client.ts" --scenario <name>`, where the suite starts
 * its mock server, appends its URL to the command and scores what the client did.
 *
 * The suite's verdict counts a warning as a failure, and so does this test: it requires the `OVERALL: PASSED` line
 * and no failed or warned check. `sse-retry` runs in its own test, alone: it times the reconnection against the
 * server's `retry:` (500 ms, with 50 ms early and 200 ms late tolerance), so it must not share the machine with
 * another scenario. OAuth scenarios come with the auth issue.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLIENT = fileURLToPath(new URL('../../examples/conformance/client.ts', import.meta.url));
const SCENARIO_TIMEOUT_MS = 60_000;
/**
 * The 0.1.13 suite's own entry, run directly rather than through `npx conformance`: another installed version may
 * own the `conformance` name in node_modules/.bin, and 0.1.14+ does not run on Node 20.
 */
const SUITE = join(dirname(createRequire(import.meta.url).resolve('@modelcontextprotocol/conformance/package.json')), 'dist/index.js');

/** Scenarios and the number of checks each must pass. */
const SCENARIOS: readonly [string, number][] = [
  ['initialize', 1],
  ['tools_call', 1],
  ['elicitation-sep1034-client-defaults', 5],
];
const SSE_RETRY_CHECKS = 3;

function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ERLMCP_') && k !== 'NODE_OPTIONS'));
}

/** Runs one client scenario and resolves with the suite's output and exit code. */
async function runScenario(scenario: string): Promise<{ output: string; code: number | null }> {
  // The client runs under this node with tsx, as npm test does, not through another npx lookup.
  const command = `${process.execPath} --import tsx ${CLIENT}`;
  const child = spawn(process.execPath, [SUITE, 'client', '--command', command, '--scenario', scenario], { cwd: ROOT, env: cleanEnv() });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (output += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (output += text));
  const timer = setTimeout(() => child.kill('SIGKILL'), SCENARIO_TIMEOUT_MS);
  try {
    const [code] = (await once(child, 'close')) as [number | null];
    return { output: output.replace(/\u001b\[[0-9;]*m/g, ''), code };
  } finally {
    clearTimeout(timer);
  }
}

function assertPassed(scenario: string, output: string, code: number | null, checks: number): void {
  const summary = /Passed: (\d+)\/(\d+), (\d+) failed, (\d+) warnings/.exec(output);
  const report = `\n--- conformance client --scenario ${scenario} ---\n${output}`;
  assert.ok(summary, `no "Passed: N/M" line${report}`);
  assert.equal(Number(summary[3]), 0, `failed checks${report}`);
  assert.equal(Number(summary[4]), 0, `warnings${report}`);
  assert.ok(Number(summary[1]) >= checks, `${summary[1]} checks passed, expected ${checks}${report}`);
  assert.match(output, /OVERALL: PASSED/, report);
  assert.equal(code, 0, `the suite exited ${String(code)}${report}`);
}

describe('official MCP conformance suite, client scenarios, against the erlmcp client', () => {
  for (const [scenario, checks] of SCENARIOS) {
    it(`passes ${scenario} (${checks} check${checks === 1 ? '' : 's'})`, { timeout: SCENARIO_TIMEOUT_MS + 10_000 }, async (t) => {
      const { output, code } = await runScenario(scenario);
      assertPassed(scenario, output, code, checks);
      t.diagnostic(/Passed: .*/.exec(output)?.[0] ?? '');
    });
  }
});

describe('official MCP conformance suite, sse-retry alone (timing-sensitive)', () => {
  it(`reconnects with GET and Last-Event-ID after the server's retry: delay (${SSE_RETRY_CHECKS} checks)`, { timeout: SCENARIO_TIMEOUT_MS + 10_000 }, async (t) => {
    const { output, code } = await runScenario('sse-retry');
    assertPassed('sse-retry', output, code, SSE_RETRY_CHECKS);
    t.diagnostic(/Passed: .*/.exec(output)?.[0] ?? '');
  });
});
