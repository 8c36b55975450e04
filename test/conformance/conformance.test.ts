/**
 * The official MCP conformance suite against erlmcp, both protocol eras against ONE `erlmcp serve` process (run
 * with examples/conformance/erlmcp.yaml: the suites' fixtures, written against the public API, every POST answered
 * over SSE):
 * - 2025-11-25: `@modelcontextprotocol/conformance@0.1.13`, its `active` and `all` scenario sets;
 * - 2026-07-28: `@modelcontextprotocol/conformance@0.2.0-alpha.12` (installed as the npm alias `conformance-2026`),
 *   `--suite all --spec-version 2026-07-28`: the 37 scored server scenarios and the 3 pending ones. It needs
 *   Node 22 (it imports `fs.globSync`), so it runs under npm's `node@22` package through `npx -y -p node@22`.
 *   Not run: the 10 `tasks-*` scenarios of the `io.modelcontextprotocol/tasks` extension (SEP-2663), which is out
 *   of scope for erlmcp and "not required for any tier"; `--spec-version 2026-07-28` does not select them, and
 *   under `--requirements 2026-07-28` (the official gate, also run here: it must exit 0) they run, fail and are listed
 *   as not scored (the suite's own reference server fails them too).
 * Every check must pass: there is no expected-failures file. Both suites are called by their entry files, since
 * the two versions share the `conformance` bin name.
 *
 * The suite scores each check SUCCESS, WARNING, INFO or FAILURE, and its `Total:` line counts only SUCCESS as
 * passed, so a regression that merely degrades a check to a warning still lowers the count asserted here.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SUITE_2025 = join(ROOT, 'node_modules/@modelcontextprotocol/conformance/dist/index.js');
const SUITE_2026 = join(ROOT, 'node_modules/conformance-2026/dist/index.js');
const CLI = join(ROOT, 'src/cli/main.ts');
const CONFIG = join(ROOT, 'examples/conformance/erlmcp.yaml');

/** Checks of the `active` set (30 scenarios); all of them must pass. */
const ACTIVE_CHECKS = 40;
/**
 * Checks of the `all` set at least: `active` plus json-schema-2020-12 (4). server-sse-polling adds 3 more,
 * which are asserted on their own below, for 47 in all.
 */
const ALL_CHECKS_AT_LEAST = 44;
/** server-sse-polling's checks: priming event, retry field, and the result after resuming (SEP-1699). */
const SSE_POLLING_CHECKS = 3;
/**
 * The scenarios that cannot pass under `--requirements 2026-07-28`, and why: all belong to the
 * `io.modelcontextprotocol/tasks` extension (SEP-2663), which erlmcp does not implement (out of scope for issue 4;
 * the suite marks them "not scored", "not required for any tier", and its own reference server fails them too).
 * tasks-status-notifications emits no check, so it shows as passing.
 */
const TASKS_EXTENSION_SCENARIOS = [
  'tasks-lifecycle', 'tasks-capability-negotiation', 'tasks-wire-fields', 'tasks-request-state-removal', 'tasks-mrtr-input',
  'tasks-request-headers', 'tasks-dispatch-and-envelope', 'tasks-required-task-error', 'tasks-mrtr-composition',
];
/** Scenarios of `--suite all --spec-version 2026-07-28`: 37 scored and 3 pending (no tasks extension). */
const SCENARIOS_2026 = 40;
/** Checks of that run: 121 scored, plus json-schema-2020-12 (8), http-header-validation (14) and custom headers (10). */
const CHECKS_2026 = 153;

const STARTUP_TIMEOUT_MS = 30_000;
const SUITE_TIMEOUT_MS = 120_000;
const SHUTDOWN_TIMEOUT_MS = 10_000;

/** The process environment without ERLMCP_* variables, so that no override changes the served config. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ERLMCP_')));
}

/** Resolves with the port of `erlmcp serve` from its listening line, which `log` collects from its stderr. */
async function listeningPort(child: ChildProcessWithoutNullStreams, log: { text: string }): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(`erlmcp serve did not announce its URL within ${STARTUP_TIMEOUT_MS} ms`), STARTUP_TIMEOUT_MS);
    const onData = (): void => {
      const match = /erlmcp listening on http:\/\/\S+?:(\d+)\//.exec(log.text);
      if (!match) return;
      cleanup();
      resolve(Number(match[1]));
    };
    const onExit = (code: number | null): void => fail(`erlmcp serve exited with code ${String(code)} before listening`);
    function cleanup(): void {
      clearTimeout(timer);
      child.off('exit', onExit);
      child.stderr.off('data', onData);
    }
    function fail(message: string): void {
      cleanup();
      reject(new Error(`${message}\n--- server stderr ---\n${log.text}`));
    }
    // Added after the collector, so log.text already holds the chunk this listener sees.
    child.stderr.on('data', onData);
    child.once('exit', onExit);
  });
}

/** Runs one suite against `url` and resolves with everything it printed. */
async function runSuite(url: string, suite: 'active' | 'all'): Promise<string> {
  return run(process.execPath, [SUITE_2025, 'server', '--url', url, '--suite', suite]);
}

/** Runs a command to its end and resolves with everything it printed. */
async function run(command: string, args: string[]): Promise<string> {
  return (await runWithCode(command, args)).output;
}

/** Runs a command to its end and resolves with everything it printed and its exit code. */
async function runWithCode(command: string, args: string[]): Promise<{ output: string; code: number | null }> {
  const child = spawn(command, args, { cwd: ROOT, env: cleanEnv() });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (output += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (output += text));
  const timer = setTimeout(() => child.kill('SIGKILL'), SUITE_TIMEOUT_MS);
  let code: number | null;
  try {
    [code] = (await once(child, 'close')) as [number | null];
  } finally {
    clearTimeout(timer);
  }
  return { output, code };
}

/** The suite's score: the `Total:` line, and each scenario's line of the summary. */
interface Score {
  passed: number;
  failed: number;
  scenarios: Map<string, { passed: number; failed: number }>;
}

function scoreOf(output: string): Score | undefined {
  // The suite colours its per-check lines; the summary is plain, but strip colours anyway.
  const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
  const total = /^Total: (\d+) passed, (\d+) failed/m.exec(plain);
  if (!total) return undefined;
  const scenarios = new Map<string, { passed: number; failed: number }>();
  for (const m of plain.matchAll(/^[✓✗] (\S+): (\d+) passed, (\d+) failed/gmu)) {
    scenarios.set(m[1] as string, { passed: Number(m[2]), failed: Number(m[3]) });
  }
  return { passed: Number(total[1]), failed: Number(total[2]), scenarios };
}

/** Asserts a suite run's score, printing the suite's whole output when it falls short. */
function assertScore(suite: string, output: string, atLeast: number, serverLog: string): Score {
  const score = scoreOf(output);
  const report = `\n--- conformance --suite ${suite} output ---\n${output}\n--- server stderr ---\n${serverLog}`;
  if (score === undefined || score.failed !== 0 || score.passed < atLeast) process.stderr.write(report);
  assert.ok(score, `the ${suite} suite printed no "Total: N passed, M failed" line${report}`);
  assert.equal(score.failed, 0, `${suite}: ${score.failed} check(s) failed`);
  assert.ok(score.passed >= atLeast, `${suite}: ${score.passed} checks passed, expected at least ${atLeast}`);
  return score;
}

describe('official MCP conformance suite against erlmcp serve', () => {
  let server: ChildProcessWithoutNullStreams | undefined;
  const serverLog = { text: '' };
  let url = '';

  before(async () => {
    server = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', '--config', CONFIG, '--port', '0', '--metrics-port', '0'], { cwd: ROOT, env: cleanEnv() });
    server.stdout.resume();
    server.stderr.setEncoding('utf8').on('data', (text: string) => (serverLog.text += text));
    const port = await listeningPort(server, serverLog);
    // localhost, not the bound 127.0.0.1: dns-rebinding-protection needs a loopback name and sends it as Host.
    url = `http://localhost:${port}/mcp`;
  });

  after(async () => {
    if (!server || server.exitCode !== null || server.signalCode !== null) return;
    const exited = once(server, 'exit');
    server.kill('SIGTERM');
    const timer = setTimeout(() => server?.kill('SIGKILL'), SHUTDOWN_TIMEOUT_MS);
    try {
      await exited;
    } finally {
      clearTimeout(timer);
    }
  });

  it(`passes all ${CHECKS_2026} checks of the ${SCENARIOS_2026} 2026-07-28 server scenarios (0.2.0-alpha.12 under Node 22) on the same process`, { timeout: SUITE_TIMEOUT_MS * 2 }, async (t) => {
    const probe = await run('npx', ['-y', '-p', 'node@22', 'node', '--version']);
    assert.match(probe, /^v22\./m, `npx -y -p node@22 could not provide Node 22, which conformance 0.2.0-alpha.12 needs (it imports fs.globSync): is npm's registry reachable?\n${probe}`);
    const output = await run('npx', ['-y', '-p', 'node@22', 'node', SUITE_2026, 'server', '--url', url, '--suite', 'all', '--spec-version', '2026-07-28']);
    const score = assertScore('all --spec-version 2026-07-28', output, CHECKS_2026, serverLog.text);
    t.diagnostic(`2026-07-28: Total: ${score.passed} passed, ${score.failed} failed over ${score.scenarios.size} scenarios`);
    assert.equal(score.scenarios.size, SCENARIOS_2026, `expected ${SCENARIOS_2026} scenarios\n${output}`);
    for (const [name, s] of score.scenarios) assert.equal(s.failed, 0, `${name} failed ${s.failed} check(s)`);
  });

  it('meets the official 2026-07-28 requirement gate (--requirements 2026-07-28 exits 0), failing only the tasks extension', { timeout: SUITE_TIMEOUT_MS * 2 }, async (t) => {
    const { output, code } = await runWithCode('npx', ['-y', '-p', 'node@22', 'node', SUITE_2026, 'server', '--url', url, '--requirements', '2026-07-28']);
    const score = scoreOf(output);
    assert.ok(score, `--requirements 2026-07-28 printed no Total line\n${output}`);
    assert.equal(code, 0, `the requirement gate failed (exit ${String(code)})\n${output}`);
    const failing = [...score.scenarios].filter(([, s]) => s.failed > 0).map(([name]) => name);
    assert.deepEqual(failing.filter((name) => !TASKS_EXTENSION_SCENARIOS.includes(name)), [], `scored scenarios failed\n${output}`);
    t.diagnostic(`--requirements 2026-07-28: exit 0; Total: ${score.passed} passed, ${score.failed} failed, all failures in the tasks extension (${failing.length} scenarios, out of scope)`);
  });

  it(`passes all ${ACTIVE_CHECKS} checks of the active suite`, { timeout: SUITE_TIMEOUT_MS + 10_000 }, async (t) => {
    const output = await runSuite(url, 'active');
    const score = assertScore('active', output, ACTIVE_CHECKS, serverLog.text);
    t.diagnostic(`active: Total: ${score.passed} passed, ${score.failed} failed`);
  });

  it(`passes at least ${ALL_CHECKS_AT_LEAST} checks of the all suite, SEP-1699 polling included, with none failed`, { timeout: SUITE_TIMEOUT_MS + 10_000 }, async (t) => {
    const output = await runSuite(url, 'all');
    const score = assertScore('all', output, ALL_CHECKS_AT_LEAST, serverLog.text);
    t.diagnostic(`all: Total: ${score.passed} passed, ${score.failed} failed`);
    // Guards ctx.closeStream() and resumption from a priming event's id: with either broken, the suite reports
    // a warning, not a failure, and the total alone would still clear its floor.
    assert.deepEqual(score.scenarios.get('server-sse-polling'), { passed: SSE_POLLING_CHECKS, failed: 0 }, `server-sse-polling scored below ${SSE_POLLING_CHECKS}\n${output}`);
  });
});
