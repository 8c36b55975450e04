/**
 * Session renewal (found in review): a request given up (aborted, or timed out) while the session is being renewed is still sent on the
 * new session once the renewal ends. The server runs it, and no notifications/cancelled ever reaches it.
 */
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import type * as Undici from 'undici';
import { McpClient } from '../../src/client/mcp-client.js';
import { McpServer } from '../../src/server/mcp-server.js';
import { StreamableHttpClientTransport } from '../../src/transport/http-client/streamable-http-client.js';
import { within } from '../helpers/deadline.js';
import { startHttp, type HttpHarness } from '../helpers/http-harness.js';

const { Pool } = createRequire(import.meta.url)('undici') as typeof Undici;

describe('renewal: a request given up while the session is renewed', () => {
  let http: HttpHarness;
  let runs = 0;
  const posts: string[] = [];

  before(async () => {
    const server = new McpServer({ info: { name: 'renewal', version: '1' } });
    server.tool('charge', { inputSchema: { type: 'object' } }, () => {
      runs++;
      return 'charged';
    });
    http = await startHttp(server);
    http.transport.httpServer.prependListener('request', (req: IncomingMessage) => {
      if (req.method !== 'POST') return;
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => posts.push(/"method":"([^"]+)"/.exec(body)?.[1] ?? '?'));
    });
  });
  after(() => http.close());

  it('is not sent after the renewal', async () => {
    const pool = new Pool(new URL(http.url).origin, { connections: 4 });
    let initializes = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let renewalStarted!: () => void;
    const started = new Promise<void>((r) => (renewalStarted = r));
    // The renewal's initialize answer is slow to arrive (a slow server, a busy pool).
    const dispatcher = {
      request: async (o: Undici.Dispatcher.RequestOptions) => {
        const isInit = typeof o.body === 'string' && o.body.includes('"method":"initialize"');
        const res = await pool.request(o);
        if (isInit && ++initializes === 2) {
          renewalStarted();
          await gate;
        }
        return res;
      },
    } as unknown as Undici.Dispatcher;
    const transport = new StreamableHttpClientTransport(http.url, { dispatcher, standaloneStream: false });
    const client = new McpClient({ name: 't', version: '1' });
    client.on('error', () => {});
    await client.connect(transport);
    assert.equal(await http.server.sessions.end(transport.sessionId as string), true);
    try {
      const ac = new AbortController();
      const call = client.callTool({ name: 'charge', arguments: {} }, { signal: ac.signal });
      await within(started, 'the renewal');
      ac.abort(new Error('the user gave up'));
      await assert.rejects(call, /gave up/);
      const renewed = new Promise<void>((r) => client.once('sessionRenewed', () => r()));
      release();
      await within(renewed, 'sessionRenewed');
      await client.ping();
      await sleep(100);
      assert.equal(runs, 0, 'the tool call the client gave up was not run');
    } finally {
      await client.close();
      await pool.close();
    }
  });
});
