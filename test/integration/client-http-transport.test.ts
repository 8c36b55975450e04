/**
 * The client's Streamable HTTP transport against a scripted `node:http` server on port 0, so each wire rule is seen
 * from the server's side: the headers of every POST, GET and DELETE (session id and revision once known), JSON and
 * SSE answers, the standalone GET stream opened only after a 202 to `notifications/initialized` and used for server
 * requests, resumption with GET and `Last-Event-ID` after the server's `retry:`, and the errors a refusal becomes.
 */
import assert from 'node:assert/strict';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import { McpClient } from '../../src/client/mcp-client.js';
import { ErlmcpError } from '../../src/errors.js';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { StreamableHttpClientTransport } from '../../src/transport/http-client/streamable-http-client.js';
import { within } from '../helpers/deadline.js';
import { closeMock, createMock, listenLocal } from '../helpers/mock-http-server.js';

type Body = { id?: number | string; method?: string; params?: Record<string, unknown>; result?: unknown };
interface Seen {
  method: string;
  headers: IncomingMessage['headers'];
  body: Body | undefined;
  at: number;
}
type Route = (req: IncomingMessage, res: ServerResponse, body: Body | undefined) => boolean;

const SESSION = 'session-abc';
const RETRY_MS = 80;

function json(res: ServerResponse, value: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': SESSION, ...headers }).end(JSON.stringify(value));
}

describe('StreamableHttpClientTransport on the wire', () => {
  let server: Server;
  let url = '';
  const seen: Seen[] = [];
  let route: Route = () => false;
  let standalone: ServerResponse | undefined;
  let standaloneOpened!: Promise<void>;
  let markStandalone!: () => void;

  before(async () => {
    server = createMock((req, res, text) => {
      const body = text ? (JSON.parse(text) as Body) : undefined;
      seen.push({ method: req.method ?? '', headers: req.headers, body, at: performance.now() });
      if (route(req, res, body)) return;
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(': open\n\n');
        standalone = res;
        markStandalone();
        return;
      }
      if (req.method === 'DELETE') return void res.writeHead(200).end();
      if (body?.method === 'initialize') {
        return json(res, { jsonrpc: '2.0', id: body.id, result: { protocolVersion: '2025-06-18', capabilities: {}, serverInfo: { name: 'mock', version: '1' } } });
      }
      if (body?.id === undefined || body.method === undefined) return void res.writeHead(202).end();
      json(res, { jsonrpc: '2.0', id: body.id, result: { echoed: body.method } });
    });
    url = await listenLocal(server);
  });

  beforeEach(() => {
    seen.length = 0;
    route = () => false;
    standalone = undefined;
    standaloneOpened = new Promise((resolve) => (markStandalone = resolve));
  });

  after(async () => {
    await closeMock(server);
  });

  async function connect(): Promise<McpClient> {
    const client = new McpClient({ name: 't', version: '1' }, { roots: [{ uri: 'file:///r' }] });
    await client.connect(new StreamableHttpClientTransport(url, { headers: { authorization: 'Bearer t0k' } }));
    return client;
  }

  it('sends the media types, then the session id and revision on every later request, and DELETEs on close', async () => {
    const client = await connect();
    await client.request('custom/method');
    await client.close();
    const [init, initialized, ...rest] = seen;
    assert.equal(init?.headers['content-type'], 'application/json');
    assert.equal(init?.headers.accept, 'application/json, text/event-stream');
    assert.equal(init?.headers.authorization, 'Bearer t0k');
    assert.equal(init?.headers['mcp-session-id'], undefined);
    assert.equal(init?.headers['mcp-protocol-version'], undefined);
    for (const s of [initialized, ...rest]) {
      assert.equal(s?.headers['mcp-session-id'], SESSION, `${s?.method} ${s?.body?.method ?? ''}`);
      assert.equal(s?.headers['mcp-protocol-version'], '2025-06-18');
      assert.equal(s?.headers.authorization, 'Bearer t0k');
    }
    const get = seen.find((s) => s.method === 'GET');
    assert.equal(get?.headers.accept, 'text/event-stream');
    assert.equal(seen.at(-1)?.method, 'DELETE');
    // Its own pool is destroyed with it: no socket stays open, the GET stream's included.
    await within((async () => {
      while (await new Promise<number>((resolve) => server.getConnections((_err, n) => resolve(n))) > 0) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })(), 'every client socket to close');
  });

  it('opens the standalone stream after the 202 to initialized, and answers a server request sent on it', async () => {
    const client = await connect();
    await within(standaloneOpened, 'the GET stream');
    assert.ok(seen.findIndex((s) => s.method === 'GET') > seen.findIndex((s) => s.body?.method === 'notifications/initialized'));
    standalone?.write(`event: message\nid: g1\ndata: ${JSON.stringify({ jsonrpc: '2.0', id: 'srv-1', method: 'roots/list' })}\n\n`);
    const answer = await within((async () => {
      while (!seen.some((s) => s.body?.id === 'srv-1')) await new Promise((resolve) => setImmediate(resolve));
      return seen.find((s) => s.body?.id === 'srv-1');
    })(), 'the roots answer');
    assert.deepEqual(answer?.body?.result, { roots: [{ uri: 'file:///r' }] });
    await client.close();
  });

  it('reads an SSE answer with notifications before the response', async () => {
    route = (_req, res, body) => {
      if (body?.method !== 'sse/method') return false;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const token = (body.params?._meta as { progressToken: number }).progressToken;
      res.write(`data: ${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: token, progress: 1 } })}\n\n`);
      res.end(`data: ${JSON.stringify({ jsonrpc: '2.0', id: body.id, result: { ok: 1 } })}\n\n`);
      return true;
    };
    const client = await connect();
    const progress: number[] = [];
    assert.deepEqual(await client.request('sse/method', {}, { onProgress: (p) => progress.push(p.progress) }), { ok: 1 });
    assert.deepEqual(progress, [1]);
    await client.close();
  });

  it('takes an event stream whose media type is in another case, on a POST answer and on the standalone GET (RFC 9110 8.3.1)', async () => {
    route = (req, res, body) => {
      if (body?.method === 'cased/method') {
        res.writeHead(200, { 'content-type': 'Text/Event-Stream; charset=UTF-8' });
        res.end(`data: ${JSON.stringify({ jsonrpc: '2.0', id: body.id, result: { cased: true } })}\n\n`);
        return true;
      }
      if (req.method !== 'GET') return false;
      res.writeHead(200, { 'content-type': 'TEXT/EVENT-STREAM' });
      res.write(': open\n\n');
      standalone = res;
      markStandalone();
      return true;
    };
    const client = await connect();
    assert.deepEqual(await client.request('cased/method', {}, { timeoutMs: 5_000 }), { cased: true });
    await within(standaloneOpened, 'the GET stream');
    standalone?.write(`data: ${JSON.stringify({ jsonrpc: '2.0', id: 'srv-cased', method: 'roots/list' })}\n\n`);
    const answer = await within((async () => {
      while (!seen.some((s) => s.body?.id === 'srv-cased')) await new Promise((resolve) => setImmediate(resolve));
      return seen.find((s) => s.body?.id === 'srv-cased');
    })(), 'the roots answer on the upper-case stream');
    assert.deepEqual(answer?.body?.result, { roots: [{ uri: 'file:///r' }] });
    await client.close();
  });

  it('takes apart a batch in one SSE event (2025-03-26): its response answers the POST, which is not resumed', async () => {
    const note = { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'x' } };
    route = (_req, res, body) => {
      if (body?.method !== 'batch/method') return false;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`id: b-1\nretry: 10\ndata: ${JSON.stringify([note, { jsonrpc: '2.0', id: body.id, result: { ok: 1 } }])}\n\n`);
      return true;
    };
    const transport = new StreamableHttpClientTransport(url, { standaloneStream: false });
    const got: unknown[] = [];
    transport.onmessage = (m) => got.push(m);
    await transport.start();
    await within(transport.send({ jsonrpc: '2.0', id: 7, method: 'batch/method' }), 'the POST to count as answered');
    assert.deepEqual(got, [note, { jsonrpc: '2.0', id: 7, result: { ok: 1 } }]);
    assert.equal(seen.some((x) => x.headers['last-event-id'] !== undefined), false, 'an answered stream is not resumed');
    await transport.close();
  });

  it(`resumes a stream that closed before its answer with GET and Last-Event-ID, after retry: ${RETRY_MS} ms`, async () => {
    let closedAt = 0;
    route = (req, res, body) => {
      if (body?.method === 'resumable/method') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(`id: ev-1\nretry: ${RETRY_MS}\ndata: \n\n`, () => (closedAt = performance.now()));
        return true;
      }
      if (req.method === 'GET' && req.headers['last-event-id'] === 'ev-1') {
        const call = seen.find((s) => s.body?.method === 'resumable/method');
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(`id: ev-2\ndata: ${JSON.stringify({ jsonrpc: '2.0', id: call?.body?.id, result: { resumed: true } })}\n\n`);
        return true;
      }
      return false;
    };
    const client = await connect();
    assert.deepEqual(await client.request('resumable/method'), { resumed: true });
    const resumedAt = seen.find((s) => s.headers['last-event-id'] === 'ev-1')?.at ?? 0;
    assert.ok(resumedAt - closedAt >= RETRY_MS - 10, `waited ${Math.round(resumedAt - closedAt)} ms, retry: was ${RETRY_MS}`);
    await client.close();
  });

  it('resumes a stream cut inside its answer from the last complete event, with nothing of the cut event left over', async () => {
    route = (req, res, body) => {
      if (body?.method === 'cut/method') {
        const answer = JSON.stringify({ jsonrpc: '2.0', id: body.id, result: { whole: true } });
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        // The answer's event is cut mid-data, then the connection drops.
        res.write(`id: cut-1\nretry: ${RETRY_MS}\ndata: \n\nid: cut-2\ndata: ${answer.slice(0, 20)}`, () => res.destroy());
        return true;
      }
      if (req.method === 'GET' && req.headers['last-event-id'] === 'cut-1') {
        const call = seen.find((x) => x.body?.method === 'cut/method');
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(`id: cut-2\ndata: ${JSON.stringify({ jsonrpc: '2.0', id: call?.body?.id, result: { whole: true } })}\n\n`);
        return true;
      }
      return false;
    };
    const client = await connect();
    client.on('error', () => undefined);
    assert.deepEqual(await client.request('cut/method', {}, { timeoutMs: 5_000 }), { whole: true });
    await client.close();
  });

  it('retries a resumption GET the network failed like one the server refused, and gets the answer', async () => {
    let resumes = 0;
    route = (req, res, body) => {
      if (body?.method === 'flaky/method') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(`id: flaky-1\nretry: ${RETRY_MS}\ndata: \n\n`);
        return true;
      }
      if (req.method !== 'GET' || req.headers['last-event-id'] !== 'flaky-1') return false;
      // The first resumption is reset before its headers: a transient network failure.
      if (++resumes === 1) return void req.socket.destroy(), true;
      const call = seen.find((x) => x.body?.method === 'flaky/method');
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`id: flaky-2\ndata: ${JSON.stringify({ jsonrpc: '2.0', id: call?.body?.id, result: { resumed: true } })}\n\n`);
      return true;
    };
    const client = await connect();
    client.on('error', () => undefined);
    assert.deepEqual(await client.request('flaky/method', {}, { timeoutMs: 5_000 }), { resumed: true });
    assert.equal(resumes, 2);
    await client.close();
  });

  it('fails a request whose every resumption the network failed with ERLMCP_ERR_STREAM_ENDED naming the failure', async () => {
    route = (req, res, body) => {
      if (body?.method === 'unreachable/method') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(`id: unreachable-1\nretry: 10\ndata: \n\n`);
        return true;
      }
      if (req.method !== 'GET' || req.headers['last-event-id'] !== 'unreachable-1') return false;
      req.socket.destroy();
      return true;
    };
    const client = await connect();
    client.on('error', () => undefined);
    await assert.rejects(client.request('unreachable/method', {}, { timeoutMs: 5_000 }), (err: unknown) => err instanceof ErlmcpError
      && err.code === 'ERLMCP_ERR_STREAM_ENDED' && /could not be resumed after 5 attempts: the last GET failed \(other side closed\)/.test(err.message));
    assert.equal(seen.filter((x) => x.headers['last-event-id'] === 'unreachable-1').length, 5);
    await client.close();
  });

  it('stops resuming a stream once the client gave its request up', async () => {
    route = (req, res, body) => {
      if (body?.method === 'never/method' || (req.method === 'GET' && req.headers['last-event-id'] === 'never-1')) {
        // Accepts every resumption, answers nothing.
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(`id: never-1\nretry: ${RETRY_MS}\ndata: \n\n`);
        return true;
      }
      return false;
    };
    const client = await connect();
    await assert.rejects(client.request('never/method', {}, { timeoutMs: 3 * RETRY_MS }), /timed out/);
    const resumes = (): number => seen.filter((x) => x.headers['last-event-id'] === 'never-1').length;
    const atTimeout = resumes();
    await new Promise((resolve) => setTimeout(resolve, 4 * RETRY_MS));
    assert.ok(resumes() <= atTimeout + 1, `still resuming after the timeout: ${atTimeout} then ${resumes()}`);
    await client.close();
  });

  it('a stream that ends without its answer and without an event id fails the request', async () => {
    route = (_req, res, body) => {
      if (body?.method !== 'broken/method') return false;
      res.writeHead(200, { 'content-type': 'text/event-stream' }).end('data: \n\n');
      return true;
    };
    const client = await connect();
    await assert.rejects(client.request('broken/method'), (err: unknown) => err instanceof ErlmcpError && err.code === 'ERLMCP_ERR_STREAM_ENDED');
    await client.close();
  });

  it('fails a request at once when its answer is neither JSON nor SSE (a 200 page, a 202), naming what came', async () => {
    route = (_req, res, body) => {
      if (body?.method === 'html/method') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<p>login</p>'), true;
      if (body?.method === 'accepted/method') return void res.writeHead(202).end(), true;
      return false;
    };
    const client = await connect();
    const started = performance.now();
    await assert.rejects(client.request('html/method', {}, { timeoutMs: 5_000 }), (err: unknown) => err instanceof ErlmcpError && /HTTP 200 with content-type text\/html is no answer to a request/.test(err.message));
    await assert.rejects(client.request('accepted/method', {}, { timeoutMs: 5_000 }), (err: unknown) => err instanceof ErlmcpError && /HTTP 202 .* is no answer to a request/.test(err.message));
    assert.ok(performance.now() - started < 2_000, 'failed at once, not by the timeout');
    await client.close();
  });

  it('refuses transport options that are not numbers of the right kind, naming them', () => {
    for (const [name, value] of [['maxReconnects', 'x'], ['maxReconnects', 1.5], ['reconnectDelayMs', -1], ['deleteTimeoutMs', Number.NaN], ['standaloneWaitMs', -5]] as const) {
      assert.throws(() => new StreamableHttpClientTransport(url, { [name]: value } as never), (err: unknown) => err instanceof ErlmcpError && err.code === 'ERLMCP_ERR_INVALID_ARGUMENT' && err.message.includes(`options.${name}`), `${name}: ${String(value)}`);
    }
  });

  it('refuses a delay option beyond 2^31 - 1 ms, which Node\'s setTimeout would fire after 1 ms', async () => {
    for (const name of ['reconnectDelayMs', 'standaloneWaitMs', 'deleteTimeoutMs'] as const) {
      assert.throws(
        () => new StreamableHttpClientTransport(url, { [name]: 2 ** 31 }),
        (err: unknown) => err instanceof ErlmcpError && err.code === 'ERLMCP_ERR_INVALID_ARGUMENT' && err.message.includes(`options.${name} must be a number, from 0 to 2147483647, got 2147483648`),
        name,
      );
      // The largest delay Node honours is still accepted.
      await new StreamableHttpClientTransport(url, { [name]: 2 ** 31 - 1 }).close();
    }
  });

  it('a 404 for the session is ERLMCP_ERR_SESSION_NOT_FOUND; another refusal is ERLMCP_ERR_HTTP_STATUS with its detail', async () => {
    route = (_req, res, body) => {
      if (body?.method === 'gone/method') {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: ErrorCode.RequestTimeout, message: 'Session not found' } }));
        return true;
      }
      // A server that echoes the request's id in its 404 (JSON-RPC 2.0 section 5) still means the session is gone.
      if (body?.method === 'gone/with-id') {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: body.id, error: { code: ErrorCode.InvalidRequest, message: 'Session not found' } }));
        return true;
      }
      if (body?.method !== 'teapot/method') return false;
      res.writeHead(418).end('short and stout');
      return true;
    };
    const client = await connect();
    await assert.rejects(client.request('gone/method'), (err: unknown) => err instanceof ErlmcpError && err.code === 'ERLMCP_ERR_SESSION_NOT_FOUND' && /Session not found/.test(err.message));
    await assert.rejects(client.request('teapot/method'), (err: unknown) => err instanceof ErlmcpError && err.code === 'ERLMCP_ERR_HTTP_STATUS' && /418: short and stout/.test(err.message));
    await client.close();
    // A first 404 made the client forget its session; a second client meets the one that carries its id.
    const echoing = await connect();
    await assert.rejects(echoing.request('gone/with-id'), (err: unknown) => err instanceof ErlmcpError && err.code === 'ERLMCP_ERR_SESSION_NOT_FOUND');
    await echoing.close();
  });

  it('opens no standalone stream when initialized is not answered 202', async () => {
    route = (_req, res, body) => {
      if (body?.method !== 'notifications/initialized') return false;
      json(res, { jsonrpc: '2.0', result: {} });
      return true;
    };
    const client = await connect();
    await client.ping();
    await client.close();
    assert.equal(seen.some((s) => s.method === 'GET'), false);
  });
});
