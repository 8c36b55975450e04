/**
 * The bound on open HTTP connections (`HttpTransport` option `maxConnections`, config `tcp.maxConnections`), over
 * real keep-alive sockets. A connection beyond the bound is told so, never silently dropped: its first request is
 * answered 503 with Retry-After, `Connection: close` and an Overloaded JSON-RPC error, and then it is closed, while
 * the connections within the bound go on being served and a connection that arrives once one has closed is served.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Agent, createServer, request, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { transportDisconnect } from '../../src/diagnostics/channels.js';
import { RequestLogger } from '../../src/logging/request-logger.js';
import { ServerMetrics } from '../../src/metrics/server-metrics.js';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { ConnectionLimit } from '../../src/transport/http/connection-limit.js';
import { HttpTransport } from '../../src/transport/http/http-transport.js';
import { within } from '../helpers/deadline.js';
import { startHttp, type HttpHarness } from '../helpers/http-harness.js';
import { valueOf } from '../helpers/prom-text.js';
import { POST_HEADERS, initializeRequest } from '../helpers/raw-http-client.js';
import { createTestServer } from '../helpers/test-server.js';

const MAX_CONNECTIONS = 3;

/** One answer, with the socket it came over. */
interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  socket: Socket;
}

/** One client connection: an agent that keeps exactly one socket alive, so every request goes over the same one. */
class Connection {
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 1 });
  readonly #url: URL;
  #sessionId: string | undefined;

  constructor(url: string) {
    this.#url = new URL(url);
  }

  send(method: string, path: string, headers: OutgoingHttpHeaders, body?: string): Promise<Answer> {
    const answer = new Promise<Answer>((resolve, reject) => {
      const req = request({ agent: this.#agent, hostname: this.#url.hostname, port: this.#url.port, path, method, headers }, (res) => {
        const socket = res.socket;
        res.setEncoding('utf8');
        let text = '';
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, socket }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
    return within(answer, `the answer to ${method} ${path}`);
  }

  /** Initializes a session over this connection. */
  async initialize(): Promise<Answer> {
    const answer = await this.send('POST', this.#url.pathname, POST_HEADERS, JSON.stringify(initializeRequest(1)));
    const id = answer.headers['mcp-session-id'];
    if (typeof id === 'string') this.#sessionId = id;
    return answer;
  }

  /** Pings within the session this connection initialized. */
  ping(): Promise<Answer> {
    assert.ok(this.#sessionId !== undefined, 'ping before initialize');
    const headers = { ...POST_HEADERS, 'mcp-session-id': this.#sessionId, 'mcp-protocol-version': '2025-11-25' };
    return this.send('POST', this.#url.pathname, headers, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' }));
  }

  close(): void {
    this.#agent.destroy();
  }
}

/** Resolves when the next HTTP connection the server accepted has closed, as the server sees it. */
function nextDisconnect(): Promise<void> {
  return new Promise((resolve) => {
    const seen = (message: unknown): void => {
      if ((message as { transport?: string }).transport !== 'http') return;
      transportDisconnect.unsubscribe(seen);
      resolve();
    };
    transportDisconnect.subscribe(seen);
  });
}

/** Asserts `answer` is the refusal of a connection beyond the bound, and waits for the server to close it. */
async function assertRefused(answer: Answer): Promise<void> {
  assert.equal(answer.status, 503);
  assert.equal(answer.headers['retry-after'], '1');
  assert.equal(answer.headers.connection, 'close');
  const body = JSON.parse(answer.body) as { id: unknown; error: { code: number; message: string; data?: { retryAfterMs?: number } } };
  // No id: the request is never read, and the transport's other refusals of unread requests carry none either.
  assert.equal(body.id, undefined);
  assert.equal(body.error.code, ErrorCode.Overloaded);
  assert.match(body.error.message, new RegExp(`maximum of ${MAX_CONNECTIONS} connections`));
  assert.equal(body.error.data?.retryAfterMs, 1000);
  if (!answer.socket.destroyed) await within(once(answer.socket, 'close'), 'the refused connection to close');
}

describe('HTTP connection limit over real sockets', () => {
  let http: HttpHarness;
  const open: Connection[] = [];

  before(async () => {
    const routes = new Map([['/live', (_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('live');
    }]]);
    http = await startHttp(createTestServer(), { maxConnections: MAX_CONNECTIONS, routes });
  });

  after(async () => {
    for (const c of open) c.close();
    await http.close();
  });

  it('answers the first request of a connection beyond the bound with 503, Retry-After and an Overloaded error, then closes it', async () => {
    const within3: Answer[] = [];
    for (let i = 0; i < MAX_CONNECTIONS; i++) {
      const c = new Connection(http.url);
      open.push(c);
      within3.push(await c.initialize());
    }
    for (const a of within3) assert.equal(a.status, 200);

    const extra = new Connection(http.url);
    try {
      await assertRefused(await extra.initialize());
    } finally {
      extra.close();
    }
    // The refused initialize never reached the server: no session was made for it.
    assert.equal(http.server.sessions.liveCount, MAX_CONNECTIONS);

    // The connections within the bound are still served, each over the socket it had.
    for (const [i, c] of open.entries()) {
      const pong = await c.ping();
      assert.equal(pong.status, 200);
      assert.deepEqual((JSON.parse(pong.body) as { result: unknown }).result, {});
      assert.equal(pong.socket, within3[i]?.socket, `connection ${i} kept its socket`);
    }
  });

  it('serves a new connection once one within the bound has closed', async () => {
    assert.equal(open.length, MAX_CONNECTIONS, 'the connections of the test before are open');
    const gone = nextDisconnect();
    open.shift()?.close();
    await within(gone, 'the server to see a connection close');
    const next = new Connection(http.url);
    open.push(next);
    assert.equal((await next.initialize()).status, 200);
    // And the bound holds again.
    const extra = new Connection(http.url);
    try {
      await assertRefused(await extra.initialize());
    } finally {
      extra.close();
    }
  });

  it('refuses a request that expects 100 Continue without asking for its body first', async () => {
    const extra = new Agent({ keepAlive: true, maxSockets: 1 });
    const url = new URL(http.url);
    try {
      let continued = false;
      const req = request({ agent: extra, method: 'POST', hostname: url.hostname, port: url.port, path: url.pathname, headers: { ...POST_HEADERS, expect: '100-continue' } });
      req.on('continue', () => {
        continued = true;
        req.end(JSON.stringify(initializeRequest(1)));
      });
      req.flushHeaders();
      const [res] = (await within(once(req, 'response'), 'the answer to a request expecting 100 Continue')) as [IncomingMessage];
      res.resume();
      assert.equal(res.statusCode, 503);
      assert.equal(continued, false, 'the client was not asked to upload a body the server refuses');
      req.destroy();
    } finally {
      extra.destroy();
    }
  });

  it('answers the fixed routes (a liveness probe) on a connection beyond the bound, closing it after', async () => {
    const probe = new Connection(http.url);
    try {
      const answer = await probe.send('GET', '/live', {});
      assert.equal(answer.status, 200);
      assert.equal(answer.body, 'live');
      assert.equal(answer.headers.connection, 'close');
      if (!answer.socket.destroyed) await within(once(answer.socket, 'close'), 'the probe connection to close');
    } finally {
      probe.close();
    }
  });

  it('answers a fixed route named in absolute form (as a proxy sends it) on a connection beyond the bound, as within it', async () => {
    const { port } = new URL(http.url);
    const socket = connect(Number(port), '127.0.0.1');
    try {
      await within(once(socket, 'connect'), 'the probe connection');
      socket.setEncoding('utf8');
      let text = '';
      socket.on('data', (chunk: string) => (text += chunk));
      socket.write(`GET http://127.0.0.1:${port}/live HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
      await within(once(socket, 'close'), 'the probe connection to close');
      assert.match(text, /^HTTP\/1\.1 200 /);
      assert.match(text, /live/);
    } finally {
      socket.destroy();
    }
  });
});

describe('metrics of a connection beyond the bound', () => {
  it('counts it in erlmcp_transport_connections_refused_total, and not among the connections served', async () => {
    const metrics = await ServerMetrics.create({ isTool: () => false, runtime: false });
    const http = await startHttp(createTestServer(), { maxConnections: 1 });
    const served = new Connection(http.url);
    const extra = new Connection(http.url);
    try {
      assert.equal((await served.initialize()).status, 200);
      assert.equal((await extra.initialize()).status, 503);
      const text = await metrics.metrics();
      assert.equal(valueOf(text, 'erlmcp_transport_connections_refused_total', { transport: 'http' }), 1);
      assert.equal(valueOf(text, 'erlmcp_transport_connections_total', { transport: 'http' }), 1);
      assert.equal(valueOf(text, 'erlmcp_transport_connections_active', { transport: 'http' }), 1);
    } finally {
      served.close();
      extra.close();
      await http.close();
      metrics.close();
    }
  });
});

describe('logs of a connection beyond the bound', () => {
  it('logs it at warn, naming the transport, the reason and the limit', async () => {
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const text of chunk.toString('utf8').split('\n')) if (text !== '') lines.push(JSON.parse(text) as Record<string, unknown>);
        done();
      },
    });
    const server = createTestServer();
    const logger = await RequestLogger.create({ level: 'warn', slowRequestMs: 10_000, destination, origin: server.origin });
    const http = await startHttp(server, { maxConnections: 1 });
    const served = new Connection(http.url);
    const extra = new Connection(http.url);
    try {
      assert.equal((await served.initialize()).status, 200);
      assert.equal((await extra.initialize()).status, 503);
      assert.deepEqual(lines.map((l) => [l.level, l.msg, l.transport, l.reason, l.limit]), [[40, 'connection refused', 'http', 'max-connections', 1]]);
    } finally {
      served.close();
      extra.close();
      await http.close();
      logger.close();
    }
  });
});

describe('HttpTransport maxConnections option', () => {
  it('refuses a bound that is not a positive integer, naming the option', async () => {
    const server = createTestServer();
    const base = { host: '127.0.0.1', port: 0, path: '/mcp', stateless: false, allowedOrigins: [], allowedHosts: [], maxBodyBytes: 1024 };
    try {
      for (const bad of [0, -1, 1.5, Number.NaN]) {
        assert.throws(() => new HttpTransport(server, { ...base, maxConnections: bad }), {
          code: 'ERLMCP_ERR_INVALID_ARGUMENT',
          message: `options.maxConnections must be a positive integer, got ${String(bad)}`,
        });
      }
    } finally {
      await server.close();
    }
  });
});

describe('ConnectionLimit on a bare node:http server', () => {
  it('ends a refused connection that sends no request by its deadline, so it cannot hold a descriptor for good', async () => {
    const http = createServer((_req, res) => res.end('served'));
    const limit = new ConnectionLimit(http, { maxConnections: 1, routes: new Map(), refusedDeadlineMs: 100 });
    http.on('connection', (socket: Socket) => {
      if (limit.admit(socket)) socket.once('close', () => limit.release());
    });
    http.listen(0, '127.0.0.1');
    await once(http, 'listening');
    const { port } = http.address() as { port: number };
    const firstSeen = once(http, 'connection');
    const admitted = connect(port, '127.0.0.1');
    let silent: Socket | undefined;
    try {
      await within(firstSeen, 'the server to take the first connection');
      silent = connect(port, '127.0.0.1');
      await within(once(silent, 'connect'), 'the second connection');
      // The server's deadline closes it; the client side only sees the end of the stream.
      silent.resume();
      await within(once(silent, 'close'), 'the silent refused connection to be closed', 2_000);
      assert.equal(admitted.destroyed, false, 'the admitted connection is left alone');
      assert.equal(limit.open, 1);
    } finally {
      admitted.destroy();
      silent?.destroy();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  });
});
