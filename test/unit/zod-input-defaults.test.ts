/**
 * A zod inputSchema's `.default()` values reach the handler (found in review). erlmcp converts a zod schema to JSON
 * Schema and validates arguments with Ajv, never running zod, so a handler typed by `z.output` of its schema got
 * `undefined` where zod promises its default. Schemas converted from zod are compiled with Ajv's `useDefaults`, which
 * fills in each absent property that has a `default`; a plain JSON Schema keeps today's behaviour, where `default`
 * is only an annotation (JSON Schema 2020-12 meta-data vocabulary) and the handler sees what the client sent. The
 * listed inputSchema is the converted one either way, and the arguments filled in are the request's own (parsed
 * from the wire), so nothing leaks from one call to the next.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { McpServer } from '../../src/server/mcp-server.js';
import { connectInitialized, type Json, type RawMemoryClient } from '../helpers/memory-client.js';

const ZOD_INPUT = z.object({
  query: z.string(),
  limit: z.number().int().default(10),
  tags: z.array(z.string()).default([]),
  filter: z.object({ exact: z.boolean().default(false) }),
});

describe('zod inputSchema defaults', () => {
  let server: McpServer;
  let client: RawMemoryClient;
  const seen: Json[] = [];

  before(async () => {
    server = new McpServer({ info: { name: 'zod-defaults', version: '1' } });
    server.tool('search', { inputSchema: ZOD_INPUT }, (args) => {
      seen.push(structuredClone(args));
      // A handler that changes what it was given must not change what the next call gets.
      (args.tags as string[]).push('touched');
      return 'ok';
    });
    server.tool('plain', {
      inputSchema: { type: 'object', properties: { limit: { type: 'number', default: 10 } } },
    }, (args) => {
      seen.push(structuredClone(args));
      return 'ok';
    });
    client = (await connectInitialized(server)).client as RawMemoryClient;
  });
  after(() => server.close());

  async function call(name: string, args: Json): Promise<Json> {
    seen.length = 0;
    const reply = await client.request('tools/call', { name, arguments: args });
    assert.equal(reply.error, undefined, JSON.stringify(reply));
    assert.notEqual((reply.result as Json).isError, true, JSON.stringify(reply));
    assert.equal(seen.length, 1);
    return seen[0] as Json;
  }

  it('fills in an absent defaulted field, at the top and in a nested object', async () => {
    assert.deepEqual(await call('search', { query: 'q', filter: {} }), { query: 'q', limit: 10, tags: [], filter: { exact: false } });
  });

  it('keeps a value the client sent', async () => {
    assert.deepEqual(await call('search', { query: 'q', limit: 3, tags: ['a'], filter: { exact: true } }), { query: 'q', limit: 3, tags: ['a'], filter: { exact: true } });
  });

  it('gives each call a fresh default: what a handler did to the last one is not seen', async () => {
    await call('search', { query: 'q', filter: {} });
    assert.deepEqual((await call('search', { query: 'q', filter: {} })).tags, []);
  });

  it('still refuses arguments that fail the schema', async () => {
    const reply = await client.request('tools/call', { name: 'search', arguments: { query: 'q', limit: 'ten', filter: {} } });
    assert.equal((reply.result as Json).isError, true);
  });

  it('leaves a plain JSON Schema default as an annotation', async () => {
    assert.deepEqual(await call('plain', {}), {});
  });

  it('lists the converted inputSchema unchanged', async () => {
    const list = (await client.request('tools/list', {})).result as { tools: Json[] };
    const listed = list.tools.find((t) => t.name === 'search')?.inputSchema;
    const expected = z.toJSONSchema(ZOD_INPUT, { target: 'draft-2020-12', io: 'input' }) as Json;
    delete expected.$schema;
    assert.deepEqual(listed, expected);
  });
});
