/**
 * The dispatcher's list and revision behaviour, driven in process over a `MemoryTransport` pair: pagination, the
 * shapes each protocol revision gets (checked against that revision's official schema), batches, and zod schemas.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as z from 'zod';
import { ErlmcpError } from '../../src/errors.js';
import { McpServer } from '../../src/server/mcp-server.js';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { connectInitialized, connectMemory, initialize, type Json } from '../helpers/memory-client.js';
import { hasNoRequestId, pick } from '../helpers/json-path.js';
import { callTool, errorCode, newServer, specErrors, toolText, track } from '../helpers/dispatcher-harness.js';

describe('pagination', () => {
  it('walks 5 tools in pages of 2 with opaque cursors', async () => {
    const server = track(new McpServer({ info: { name: 'p', version: '1' }, pageSize: 2 }));
    for (let i = 1; i <= 5; i++) server.tool(`tool-${i}`, {}, () => 'ok');
    const { client } = await connectInitialized(server);
    const names: string[][] = [];
    let cursor: unknown;
    for (let guard = 0; guard < 10; guard++) {
      const response = await client.request('tools/list', cursor === undefined ? {} : { cursor });
      assert.equal(specErrors('2025-11-25', 'ListToolsResult', response.result), undefined);
      names.push((pick(response, 'result.tools') as Json[]).map((t) => String(t.name)));
      cursor = pick(response, 'result.nextCursor');
      if (cursor === undefined) break;
    }
    assert.deepEqual(names, [['tool-1', 'tool-2'], ['tool-3', 'tool-4'], ['tool-5']]);
  });

  it('answers an invalid cursor with -32602 on every list method', async () => {
    const { client } = await connectInitialized(newServer());
    for (const method of ['tools/list', 'resources/list', 'resources/templates/list', 'prompts/list']) {
      const response = await client.request(method, { cursor: 'not-a-cursor' });
      assert.equal(errorCode(response), ErrorCode.InvalidParams, method);
    }
  });
});

describe('revision shapes', () => {
  async function listAndCall(version: string): Promise<{ tools: Json[]; structured: Json; init: Json }> {
    const { client } = await connectMemory(newServer());
    const init = await initialize(client, { protocolVersion: version });
    const list = await client.request('tools/list');
    assert.equal(specErrors(version, 'ListToolsResult', list.result), undefined);
    const structured = await callTool(client, 'structured', { n: 21 });
    assert.equal(specErrors(version, 'CallToolResult', structured.result), undefined);
    return { tools: pick(list, 'result.tools') as Json[], structured, init };
  }

  it('gives a 2025-03-26 session tools without title, outputSchema or icons, and results without structuredContent', async () => {
    const { tools, structured, init } = await listAndCall('2025-03-26');
    for (const tool of tools) {
      assert.equal('title' in tool, false, `${String(tool.name)} has a title`);
      assert.equal('outputSchema' in tool, false, `${String(tool.name)} has an outputSchema`);
      assert.equal('icons' in tool, false, `${String(tool.name)} has icons`);
    }
    assert.equal('structuredContent' in (structured.result as Json), false);
    assert.equal(pick(structured, 'result.content.0.text'), '42');
    assert.equal(pick(init, 'result.serverInfo.title'), undefined);
  });

  it('gives a 2025-03-26 session resource annotations without lastModified, which its Annotations lacks', async () => {
    const server = newServer();
    const annotations = { audience: ['user' as const], priority: 0.5, lastModified: '2025-01-12T15:00:58Z' };
    server.resource('test://dated', { name: 'dated', annotations }, (uri) => [{ uri, text: 'x' }]);
    server.resourceTemplate('test://dated/{id}', { name: 'dated-by-id', annotations }, (uri) => [{ uri, text: 'x' }]);
    const lists: [string, string, string][] = [['resources/list', 'ListResourcesResult', 'resources'], ['resources/templates/list', 'ListResourceTemplatesResult', 'resourceTemplates']];
    for (const version of ['2025-03-26', '2025-06-18']) {
      const { client } = await connectInitialized(server, { protocolVersion: version });
      for (const [method, definition, field] of lists) {
        const result = (await client.request(method)).result as Json;
        assert.equal(specErrors(version, definition, result), undefined, `${version} ${method}`);
        const dated = (result[field] as Json[]).find((r) => String(r.name).startsWith('dated'));
        const expected = version === '2025-03-26' ? { audience: ['user'], priority: 0.5 } : annotations;
        assert.deepEqual(dated?.annotations, expected, `${version} ${method}`);
      }
    }
  });

  it('gives a 2025-06-18 session titles and outputSchema but no icons', async () => {
    const { tools, structured } = await listAndCall('2025-06-18');
    const s = tools.find((t) => t.name === 'structured');
    assert.equal(s?.title, 'Structured');
    assert.ok(s?.outputSchema);
    assert.equal('icons' in (s ?? {}), false);
    assert.deepEqual(pick(structured, 'result.structuredContent'), { doubled: 42 });
  });

  it('gives a 2025-11-25 session everything', async () => {
    const { tools, structured, init } = await listAndCall('2025-11-25');
    const echo = tools.find((t) => t.name === 'echo');
    assert.equal(echo?.title, 'Echo');
    assert.deepEqual(echo?.icons, [{ src: 'https://example.com/echo.png', mimeType: 'image/png' }]);
    assert.ok(tools.find((t) => t.name === 'structured')?.outputSchema);
    assert.deepEqual(pick(structured, 'result.structuredContent'), { doubled: 42 });
    assert.equal(pick(init, 'result.serverInfo.title'), 'Test server');
  });
});

describe('batches', () => {
  it('answers a 2025-03-26 batch with an array of the request answers (notifications get none)', async () => {
    const { client } = await connectInitialized(newServer(), { protocolVersion: '2025-03-26' });
    await client.sendRaw([
      { jsonrpc: '2.0', id: 'b1', method: 'ping' },
      { jsonrpc: '2.0', method: 'notifications/roots/list_changed' },
      { jsonrpc: '2.0', id: 'b2', method: 'tools/call', params: { name: 'echo', arguments: { text: 'in a batch' } } },
      { jsonrpc: '2.0', id: 'b3', method: 'nope' },
    ]);
    const answer = await client.nextValue();
    assert.ok(Array.isArray(answer), `expected an array, got ${JSON.stringify(answer)}`);
    const byId = new Map((answer as Json[]).map((r) => [r.id, r]));
    assert.equal(answer.length, 3);
    assert.deepEqual(pick(byId.get('b1'), 'result'), {});
    assert.equal(pick(byId.get('b2'), 'result.content.0.text'), 'in a batch');
    assert.equal(pick(byId.get('b3'), 'error.code'), ErrorCode.MethodNotFound);
  });

  it('refuses a batch under 2025-11-25 with -32600 and no request id, running none of it', async () => {
    const server = newServer();
    let ran = 0;
    server.tool('side-effect', {}, () => String(++ran));
    const { client } = await connectInitialized(server, { protocolVersion: '2025-11-25' });
    await client.sendRaw([
      { jsonrpc: '2.0', id: 'b1', method: 'ping' },
      { jsonrpc: '2.0', id: 'b2', method: 'tools/call', params: { name: 'side-effect', arguments: {} } },
    ]);
    const answer = await client.nextValue();
    assert.equal(Array.isArray(answer), false);
    assert.ok(hasNoRequestId(answer), JSON.stringify(answer));
    assert.equal(pick(answer, 'error.code'), ErrorCode.InvalidRequest);
    assert.equal(ran, 0);
  });

  it('refuses initialize inside a 2025-03-26 batch with -32600, leaving the session as it was', async () => {
    const { client } = await connectInitialized(newServer(), { protocolVersion: '2025-03-26' });
    await client.sendRaw([
      { jsonrpc: '2.0', id: 'i', method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'again', version: '1' } } },
      { jsonrpc: '2.0', id: 'p', method: 'ping' },
    ]);
    const answer = await client.nextValue();
    assert.ok(Array.isArray(answer), `expected an array, got ${JSON.stringify(answer)}`);
    const byId = new Map((answer as Json[]).map((r) => [r.id, r]));
    assert.equal(pick(byId.get('i'), 'error.code'), ErrorCode.InvalidRequest);
    assert.match(String(pick(byId.get('i'), 'error.message')), /must not be part of a JSON-RPC batch/);
    assert.deepEqual(pick(byId.get('p'), 'result'), {});
    // Still 2025-03-26: a second batch is served, where a 2025-11-25 session would refuse it.
    await client.sendRaw([{ jsonrpc: '2.0', id: 'q', method: 'ping' }]);
    const again = await client.nextValue();
    assert.ok(Array.isArray(again), `the session was re-initialized: ${JSON.stringify(again)}`);
  });

  it('refuses an empty batch under 2025-03-26 with -32600', async () => {
    const { client } = await connectInitialized(newServer(), { protocolVersion: '2025-03-26' });
    await client.sendRaw([]);
    assert.equal(pick(await client.nextValue(), 'error.code'), ErrorCode.InvalidRequest);
  });
});

describe('zod schemas', () => {
  const server = track(new McpServer({ info: { name: 'zod', version: '1' } }));
  const input = z.object({ city: z.string(), days: z.number().int().min(1).max(7) });
  server.tool<z.infer<typeof input>>('forecast', { description: 'Weather', inputSchema: input }, (args) => `${args.city}: ${args.days} days`);

  it('lists a zod inputSchema as JSON Schema', async () => {
    const { client } = await connectInitialized(server);
    const list = await client.request('tools/list');
    const schema = pick(list, 'result.tools.0.inputSchema') as Json;
    assert.equal(schema.type, 'object');
    assert.deepEqual(Object.keys(schema.properties as Json), ['city', 'days']);
    assert.deepEqual(schema.required, ['city', 'days']);
    assert.equal('$schema' in schema, false);
    assert.equal(specErrors('2025-11-25', 'ListToolsResult', list.result), undefined);
  });

  it('validates arguments with it', async () => {
    const { client } = await connectInitialized(server);
    assert.equal(toolText(await callTool(client, 'forecast', { city: 'Oslo', days: 3 })), 'Oslo: 3 days');
    const bad = await callTool(client, 'forecast', { city: 'Oslo', days: 9 });
    assert.equal(pick(bad, 'result.isError'), true);
    assert.match(toolText(bad), /arguments\.days/);
    assert.match(toolText(bad), /<= 7/);
  });

  // An outputSchema describes structuredContent as the client receives it: zod's output side, where a default makes
  // a field always present and a pipe ends in its last schema's type (MCP server/tools, "Output Schema").
  const output = z.object({ celsius: z.string().pipe(z.coerce.number()), unit: z.string().default('C') });
  server.tool('reading', { inputSchema: output, outputSchema: output }, () => ({
    content: [{ type: 'text', text: '21 C' }],
    structuredContent: { celsius: 21, unit: 'C' } satisfies z.output<typeof output>,
  }));

  it('lists a zod outputSchema as its output type, and an inputSchema as its input type', async () => {
    const { client } = await connectInitialized(server);
    const tool = (pick(await client.request('tools/list'), 'result.tools') as Json[]).find((t) => t.name === 'reading');
    const out = tool?.outputSchema as Json;
    assert.deepEqual(out.required, ['celsius', 'unit']);
    assert.equal(pick(out, 'properties.celsius.type'), 'number');
    const inp = tool?.inputSchema as Json;
    assert.deepEqual(inp.required, ['celsius']);
    assert.equal(pick(inp, 'properties.celsius.type'), 'string');
  });

  it('accepts structuredContent of the zod output type', async () => {
    const { client } = await connectInitialized(server);
    const response = await callTool(client, 'reading', { celsius: '21' });
    assert.deepEqual(pick(response, 'result.structuredContent'), { celsius: 21, unit: 'C' }, JSON.stringify(response));
  });

  it('refuses, at registration and naming the tool, a zod outputSchema whose output JSON Schema cannot state', () => {
    const transformed = z.object({ length: z.string().transform((s) => s.length) });
    assert.throws(
      () => server.tool('opaque', { outputSchema: transformed }, () => 'x'),
      (err: unknown) => err instanceof ErlmcpError && err.code === 'ERLMCP_ERR_INVALID_ARGUMENT' && /tool opaque: outputSchema/.test(err.message),
    );
  });
});
