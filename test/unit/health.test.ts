/**
 * Health over real sockets in process: `/health` is 200 with every check passing, 503 naming a failing or hung
 * check (a check that never settles fails after its timeout instead of hanging the probe), and 503 `draining`
 * once shutdown starts, when `/ready` is 503 too and `/live` stays 200.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Health } from '../../src/metrics/health.js';
import { McpServer } from '../../src/server/mcp-server.js';
import { startHttp, type HttpHarness } from '../helpers/http-harness.js';

describe('Health routes', () => {
  let http: HttpHarness;
  let health: Health;
  let storeFails = false;

  before(async () => {
    health = new Health({
      version: '9.9.9',
      sessions: () => 3,
      checks: new Map([
        ['store', () => (storeFails ? Promise.reject(new Error('store down')) : Promise.resolve())],
        ['slow', () => new Promise<void>((resolve) => setTimeout(resolve, storeFails ? 5_000 : 0).unref())],
      ]),
      checkTimeoutMs: 100,
    });
    http = await startHttp(new McpServer({ info: { name: 't', version: '1' } }), { routes: health.routes() });
  });

  after(() => http.close());

  const origin = (): string => new URL(http.url).origin;

  it('is 200 with every check ok', async () => {
    const res = await fetch(`${origin()}/health`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const body = (await res.json()) as { status: string; version: string; sessions: number; checks: Record<string, { status: string }> };
    assert.equal(body.status, 'ok');
    assert.equal(body.version, '9.9.9');
    assert.equal(body.sessions, 3);
    assert.equal(body.checks.store?.status, 'ok');
    assert.equal(body.checks.slow?.status, 'ok');
  });

  it('is 503 naming the failing and the hung check', async () => {
    storeFails = true;
    try {
      const res = await fetch(`${origin()}/health`);
      assert.equal(res.status, 503);
      const body = (await res.json()) as { status: string; checks: Record<string, { status: string; error?: string }> };
      assert.equal(body.status, 'failing');
      assert.deepEqual(body.checks.store, { ...body.checks.store, status: 'failing', error: 'store down' });
      assert.match(body.checks.slow?.error ?? '', /no answer within 100 ms/);
      assert.equal((await fetch(`${origin()}/ready`)).status, 200, 'readiness is about draining, not dependencies');
    } finally {
      storeFails = false;
    }
  });

  it('drains: /ready and /health 503, /live 200', async () => {
    health.startDraining();
    assert.equal((await fetch(`${origin()}/ready`)).status, 503);
    const res = await fetch(`${origin()}/health`);
    assert.equal(res.status, 503);
    assert.equal(((await res.json()) as { status: string }).status, 'draining');
    assert.equal((await fetch(`${origin()}/live`)).status, 200);
    const head = await fetch(`${origin()}/live`, { method: 'HEAD' });
    assert.equal(head.status, 200);
  });
});
