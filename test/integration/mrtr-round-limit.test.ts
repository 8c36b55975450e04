/**
 * The last input round `mrtr.maxRounds` allows (MCP 2026-07-28 basic/patterns/mrtr). A client that gets
 * `input_required` MUST gather the inputs and retry echoing `requestState`; the server refuses a retry past the
 * limit, so an `input_required` sent in the last allowed round asked the client (and its user) for answers that
 * could only be refused. Before the fix the maxRounds-th round still answered `input_required`; now a handler that
 * needs more input in the last round is answered with the refusal at once, and one that has its answers completes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import type { JsonObject } from '../../src/protocol/json-rpc.js';
import { createDualEraServer, modernMeta } from '../helpers/dual-era-server.js';
import { connectMemory, type Json } from '../helpers/memory-client.js';

const PIN_SCHEMA = { type: 'object', properties: { pin: { type: 'string' } } };

interface Interim {
  resultType: string;
  inputRequests: Json;
  requestState: string;
}

function serverWithPin(maxRounds: number): { server: ReturnType<typeof createDualEraServer>; unwound: () => number } {
  const server = createDualEraServer({ mrtr: { maxRounds } });
  let finallies = 0;
  server.tool('pin', { description: 'asks for a PIN until it is right' }, async (_a, ctx) => {
    try {
      for (let i = 0; i < 10; i++) {
        const answer = await ctx.elicit({ message: 'PIN?', requestedSchema: PIN_SCHEMA }, { key: 'pin' });
        if (((answer.content ?? {}) as JsonObject).pin === '1234') return `unlocked after ${i + 1} asks`;
      }
      return 'gave up';
    } finally {
      finallies++;
    }
  });
  return { server, unwound: () => finallies };
}

describe('the last input round mrtr.maxRounds allows (2026-07-28)', () => {
  it('answers the refusal instead of an input_required whose retry would be refused', async () => {
    const { server, unwound } = serverWithPin(2);
    try {
      const { client } = await connectMemory(server);
      const call = (extra: Json): Promise<Json> => client.request('tools/call', { name: 'pin', arguments: {}, _meta: modernMeta(), ...extra });
      const first = (await call({})).result as Interim;
      assert.equal(first.resultType, 'input_required');
      const second = await call({ requestState: first.requestState, inputResponses: { pin: { action: 'accept', content: { pin: '0000' } } } });
      assert.equal(second.result, undefined, `round 2 of 2 must not ask again: ${JSON.stringify(second.result)}`);
      assert.equal((second.error as Json).code, ErrorCode.InvalidParams);
      assert.match(String((second.error as Json).message), /maxRounds|input rounds/);
      await new Promise((r) => setImmediate(r));
      assert.equal(unwound(), 2, 'the handler of each round was abandoned and unwound');
    } finally {
      await server.close();
    }
  });

  it('still completes in the last round when the answers are there, and with maxRounds 1 never asks', async () => {
    const two = serverWithPin(2);
    const one = serverWithPin(1);
    try {
      const { client } = await connectMemory(two.server);
      const first = (await client.request('tools/call', { name: 'pin', arguments: {}, _meta: modernMeta() })).result as Interim;
      const done = await client.request('tools/call', {
        name: 'pin', arguments: {}, _meta: modernMeta(), requestState: first.requestState, inputResponses: { pin: { action: 'accept', content: { pin: '1234' } } },
      });
      assert.deepEqual((done.result as Json).content, [{ type: 'text', text: 'unlocked after 1 asks' }], JSON.stringify(done));
      const single = (await connectMemory(one.server)).client;
      const refused = await single.request('tools/call', { name: 'pin', arguments: {}, _meta: modernMeta() });
      assert.equal((refused.error as Json | undefined)?.code, ErrorCode.InvalidParams, JSON.stringify(refused));
    } finally {
      await two.server.close();
      await one.server.close();
    }
  });
});
