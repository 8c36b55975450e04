/**
 * `HttpTransport.close()` over real sockets: work accepted before the close is answered on the wire before any socket
 * is cut, and requests that reach the server while it drains are served or explicitly refused, never run and then
 * dropped. The raw socket writes its requests back to back (HTTP/1.1 pipelining), so node:http dispatches the second
 * before the first is answered and queues its response behind the first's.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { within } from '../helpers/deadline.js';
import { startHttp, type HttpHarness } from '../helpers/http-harness.js';
import { initializeHttp, type McpHttpSession } from '../helpers/raw-http-client.js';
import { createTestServer } from '../helpers/test-server.js';

/** A tool that answers when the test opens its gate, and one that counts its calls. */
interface Gates {
  started: Promise<void>;
  open: () => void;
  noted: string[];
  /** Resolves on the first call of `note`. */
  firstNote: Promise<void>;
}

function gatedServer(): { server: ReturnType<typeof createTestServer>; gates: () => Gates } {
  const server = createTestServer();
  let current: Gates & { markStarted: () => void; markNoted: () => void; gate: Promise<void> };
  const reset = (): Gates => {
    let markStarted!: () => void;
    let markNoted!: () => void;
    let open!: () => void;
    const started = new Promise<void>((r) => (markStarted = r));
    const firstNote = new Promise<void>((r) => (markNoted = r));
    const gate = new Promise<void>((r) => (open = r));
    current = { started, open, noted: [], firstNote, markStarted, markNoted, gate };
    return current;
  };
  reset();
  server.tool('gated', {}, async () => {
    current.markStarted();
    await current.gate;
    return 'opened';
  });
  server.tool<{ bytes: number }>('big', { inputSchema: { type: 'object', properties: { bytes: { type: 'integer' } } } }, async (args) => {
    current.markStarted();
    await current.gate;
    return 'x'.repeat(args.bytes);
  });
  server.tool<{ text: string }>('note', { inputSchema: { type: 'object', properties: { text: { type: 'string' } } } }, (args) => {
    current.noted.push(args.text);
    current.markNoted();
    return `noted ${args.text}`;
  });
  return { server, gates: reset };
}

/** Everything a raw socket receives until it closes. */
function collect(socket: Socket): Promise<string> {
  let text = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (text += chunk));
  return new Promise((resolve) => socket.once('close', () => resolve(text)));
}

/** The JSON-RPC ids of the answers in a raw HTTP/1.1 byte stream, in order. */
function answeredIds(raw: string): unknown[] {
  return [...raw.matchAll(/\r\n\r\n(\{"jsonrpc".*?\})(?=HTTP\/1\.1|$)/gs)].map((m) => (JSON.parse(m[1] as string) as { id: unknown }).id);
}

describe('closing the HTTP transport with answers still to send', () => {
  let http: HttpHarness;
  let session: McpHttpSession;
  let gates: () => Gates;
  let port: number;

  // Each test closes the transport: a fresh one for each.
  beforeEach(async () => {
    const built = gatedServer();
    gates = built.gates;
    http = await startHttp(built.server);
    session = await initializeHttp(http.client);
    port = Number(new URL(http.url).port);
  });
  afterEach(() => http.close());

  function post(id: number, name: string, args: Record<string, unknown> = {}): string {
    const body = JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });
    return `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: application/json, text/event-stream\r\n`
      + `Content-Type: application/json\r\nMcp-Session-Id: ${session.id}\r\nMCP-Protocol-Version: ${session.protocolVersion}\r\n`
      + `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  }

  it('sends the answer of a pipelined request that ran before the close, not only the one it was queued behind', async () => {
    const g = gates();
    const socket = connect(port, '127.0.0.1');
    const received = collect(socket);
    socket.write(post(1, 'gated') + post(2, 'note', { text: 'pipelined' }));
    await within(Promise.all([g.started, g.firstNote]), 'both calls to start');
    // The second request has run: its answer waits in node's queue behind the first's.
    assert.deepEqual(g.noted, ['pipelined']);
    const closed = http.transport.close(2_000);
    g.open();
    await within(closed, 'the transport to close');
    const raw = await within(received, 'the socket to close');
    assert.deepEqual(answeredIds(raw), [1, 2], `what the client received:\n${raw}`);
  });

  it('lets a large answer reach a client that reads slowly before it cuts the socket', async () => {
    // More than loopback's socket buffers hold while the client does not read, so node still has bytes to write
    // when the handler has answered and nothing is in flight any more.
    const bytes = 8 * 1024 * 1024;
    const g = gates();
    const socket = connect(port, '127.0.0.1');
    const received = collect(socket);
    socket.pause();
    socket.write(post(3, 'big', { bytes }));
    await within(g.started, 'the big call to start');
    const closed = http.transport.close(5_000);
    g.open();
    // A slow reader: it takes its time before reading.
    await new Promise((r) => setTimeout(r, 200));
    socket.resume();
    await within(closed, 'the transport to close', 10_000);
    const raw = await within(received, 'the socket to close');
    const split = raw.indexOf('\r\n\r\n');
    const declared = Number(/content-length: (\d+)/i.exec(raw.slice(0, split))?.[1]);
    assert.ok(declared > bytes, `the answer's headers: ${raw.slice(0, split)}`);
    assert.equal(Buffer.byteLength(raw.slice(split + 4)), declared, 'the answer was cut short');
  });

  it('answers a request that arrives while it drains with Connection: close, and runs none pipelined behind it', async () => {
    const g = gates();
    // Another client's call keeps the drain waiting.
    const busy = connect(port, '127.0.0.1');
    const busyReceived = collect(busy);
    busy.write(post(10, 'gated'));
    await within(g.started, 'the gated call to start');
    // A client whose connection is busy when the close starts (a body half sent), so it is not closed as idle.
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    const socketClosed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const first = post(11, 'note', { text: 'before' });
    const dispatched = once(http.transport.httpServer, 'request');
    socket.write(first.slice(0, -5));
    await within(dispatched, 'the server to read the first request\'s headers');
    const closed = http.transport.close(2_000);
    socket.write(first.slice(-5));
    await within(g.firstNote, 'the first note');
    await within(new Promise<void>((resolve) => socket.on('data', () => text.includes('"id":11') && resolve())), 'the first answer');
    // The drain goes on (the gated call still runs); this client sends more on its open connection.
    socket.write(post(12, 'note', { text: 'during' }) + post(13, 'note', { text: 'pipelined during' }));
    await within(socketClosed, 'the server to close the connection after its answer');
    assert.deepEqual(answeredIds(text), [11, 12], `what the client received:\n${text}`);
    const lastHead = text.slice(text.lastIndexOf('HTTP/1.1 '));
    assert.match(lastHead, /\r\nconnection: close\r\n/i);
    // Run and then dropped with the connection, it would be work done and never answered.
    assert.deepEqual(g.noted, ['before', 'during']);
    g.open();
    await within(closed, 'the transport to close');
    assert.deepEqual(answeredIds(await busyReceived), [10]);
  });
});
