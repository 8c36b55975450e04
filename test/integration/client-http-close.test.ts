/**
 * After the HTTP client transport's close() nothing of it runs on (STYLE.md rule 9): no request still waiting for
 * its headers, no stream still read, on its own pool or on a `dispatcher` shared with other clients, which is not
 * closed with it, and no wait before a resumption, which a server's `retry:` may make as long as it likes. A
 * scripted `node:http` server on port 0 holds the answers, so what close() leaves is seen from the server's side (a
 * connection closed), from the pool's (`stats.running`) and from the process's (its active timers).
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Pool } from 'undici';
import { McpClient } from '../../src/client/mcp-client.js';
import { StreamableHttpClientTransport } from '../../src/transport/http-client/streamable-http-client.js';
import { within } from '../helpers/deadline.js';
import { closeMock, createMock, listenLocal } from '../helpers/mock-http-server.js';

type Body = { id?: number | string; method?: string };
type Route = (req: IncomingMessage, res: ServerResponse, body: Body | undefined) => boolean;

/**
 * Polls `done` each turn of the event loop until it holds, for a state no event announces. The bound is a clock
 * read, not a timer, so that it never counts among the timers a test checks.
 */
async function until(done: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + 5_000;
  while (!done()) {
    if (performance.now() > deadline) throw new Error(`timed out after 5000 ms waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The timers that keep the process alive. */
function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
}

/** A stream that ends at once, asking for a resumption in 30 s (SEP-1699 polling). */
const RETRY_LATER = 'id: e1\nretry: 30000\ndata: \n\n';

describe('StreamableHttpClientTransport close()', () => {
  let server: Server;
  let url = '';
  let route: Route = () => false;

  before(async () => {
    server = createMock((req, res, text) => {
      const body = text ? (JSON.parse(text) as Body) : undefined;
      if (route(req, res, body)) return;
      if (req.method === 'GET') return void res.writeHead(405).end();
      if (req.method === 'DELETE') return void res.writeHead(200).end();
      if (body?.method === 'initialize') {
        res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': 'session-close' });
        return void res.end(JSON.stringify({ jsonrpc: '2.0', id: body.id, result: { protocolVersion: '2025-11-25', capabilities: {}, serverInfo: { name: 'mock', version: '1' } } }));
      }
      if (body?.id === undefined || body.method === undefined) return void res.writeHead(202).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: body.id, result: {} }));
    });
    url = await listenLocal(server);
  });

  beforeEach(() => {
    route = () => false;
  });

  after(async () => {
    await closeMock(server);
  });

  it('aborts its requests and streams on a shared dispatcher, and leaves the dispatcher open', async () => {
    let standalone!: (res: ServerResponse) => void;
    const standaloneHeld = new Promise<ServerResponse>((resolve) => (standalone = resolve));
    let hung!: (res: ServerResponse) => void;
    const postHeld = new Promise<ServerResponse>((resolve) => (hung = resolve));
    route = (req, res, body) => {
      if (req.method === 'GET') {
        // The standalone stream: open, and never ended by the server.
        res.writeHead(200, { 'content-type': 'text/event-stream' }).write(': open\n\n');
        standalone(res);
        return true;
      }
      if (body?.method !== 'hang/method') return false;
      // Never answered: the POST waits for its headers.
      hung(res);
      return true;
    };
    const pool = new Pool(new URL(url).origin, { connections: 4 });
    try {
      const client = new McpClient({ name: 'close-client', version: '1' });
      client.on('error', () => undefined);
      await client.connect(new StreamableHttpClientTransport(url, { dispatcher: pool }));
      const call = assert.rejects(client.request('hang/method', {}, { timeoutMs: 0 }), /the client closed/);
      const [getRes, postRes] = await within(Promise.all([standaloneHeld, postHeld]), 'the standalone GET and the hung POST');
      const closed = Promise.all([once(getRes, 'close'), once(postRes, 'close')]);
      await client.close();
      await call;
      await within(closed, 'the server to see both connections closed');
      await until(() => pool.stats.running === 0, 'no request of the closed client running on the shared pool');
      assert.equal(pool.destroyed, false);
    } finally {
      await pool.destroy();
    }
  });

  it('clears the wait before resuming a POST stream, whatever retry: the server asked for', async () => {
    route = (_req, res, body) => {
      if (body?.method !== 'poll/method') return false;
      res.writeHead(200, { 'content-type': 'text/event-stream' }).end(RETRY_LATER);
      return true;
    };
    const client = new McpClient({ name: 'close-client', version: '1' }, { requestTimeoutMs: 0 });
    await client.connect(new StreamableHttpClientTransport(url, { standaloneStream: false }));
    const baseline = activeTimers();
    const call = assert.rejects(client.request('poll/method'), /the client closed/);
    await until(() => activeTimers() > baseline, 'the transport to wait out retry: before resuming');
    await client.close();
    await call;
    assert.equal(activeTimers(), baseline, `timers left after close(): ${JSON.stringify(process.getActiveResourcesInfo())}`);
  });

  it('clears the wait before resuming the standalone stream', async () => {
    route = (req, res) => {
      if (req.method !== 'GET') return false;
      res.writeHead(200, { 'content-type': 'text/event-stream' }).end(RETRY_LATER);
      return true;
    };
    const baseline = activeTimers();
    const client = new McpClient({ name: 'close-client', version: '1' });
    await client.connect(new StreamableHttpClientTransport(url));
    await until(() => activeTimers() > baseline, 'the transport to wait out retry: before resuming');
    await client.close();
    assert.equal(activeTimers(), baseline, `timers left after close(): ${JSON.stringify(process.getActiveResourcesInfo())}`);
  });
});
