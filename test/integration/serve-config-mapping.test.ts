/**
 * Config keys that only tune the library must reach it, not just validate: `buildServer` hands `limits.maxListenUris`,
 * `server.mrtrMaxStateBytes` and `server.mrtrMaxRounds` to McpServer, and `erlmcp serve` hands
 * `server.sseKeepAliveMs` to the HTTP transport, whose `subscriptions/listen` streams then keep alive at that
 * interval, and `tcp.maxConnections` to its connection bound. The values set differ from the defaults, so dropping a
 * mapping fails its check.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Agent, request, type IncomingMessage } from 'node:http';
import { buildServer, unbuiltSettings } from '../../src/cli/build-server.js';
import { loadConfig } from '../../src/config/load-config.js';
import { McpServer } from '../../src/server/mcp-server.js';
import { HttpTransport } from '../../src/transport/http/http-transport.js';
import { within } from '../helpers/deadline.js';
import { modernHeaders, modernMeta } from '../helpers/dual-era-server.js';
import { startServe, type ServeProcess } from '../helpers/serve-process.js';

describe('config reaches the running objects', () => {
  const running: ServeProcess[] = [];
  after(async () => {
    await Promise.all(running.map((p) => p.stop()));
  });

  it('buildServer passes server.mrtrMaxStateBytes, server.mrtrMaxRounds and limits.maxListenUris to McpServer', async () => {
    const config = loadConfig({ env: {}, overrides: { demo: { enabled: false }, server: { mrtrMaxStateBytes: 4096, mrtrMaxRounds: 3 }, limits: { maxListenUris: 5 } } });
    const server = await buildServer(config);
    try {
      const mrtr = server.modern?.options.mrtr;
      assert.equal(mrtr?.maxStateBytes, 4096);
      assert.equal(mrtr?.maxRounds, 3);
      assert.equal(server.modern?.options.maxListenUris, 5);
    } finally {
      await server.close();
    }
  });

  it('HttpTransport refuses a keep-alive interval setInterval cannot honour, naming the option', async () => {
    const server = new McpServer({ info: { name: 't', version: '1' } });
    const base = { host: '127.0.0.1', port: 0, path: '/mcp', stateless: false, allowedOrigins: [], allowedHosts: [], maxBodyBytes: 1024 };
    try {
      for (const bad of [0, -5, 1.5, 2 ** 31]) {
        assert.throws(() => new HttpTransport(server, { ...base, sseKeepAliveMs: bad }), {
          code: 'ERLMCP_ERR_INVALID_ARGUMENT',
          message: `options.sseKeepAliveMs must be an integer between 1 and 2147483647, got ${bad}`,
        });
      }
    } finally {
      await server.close();
    }
  });

  it('tcp.maxConnections is served, while the rest of the tcp section is still refused as not built', () => {
    assert.deepEqual(unbuiltSettings(loadConfig({ env: {}, overrides: { tcp: { maxConnections: 5 } } })), []);
    const problems = unbuiltSettings(loadConfig({ env: {}, overrides: { tcp: { maxConnections: 5, backlog: 10 } } }));
    assert.equal(problems.length, 1);
    assert.match(problems[0] ?? '', /^config: tcp\.backlog is set, but that section is not built/);
  });

  it('erlmcp serve bounds its HTTP connections at tcp.maxConnections (set from the environment)', async () => {
    const erlmcp = await startServe([], {
      metrics: false,
      env: { ERLMCP_TCP__MAX_CONNECTIONS: '1', ERLMCP_METRICS__ENABLED: 'false', ERLMCP_LOGGING__LEVEL: 'silent' },
    });
    running.push(erlmcp);
    const url = new URL(erlmcp.url);
    // Two keep-alive connections, the first kept open while the second asks.
    const first = new Agent({ keepAlive: true, maxSockets: 1 });
    const second = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      assert.notEqual((await postPing(first, url)).status, 503);
      const refused = await postPing(second, url);
      assert.equal(refused.status, 503, 'the second connection is beyond tcp.maxConnections: 1');
      assert.equal(refused.retryAfter, '1');
    } finally {
      first.destroy();
      second.destroy();
    }
    await erlmcp.stop();
    assert.equal((await erlmcp.exited).code, 0, erlmcp.stderr());
  });

  it('erlmcp serve keeps subscriptions/listen streams alive at server.sseKeepAliveMs (set from the environment)', async () => {
    const erlmcp = await startServe([], {
      metrics: false,
      env: { ERLMCP_SERVER__SSE_KEEP_ALIVE_MS: '50', ERLMCP_METRICS__ENABLED: 'false', ERLMCP_LOGGING__LEVEL: 'silent' },
    });
    running.push(erlmcp);
    const body = { jsonrpc: '2.0', id: 1, method: 'subscriptions/listen', params: { _meta: modernMeta(), notifications: { toolsListChanged: true } } };
    const abort = new AbortController();
    const res = await fetch(erlmcp.url, { method: 'POST', headers: modernHeaders(body), body: JSON.stringify(body), signal: abort.signal });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    const reader = (res.body as ReadableStream<Uint8Array>).pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    // The default interval is 15 s, so a comment within 3 s means the configured 50 ms got through.
    const keptAlive = (async () => {
      while (!/(?:^|\n\n):\n\n/.test(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`the listen stream ended without a keep-alive: ${text}`);
        text += value;
      }
    })();
    try {
      await within(keptAlive, 'a keep-alive comment on the listen stream', 3_000);
      assert.match(text, /^(?:[^:\n][^\n]*\n)*data: [^\n]*"notifications\/subscriptions\/acknowledged"/, 'the acknowledgement comes first');
    } finally {
      abort.abort();
      await keptAlive.catch(() => undefined);
    }
    await erlmcp.stop();
    assert.equal((await erlmcp.exited).code, 0, erlmcp.stderr());
  });
});

/** POSTs a ping to the MCP endpoint over `agent`'s connection; only the status and Retry-After matter here. */
async function postPing(agent: Agent, url: URL): Promise<{ status: number; retryAfter: string | string[] | undefined }> {
  const req = request({ agent, method: 'POST', hostname: url.hostname, port: url.port, path: url.pathname, headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' } });
  req.end(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }));
  const [res] = (await within(once(req, 'response'), 'the answer to the ping')) as [IncomingMessage];
  res.resume();
  await once(res, 'end');
  return { status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] };
}
