/**
 * Health over a real `erlmcp serve`: `/health` answers the seed's load test with version, uptime, sessions and
 * checks; `/live` and `/ready` follow Kubernetes semantics; and on SIGTERM `/ready` turns 503 while the listener
 * still accepts connections (for `server.shutdownReadyDelayMs`), and only then does the listener close.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FetchSession, startServe, type ServeProcess } from '../helpers/serve-process.js';

/**
 * GET on a fresh connection: the status, or `refused` once nothing listens. A reset counts as refused too: a probe
 * that connects in the instant the listener closes has its socket destroyed unanswered.
 */
function probe(url: string): Promise<number | 'refused'> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers: { connection: 'close' } }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
    });
    req.once('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNREFUSED' || err.code === 'ECONNRESET' ? resolve('refused') : reject(err)));
    req.end();
  });
}

async function json(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('health and readiness of erlmcp serve', () => {
  let dir: string;
  let erlmcp: ServeProcess;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'erlmcp-ready-'));
    writeFileSync(join(dir, 'erlmcp.json'), JSON.stringify({ server: { shutdownReadyDelayMs: 1500 }, logging: { level: 'silent' } }));
    erlmcp = await startServe(['--config', join(dir, 'erlmcp.json')]);
  });

  after(async () => {
    await erlmcp.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers /health with version, uptime, sessions and checks, and /live and /ready with 200', async () => {
    const session = await new FetchSession(erlmcp.url).open();
    const { status, body } = await json(`${erlmcp.origin}/health`);
    assert.equal(status, 200);
    assert.equal(body.status, 'ok');
    assert.equal(body.version, '0.1.0');
    assert.equal(typeof body.uptime, 'number');
    assert.equal(body.sessions, 1);
    assert.deepEqual(Object.keys(body.checks as object), ['sessionStore']);
    assert.equal((body.checks as Record<string, { status: string }>).sessionStore?.status, 'ok');
    assert.equal(await probe(`${erlmcp.origin}/live`), 200);
    assert.equal(await probe(`${erlmcp.origin}/ready`), 200);
    const metricsOrigin = new URL(erlmcp.metricsUrl as string).origin;
    assert.equal(await probe(`${metricsOrigin}/ready`), 200, 'the metrics port answers probes too');
    const post = await fetch(`${erlmcp.origin}/health`, { method: 'POST' });
    assert.equal(post.status, 405);
    await post.text();
    await session.close();
  });

  it('on SIGTERM, turns /ready to 503 before the listener closes', async () => {
    const ready = `${erlmcp.origin}/ready`;
    erlmcp.child.kill('SIGTERM');
    const seen: (number | 'refused')[] = [];
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const status = await probe(ready);
      if (seen.at(-1) !== status) seen.push(status);
      if (status === 'refused') break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    // A probe may still see 200 in the moment before the signal is handled; after the first 503, never again.
    const from = seen.indexOf(503);
    assert.ok(from >= 0, `/ready never answered 503: ${seen.join(' -> ')}`);
    assert.deepEqual(seen.slice(from), [503, 'refused'], seen.join(' -> '));
    assert.equal((await erlmcp.exited).code, 0, erlmcp.stderr());
  });
});
