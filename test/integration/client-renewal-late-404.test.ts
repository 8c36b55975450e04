/**
 * Session renewal (found in review): a POST that left with the old session id but whose 404 is read after the renewal has finished
 * starts a second renewal. That initialize carries the new (live) session id, and the request that met the late
 * 404 fails although a working session exists.
 */
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { createRequire } from 'node:module';
import type * as Undici from 'undici';
import { McpClient } from '../../src/client/mcp-client.js';
import { McpServer } from '../../src/server/mcp-server.js';
import { StreamableHttpClientTransport } from '../../src/transport/http-client/streamable-http-client.js';
import { within } from '../helpers/deadline.js';
import { startHttp, type HttpHarness } from '../helpers/http-harness.js';

const { Pool } = createRequire(import.meta.url)('undici') as typeof Undici;

describe('renewal: a 404 read after the renewal ended', () => {
  let http: HttpHarness;
  const initializes: (string | undefined)[] = [];

  before(async () => {
    const server = new McpServer({ info: { name: 'renewal', version: '1' } });
    server.tool('echo', { inputSchema: { type: 'object', properties: { text: { type: 'string' } } } }, (a) => String(a.text));
    http = await startHttp(server);
    http.transport.httpServer.prependListener('request', (req: IncomingMessage) => {
      if (req.method !== 'POST') return;
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (body.includes('"method":"initialize"')) initializes.push(req.headers['mcp-session-id'] as string | undefined);
      });
    });
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
    } finally {
      await client.close();
      await pool.close();
    }
  });
});
