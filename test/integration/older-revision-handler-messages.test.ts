/**
 * Handlers write 2025-11-25 sampling requests and notifications; a session of an older revision gets them in its
 * own schema's shape, so no handler needs to know the revision. A SamplingMessage of 2025-06-18 and 2025-03-26
 * holds one text, image or audio block and no `_meta`: a message of several blocks becomes consecutive messages of
 * the same role, one block each. Tool use in sampling has no older form, so it is refused, not rewritten. The
 * `_meta` that 2025-11-25 gives progress, logging and resource-updated params is left out, and a notification
 * only 2025-11-25 defines is not sent. Checked against each revision's official schema, closed-world.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { internalError } from '../../src/diagnostics/channels.js';
import { McpServer } from '../../src/server/mcp-server.js';
import { connectInitialized, type Json } from '../helpers/memory-client.js';
import { EmittedMessageLog, SpecSchemaValidator } from '../helpers/schema-validator.js';

const META = { 'example.com/trace': 't-1' };
const TEXT = { type: 'text', text: 'a', _meta: META, annotations: { priority: 1, lastModified: '2025-01-01T00:00:00Z' } };
const IMAGE = { type: 'image', data: 'iVBORw0KGgo=', mimeType: 'image/png' };

function handlerServer(): McpServer {
  const server = new McpServer({ info: { name: 'older', version: '1' } });
  server.tool('ask', {}, async (_args, ctx) => {
    await ctx.sample({ messages: [{ role: 'user', content: [TEXT, IMAGE], _meta: META }, { role: 'assistant', content: [] }], maxTokens: 5 });
    return 'sent';
  });
  server.tool('ask_after_tool', {}, (_args, ctx) => ctx.sample({
    messages: [{ role: 'user', content: [{ type: 'tool_result', toolUseId: 'u-1', content: [] }] }], maxTokens: 5,
  }).then(() => 'sent', (err: Error) => err.message));
  server.tool('tell', {}, (_args, ctx) => {
    ctx.notify('notifications/message', { level: 'info', data: 'x', _meta: META });
    ctx.notify('notifications/elicitation/complete', { elicitationId: 'e-1' });
    return 'told';
  });
  return server;
}

async function run(revision: string, tool: string): Promise<{ log: EmittedMessageLog; result: Json }> {
  const server = handlerServer();
  const { client } = await connectInitialized(server, { protocolVersion: revision, capabilities: { sampling: {} } });
  const log = new EmittedMessageLog();
  client.answer('sampling/createMessage', (_params, message) => {
    log.serverSent(message);
    return { model: 'm', role: 'assistant', content: { type: 'text', text: 'ok' } };
  });
  const result = (await client.request('tools/call', { name: tool, arguments: {} })).result as Json;
  for (const note of client.drain('notifications/message')) log.serverSent(note);
  for (const note of client.drain('notifications/elicitation/complete')) log.serverSent(note);
  await server.close();
  return { log, result };
}

for (const revision of ['2025-06-18', '2025-03-26']) {
  describe(`what a handler sends, to a ${revision} session`, () => {
    const validator = SpecSchemaValidator.forRevision(revision, { closed: true });

    it('sampling: one block per message, the same role, no _meta', async () => {
      const { log } = await run(revision, 'ask');
      log.assertValid(validator);
      const params = (log.emitted[0] as Json).params as Json;
      // 2025-06-18 blocks have `_meta` and lastModified; 2025-03-26 blocks have neither.
      const text = revision === '2025-03-26' ? { type: 'text', text: 'a', annotations: { priority: 1 } } : TEXT;
      assert.deepEqual(params.messages, [{ role: 'user', content: text }, { role: 'user', content: IMAGE }]);
    });

    it('sampling: tool results are refused, not sent', async () => {
      const { log, result } = await run(revision, 'ask_after_tool');
      assert.equal(log.emitted.length, 0);
      assert.match(String((result.content as Json[])[0]?.text), new RegExp(`${revision} has no tools or tasks in sampling.*tool_result`));
    });

    it('notifications: no 2025-11-25 _meta, and no 2025-11-25-only notification', async () => {
      const dropped: unknown[] = [];
      const onError = (event: unknown): void => void dropped.push(event);
      internalError.subscribe(onError);
      try {
        const { log } = await run(revision, 'tell');
        log.assertValid(validator);
        assert.deepEqual(log.emitted, [{ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'x' } }]);
        assert.match(JSON.stringify(dropped.map((e) => ((e as { error: Error }).error).message)), /notifications\/elicitation\/complete/);
      } finally {
        internalError.unsubscribe(onError);
      }
    });
  });
}

describe('what a handler sends, to a 2025-11-25 session', () => {
  it('goes as the handler wrote it', async () => {
    const { log } = await run('2025-11-25', 'ask');
    log.assertValid(SpecSchemaValidator.forRevision('2025-11-25', { closed: true }));
    assert.deepEqual(((log.emitted[0] as Json).params as Json).messages, [{ role: 'user', content: [TEXT, IMAGE], _meta: META }, { role: 'assistant', content: [] }]);
    const told = await run('2025-11-25', 'tell');
    assert.equal(told.log.emitted.length, 2);
  });
});
