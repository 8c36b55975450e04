/**
 * A client is sent only what it declared, in both eras (client/elicitation: "an empty capabilities object is
 * equivalent to declaring support for form mode only"; servers "MUST NOT send elicitation requests with modes that
 * are not supported by the client"). Before the fix a client declaring `{ url: {} }` alone was sent form-mode
 * elicitations. Also here: input keys that are Object.prototype names are asked like any other key (they were
 * "answered" by the prototype's members, and the first round refused).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import type { McpServer } from '../../src/server/mcp-server.js';
import { createDualEraServer, modernHeaders, modernMeta } from '../helpers/dual-era-server.js';
import { startHttp } from '../helpers/http-harness.js';
import { connectInitialized, connectMemory, type Json } from '../helpers/memory-client.js';
import { jsonOf } from '../helpers/raw-http-client.js';

const FORM = { message: 'Name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } } } };
const URL_ASK = { mode: 'url', message: 'Sign in', url: 'https://example.com/sign-in', elicitationId: 'e1' };

/** A server whose `ask` tool elicits in the mode named by its `mode` argument. */
function askingServer(): McpServer {
  const server = createDualEraServer();
  server.tool('ask', { description: 'elicits in a mode', inputSchema: { type: 'object', properties: { mode: { type: 'string' } } } }, async (args, ctx) => {
    const answer = await ctx.elicit((args as { mode?: string }).mode === 'url' ? URL_ASK : FORM, { key: 'a' });
    return String(answer.action);
  });
  return server;
}

describe('elicitation modes against the declared capability', () => {
  for (const [declared, mode, lacking] of [
    [{ url: {} }, 'form', { elicitation: { form: {} } }],
    [{}, 'url', { elicitation: { url: {} } }],
  ] as const) {
    it(`2026-07-28: a client declaring ${JSON.stringify(declared)} is not sent ${mode} mode (-32021, 400)`, async () => {
      const http = await startHttp(askingServer());
      try {
        const body = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'ask', arguments: { mode }, _meta: modernMeta({ elicitation: declared }) } };
        const reply = await http.client.send({ body, headers: modernHeaders(body) });
        const error = jsonOf(reply).error as { code: number; data?: { requiredCapabilities?: unknown } } | undefined;
        assert.equal(reply.status, 400, reply.body);
        assert.equal(error?.code, ErrorCode.MissingRequiredClientCapability);
        assert.deepEqual(error?.data?.requiredCapabilities, lacking);
      } finally {
        await http.close();
      }
    });

    it(`2025-11-25: a client declaring ${JSON.stringify(declared)} is not sent ${mode} mode`, async () => {
      const server = askingServer();
      const { client } = await connectInitialized(server, { capabilities: { elicitation: declared } });
      const asked: Json[] = [];
      client.answer('elicitation/create', (params) => {
        asked.push(params ?? {});
        return { action: 'decline' };
      });
      try {
        const reply = await client.request('tools/call', { name: 'ask', arguments: { mode } });
        assert.deepEqual(asked, [], 'the elicitation reached the client');
        const text = ((reply.result as { content: { text: string }[] }).content[0]?.text ?? '');
        assert.ok(text.includes(`did not declare the capabilities ${JSON.stringify(lacking)}`), text);
      } finally {
        await server.close();
      }
    });
  }

  it('2025-11-25: a client declaring both modes is sent each', async () => {
    const server = askingServer();
    const { client } = await connectInitialized(server, { capabilities: { elicitation: { form: {}, url: {} } } });
    client.answer('elicitation/create', () => ({ action: 'decline' }));
    try {
      for (const mode of ['form', 'url']) {
        const reply = await client.request('tools/call', { name: 'ask', arguments: { mode } });
        assert.deepEqual((reply.result as { content: unknown }).content, [{ type: 'text', text: 'decline' }], JSON.stringify(reply));
      }
    } finally {
      await server.close();
    }
  });
});

describe('input keys that are Object.prototype names (2026-07-28)', () => {
  for (const key of ['constructor', 'toString', '__proto__']) {
    it(`an ask keyed ${key} is asked, then answered`, async () => {
      const server = createDualEraServer();
      server.tool('confirm', { description: 'asks' }, async (_a, ctx) => {
        const answer = await ctx.elicit({ message: 'ok?', requestedSchema: { type: 'object', properties: {} } }, { key });
        return String(answer.action);
      });
      try {
        const { client } = await connectMemory(server);
        const first = await client.request('tools/call', { name: 'confirm', arguments: {}, _meta: modernMeta() });
        assert.equal(first.error, undefined, JSON.stringify(first.error));
        const result = first.result as { resultType: string; inputRequests: Json; requestState: string };
        assert.equal(result.resultType, 'input_required');
        assert.ok(Object.hasOwn(result.inputRequests, key), JSON.stringify(result.inputRequests));
        const responses = JSON.parse(`{${JSON.stringify(key)}:{"action":"accept","content":{}}}`) as Json;
        const second = await client.request('tools/call', { name: 'confirm', arguments: {}, _meta: modernMeta(), requestState: result.requestState, inputResponses: responses });
        assert.deepEqual((second.result as { content: unknown }).content, [{ type: 'text', text: 'accept' }], JSON.stringify(second));
      } finally {
        await server.close();
      }
    });
  }
});
