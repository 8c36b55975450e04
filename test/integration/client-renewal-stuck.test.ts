/**
 * Session renewal (found in review): a 404 met by a message the client sends straight to the transport (notifications/cancelled, or the
 * answer to a server request) makes the HTTP transport forget the session id, but starts no renewal. Every later
 * request then goes out with no Mcp-Session-Id, is refused with 400 (not 404), and the client never recovers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { McpClient } from '../../src/client/mcp-client.js';
import { McpServer } from '../../src/server/mcp-server.js';
import { StreamableHttpClientTransport } from '../../src/transport/http-client/streamable-http-client.js';
import { within } from '../helpers/deadline.js';
import { startHttp, type HttpHarness } from '../helpers/http-harness.js';

describe('renewal: the 404 is first met by a notifications/cancelled', () => {
  let http: HttpHarness;
  let started!: () => void;
  const running = new Promise<void>((r) => (started = r));
  let finish!: () => void;
  const held = new Promise<void>((r) => (finish = r));

  before(async () => {
    const server = new McpServer({ info: { name: 'renewal', version: '1' } });
    server.tool('slow', { inputSchema: { type: 'object' } }, async () => {
      started();
      await held;
      return 'done';
    });
    http = await startHttp(server);
  });
  after(async () => {
    finish();
    await http.close();
  });

  it('the client can still make requests afterwards', async () => {
    const transport = new StreamableHttpClientTransport(http.url, { standaloneStream: false });
    const client = new McpClient({ name: 't', version: '1' });
    const errors: string[] = [];
    client.on('error', (e) => errors.push(e.message));
    await client.connect(transport);
    const first = transport.sessionId as string;
    try {
      const ac = new AbortController();
      const call = client.callTool({ name: 'slow', arguments: {} }, { signal: ac.signal });
      await within(running, 'the slow tool to start');
      assert.equal(await http.server.sessions.end(first), true);
      ac.abort(new Error('the user gave up'));
      await assert.rejects(call, /gave up/);
      // Let the cancel's 404 arrive.
      for (let i = 0; i < 50 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      const pings = [];
      for (let i = 0; i < 3; i++) pings.push(await client.ping().then(() => 'ok', (e: Error) => e.message));
      assert.deepEqual(pings, ['ok', 'ok', 'ok']);
    } finally {
      await client.close();
    }
  });
});
