/**
 * The standalone GET stream carries everything a server sends outside a request (list changes, resource updates,
 * its own requests), so losing it is silent: the client just stops hearing. A resumption GET the network failed (a
 * reset, a server restarting) is a failed attempt, retried up to `maxReconnects` as a POST stream's is; only a
 * server that answers and refuses the stream (405, an ended session) is left alone. Before, one reset ended the
 * standalone stream for the rest of the session. A scripted `node:http` server on port 0 plays the server.
 */
import assert from 'node:assert/strict';
import type { Server, ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { McpClient } from '../../src/client/mcp-client.js';
import { StreamableHttpClientTransport } from '../../src/transport/http-client/streamable-http-client.js';
import { within } from '../helpers/deadline.js';
import { closeMock, createMock, listenLocal } from '../helpers/mock-http-server.js';

type Body = { id?: number; method?: string };

describe('HTTP client: the standalone stream after a resumption the network failed', () => {
  let server: Server;
  let url = '';
  const gets: (string | undefined)[] = [];
  let held: ServerResponse | undefined;

  before(async () => {
    server = createMock((req, res, text) => {
      if (req.method === 'GET') {
        const last = req.headers['last-event-id'];
        gets.push(typeof last === 'string' ? last : undefined);
        // The first stream ends at once asking to be resumed; the first resumption is reset before its headers.
        if (gets.length === 1) return void res.writeHead(200, { 'content-type': 'text/event-stream' }).end('id: s1\nretry: 20\ndata: \n\n');
        if (gets.length === 2) return void req.socket.destroy();
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(`id: s2\ndata: ${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' })}\n\n`);
        held = res;
        return;
      }
      if (req.method === 'DELETE') return void res.writeHead(200).end();
      const body = text ? (JSON.parse(text) as Body) : undefined;
      if (body?.method === 'initialize') {
        res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 's-resume' });
        return void res.end(JSON.stringify({ jsonrpc: '2.0', id: body.id, result: { protocolVersion: '2025-11-25', capabilities: {}, serverInfo: { name: 'mock', version: '1' } } }));
      }
      res.writeHead(202).end();
    });
    url = await listenLocal(server);
  });
  after(async () => {
    held?.end();
    await closeMock(server);
  });

  it('is resumed again with Last-Event-ID and delivers what the server sends next', async () => {
    const client = new McpClient({ name: 'standalone-resume', version: '1' });
    client.on('error', () => undefined);
    // Not events.once: it rejects on the 'error' the reset is reported with.
    const changed = new Promise<void>((resolve) => client.once('toolsListChanged', resolve));
    await client.connect(new StreamableHttpClientTransport(url, { maxReconnects: 3 }));
    try {
      await within(changed, 'the list change sent on the stream resumed after the reset');
      assert.deepEqual(gets, [undefined, 's1', 's1']);
    } finally {
      await client.close();
    }
  });
});
