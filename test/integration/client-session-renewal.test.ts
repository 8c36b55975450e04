/**
 * 2025-11-25 basic/transports, Session Management: "When a client receives HTTP 404 in response to a request
 * containing an MCP-Session-Id, it MUST start a new session by sending a new InitializeRequest without a session
 * ID attached." erlmcp's client against erlmcp's server, over real sockets: the server ends the session, and the
 * client's next requests (several at once) are answered on one new session, after one new handshake.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { McpClient } from '../../src/client/mcp-client.js';
import { StreamableHttpClientTransport } from '../../src/transport/http-client/streamable-http-client.js';
import { within } from '../helpers/deadline.js';
import type { HttpHarness } from '../helpers/http-harness.js';
import { startRenewalServer, type RenewalServer } from '../helpers/renewal-server.js';

describe('McpClient over HTTP, when the server forgets the session', () => {
  let renewal: RenewalServer;
  let http: HttpHarness;

  before(async () => {
    renewal = await startRenewalServer();
    http = renewal.http;
  });
  after(() => http.close());

  it('starts one new session without the old id, sends the requests that met the 404 again, and says so', async () => {
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
    assert.deepEqual(renewal.initializes(), [undefined, undefined], 'two handshakes in all, neither with a session id');
    assert.equal(renewed, 1);
    await client.ping();
    assert.deepEqual(errors, []);
    await client.close();
  });
});
