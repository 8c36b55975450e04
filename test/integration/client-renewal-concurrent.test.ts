/**
 * Session renewal (found in review): a request made while the client is renewing its session (after a 404) is sent at once, without
 * waiting for the new session, so it goes out with no Mcp-Session-Id and is refused with 400.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { McpClient } from '../../src/client/mcp-client.js';
import { StreamableHttpClientTransport } from '../../src/transport/http-client/streamable-http-client.js';
import { within } from '../helpers/deadline.js';
import type { HttpHarness } from '../helpers/http-harness.js';
import { startRenewalServer, type RenewalServer } from '../helpers/renewal-server.js';

describe('renewal: a request made during the renewal handshake', () => {
  let renewal: RenewalServer;
  let http: HttpHarness;

  before(async () => {
    renewal = await startRenewalServer();
    http = renewal.http;
  });
  after(() => http.close());

  it('waits for the new session instead of going out without one', async () => {
    const transport = new StreamableHttpClientTransport(http.url);
    const client = new McpClient({ name: 't', version: '1' });
    client.on('error', () => {});
    await client.connect(transport);
    const first = transport.sessionId as string;
    assert.equal(await http.server.sessions.end(first), true);

    let late: Promise<unknown> | undefined;
    // The moment the renewal's initialize reaches the server, the application makes another call.
    renewal.onPost = (post) => {
      if (post.method !== 'initialize') return;
      renewal.onPost = undefined;
      late = client.callTool({ name: 'echo', arguments: { text: 'late' } });
    };
    const a = await within(client.callTool({ name: 'echo', arguments: { text: 'a' } }), 'first call');
    assert.equal(a.content[0]?.text, 'a');
    assert.ok(late, 'the renewal ran');
    try {
      const r = (await within(late, 'late call')) as { content: { text: string }[] };
      assert.equal(r.content[0]?.text, 'late');
    } finally {
      await client.close();
    }
  });
});
