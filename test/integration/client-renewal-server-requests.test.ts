/**
 * A server request of the new session, arriving while the client's session renewal (after a 404) is still finishing
 * its handshake, is answered. A server commonly asks for `roots/list` as soon as it has `notifications/initialized`,
 * on the standalone stream the client opens right then; the client counted everything during a renewal as the old
 * session's and dropped the answer, so the server waited out its own timeout. A scripted `node:http` server on
 * port 0 forgets the first session and sends its request with the new session's stream headers.
 */
import assert from 'node:assert/strict';
import type { Server, ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { McpClient } from '../../src/client/mcp-client.js';
import { StreamableHttpClientTransport } from '../../src/transport/http-client/streamable-http-client.js';
import { within } from '../helpers/deadline.js';
import { closeMock, createMock, listenLocal } from '../helpers/mock-http-server.js';

type Body = { id?: number | string; method?: string; result?: unknown };

describe('McpClient renewing its session, asked by the new session for its roots', () => {
  let server: Server;
  let url = '';
  let sessions = 0;
  const held: ServerResponse[] = [];
  let answered!: (body: Body) => void;
  const answer = new Promise<Body>((resolve) => (answered = resolve));

  before(async () => {
    server = createMock((req, res, text) => {
      const session = req.headers['mcp-session-id'];
      if (req.method === 'DELETE') return void res.writeHead(200).end();
      if (req.method === 'GET') {
        if (session !== 's2') return void res.writeHead(405).end();
        // What the server asks once initialized goes out with the stream's headers.
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(`data: ${JSON.stringify({ jsonrpc: '2.0', id: 'roots-1', method: 'roots/list' })}\n\n`);
        held.push(res);
        return;
      }
      const body = text ? (JSON.parse(text) as Body) : undefined;
      if (body?.method === 'initialize') {
        res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': `s${++sessions}` });
        return void res.end(JSON.stringify({ jsonrpc: '2.0', id: body.id, result: { protocolVersion: '2025-11-25', capabilities: {}, serverInfo: { name: 'mock', version: '1' } } }));
      }
      if (session === 's1' && body?.method === 'tools/list') return void res.writeHead(404).end();
      if (body?.id === 'roots-1' && body.method === undefined) answered(body);
      if (body?.id === undefined || body.method === undefined) return void res.writeHead(202).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: body.id, result: { tools: [] } }));
    });
    url = await listenLocal(server);
  });
  after(async () => {
    for (const res of held) res.end();
    await closeMock(server);
  });

  it('answers the roots/list sent on the new session\'s stream during the renewal', async () => {
    const client = new McpClient({ name: 'renewing', version: '1' }, { roots: [{ uri: 'file:///r' }] });
    client.on('error', () => undefined);
    await client.connect(new StreamableHttpClientTransport(url));
    try {
      assert.deepEqual(await within(client.listTools(), 'tools/list on the renewed session'), { tools: [] });
      const body = await within(answer, 'the answer to the new session\'s roots/list');
      assert.deepEqual(body.result, { roots: [{ uri: 'file:///r' }] });
    } finally {
      await client.close();
    }
  });
});
