/**
 * A POST whose JSON answer does not answer its request, against a scripted `node:http` server on port 0. A server
 * that cannot tie its error to our request answers with no id (or `id: null`, as many JSON-RPC stacks do), and one
 * with a bug answers another id or nothing usable; the POST is over either way, so nothing more can come for the
 * request; on its SSE stream, such an error is the end of the POST's request as well. It used to wait out its whole timeout (forever with `timeoutMs: 0`), its cause reported only on 'error'.
 */
import assert from 'node:assert/strict';
import type { Server, ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { McpClient } from '../../src/client/mcp-client.js';
import { ErlmcpError } from '../../src/errors.js';
import { WireError } from '../../src/protocol/wire-error.js';
import { StreamableHttpClientTransport } from '../../src/transport/http-client/streamable-http-client.js';
import { within } from '../helpers/deadline.js';
import { closeMock, createMock, listenLocal } from '../helpers/mock-http-server.js';

type Body = { id?: number; method?: string };

describe('HTTP client: a JSON answer to a POST that does not answer its request', () => {
  let server: Server;
  let url = '';
  const held: ServerResponse[] = [];

  before(async () => {
    server = createMock((req, res, text) => {
      const body = text ? (JSON.parse(text) as Body) : undefined;
      const send = (value: unknown): void => void res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 's1' }).end(JSON.stringify(value));
      if (req.method !== 'POST') return void res.writeHead(405).end();
      if (body?.method === 'initialize') {
        return send({ jsonrpc: '2.0', id: body.id, result: { protocolVersion: '2025-11-25', capabilities: {}, serverInfo: { name: 'mock', version: '1' } } });
      }
      if (body?.id === undefined) return void res.writeHead(202).end();
      if (body.method === 'no-id/method') return send({ jsonrpc: '2.0', error: { code: -32600, message: 'the request was refused' } });
      if (body.method === 'null-id/method') return send({ jsonrpc: '2.0', id: null, error: { code: -32603, message: 'something broke' } });
      if (body.method === 'sse-no-id/method') {
        // The stream stays open after the error, as a server's stream may: only the error says the request is over.
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(`id: e1\ndata: ${JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32602, message: 'bad params' } })}\n\n`);
        held.push(res);
        return;
      }
      if (body.method === 'other-id/method') return send({ jsonrpc: '2.0', id: body.id + 1000, result: {} });
      send({ jsonrpc: '2.0', id: body.id, result: {} });
    });
    url = await listenLocal(server);
  });
  after(async () => {
    for (const res of held) res.end();
    await closeMock(server);
  });

  async function connect(): Promise<McpClient> {
    const client = new McpClient({ name: 'unanswered', version: '1' });
    client.on('error', () => undefined);
    await client.connect(new StreamableHttpClientTransport(url, { standaloneStream: false }));
    return client;
  }

  it('fails the request with the server\'s error when it has no id, or id null, at once rather than at its timeout', async () => {
    const client = await connect();
    try {
      await assert.rejects(within(client.request('no-id/method', {}, { timeoutMs: 0 }), 'the id-less error'),
        (err: unknown) => err instanceof WireError && err.code === -32600 && /the request was refused/.test(err.message));
      await assert.rejects(within(client.request('null-id/method', {}, { timeoutMs: 0 }), 'the id-null error'),
        (err: unknown) => err instanceof WireError && err.code === -32603 && /something broke/.test(err.message));
      assert.equal(client.inFlight, 0);
    } finally {
      await client.close();
    }
  });

  it('fails the request with an id-null error on its POST\'s SSE stream, though the stream stays open', async () => {
    const client = await connect();
    try {
      await assert.rejects(within(client.request('sse-no-id/method', {}, { timeoutMs: 0 }), 'the id-null error on the stream'),
        (err: unknown) => err instanceof WireError && err.code === -32602 && /bad params/.test(err.message));
      assert.equal(client.inFlight, 0);
    } finally {
      await client.close();
    }
  });

  it('fails a request whose JSON answer is for another id, naming the request the answer lacks', async () => {
    const client = await connect();
    try {
      await assert.rejects(within(client.request('other-id/method', {}, { timeoutMs: 0 }), 'the misdirected answer'),
        (err: unknown) => err instanceof ErlmcpError && err.code === 'ERLMCP_ERR_HTTP_STATUS' && /expected the answer to request 2/.test(err.message));
      assert.deepEqual(await client.request('fine/method', {}, { timeoutMs: 2_000 }), {});
    } finally {
      await client.close();
    }
  });
});
