/**
 * The HTTP client when every connection of its pool is held by a stream, as `erlmcp call` always is (one
 * connection): what the server waits for must still get out. The answer to a server request sent on a POST's SSE
 * stream, a `notifications/cancelled`, and the closing DELETE go through a pool of their own. Before, they queued
 * behind the stream: an elicitation deadlocked until the request timed out, and a timeout neither reached the
 * server nor ended the call.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { McpClient } from '../../src/client/mcp-client.js';
import { McpServer } from '../../src/server/mcp-server.js';
import { StreamableHttpClientTransport } from '../../src/transport/http-client/streamable-http-client.js';
import { within } from '../helpers/deadline.js';
import { startHttp, type HttpHarness } from '../helpers/http-harness.js';

describe('HTTP client with every connection busy', () => {
  let http: HttpHarness;
  let aborted!: () => void;
  const abortSeen = new Promise<void>((resolve) => (aborted = resolve));
  let sessionsEnded = 0;

  before(async () => {
    const server = new McpServer({ info: { name: 'busy', version: '1' } });
    server.tool('ask', { description: 'Elicits, then answers' }, async (_args, ctx) => {
      ctx.progress(0, 1);
      const answer = await ctx.elicit({ message: 'Name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } } } });
      return `hello ${String((answer.content as { name?: string } | undefined)?.name)}`;
    });
    server.tool('slow', { description: 'Streams, then waits for its signal' }, async (_args, ctx) => {
      ctx.progress(0, 1);
      await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
      aborted();
      return 'cancelled';
    });
    server.sessions.onSessionEnd(() => void sessionsEnded++);
    http = await startHttp(server);
  });
  after(() => http?.close());

  function connect(): Promise<McpClient> {
    const client = new McpClient({ name: 'busy-client', version: '1' }, {
      elicitation: () => ({ action: 'accept', content: { name: 'ada' } }),
    });
    const transport = new StreamableHttpClientTransport(http.url, { connections: 1, standaloneStream: false });
    return client.connect(transport).then(() => client);
  }

  it('answers a server request sent on the POST stream that holds the only connection', async () => {
    const client = await connect();
    try {
      const result = await within(client.callTool({ name: 'ask', arguments: {} }, { timeoutMs: 10_000 }), 'the elicited call');
      assert.deepEqual(result.content, [{ type: 'text', text: 'hello ada' }]);
    } finally {
      await client.close();
    }
  });

  it('gets a timeout out to the server while the call holds the only connection, and closes with DELETE', async () => {
    const client = await connect();
    const ended = sessionsEnded;
    try {
      await assert.rejects(client.callTool({ name: 'slow', arguments: {} }, { timeoutMs: 300 }), /timed out after 300 ms/);
      await within(abortSeen, 'the server handler seeing the cancellation');
    } finally {
      await within(client.close(), 'close()');
    }
    assert.equal(sessionsEnded, ended + 1, 'the DELETE ended the session');
  });
});
