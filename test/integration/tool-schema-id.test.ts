/**
 * A tool input schema with an `$id` (a shared schema document) can be registered again after its tool is removed,
 * and by a second tool: Ajv refused the second registration under the same `$id` ("schema with key or id ... already
 * exists"), which broke the add/remove cycle that list_changed exists for. Each tool still validates its arguments.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { McpServer } from '../../src/server/mcp-server.js';
import { connectInitialized, type Json } from '../helpers/memory-client.js';

const schema = (): Json => ({ $id: 'https://example.com/schemas/echo-input', type: 'object', properties: { text: { type: 'string' } }, required: ['text'] });

describe('tool schemas with an $id', () => {
  it('register again after removal, and twice at once, each validating', async () => {
    const server = new McpServer({ info: { name: 'ids', version: '1' } });
    server.tool('echo', { inputSchema: schema() }, (a) => String((a as Json).text)).remove();
    assert.doesNotThrow(() => server.tool('echo', { inputSchema: schema() }, (a) => String((a as Json).text)));
    assert.doesNotThrow(() => server.tool('echo_too', { inputSchema: schema() }, (a) => `too: ${String((a as Json).text)}`));
    const { client } = await connectInitialized(server);
    try {
      const ok = (await client.request('tools/call', { name: 'echo_too', arguments: { text: 'hi' } })).result as Json;
      assert.deepEqual(ok.content, [{ type: 'text', text: 'too: hi' }]);
      const bad = (await client.request('tools/call', { name: 'echo', arguments: {} })).result as Json;
      assert.equal(bad.isError, true);
      assert.match(JSON.stringify(bad.content), /arguments\.text is required/);
    } finally {
      await server.close();
    }
  });
});
