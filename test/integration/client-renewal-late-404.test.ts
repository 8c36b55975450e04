/**
 * Session renewal (found in review): a POST that left with the old session id but whose 404 is read after the renewal has finished
 * starts a second renewal. That initialize carries the new (live) session id, and the request that met the late
 * 404 fails although a working session exists.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRequire } from 'node:module';
import type * as Undici from 'undici';
import { McpClient } from '../../src/client/mcp-client.js';
import { StreamableHttpClientTransport } from '../../src/transport/http-client/streamable-http-client.js';
import { within } from '../helpers/deadline.js';
import type { HttpHarness } from '../helpers/http-harness.js';
import { startRenewalServer, type RenewalServer } from '../helpers/renewal-server.js';

const { Pool } = createRequire(import.meta.url)('undici') as typeof Undici;

describe('renewal: a 404 read after the renewal ended', () => {
  let renewal: RenewalServer;
  let http: HttpHarness;

  before(async () => {
    renewal = await startRenewalServer();
    http = renewal.http;
  });
  after(() => http.close());

  it('joins the session already renewed instead of starting another', async () => {
    const pool = new Pool(new URL(http.url).origin, { connections: 8 });
    // A shared dispatcher whose answer to one POST ('b') is read late: as a busy pool or a slow link would.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const dispatcher = {
      request: async (o: Undici.Dispatcher.RequestOptions) => {
        const res = await pool.request(o);
        if (typeof o.body === 'string' && o.body.includes('"text":"b"') && res.statusCode === 404) await gate;
        return res;
      },
    } as unknown as Undici.Dispatcher;
    const transport = new StreamableHttpClientTransport(http.url, { dispatcher, standaloneStream: false });
    const client = new McpClient({ name: 't', version: '1' });
    client.on('error', () => {});
    let renewed = 0;
    client.on('sessionRenewed', () => {
      renewed++;
      release();
    });
    await client.connect(transport);
    assert.equal(await http.server.sessions.end(transport.sessionId as string), true);
    try {
      const [a, b] = await within(Promise.allSettled([
        client.callTool({ name: 'echo', arguments: { text: 'a' } }),
        client.callTool({ name: 'echo', arguments: { text: 'b' } }),
      ]), 'both calls');
      assert.equal(a.status, 'fulfilled');
      assert.equal(b.status, 'fulfilled', 'b is answered on the renewed session');
      assert.equal(renewed, 1);
      assert.deepEqual(renewal.initializes(), [undefined, undefined], 'the handshake and one renewal, neither with a session id');
      assert.equal(http.server.sessions.liveCount, 1, 'no session left orphaned');
    } finally {
      await client.close();
      await pool.close();
    }
  });
});
