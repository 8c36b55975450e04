/**
 * 2025-11-25 basic/transports, Session Management: "When a client receives HTTP 404 in response to a request
 * containing an MCP-Session-Id, it MUST start a new session by sending a new InitializeRequest without a session
 * ID attached." erlmcp's client against erlmcp's server, over real sockets: the server ends the session, and the
 * client's next requests (several at once) are answered on one new session, after one new handshake. Found in
 * review: a request made during the renewal waits for the new session (it went out with none, and got 400), and a
 * 404 read after the renewal ended joins the renewed session (it started a second renewal, with the new id).
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import type * as Undici from 'undici';
import { McpClient } from '../../src/client/mcp-client.js';
import { StreamableHttpClientTransport } from '../../src/transport/http-client/streamable-http-client.js';
import { within } from '../helpers/deadline.js';
import type { HttpHarness } from '../helpers/http-harness.js';
import { startRenewalServer, type RenewalServer } from '../helpers/renewal-server.js';

const { Pool } = createRequire(import.meta.url)('undici') as typeof Undici;

describe('McpClient over HTTP, when the server forgets the session', () => {
  let renewal: RenewalServer;
  let http: HttpHarness;

  before(async () => {
    renewal = await startRenewalServer();
    http = renewal.http;
  });
  after(() => http.close());

  it('starts one new session without the old id, sends the requests that met the 404 again, and says so', async () => {
    const since = renewal.posts.length;
    const transport = new StreamableHttpClientTransport(http.url);
    const client = new McpClient({ name: 't', version: '1' });
    const errors: Error[] = [];
    client.on('error', (e) => errors.push(e));
    let renewed = 0;
    client.on('sessionRenewed', () => renewed++);
    await client.connect(transport);
    const first = transport.sessionId as string;
    assert.equal(typeof first, 'string');

    assert.equal(await http.server.sessions.end(first), true);
    const answers = await within(Promise.all(['a', 'b', 'c'].map((text) => client.callTool({ name: 'echo', arguments: { text } }))), 'the calls on the new session');
    assert.deepEqual(answers.map((r) => r.content[0]?.text), ['a', 'b', 'c']);

    const second = transport.sessionId as string;
    assert.notEqual(second, first);
    assert.equal(http.server.sessions.lookup(second)?.id, second);
    assert.deepEqual(renewal.initializes(since), [undefined, undefined], 'two handshakes in all, neither with a session id');
    assert.equal(renewed, 1);
    await client.ping();
    assert.deepEqual(errors, []);
    await client.close();
  });

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

  it('joins the session already renewed instead of starting another', async () => {
    const since = renewal.posts.length;
    const liveBefore = http.server.sessions.liveCount;
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
      assert.deepEqual(renewal.initializes(since), [undefined, undefined], 'the handshake and one renewal, neither with a session id');
      assert.equal(http.server.sessions.liveCount, liveBefore + 1, 'no session left orphaned');
    } finally {
      await client.close();
      await pool.close();
    }
  });
});
