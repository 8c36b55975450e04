/**
 * The metrics listener over a real socket: `GET` and `HEAD` of the exposition path (a query string ignored), the
 * health routes beside it, 404 for other paths, and 405 naming the allowed methods for any other method on the
 * exposition path.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Health } from '../../src/metrics/health.js';
import { MetricsServer } from '../../src/metrics/metrics-server.js';
import { ServerMetrics } from '../../src/metrics/server-metrics.js';
import { familyNames } from '../helpers/prom-text.js';

describe('the metrics listener', () => {
  let metrics: ServerMetrics;
  let listener: MetricsServer;
  let url: string;

  before(async () => {
    metrics = await ServerMetrics.create({ isTool: () => false, runtime: false });
    const health = new Health({ version: '1.0.0', sessions: () => 0 });
    listener = new MetricsServer(metrics, { host: '127.0.0.1', port: 0, path: '/metrics', routes: health.routes() });
    url = (await listener.listen()).url;
  });

  after(async () => {
    await listener.close();
    metrics.close();
  });

  it('serves the exposition to GET and HEAD, with or without a query string', async () => {
    const get = await fetch(`${url}?name[]=erlmcp_requests_total`);
    assert.equal(get.status, 200);
    assert.match(get.headers.get('content-type') ?? '', /^text\/plain/);
    assert.ok(familyNames(await get.text()).has('erlmcp_requests_total'));
    const head = await fetch(url, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
    assert.equal((await fetch(new URL('/ready', url))).status, 200);
    assert.equal((await fetch(new URL('/nowhere', url))).status, 404);
  });

  it('answers another method on the exposition path with 405 and Allow, not 404', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const res = await fetch(url, { method, body: method === 'DELETE' ? undefined : 'x' });
      await res.text();
      assert.equal(res.status, 405, method);
      assert.equal(res.headers.get('allow'), 'GET, HEAD', method);
    }
  });
});
