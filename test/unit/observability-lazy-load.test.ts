/**
 * Observability costs nothing when off (STYLE rules 7 and 8): a server with metrics off and logging silent loads
 * neither prom-client, pino nor the OpenTelemetry API; logging loads pino alone; metrics load prom-client; and
 * with no OpenTelemetry SDK registered the tracer never imports the API itself. Each case runs in a fresh
 * process that records every module it loads.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

async function loads(scenario: string): Promise<{ answered: number; packages: string[] }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ERLMCP_')));
  const { stdout } = await run(process.execPath, [
    '--import', 'tsx', '--import', './test/helpers/load-recorder.mjs', 'test/helpers/observability-loads.ts', scenario,
  ], { cwd: ROOT, env });
  return JSON.parse(stdout.trim().split('\n').at(-1) as string) as { answered: number; packages: string[] };
}

describe('optional observability packages load only when configured', () => {
  it('metrics off, logging silent: none of prom-client, pino, @opentelemetry/api', async () => {
    assert.deepEqual(await loads('silent'), { answered: 200, packages: [] });
  });

  it('metrics off, logging on: pino only', async () => {
    assert.deepEqual(await loads('logging'), { answered: 200, packages: ['pino'] });
  });

  it('metrics on: prom-client (which itself requires the OpenTelemetry API for exemplars)', async () => {
    const { answered, packages } = await loads('metrics');
    assert.equal(answered, 200);
    assert.ok(packages.includes('prom-client') && packages.includes('pino'), packages.join());
  });
});
