/**
 * Request ids on a message-stream connection (stdio's framing, here over a real TCP socket): an id MUST NOT be
 * reused within a session (basic), and a 2026-07-28 request is tracked in the connection's in-flight map like a
 * session-era one. A second request under the id of one still in flight is refused; served, it took the first's
 * place in the map, so the first could no longer be cancelled, and a listen stream outlived its connection in
 * the server's listen hub.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import type { McpServer } from '../../src/server/mcp-server.js';
import { StdioTransport } from '../../src/transport/stdio/stdio-transport.js';
import { within } from '../helpers/deadline.js';
import { createDualEraServer, modernMeta } from '../helpers/dual-era-server.js';

type Json = Record<string, unknown>;

/** The client end of one newline-delimited JSON connection. */
class LineClient {
  readonly socket: Socket;
  readonly #inbox: Json[] = [];
  #wake: (() => void) | undefined;
  #rest = '';

  constructor(socket: Socket) {
    this.socket = socket;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      const lines = (this.#rest + chunk).split('\n');
      this.#rest = lines.pop() ?? '';
      for (const line of lines) if (line.length > 0) this.#inbox.push(JSON.parse(line) as Json);
      this.#wake?.();
    });
  }

  send(message: Json): void {
    this.socket.write(`${JSON.stringify(message)}\n`);
  }

  /** The first message received that satisfies `match`, taken out of the inbox. */
  async next(match: (m: Json) => boolean, what: string): Promise<Json> {
    for (;;) {
      const at = this.#inbox.findIndex(match);
      if (at >= 0) return this.#inbox.splice(at, 1)[0] as Json;
      await within(new Promise<void>((resolve) => (this.#wake = resolve)), what);
    }
  }
}

describe('request ids on a message-stream connection', () => {
  let server: McpServer;
  let listener: Server;
  let port: number;
  const transports: StdioTransport[] = [];
  const sockets: Socket[] = [];

  before(async () => {
    server = createDualEraServer();
    listener = createServer((socket) => {
      sockets.push(socket);
      const transport = new StdioTransport({ input: socket, output: socket });
      transports.push(transport);
      // A socket error (the client resets it) closes the connection as the end of input does.
      socket.on('error', () => void transport.close());
      void server.connect(transport);
    });
    listener.listen(0, '127.0.0.1');
    await once(listener, 'listening');
    port = (listener.address() as AddressInfo).port;
  });

  after(async () => {
    await Promise.all(transports.map((t) => t.close()));
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => listener.close(resolve));
    await server.close();
  });

  async function open(): Promise<LineClient> {
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    return new LineClient(socket);
  }

  it('refuses a second subscriptions/listen under the id of one still open, and keeps no listener once the connection closes', async () => {
    const hub = server.modern?.listen;
    assert.ok(hub);
    const before = hub.size;
    const client = await open();
    const listen = { jsonrpc: '2.0', id: 'L', method: 'subscriptions/listen', params: { _meta: modernMeta(), notifications: { toolsListChanged: true } } };
    client.send(listen);
    await client.next((m) => m.method === 'notifications/subscriptions/acknowledged', 'the first listen\'s ack');
    client.send(listen);
    const refused = await client.next((m) => m.id === 'L', 'the answer to the second listen');
    assert.equal((refused.error as Json | undefined)?.code, ErrorCode.InvalidRequest, JSON.stringify(refused));
    assert.equal(hub.size, before + 1, 'one listen stream open');

    const closed = transports.at(-1)?.closed;
    client.socket.end();
    await within(closed ?? Promise.reject(new Error('no transport')), 'the server side of the connection closing');
    assert.equal(hub.size, before, 'the listen stream ended with its connection');
  });

  it('refuses a 2026-07-28 request under the id of a session-era one in flight, which stays cancellable', async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    let aborted!: () => void;
    const abortSeen = new Promise<void>((resolve) => (aborted = resolve));
    server.tool('hold', { description: 'Runs until cancelled' }, async (_a, ctx) => {
      started();
      await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
      aborted();
      return 'cancelled';
    });
    const client = await open();
    client.send({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
    await client.next((m) => m.id === 0, 'the initialize answer');
    client.send({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'hold', arguments: {} } });
    await within(running, 'the session-era call to start');
    client.send({ jsonrpc: '2.0', id: 7, method: 'server/discover', params: { _meta: modernMeta() } });
    const refused = await client.next((m) => m.id === 7, 'the answer to the reused id');
    assert.equal((refused.error as Json | undefined)?.code, ErrorCode.InvalidRequest, JSON.stringify(refused));
    client.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 7 } });
    await within(abortSeen, 'the first request seeing its cancellation');
    client.socket.end();
  });
});
