/**
 * Tool schemas that name their JSON Schema dialect with `$schema` (MCP 2025-11-25 basic, "JSON Schema Usage":
 * schemas MAY name another dialect; server/tools shows a draft-07 `inputSchema`). A draft-07 schema, what
 * zod-to-json-schema and many generators emit, was refused at registration ("no schema with key or ref"); it now
 * registers, is listed unchanged, and validates by draft-07 rules. A dialect erlmcp does not know is refused with a
 * message that names the ones it does.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErlmcpError } from '../../src/errors.js';
import { McpServer } from '../../src/server/mcp-server.js';
import { track } from '../helpers/dispatcher-harness.js';
import { connectInitialized, type Json } from '../helpers/memory-client.js';
import { pick } from '../helpers/json-path.js';

// The spec's own example (2025-11-25 server/tools, "Tool with explicit draft-07 schema"), with a draft-07 tuple.
const draft07 = (): Json => ({
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  properties: {
    a: { type: 'number' },
    b: { type: 'number' },
    pair: { type: 'array', items: [{ type: 'string' }, { type: 'integer' }], additionalItems: false },
  },
  required: ['a', 'b'],
});

describe('tool schemas with a $schema dialect', () => {
  it('registers a draft-07 inputSchema and outputSchema, lists them unchanged and validates by draft-07 rules', async () => {
    const server = track(new McpServer({ info: { name: 'dialects', version: '1' } }));
    const inputSchema = draft07();
    const outputSchema: Json = { $schema: 'http://json-schema.org/draft-07/schema', type: 'object', properties: { sum: { type: 'number' } }, required: ['sum'] };
    server.tool('calculate_sum', { inputSchema, outputSchema }, (args) => {
      const sum = Number(args.a) + Number(args.b);
      return { content: [{ type: 'text', text: String(sum) }], structuredContent: { sum } };
    });
    const { client } = await connectInitialized(server);
    assert.deepEqual(pick(await client.request('tools/list'), 'result.tools.0.inputSchema'), draft07());
    const ok = await client.request('tools/call', { name: 'calculate_sum', arguments: { a: 1, b: 2, pair: ['x', 3] } });
    assert.deepEqual(pick(ok, 'result.structuredContent'), { sum: 3 });
    const missing = await client.request('tools/call', { name: 'calculate_sum', arguments: { a: 1 } });
    assert.equal(pick(missing, 'result.isError'), true);
    assert.match(String(pick(missing, 'result.content.0.text')), /arguments\.b is required/);
    // Draft-07 tuple rules: the second item must be an integer, and there is no third.
    for (const pair of [['x', 'y'], ['x', 3, 'extra']]) {
      const bad = await client.request('tools/call', { name: 'calculate_sum', arguments: { a: 1, b: 2, pair } });
      assert.equal(pick(bad, 'result.isError'), true, JSON.stringify(pair));
    }
  });

  it('refuses a dialect it does not support, naming the supported ones', () => {
    const server = track(new McpServer({ info: { name: 'dialects', version: '1' } }));
    const inputSchema = { $schema: 'http://json-schema.org/draft-04/schema#', type: 'object' };
    assert.throws(() => server.tool('old', { inputSchema }, () => 'x'), (err: unknown) => {
      assert.ok(err instanceof ErlmcpError);
      assert.equal(err.code, 'ERLMCP_ERR_INVALID_ARGUMENT');
      assert.match(err.message, /tool old: inputSchema/);
      assert.match(err.message, /draft-04/);
      assert.match(err.message, /2020-12/);
      assert.match(err.message, /draft-07/);
      return true;
    });
  });
});
