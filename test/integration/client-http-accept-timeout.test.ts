/**
 * A POST that carries no request (a notification, an answer to a server request) ends when the server accepts
 * it: nothing else would. Against a scripted server that never answers `notifications/initialized`, the client's
 * `connect()` waited forever; it now fails after `acceptTimeoutMs`, naming the notification and the option.
 */
import assert from 'node:assert/strict';
import type { Server, ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { McpClient } from '../../src/client/mcp-client.js';
import { ErlmcpError } from '../../src/errors.js';
import { StreamableHttpClientTransport } from '../../src/transport/http-client/streamable-http-client.js';
import { within } from '../helpers/deadline.js';
import { closeMock, createMock, listenLocal } from '../helpers/mock-http-server.js';

type Body = { id?: number; method?: string };

describe('HTTP client: a POST with no request that the server never accepts', () => {
  let server: Server;
  let url = '';
  const held: ServerResponse[] = [];

  before(async () => {
    server = createMock((req, res, text) => {
      if (req.method !== 'POST') return void res.writeHead(405).end();
      const body = JSON.parse(text) as Body;
      if (body.method === 'initialize') {
        res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 's1' });
        return void res.end(JSON.stringify({ jsonrpc: '2.0', id: body.id, result: { protocolVersion: '2025-11-25', capabilities: {}, serverInfo: { name: 'mock', version: '1' } } }));
      }
      // Never answered: a server stuck on notifications (or a proxy that swallows them).
      held.push(res);
    });
    url = await listenLocal(server);
  });
  after(async () => {
    for (const res of held) res.end();
    await closeMock(server);
  });

  it('fails connect() after acceptTimeoutMs, naming notifications/initialized, instead of waiting forever', async () => {
    const client = new McpClient({ name: 'accept-timeout', version: '1' });
    client.on('error', () => undefined);
    const transport = new StreamableHttpClientTransport(url, { standaloneStream: false, acceptTimeoutMs: 300 });
    try {
      await assert.rejects(within(client.connect(transport), 'connect() to fail'), (err: unknown) =>
        err instanceof ErlmcpError && err.code === 'ERLMCP_ERR_TIMEOUT'
        && /notifications\/initialized/.test(err.message) && /acceptTimeoutMs \(300 ms\)/.test(err.message));
    } finally {
      await client.close();
    }
  });

  it('refuses an acceptTimeoutMs that is not a delay, naming it', () => {
    assert.throws(() => new StreamableHttpClientTransport(url, { acceptTimeoutMs: -1 }), /options\.acceptTimeoutMs must be/);
  });
});
