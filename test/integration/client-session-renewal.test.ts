/**
 * 2025-11-25 basic/transports, Session Management: "When a client receives HTTP 404 in response to a request
 * containing an MCP-Session-Id, it MUST start a new session by sending a new InitializeRequest without a session
 * ID attached." erlmcp's client against erlmcp's server, over real sockets: the server ends the session, and the
 * client's next requests (several at once) are answered on one new session, after one new handshake.
 */
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { McpClient } from '../../src/client/mcp-client.js';
import { McpServer } from '../../src/server/mcp-server.js';
import { StreamableHttpClientTransport } from '../../src/transport/http-client/streamable-http-client.js';
import { within } from '../helpers/deadline.js';
import { startHttp, type HttpHarness } from '../helpers/http-harness.js';

describe('McpClient over HTTP, when the server forgets the session', () => {
  let http: HttpHarness;
  const initializes: (string | undefined)[] = [];

  before(async () => {
    const server = new McpServer({ info: { name: 'renewal', version: '1' } });
    server.tool('echo', { inputSchema: { type: 'object', properties: { text: { type: 'string' } } } }, (a) => String(a.text));
    http = await startHttp(server);
    // What each initialize carried as its session id, seen from the server's side of the socket.
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
    assert.deepEqual(initializes, [undefined, undefined], 'two handshakes in all, neither with a session id');
    assert.equal(renewed, 1);
    await client.ping();
    assert.deepEqual(errors, []);
    await client.close();
  });
});
