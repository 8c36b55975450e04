/**
 * 2026-07-28 input keys are unique within a request (mrtr), yet a handler may ask again under the same key after a
 * wrong answer, the natural validation loop of 2025-11-25 where each ask is its own request. Each repeat is its
 * own input request (`pin`, `pin#2`, ...), so the loop goes back to the client. Before the fix every repeat was
 * handed the first stored answer: no new round trip, and an unbounded loop spun on resolved promises for good.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../../src/protocol/json-rpc.js';
import { createDualEraServer, modernMeta } from '../helpers/dual-era-server.js';
import { connectMemory, type Json } from '../helpers/memory-client.js';

const PIN_SCHEMA = { type: 'object', properties: { pin: { type: 'string' } } };

describe('asking again under the same input key (2026-07-28)', () => {
  it('sends each repeat as a new input request until the answer is right', async () => {
    const server = createDualEraServer();
    server.tool('pin', { description: 'asks for a PIN until it is right' }, async (_a, ctx) => {
      for (let i = 0; i < 50; i++) {
        const answer = await ctx.elicit({ message: i === 0 ? 'PIN?' : 'Wrong PIN, again?', requestedSchema: PIN_SCHEMA }, { key: 'pin' });
        if (((answer.content ?? {}) as JsonObject).pin === '1234') return `unlocked after ${i + 1} asks`;
      }
      return 'gave up after 50 asks';
    });
    try {
      const { client } = await connectMemory(server);
      const call = (extra: Json): Promise<Json> => client.request('tools/call', { name: 'pin', arguments: {}, _meta: modernMeta(), ...extra });
      const first = (await call({})).result as { resultType: string; inputRequests: Json; requestState: string };
      assert.deepEqual(Object.keys(first.inputRequests), ['pin']);

      const answers: Json = { pin: { action: 'accept', content: { pin: '0000' } } };
      const second = (await call({ requestState: first.requestState, inputResponses: answers })).result as typeof first;
      assert.equal(second.resultType, 'input_required', JSON.stringify(second));
      assert.deepEqual(Object.keys(second.inputRequests), ['pin#2']);
      assert.equal(((second.inputRequests['pin#2'] as Json).params as Json).message, 'Wrong PIN, again?');

      const third = await call({ requestState: second.requestState, inputResponses: { 'pin#2': { action: 'accept', content: { pin: '1234' } } } });
      assert.deepEqual((third.result as { content: unknown }).content, [{ type: 'text', text: 'unlocked after 2 asks' }], JSON.stringify(third));
    } finally {
      await server.close();
    }
  });
});
