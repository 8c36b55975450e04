/**
 * A resumption GET answered 404: the server forgot the session (it restarted, or expired it) while the client was
 * only listening or polling. 2025-11-25 basic/transports, Session Management: on a 404 to a request carrying
 * `Mcp-Session-Id` the client MUST start a new session, and a GET carries it as a POST does. The client used to
 * take the 404 as one more refused attempt: the standalone stream ended silently and a listening client heard
 * nothing more until it happened to send a request, and a POST's resumption was retried `maxReconnects` times before
 * failing with "could not be resumed". A scripted `node:http` server on port 0 forgets session s1 after the
 * first stream of each kind.
 */
import assert from 'node:assert/strict';
import type { Server, ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import { McpClient } from '../../src/client/mcp-client.js';
import { ErlmcpError } from '../../src/errors.js';
import { StreamableHttpClientTransport } from '../../src/transport/http-client/streamable-http-client.js';
import { within } from '../helpers/deadline.js';
import { closeMock, createMock, listenLocal } from '../helpers/mock-http-server.js';

type Body = { id?: number; method?: string };

describe('HTTP client: a resumption GET answered 404 for its session', () => {
  let server: Server;
  let url = '';
  let sessions = 0;
  const held: ServerResponse[] = [];
  const initializes: (string | undefined)[] = [];
  let standalone = true;

  before(async () => {
    server = createMock((req, res, text) => {
      const session = req.headers['mcp-session-id'];
      const gone = session !== `s${sessions}`;
      if (req.method === 'DELETE') return void res.writeHead(gone ? 404 : 200).end();
      if (req.method === 'GET') {
        if (gone) return void res.writeHead(404).end();
        if (!standalone && req.headers['last-event-id'] === undefined) return void res.writeHead(405).end();
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        if (sessions === 1) {
          // The first session's streams end asking to be resumed; the server forgets the session meanwhile.
          sessions++;
          return void res.end('id: g1\nretry: 20\ndata: \n\n');
        }
        res.write(`id: n1\ndata: ${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' })}\n\n`);
        held.push(res);
        return;
      }
      const body = text ? (JSON.parse(text) as Body) : undefined;
      if (body?.method === 'initialize') {
        initializes.push(typeof session === 'string' ? session : undefined);
        res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': `s${++sessions}` });
        return void res.end(JSON.stringify({ jsonrpc: '2.0', id: body.id, result: { protocolVersion: '2025-11-25', capabilities: {}, serverInfo: { name: 'mock', version: '1' } } }));
      }
      if (gone) return void res.writeHead(404).end();
      if (body?.method === 'long/method' && sessions === 1) {
        sessions++;
        return void res.writeHead(200, { 'content-type': 'text/event-stream' }).end('id: p1\nretry: 20\ndata: \n\n');
      }
      if (body?.id === undefined) return void res.writeHead(202).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: body.id, result: {} }));
    });
    url = await listenLocal(server);
  });
  beforeEach(() => {
    sessions = 0;
    initializes.length = 0;
  });
  after(async () => {
    for (const res of held) res.end();
    await closeMock(server);
  });

  it('on the standalone stream starts a new session, without the old id, and listens on it', async () => {
    standalone = true;
    const client = new McpClient({ name: 'listener', version: '1' });
    client.on('error', () => undefined);
    const renewed = new Promise<void>((resolve) => client.once('sessionRenewed', resolve));
    const changed = new Promise<void>((resolve) => client.once('toolsListChanged', resolve));
    const transport = new StreamableHttpClientTransport(url, { maxReconnects: 3 });
    await client.connect(transport);
    try {
      await within(renewed, 'the new session after the 404');
      await within(changed, 'the notification on the new session\'s standalone stream');
      assert.deepEqual(initializes, [undefined, undefined]);
      assert.equal(transport.sessionId, 's3');
    } finally {
      await client.close();
    }
  });

  it('on a POST\'s stream fails its request at once naming the 404, and starts a new session', async () => {
    standalone = false;
    const client = new McpClient({ name: 'poller', version: '1' });
    client.on('error', () => undefined);
    const renewed = new Promise<void>((resolve) => client.once('sessionRenewed', resolve));
    await client.connect(new StreamableHttpClientTransport(url, { maxReconnects: 5 }));
    try {
      const started = performance.now();
      await assert.rejects(within(client.request('long/method', {}, { timeoutMs: 0 }), 'the failure of the resumed request'),
        (err: unknown) => err instanceof ErlmcpError && err.code === 'ERLMCP_ERR_STREAM_ENDED' && /404/.test(err.message) && /session s1 is gone/.test(err.message));
      assert.ok(performance.now() - started < 1_000, 'failed at the first 404, not after maxReconnects attempts');
      await within(renewed, 'the new session after the 404');
      assert.deepEqual(await client.request('next/method', {}, { timeoutMs: 2_000 }), {});
      assert.deepEqual(initializes, [undefined, undefined]);
    } finally {
      await client.close();
    }
  });
});
