/**
 * Long-lived answers pipelined behind another request on one connection (HTTP/1.1 pipelining): node attaches such a
 * response to the socket only once the answer before it is written, and when the client leaves first, the response
 * gets no 'close' of its own. A GET stream queued so stayed "attached" to nothing: every later GET of the session
 * was a 409 and the session never idled out; a queued `subscriptions/listen` stayed in the listen hub for good.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { within } from '../helpers/deadline.js';
import { createDualEraServer, modernHeaders, modernMeta } from '../helpers/dual-era-server.js';
import { startHttp, type HttpHarness } from '../helpers/http-harness.js';
import { initializeHttp, McpHttpSession, POST_HEADERS, RawHttpClient } from '../helpers/raw-http-client.js';

/** A server with `hold`, a tool that runs until released: the request the next one queues behind. */
async function holdingServer(): Promise<{ http: HttpHarness; running: Promise<void>; release: () => void }> {
  const server = createDualEraServer();
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let started!: () => void;
  const running = new Promise<void>((resolve) => (started = resolve));
  server.tool('hold', { description: 'Runs until released' }, async () => {
    started();
    await released;
    return 'released';
  });
  return { http: await startHttp(server), running, release };
}

/** One raw HTTP/1.1 request. */
function rawRequest(method: string, url: URL, headers: Record<string, string>, body?: unknown): string {
  const text = body === undefined ? '' : JSON.stringify(body);
  const all: Record<string, string> = { host: url.host, ...headers };
  if (body !== undefined) all['content-length'] = String(Buffer.byteLength(text));
  return `${method} ${url.pathname} HTTP/1.1\r\n${Object.entries(all).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n${text}`;
}

/** Resolves once `done()` holds, checking on each turn of the event loop (a bounded wait, not a sleep). */
async function until(done: () => boolean, what: string): Promise<void> {
  await within((async () => {
    while (!done()) await new Promise((resolve) => setImmediate(resolve));
  })(), what);
}

/**
 * Writes `requests` on one connection at once, waits until the first runs and the second is being served (`queued`),
 * then leaves.
 */
async function pipelineAndLeave(http: HttpHarness, requests: string, running: Promise<void>, queued: () => boolean): Promise<void> {
  const url = new URL(http.url);
  const sockets = http.transport.socketCount;
  const socket: Socket = connect(Number(url.port), url.hostname);
  socket.on('error', () => {});
  await once(socket, 'connect');
  socket.write(requests);
  await within(running, 'the first request to run');
  await until(queued, 'the second request to be served behind the first');
  socket.destroy();
  // The server must see the connection gone before the first answer is written: else node hands the socket to the
  // queued response, which then gets its 'close' as any other.
  await until(() => http.transport.socketCount === sockets, 'the server to see the connection closed');
}

describe('a long-lived answer queued behind another on a connection the client left', () => {
  it('frees the session\'s GET stream: a later GET gets it, and the session is no longer busy', async () => {
    const { http, running, release } = await holdingServer();
    const other = new RawHttpClient(http.url);
    try {
      const session = await initializeHttp(http.client);
      const sessionHeaders = { 'mcp-session-id': session.id, 'mcp-protocol-version': session.protocolVersion };
      const url = new URL(http.url);
      await pipelineAndLeave(http,
        rawRequest('POST', url, { ...POST_HEADERS, ...sessionHeaders }, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'hold', arguments: {} } })
        + rawRequest('GET', url, { accept: 'text/event-stream', ...sessionHeaders }),
        // The GET stream subscribes to the session's bus topic once it is opened.
        running, () => http.server.sessions.bus.topicCount() === 1);
      release();
      const live = http.server.sessions.peek(session.id);
      await until(() => live?.busy === false, 'the session to be idle again');
      const get = await new McpHttpSession(other, session.id, session.protocolVersion).get();
      assert.equal(get.status, 200, 'the stream is free for the next GET');
    } finally {
      other.close();
      await http.close();
    }
  });

  it('ends a 2026-07-28 subscriptions/listen: the listen hub keeps nothing', async () => {
    const { http, running, release } = await holdingServer();
    try {
      const hub = http.server.modern?.listen;
      assert.ok(hub);
      const url = new URL(http.url);
      const call = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'hold', arguments: {}, _meta: modernMeta() } };
      const listen = { jsonrpc: '2.0', id: 2, method: 'subscriptions/listen', params: { _meta: modernMeta(), notifications: { toolsListChanged: true } } };
      await pipelineAndLeave(http, rawRequest('POST', url, modernHeaders(call), call) + rawRequest('POST', url, modernHeaders(listen), listen), running, () => hub.size === 1);
      release();
      await until(() => hub.size === 0, 'the listen hub to let the listener go');
    } finally {
      await http.close();
    }
  });
});
