/** Review repro: a 'sessionRenewed' listener that throws fails every request that waited for the renewal. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { McpClient } from '../../src/client/mcp-client.js';
import { McpServer } from '../../src/server/mcp-server.js';
import { StreamableHttpClientTransport } from '../../src/transport/http-client/streamable-http-client.js';
import { within } from '../helpers/deadline.js';
import { startHttp, type HttpHarness } from '../helpers/http-harness.js';

describe('renewal: a sessionRenewed listener that throws', () => {
  let http: HttpHarness;
  before(async () => {
    const server = new McpServer({ info: { name: 'renewal', version: '1' } });
    server.tool('echo', { inputSchema: { type: 'object', properties: { text: { type: 'string' } } } }, (a) => String(a.text));
    http = await startHttp(server);
  });
  after(() => http.close());

  it('is reported on error; the requests that met the 404 are still answered', async () => {
    const transport = new StreamableHttpClientTransport(http.url, { standaloneStream: false });
    const client = new McpClient({ name: 't', version: '1' });
    const errors: string[] = [];
    client.on('error', (e) => errors.push(e.message));
    client.on('sessionRenewed', () => {
      throw new Error('bug in my re-subscribe');
    });
    await client.connect(transport);
    await http.server.sessions.end(transport.sessionId as string);
    try {
      const r = await within(client.callTool({ name: 'echo', arguments: { text: 'a' } }), 'the call');
      assert.equal(r.content[0]?.text, 'a');
    } finally {
      await client.close();
    }
  });
});
