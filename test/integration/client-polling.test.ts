/**
 * The HTTP client against a server that polls (2025-11-25 SEP-1699): a long handler closes its stream's connection
 * again and again with `ctx.closeStream()`, and the client resumes each time with GET and `Last-Event-ID`. A
 * resumption the server accepts is not a failure, even when nothing new was due: before, only a GET that carried
 * data reset the client's count, so the sixth close failed the request "after 5 attempts". Under 2025-06-18 a
 * stream has no priming event to resume from, so there `closeStream()` does nothing and the answer comes on the
 * POST itself.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { McpClient } from '../../src/client/mcp-client.js';
import { McpServer } from '../../src/server/mcp-server.js';
import { StreamableHttpClientTransport } from '../../src/transport/http-client/streamable-http-client.js';
import { within } from '../helpers/deadline.js';
import { startHttp, type HttpHarness } from '../helpers/http-harness.js';

const CLOSES = 8;

describe('HTTP client against a polling server', () => {
  let http: HttpHarness;
  let closes = 0;

  before(async () => {
    const server = new McpServer({ info: { name: 'poller', version: '1' } });
    server.tool('long', { description: `Closes its stream ${CLOSES} times, then answers` }, async (_args, ctx) => {
      for (let i = 0; i < CLOSES; i++) {
        ctx.closeStream();
        closes++;
        await new Promise((resolve) => setTimeout(resolve, 40));
      }
      return 'done after polling';
    });
    http = await startHttp(server, { responseMode: 'sse', sseRetryMs: 10 });
  });
  after(() => http?.close());

  it(`gets the answer after ${CLOSES} closes, more than maxReconnects (3)`, async () => {
    const client = new McpClient({ name: 'polling-client', version: '1' });
    await client.connect(new StreamableHttpClientTransport(http.url, { standaloneStream: false, maxReconnects: 3 }));
    try {
      const result = await within(client.callTool({ name: 'long', arguments: {} }, { timeoutMs: 10_000 }), 'the polled call');
      assert.deepEqual(result.content, [{ type: 'text', text: 'done after polling' }]);
      assert.equal(closes, CLOSES);
    } finally {
      await client.close();
    }
  });

  it('under 2025-06-18, where streams carry no event id, keeps the stream open and answers on it', async () => {
    const client = new McpClient({ name: 'old-client', version: '1' }, { protocolVersion: '2025-06-18' });
    await client.connect(new StreamableHttpClientTransport(http.url, { standaloneStream: false }));
    try {
      const result = await within(client.callTool({ name: 'long', arguments: {} }, { timeoutMs: 10_000 }), 'the call');
      assert.deepEqual(result.content, [{ type: 'text', text: 'done after polling' }]);
    } finally {
      await client.close();
    }
  });
});
