/**
 * The server that test/protocol/emitted-schema.test.ts tours, and the client that records the tour: the interop
 * tour server (test/interop/tour-server.ts) plus tools that make the server send what the tour fixture does not
 * by itself (a ping, a cancelled sample, sampling with tools, with multi-block messages and with a tool round in its
 * history, notifications with 2025-11-25's `_meta` and one only 2025-11-25 has, both elicitation modes), and a tool, prompt and
 * resource that set every optional field 2025-11-25 allows on each content type, so that an older session shows
 * both what is shaped for its revision and what is refused for it.
 */
import type { ContentBlock } from '../../src/server/types.js';
import { createTourServer, LOGO_URI, README_URI, TOUR_ICON, type TourFixture } from '../interop/tour-server.js';
import { connectMemory, type RawMemoryClient } from './memory-client.js';
import type { EmittedMessageLog } from './schema-validator.js';

/** Annotations as 2025-06-18 and later define them (2025-03-26's have no lastModified). */
const RICH_ANNOTATIONS = Object.freeze({ audience: ['user' as const], priority: 0.5, lastModified: '2025-01-01T00:00:00Z' });
const RICH_META = Object.freeze({ 'example.com/origin': 'raw tour' });
/** A resource whose contents carry `_meta` (2025-06-18+), added by `createRawTourServer`. */
export const RICH_URI = 'tour://rich/contents';

/** One block of each content type, every optional field a handler may set under 2025-11-25 set. */
const RICH_BLOCKS: readonly ContentBlock[] = Object.freeze([
  { type: 'text', text: 'text', annotations: RICH_ANNOTATIONS, _meta: RICH_META },
  { type: 'image', data: 'iVBORw0KGgo=', mimeType: 'image/png', annotations: RICH_ANNOTATIONS, _meta: RICH_META },
  { type: 'audio', data: 'UklGRg==', mimeType: 'audio/wav', annotations: RICH_ANNOTATIONS, _meta: RICH_META },
  { type: 'resource', resource: { uri: README_URI, mimeType: 'text/plain', text: 'embedded', _meta: RICH_META }, annotations: RICH_ANNOTATIONS, _meta: RICH_META },
  { type: 'resource', resource: { uri: LOGO_URI, mimeType: 'image/png', blob: 'iVBORw0KGgo=', _meta: RICH_META } },
  {
    type: 'resource_link', uri: README_URI, name: 'readme', title: 'Tour readme', description: 'What this server is.',
    mimeType: 'text/plain', size: 27, annotations: RICH_ANNOTATIONS, icons: [TOUR_ICON], _meta: RICH_META,
  },
]);

/**
 * Connects a raw client to `fixture`'s server whose every exchanged message is recorded in `log`; it answers the
 * server's sampling, roots, elicitation and ping requests.
 */
export async function recordedClient(fixture: TourFixture, log: EmittedMessageLog): Promise<RawMemoryClient> {
  const { client } = await connectMemory(fixture.server);
  const transport = client.transport;
  const receive = transport.onmessage;
  transport.onmessage = (message) => {
    log.serverSent(message);
    receive?.(message);
  };
  const send = transport.send.bind(transport);
  transport.send = (message) => {
    log.clientSent(message);
    return send(message);
  };
  client.answer('sampling/createMessage', () => ({ model: 'raw-model', role: 'assistant', content: { type: 'text', text: 'sampled' } }));
  client.answer('roots/list', () => ({ roots: [{ uri: 'file:///raw', name: 'raw' }] }));
  client.answer('elicitation/create', () => ({ action: 'accept', content: { name: 'Grace' } }));
  client.answer('ping', () => ({}));
  return client;
}

/**
 * The tour server with the raw tour's additions: the server-to-client messages the tour fixture does not send by
 * itself, and content that sets every optional field 2025-11-25 allows.
 */
export function createRawTourServer(): TourFixture {
  const fixture = createTourServer();
  addRawTourTools(fixture);
  return fixture;
}

/** Adds the server-to-client messages the tour fixture does not send by itself. */
function addRawTourTools(fixture: TourFixture): void {
  fixture.server.tool('ping_client', { description: 'Pings the client.' }, async (_args, ctx) => {
    await ctx.request('ping', undefined);
    return 'pong';
  });
  fixture.server.tool('abandon_sample', { description: 'Asks for a sample, then cancels the request at once.' }, async (_args, ctx) => {
    const controller = new AbortController();
    const asked = ctx.sample({ messages: [{ role: 'user', content: { type: 'text', text: 'never mind' } }], maxTokens: 5 }, { signal: controller.signal });
    controller.abort(new Error('no longer needed'));
    return asked.then(() => 'answered', (err: unknown) => `abandoned: ${(err as Error).message}`);
  });
  fixture.server.tool('sample_with_tools', { description: 'Asks for a sample the model may answer with a tool call.' }, (_args, ctx) => outcome(ctx.sample({
    messages: [{ role: 'user', content: { type: 'text', text: 'what is the weather?' } }],
    maxTokens: 5,
    tools: [{ name: 'weather', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } }],
    toolChoice: { mode: 'auto' },
  })));
  // Sampling messages as 2025-11-25 writes them (client/sampling): content as an array of blocks, `_meta` on the
  // message and its blocks. Older SamplingMessages hold one block and no `_meta`.
  fixture.server.tool('sample_rich', { description: 'Asks for a sample with multi-block messages.' }, (_args, ctx) => outcome(ctx.sample({
    messages: [
      { role: 'user', content: [RICH_BLOCKS[0], RICH_BLOCKS[1]], _meta: RICH_META },
      { role: 'assistant', content: [RICH_BLOCKS[2]] },
      { role: 'user', content: RICH_BLOCKS[0] },
    ],
    maxTokens: 5,
  })));
  // A tool use and its result in the history, without `tools`: 2025-11-25 content that no older revision has.
  fixture.server.tool('sample_tool_history', { description: 'Asks for a sample after a tool round.' }, (_args, ctx) => outcome(ctx.sample({
    messages: [
      { role: 'assistant', content: { type: 'tool_use', id: 'u-1', name: 'weather', input: { city: 'Oslo' } } },
      { role: 'user', content: [{ type: 'tool_result', toolUseId: 'u-1', content: [{ type: 'text', text: 'sunny' }] }] },
    ],
    maxTokens: 5,
  })));
  // Notifications whose params carry 2025-11-25's `_meta` (NotificationParams), and one only 2025-11-25 defines.
  fixture.server.tool('notify_rich', { description: 'Sends notifications with every field 2025-11-25 allows.' }, (_args, ctx) => {
    ctx.notify('notifications/message', { level: 'error', logger: 'raw', data: 'rich', _meta: RICH_META });
    ctx.notify('notifications/resources/updated', { uri: README_URI, _meta: RICH_META });
    ctx.notify('notifications/progress', { progressToken: 'rich-1', progress: 1, _meta: RICH_META });
    ctx.notify('notifications/tools/list_changed', { _meta: RICH_META });
    ctx.notify('notifications/elicitation/complete', { elicitationId: 'raw-e-1' });
    return 'notified';
  });
  fixture.server.tool('rich_content', { description: 'Answers with one block of each content type.' }, () => ({ content: [...RICH_BLOCKS] }));
  fixture.server.prompt('rich_prompt', { description: 'One message of each content type.' }, () => ({
    messages: RICH_BLOCKS.map((content, i) => ({ role: i % 2 === 0 ? 'user' : 'assistant', content })),
  }));
  fixture.server.resource(RICH_URI, { name: 'rich', description: 'Text and blob contents with _meta.' }, (uri) => [
    { uri, mimeType: 'text/plain', text: 'rich', _meta: RICH_META },
    { uri, mimeType: 'image/png', blob: 'iVBORw0KGgo=', _meta: RICH_META },
  ]);
  fixture.server.tool('elicit_form_mode', { description: 'Asks for a name, naming form mode.' }, (_args, ctx) => outcome(ctx.elicit({
    mode: 'form',
    message: 'Your name?',
    // Defaults for every primitive type are 2025-11-25's (SEP-1034); 2025-06-18 has them on booleans alone.
    requestedSchema: {
      type: 'object',
      properties: {
        name: { type: 'string', default: 'Ada' },
        age: { type: 'integer', minimum: 0, default: 36 },
        colour: { type: 'string', enum: ['red', 'green'], default: 'red' },
        subscribed: { type: 'boolean', default: false },
      },
      required: ['name'],
    },
  })));
  fixture.server.tool('elicit_url', { description: 'Sends the user to a page.' }, (_args, ctx) => outcome(ctx.elicit({
    mode: 'url', message: 'Sign in, please.', url: 'https://example.com/sign-in', elicitationId: 'raw-e-1',
  })));
}

/** What a server request came to, as a tool's text: `sent` when the client answered, else why it was not sent. */
function outcome(asked: Promise<unknown>): Promise<string> {
  return asked.then(() => 'sent', (err: unknown) => `refused: ${(err as Error).message}`);
}
