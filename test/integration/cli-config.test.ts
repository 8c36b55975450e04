/**
 * `erlmcp config check` and `erlmcp config print`, run as the real executable (through tsx, so no build is
 * needed): exit codes, the OK line, messages that name the bad key, and flags errors that name the flag.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { within } from '../helpers/deadline.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'src/cli/main.ts');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to completion, with no ERLMCP_* variables but those given. */
function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ERLMCP_')));
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, env: { ...clean, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
  child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
  const exited = new Promise<Run>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  // A command that should have refused and exited but serves instead must fail the test, not hang the run.
  return within(exited, `erlmcp ${args.join(' ')} to exit`).catch((err: unknown) => {
    child.kill('SIGKILL');
    throw err;
  });
}

let dir: string;
let good: string;
let bad: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'erlmcp-cli-config-'));
  good = join(dir, 'good.yaml');
  writeFileSync(good, 'server:\n  port: 9000\nlimits:\n  maxBodyBytes: 10000\n');
  bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'server:\n  port: abc\n  prot: 1\n');
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('erlmcp config', () => {
  it('check prints "config OK" for a valid file and exits 0', async () => {
    const r = await run(['config', 'check', good]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `config OK: ${good}\n`);
    assert.equal(r.stderr, '');
  });

  it('check names every bad key of an invalid file and exits 1', async () => {
    const r = await run(['config', 'check', bad]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^config: server\.port must be an integer between 0 and 65535, got "abc"$/m);
    assert.match(r.stderr, /^config: unknown key server\.prot; did you mean server\.port\?$/m);
  });

  it('check reports a missing file and a missing module', async () => {
    const missing = await run(['config', 'check', join(dir, 'nope.yaml')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^config: cannot read .*nope\.yaml: no such file$/m);
    const withModule = join(dir, 'module.yaml');
    writeFileSync(withModule, 'modules:\n  - ./tools/absent.js\n');
    const r = await run(['config', 'check', withModule]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^config: modules\[0\] names a file that does not exist: .*tools\/absent\.js$/m);
  });

  it('check refuses, as serve does, a config that sets what this release does not build', async () => {
    // `config check` in CI must not pass a file that `serve` then refuses at deploy time.
    const unbuilt = join(dir, 'check-unbuilt.yaml');
    writeFileSync(unbuilt, 'sessions:\n  store: redis\ncache:\n  l1:\n    size: 10\nauth:\n  enabled: true\n');
    const r = await run(['config', 'check', unbuilt]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^config: sessions\.store "redis" is not available in this release; use "memory"$/m);
    assert.match(r.stderr, /^config: cache\.l1\.size, auth\.enabled are set, but those sections are not built in this release and would be ignored/m);
  });

  it('check ignores the environment unless --env is given', async () => {
    const env = { ERLMCP_SERVER__PORT: 'abc' };
    assert.equal((await run(['config', 'check', good], env)).code, 0);
    const r = await run(['config', 'check', '--env', good], env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /server\.port must be .* \(from ERLMCP_SERVER__PORT\)/);
  });

  it('print shows the effective config as JSON, environment included', async () => {
    const r = await run(['config', 'print', good], { ERLMCP_SESSIONS__IDLE_TTL_MS: '1234', ERLMCP_AUTH__JWT_SECRET: 'hush' });
    assert.equal(r.code, 0, r.stderr);
    const config = JSON.parse(r.stdout) as { server: { port: number }; limits: { maxBodyBytes: number }; sessions: { idleTtlMs: number } };
    assert.equal(config.server.port, 9000);
    assert.equal(config.limits.maxBodyBytes, 10000);
    assert.equal(config.sessions.idleTtlMs, 1234);
    assert.ok(!r.stdout.includes('hush'), 'secrets are redacted');
  });

  it('print without a file shows the defaults', async () => {
    const r = await run(['config', 'print']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { server: { port: number } }).server.port, 8080);
  });

  it('names the flag when a flag value is invalid', async () => {
    const r = await run(['serve', '--port', 'abc']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--port must be an integer 0-65535/);
    const r2 = await run(['serve', '--port', '70000']);
    assert.match(r2.stderr, /--port must be an integer 0-65535/);
  });

  it('serve fails with the config message and exit 1 on an invalid config', async () => {
    const r = await run(['serve', '--config', bad]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^config: server\.port must be an integer/m);
  });

  it('serve refuses, naming the keys, a config that sets sections not built yet (auth off would be a silent hole)', async () => {
    const unbuilt = join(dir, 'unbuilt.yaml');
    writeFileSync(unbuilt, 'server:\n  port: 0\nmetrics:\n  enabled: false\nauth:\n  enabled: true\n  apiKeys: [s3cret-key]\nhttp2:\n  enabled: true\n');
    const r = await run(['serve', '--config', unbuilt]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^config: http2\.enabled, auth\.enabled, auth\.apiKeys are set, but those sections are not built in this release and would be ignored/m);
  });

  it('serve names the module and what it threw when a module throws something that is not an Error', async () => {
    const cases = [
      ['throws-null.mjs', 'throw null;\n', /^erlmcp: modules\[0\] \(.*throws-null\.mjs\) failed to load: threw null$/m],
      ['throws-string.mjs', 'export default function () { throw "no database"; }\n', /^erlmcp: modules\[0\] \(.*throws-string\.mjs\) failed to register: threw "no database"$/m],
    ] as const;
    for (const [name, source, expected] of cases) {
      writeFileSync(join(dir, name), source);
      const config = join(dir, `${name}.yaml`);
      writeFileSync(config, `modules:\n  - ./${name}\n`);
      const r = await run(['serve', '--stdio', '--config', config]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, expected);
      assert.equal(r.stdout, '', 'nothing on stdout');
    }
  });

  it('serve exits 1 when a module fails, even though an earlier module left a timer running', async () => {
    // A module that connects somewhere at import (a pool, a poller) keeps the event loop alive after start-up fails.
    writeFileSync(join(dir, 'poller.mjs'), 'setInterval(() => {}, 60_000);\nexport default function () {}\n');
    writeFileSync(join(dir, 'broken.mjs'), 'export default function () { throw new Error("no database"); }\n');
    const config = join(dir, 'poller.yaml');
    writeFileSync(config, 'modules:\n  - ./poller.mjs\n  - ./broken.mjs\n');
    for (const args of [['serve', '--stdio', '--config', config], ['serve', '--port', '0', '--config', config]]) {
      const r = await run(args);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /^erlmcp: modules\[1\] \(.*broken\.mjs\) failed to register: no database$/m);
    }
  });
});
