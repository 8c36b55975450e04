/**
 * A tool's outputSchema under each revision. 2026-07-28 lets it be "any valid JSON Schema 2020-12" and
 * structuredContent "any JSON value (object, array, string, number, boolean, or null) that conforms to the tool's
 * outputSchema" (server/tools, "Structured Content"; schema.json Tool.outputSchema and CallToolResult); 2025-11-25
 * and 2025-06-18 still require `type: "object"` at the root and an object of structured content. So one tool serves
 * both: its schema and its non-object results go to 2026-07-28 clients, while an older client's tools/list carries
 * no schema its revision refuses and its tools/call no structuredContent its revision refuses (the text content,
 * which such a tool SHOULD also return, still reaches it). Everything is checked against the official schemas.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { McpServer } from '../../src/server/mcp-server.js';
import { modernMeta } from '../helpers/dual-era-server.js';
import { connectInitialized, connectMemory, type Json, type RawMemoryClient } from '../helpers/memory-client.js';
import { SpecSchemaValidator, formatIssues } from '../helpers/schema-validator.js';

const USERS = [{ id: '1', name: 'Alice' }, { id: '2', name: 'Bob' }];
const USERS_SCHEMA = { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } }, required: ['id'] } };
const OBJECT_SCHEMA = { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] };

function createServer(): McpServer {
  const server = new McpServer({ info: { name: 'output-schemas', version: '1' } });
  server.tool('list_users', { outputSchema: USERS_SCHEMA }, () => ({ content: [{ type: 'text', text: JSON.stringify(USERS) }], structuredContent: USERS }));
  server.tool('nothing_found', { outputSchema: { anyOf: [{ type: 'string' }, { type: 'null' }] } }, () => ({ content: [{ type: 'text', text: 'null' }], structuredContent: null }));
  server.tool('count', { outputSchema: OBJECT_SCHEMA }, () => ({ content: [{ type: 'text', text: '{"n":3}' }], structuredContent: { n: 3 } }));
  server.tool('unschemed_list', {}, () => ({ content: [{ type: 'text', text: '[1,2]' }], structuredContent: [1, 2] }));
  server.tool('wrong_shape', { outputSchema: USERS_SCHEMA }, () => ({ content: [{ type: 'text', text: '{}' }], structuredContent: { id: '1' } }));
  server.tool('no_structure', { outputSchema: USERS_SCHEMA }, () => 'no structured content');
  return server;
}

function validator(revision: string): SpecSchemaValidator {
  return SpecSchemaValidator.forRevision(revision, { closed: true });
}

function assertValid(revision: string, definition: string, value: unknown): void {
  const issue = validator(revision).check(definition, value, definition);
  assert.equal(issue, undefined, issue && formatIssues(revision, [issue]));
}

describe('outputSchema of any type: 2026-07-28 gets it, older revisions get what their schema allows', () => {
  let server: McpServer;
  before(() => {
    server = createServer();
  });
  after(() => server.close());

  it('2026-07-28: lists every schema as registered and returns structuredContent of any JSON type', async () => {
    const { client } = await connectMemory(server);
    const meta = modernMeta({});
    const list = (await client.request('tools/list', { _meta: meta })).result as Json;
    assertValid('2026-07-28', 'ListToolsResult', list);
    const schemas = Object.fromEntries((list.tools as Json[]).map((t) => [t.name, t.outputSchema]));
    assert.deepEqual(schemas.list_users, USERS_SCHEMA);
    assert.deepEqual(schemas.nothing_found, { anyOf: [{ type: 'string' }, { type: 'null' }] });
    assert.deepEqual(schemas.count, OBJECT_SCHEMA);
    const call = async (name: string): Promise<Json> => client.request('tools/call', { name, arguments: {}, _meta: meta });
    for (const [name, structured] of [['list_users', USERS], ['nothing_found', null], ['count', { n: 3 }], ['unschemed_list', [1, 2]]] as const) {
      const result = (await call(name)).result as Json;
      assertValid('2026-07-28', 'CallToolResult', result);
      assert.ok('structuredContent' in result, `${name}: ${JSON.stringify(result)}`);
      assert.deepEqual(result.structuredContent, structured, name);
    }
    // The schema is still enforced, whatever its type: a server MUST return conforming structured results.
    assert.equal(((await call('wrong_shape')).error as Json | undefined)?.code, ErrorCode.InternalError);
    assert.equal(((await call('no_structure')).error as Json | undefined)?.code, ErrorCode.InternalError);
  });

  for (const revision of ['2025-11-25', '2025-06-18']) {
    it(`${revision}: lists only object outputSchemas and drops structuredContent that is not an object`, async () => {
      const { client } = await connectInitialized(server, { protocolVersion: revision });
      const list = (await (client as RawMemoryClient).request('tools/list', {})).result as Json;
      assertValid(revision, 'ListToolsResult', list);
      const byName = new Map((list.tools as Json[]).map((t) => [t.name, t]));
      assert.equal(byName.get('list_users')?.outputSchema, undefined);
      assert.equal(byName.get('nothing_found')?.outputSchema, undefined);
      assert.deepEqual(byName.get('count')?.outputSchema, OBJECT_SCHEMA);
      for (const [name, text] of [['list_users', JSON.stringify(USERS)], ['nothing_found', 'null'], ['unschemed_list', '[1,2]']] as const) {
        const result = (await client.request('tools/call', { name, arguments: {} })).result as Json;
        assertValid(revision, 'CallToolResult', result);
        assert.equal('structuredContent' in result, false, `${name}: ${JSON.stringify(result)}`);
        assert.deepEqual(result.content, [{ type: 'text', text }]);
      }
      const count = (await client.request('tools/call', { name: 'count', arguments: {} })).result as Json;
      assertValid(revision, 'CallToolResult', count);
      assert.deepEqual(count.structuredContent, { n: 3 });
    });
  }
});
