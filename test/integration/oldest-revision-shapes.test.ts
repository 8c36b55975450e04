/**
 * A 2025-03-26 peer gets only what its schema has. That revision's content blocks are text, image, audio and
 * embedded resources: a tool result or prompt message with a `resource_link` block failed its CallToolResult and
 * GetPromptResult (anyOf), so the link becomes a text block naming the resource. List entries lose `_meta` and
 * argument titles there too. A 2025-11-25 peer gets the link unchanged. Checked against the official schemas,
 * closed-world.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { McpServer } from '../../src/server/mcp-server.js';
import { specErrors } from '../helpers/dispatcher-harness.js';
import { connectInitialized, type Json } from '../helpers/memory-client.js';

const LINK = { type: 'resource_link' as const, uri: 'test://docs/a', name: 'a', description: 'The A document' };

function linkingServer(): McpServer {
  const server = new McpServer({ info: { name: 'links', version: '1' } });
  server.tool('link', { description: 'answers with a link' }, () => ({ content: [{ type: 'text', text: 'see' }, LINK] }));
  server.prompt('p', { description: 'links', arguments: [{ name: 'city', title: 'City', required: true }], _meta: { 'example.com/x': 1 } }, () => ({
    messages: [{ role: 'user', content: LINK }],
  }));
  return server;
}

describe('shapes for the oldest revision, 2025-03-26', () => {
  it('turns resource links into text blocks, and keeps the results valid', async () => {
    const server = linkingServer();
    const { client } = await connectInitialized(server, { protocolVersion: '2025-03-26' });
    try {
      const call = (await client.request('tools/call', { name: 'link', arguments: {} })).result as Json;
      assert.equal(specErrors('2025-03-26', 'CallToolResult', call), undefined);
      assert.deepEqual(call.content, [{ type: 'text', text: 'see' }, { type: 'text', text: 'Resource a (test://docs/a): The A document' }]);
      const prompt = (await client.request('prompts/get', { name: 'p', arguments: { city: 'Oslo' } })).result as Json;
      assert.equal(specErrors('2025-03-26', 'GetPromptResult', prompt), undefined);
      const list = (await client.request('prompts/list', {})).result as Json;
      assert.equal(specErrors('2025-03-26', 'ListPromptsResult', list), undefined);
    } finally {
      await server.close();
    }
  });

  it('leaves them as they are for 2025-11-25', async () => {
    const server = linkingServer();
    const { client } = await connectInitialized(server, { protocolVersion: '2025-11-25' });
    try {
      const call = (await client.request('tools/call', { name: 'link', arguments: {} })).result as Json;
      assert.deepEqual((call.content as Json[])[1], LINK);
      assert.equal(specErrors('2025-11-25', 'CallToolResult', call), undefined);
      const prompts = ((await client.request('prompts/list', {})).result as { prompts: Json[] }).prompts;
      assert.deepEqual(prompts[0]?._meta, { 'example.com/x': 1 });
      assert.deepEqual((prompts[0]?.arguments as Json[])[0], { name: 'city', title: 'City', required: true });
    } finally {
      await server.close();
    }
  });
});
