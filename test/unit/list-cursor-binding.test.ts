/**
 * A pagination cursor belongs to the list that issued it (MCP server/utilities/pagination: "Invalid cursors SHOULD
 * result in an error with code -32602"): a tools/list cursor sent to prompts/list, resources/list or
 * resources/templates/list was read as a position in that list and answered a page of it. Checked in both eras,
 * a 2025-11-25 session and 2026-07-28 stateless requests, which share the registries.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { McpServer } from '../../src/server/mcp-server.js';
import { modernMeta } from '../helpers/dual-era-server.js';
import { track } from '../helpers/dispatcher-harness.js';
import { connectInitialized, connectMemory, type Json, type RawMemoryClient } from '../helpers/memory-client.js';

/** Each list method and the field its result carries. */
const LISTS = [
  ['tools/list', 'tools'],
  ['prompts/list', 'prompts'],
  ['resources/list', 'resources'],
  ['resources/templates/list', 'resourceTemplates'],
] as const;

/** A server with five entries in every list, two to a page, so each list hands out cursors. */
function fiveOfEach(): McpServer {
  const server = track(new McpServer({ info: { name: 'cursors', version: '1' }, pageSize: 2 }));
  for (let i = 1; i <= 5; i++) {
    server.tool(`tool${i}`, {}, () => 'ok');
    server.prompt(`prompt${i}`, {}, () => ({ messages: [] }));
    server.resource(`test://r${i}`, { name: `r${i}` }, (uri) => [{ uri, text: 'r' }]);
    server.resourceTemplate(`test://t${i}/{id}`, { name: `t${i}` }, (uri) => [{ uri, text: 't' }]);
  }
  return server;
}

type Lister = (method: string, cursor?: string) => Promise<Json>;

async function checkBinding(list: Lister): Promise<void> {
  const cursors = new Map<string, string>();
  for (const [method, field] of LISTS) {
    const first = await list(method);
    const cursor = (first.result as Json | undefined)?.nextCursor;
    assert.equal(typeof cursor, 'string', `${method} hands out a cursor`);
    cursors.set(method, cursor as string);
    const second = (await list(method, cursor as string)).result as Json;
    assert.equal((second[field] as unknown[]).length, 2, `${method} accepts its own cursor`);
  }
  for (const [method] of LISTS) {
    for (const [issuer, cursor] of cursors) {
      if (issuer === method) continue;
      const answer = await list(method, cursor);
      assert.equal((answer.error as Json | undefined)?.code, ErrorCode.InvalidParams, `${method} refuses a cursor of ${issuer}: ${JSON.stringify(answer)}`);
      assert.match(String((answer.error as Json).message), /cursor/i);
    }
  }
}

function lister(client: RawMemoryClient, meta?: Json): Lister {
  return (method, cursor) => {
    const params: Json = {};
    if (cursor !== undefined) params.cursor = cursor;
    if (meta !== undefined) params._meta = meta;
    return client.request(method, params);
  };
}

describe('a list cursor names its list', () => {
  it('is refused by every other list with -32602 in a 2025-11-25 session', async () => {
    const { client } = await connectInitialized(fiveOfEach());
    await checkBinding(lister(client));
  });

  it('is refused by every other list with -32602 in 2026-07-28 stateless requests', async () => {
    const { client } = await connectMemory(fiveOfEach());
    await checkBinding(lister(client, modernMeta({})));
  });

  it('stays opaque: no list name readable in it', async () => {
    const { client } = await connectInitialized(fiveOfEach());
    for (const [method] of LISTS) {
      const cursor = String(((await client.request(method, {})).result as Json).nextCursor);
      assert.match(cursor, /^[A-Za-z0-9_-]+$/);
      assert.doesNotMatch(cursor, /tool|prompt|resource|template/i, `${method} cursor ${cursor}`);
    }
  });
});
