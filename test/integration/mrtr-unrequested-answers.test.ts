/**
 * What a 2026-07-28 retry's `inputResponses` may add to the next `requestState` (basic/patterns/mrtr, "Error
 * Handling": unexpected entries in InputResponses the server "SHOULD ignore any information it does not recognize
 * or need"). The state carries the answers a later round needs, those the handler used; an entry nobody asked for
 * rode along in every later state before the fix, so a client could make the next round's state exceed
 * `mrtr.maxStateBytes` and turn its own extra data into a -32603 internal error.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../../src/protocol/json-rpc.js';
import { createDualEraServer, modernMeta } from '../helpers/dual-era-server.js';
import { connectMemory, type Json } from '../helpers/memory-client.js';

const SCHEMA = { type: 'object', properties: { v: { type: 'string' } } };

interface Interim {
  resultType: string;
  inputRequests: Json;
  requestState: string;
}

describe('answers a 2026-07-28 retry carries that nobody asked for', () => {
  it('are left out of the next requestState; the answers of earlier rounds still travel in it', async () => {
    const server = createDualEraServer({ mrtr: { maxStateBytes: 4_096 } });
    server.tool('two_steps', { description: 'asks for a name, then for a city' }, async (_a, ctx) => {
      const name = ((await ctx.elicit({ message: 'Name?', requestedSchema: SCHEMA }, { key: 'name' })).content ?? {}) as JsonObject;
      const city = ((await ctx.elicit({ message: 'City?', requestedSchema: SCHEMA }, { key: 'city' })).content ?? {}) as JsonObject;
      return `${String(name.v)} of ${String(city.v)}`;
    });
    try {
      const { client } = await connectMemory(server);
      const call = (extra: Json): Promise<Json> => client.request('tools/call', { name: 'two_steps', arguments: {}, _meta: modernMeta(), ...extra });
      const first = (await call({})).result as Interim;
      assert.deepEqual(Object.keys(first.inputRequests), ['name']);

      const unrequested = { action: 'accept', content: { v: 'x'.repeat(5_000) } };
      const second = await call({
        requestState: first.requestState,
        inputResponses: { name: { action: 'accept', content: { v: 'Ada' } }, unrequested },
      });
      const interim = second.result as Interim | undefined;
      assert.equal(interim?.resultType, 'input_required', JSON.stringify(second).slice(0, 300));
      assert.deepEqual(Object.keys(interim.inputRequests), ['city']);
      assert.ok(interim.requestState.length < 1_000, `the state carries ${interim.requestState.length} bytes`);

      const third = await call({ requestState: interim.requestState, inputResponses: { city: { action: 'accept', content: { v: 'Paris' } } } });
      assert.deepEqual((third.result as { content: unknown }).content, [{ type: 'text', text: 'Ada of Paris' }], JSON.stringify(third));
    } finally {
      await server.close();
    }
  });
});
