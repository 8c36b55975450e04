/**
 * Under 2026-07-28 the server owns `resultType`: it says how the client parses the result ("complete" or
 * "input_required", schema.json ResultType), and an `input_required` result must carry `inputRequests` or a
 * `requestState` the server sealed (InputRequiredResult). A handler's own `resultType` field used to pass through
 * the finish step (`??=`), so a tool returning `resultType: "input_required"` made a client wait for input rounds
 * that do not exist, and a nonsense value left the client unable to parse the result at all. A handler's result is
 * always `complete`; only the server's own input round answers `input_required`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { McpServer } from '../../src/server/mcp-server.js';
import type { CallToolResult } from '../../src/server/types.js';
import { modernMeta } from '../helpers/dual-era-server.js';
import { connectMemory, type Json } from '../helpers/memory-client.js';

describe('2026-07-28: the server owns resultType', () => {
  it('answers a handler result complete whatever resultType the handler put in it', async () => {
    const server = new McpServer({ info: { name: 'result-type', version: '1' } });
    // A handler written in JavaScript (or cast) can return any field; the types do not stop it.
    const returning = (resultType: unknown): CallToolResult => ({ content: [{ type: 'text', text: 'done' }], resultType } as unknown as CallToolResult);
    server.tool('claims_input', {}, () => returning('input_required'));
    server.tool('claims_nonsense', {}, async () => returning('maybe'));
    server.tool('claims_number', {}, () => returning(7));
    server.prompt('claims_input_prompt', {}, () => ({ messages: [], resultType: 'input_required' }) as never);
    server.tool('asks', {}, async (_args, ctx) => {
      const answer = await ctx.elicit({ message: 'Name?', requestedSchema: { type: 'object', properties: { n: { type: 'string' } } } }, { key: 'n' });
      return String(answer.action);
    });
    try {
      const { client } = await connectMemory(server);
      const meta = modernMeta();
      for (const name of ['claims_input', 'claims_nonsense', 'claims_number']) {
        const result = (await client.request('tools/call', { name, arguments: {}, _meta: meta })).result as Json;
        assert.equal(result.resultType, 'complete', `${name}: ${JSON.stringify(result)}`);
        assert.deepEqual(result.content, [{ type: 'text', text: 'done' }]);
      }
      const prompt = (await client.request('prompts/get', { name: 'claims_input_prompt', _meta: meta })).result as Json;
      assert.equal(prompt.resultType, 'complete', JSON.stringify(prompt));
      // The server's own input round still answers input_required.
      const interim = (await client.request('tools/call', { name: 'asks', arguments: {}, _meta: meta })).result as Json;
      assert.equal(interim.resultType, 'input_required');
      assert.equal(typeof interim.requestState, 'string');
    } finally {
      await server.close();
    }
  });
});
