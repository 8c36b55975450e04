/**
 * What becomes of a handler once its 2026-07-28 request was answered `input_required` (mrtr): the round rejects the
 * asks it parked, and the abandoned handler must be able to unwind the way a 2025-11-25 handler would, without
 * taking the process down. A handler that makes two asks in one tick and awaits them one by one stops at the first
 * rejection; the second was an unhandled rejection, which ends a Node 20 process (`--unhandled-rejections=throw`).
 * A handler that catches the rejection and asks again (a 2025-11-25 retry loop) was left waiting forever on that
 * ask, so its `finally` (a connection released, a lock dropped) never ran.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { JsonObject } from '../../src/protocol/json-rpc.js';
import { within } from '../helpers/deadline.js';
import { createDualEraServer, modernMeta } from '../helpers/dual-era-server.js';
import { connectMemory, type Json } from '../helpers/memory-client.js';

const SCHEMA = { type: 'object', properties: { v: { type: 'string' } } };

describe('a handler abandoned after input_required', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);

  before(() => {
    // Node's test runner would report the rejection itself; count it here instead.
    process.prependListener('unhandledRejection', onUnhandled);
  });
  after(() => {
    process.removeListener('unhandledRejection', onUnhandled);
  });

  it('leaves no unhandled rejection when it awaited its parked asks one by one', async () => {
    const server = createDualEraServer();
    let unwound!: () => void;
    const handlerUnwound = new Promise<void>((resolve) => (unwound = resolve));
    server.tool('two_asks', { description: 'asks twice in one tick, then awaits each in turn' }, async (_a, ctx) => {
      try {
        const name = ctx.elicit({ message: 'Name?', requestedSchema: SCHEMA }, { key: 'name' });
        const city = ctx.elicit({ message: 'City?', requestedSchema: SCHEMA }, { key: 'city' });
        const a = ((await name).content ?? {}) as JsonObject;
        const b = ((await city).content ?? {}) as JsonObject;
        return `${String(a.v)} of ${String(b.v)}`;
      } finally {
        unwound();
      }
    });
    try {
      unhandled.length = 0;
      const { client } = await connectMemory(server);
      const first = await client.request('tools/call', { name: 'two_asks', arguments: {}, _meta: modernMeta() });
      const interim = first.result as { resultType: string; inputRequests: Json };
      assert.equal(interim.resultType, 'input_required');
      assert.deepEqual(Object.keys(interim.inputRequests), ['name', 'city']);
      await within(handlerUnwound, 'the abandoned handler to unwind');
      // Unhandled rejections are reported once the microtask queue drains: one macrotask later they are in.
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(unhandled.map(String), []);
    } finally {
      await server.close();
    }
  });

  it('refuses an ask made after the round was answered, so a handler that asks again in its catch unwinds', async () => {
    const server = createDualEraServer();
    let released!: (outcome: string) => void;
    const handlerReleased = new Promise<string>((resolve) => (released = resolve));
    server.tool('stubborn', { description: 'asks again whenever an ask fails' }, async (_a, ctx) => {
      let outcome = 'still asking';
      try {
        for (let i = 0; i < 3; i++) {
          try {
            const answer = await ctx.elicit({ message: 'Value?', requestedSchema: SCHEMA }, { key: 'value' });
            return (outcome = `got ${String(answer.action)}`);
          } catch (err) {
            outcome = `gave up: ${err instanceof Error ? err.name : String(err)}`;
          }
        }
        return outcome;
      } finally {
        released(outcome);
      }
    });
    try {
      const { client } = await connectMemory(server);
      const first = await client.request('tools/call', { name: 'stubborn', arguments: {}, _meta: modernMeta() });
      const interim = first.result as { resultType: string; inputRequests: Json };
      assert.equal(interim.resultType, 'input_required');
      assert.deepEqual(Object.keys(interim.inputRequests), ['value']);
      assert.equal(await within(handlerReleased, 'the abandoned handler to reach its finally'), 'gave up: InputRequiredSuspension');
    } finally {
      await server.close();
    }
  });
});
