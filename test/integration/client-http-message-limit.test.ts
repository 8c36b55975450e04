/**
 * The HTTP client bounds what it buffers of one message from the server, as the stdio client does
 * (`maxMessageBytes`): a JSON answer, or one SSE event, past the limit fails its request at once with
 * ERLMCP_ERR_MESSAGE_TOO_LARGE naming the limit. Before, both were read whole whatever their size, so a server
 * streaming an endless event (a bug, or hostile) grew the client's memory until the process died. A scripted
 * `node:http` server on port 0 sends the oversized answers.
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

const LIMIT = 64 * 1024;

describe('HTTP client: a message from the server over maxMessageBytes', () => {
  let server: Server;
  let url = '';
  const endless: ServerResponse[] = [];

  before(async () => {
    server = createMock((req, res, text) => {
      if (req.method !== 'POST') return void res.writeHead(req.method === 'DELETE' ? 200 : 405).end();
      const body = text ? (JSON.parse(text) as Body) : undefined;
      if (body?.method === 'initialize') {
        res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 's-limit' });
        return void res.end(JSON.stringify({ jsonrpc: '2.0', id: body.id, result: { protocolVersion: '2025-11-25', capabilities: {}, serverInfo: { name: 'mock', version: '1' } } }));
      }
      if (body?.id === undefined) return void res.writeHead(202).end();
      const big = 'x'.repeat(2 * LIMIT);
      if (body.method === 'json/big') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ jsonrpc: '2.0', id: body.id, result: { big } }));
      }
      if (body.method === 'sse/endless') {
        // One event that never ends: its data keeps coming and no blank line closes it.
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(`id: e1\ndata: {"jsonrpc":"2.0","id":${body.id},"result":{"big":"`);
        const timer = setInterval(() => res.write(big.slice(0, LIMIT / 4)), 5);
        res.on('close', () => clearInterval(timer));
        endless.push(res);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: body.id, result: {} }));
    });
    url = await listenLocal(server);
  });
  after(async () => {
    for (const res of endless) res.destroy();
    await closeMock(server);
  });

  const tooLarge = (err: unknown): boolean => err instanceof ErlmcpError && err.code === 'ERLMCP_ERR_MESSAGE_TOO_LARGE' && err.message.includes(`maxMessageBytes (${LIMIT}`);

  it('fails the request of a JSON answer over the limit, and the client goes on', async () => {
    const client = new McpClient({ name: 'limit', version: '1' });
    client.on('error', () => undefined);
    await client.connect(new StreamableHttpClientTransport(url, { standaloneStream: false, maxMessageBytes: LIMIT }));
    try {
      await assert.rejects(within(client.request('json/big', {}, { timeoutMs: 0 }), 'the refusal of the big JSON answer'), tooLarge);
      assert.deepEqual(await client.request('small/method', {}, { timeoutMs: 2_000 }), {});
    } finally {
      await client.close();
    }
  });

  it('fails the request of an SSE event that grows past the limit, rather than buffering it without end', async () => {
    const client = new McpClient({ name: 'limit', version: '1' });
    client.on('error', () => undefined);
    await client.connect(new StreamableHttpClientTransport(url, { standaloneStream: false, maxMessageBytes: LIMIT }));
    try {
      await assert.rejects(within(client.request('sse/endless', {}, { timeoutMs: 0 }), 'the refusal of the endless event'), tooLarge);
      assert.deepEqual(await client.request('small/method', {}, { timeoutMs: 2_000 }), {});
    } finally {
      await client.close();
    }
  });

  it('refuses a maxMessageBytes that is not a positive integer, naming it', () => {
    assert.throws(() => new StreamableHttpClientTransport(url, { maxMessageBytes: 0 }), /options\.maxMessageBytes must be a positive integer, got 0/);
  });
});
