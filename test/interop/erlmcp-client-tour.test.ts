/**
 * The erlmcp client (`McpClient`) drives every feature of a tour server, one shared suite against each server and
 * transport: the official SDK's `McpServer` (sdk-tour-server.ts) and erlmcp's own (tour-server.ts), each over
 * Streamable HTTP (`StreamableHttpClientTransport` on undici) and over stdio (`StdioClientTransport` spawning it).
 *
 * Covered: initialize and version negotiation, ping, pagination helpers, tools (text, structured, tool errors),
 * resources (fixed, templated, blob, subscribe/unsubscribe), prompts, completion, logging levels, progress, abort
 * with notifications/cancelled, per-request timeouts, list_changed, sampling, elicitation, roots, `_meta`, and many
 * requests in flight on one session. Where the two servers differ by design (the SDK does not paginate, and answers
 * an unknown tool with a tool error), the assertion names the server.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CallToolResult } from '../../src/client/client-types.js';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { featuresOf, type SessionRevision } from '../../src/protocol/versions.js';
import { WireError } from '../../src/protocol/wire-error.js';
import {
  connectErlmcpHttp, connectErlmcpStdio, connectSdkHttp, connectSdkStdio,
  type ClientTourConnection, type ClientTourConnector,
} from './erlmcp-client-connections.js';
import { ELICITED, TOUR_MODEL, TOUR_ROOTS } from './sdk-connections.js';
import { BLOB_TEMPLATE, ITEM_TEMPLATE, LOGO_BYTES, LOGO_URI, README_URI, TOUR_PAGE_SIZE, TOUR_TOOLS } from './tour-server.js';

const RUNS: readonly [string, ClientTourConnector, SessionRevision][] = [
  ['the SDK server over Streamable HTTP', connectSdkHttp, '2025-11-25'],
  ['the SDK server over stdio', connectSdkStdio, '2025-11-25'],
  ['the SDK server over Streamable HTTP', connectSdkHttp, '2025-06-18'],
  ['the erlmcp server over Streamable HTTP', connectErlmcpHttp, '2025-11-25'],
  ['the erlmcp server over stdio', connectErlmcpStdio, '2025-11-25'],
  ['the erlmcp server over Streamable HTTP', connectErlmcpHttp, '2025-03-26'],
];

function textOf(result: CallToolResult): string {
  const first = result.content[0];
  assert.equal(first?.type, 'text', `expected a text block, got ${JSON.stringify(result)}`);
  return String(first?.text);
}

function isWireError(code?: ErrorCode): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof WireError, `expected a WireError, got ${String(err)}`);
    if (code !== undefined) assert.equal(err.code, code, err.message);
    return true;
  };
}

function sentMethod(c: ClientTourConnection, method: string): { id?: unknown; params?: Record<string, unknown> }[] {
  return c.recorder.sent.filter((m) => (m as { method?: string }).method === method) as never;
}

for (const [name, connect, revision] of RUNS) {
  describe(`erlmcp client tour of ${name}, offering ${revision}`, () => {
    let c: ClientTourConnection;
    const f = featuresOf(revision);
    before(async () => {
      c = await connect(revision);
    });
    after(async () => {
      await c?.close();
    });

    it('initialize negotiates the offered revision and reads the server description', () => {
      assert.equal(c.client.protocolVersion, revision);
      assert.equal(c.client.serverInfo?.name, c.flavour === 'sdk' ? 'sdk-tour' : 'erlmcp-tour');
      assert.equal(c.client.serverInfo?.version, '1.0.0');
      assert.ok(c.client.serverCapabilities?.tools, 'tools capability');
      assert.equal(c.client.serverCapabilities?.resources?.subscribe, true);
      assert.match(c.client.instructions ?? '', /tour|every MCP feature/);
      const init = sentMethod(c, 'initialize')[0];
      assert.deepEqual(Object.keys((init?.params?.capabilities ?? {}) as object).sort(), ['elicitation', 'roots', 'sampling']);
      assert.equal(sentMethod(c, 'notifications/initialized').length, 1);
      if (c.transport === 'streamable-http') assert.ok(c.client.transport?.sessionId, 'the session id was kept');
    });

    it('answers ping', async () => {
      await c.client.ping();
    });

    it('listAllTools follows every cursor', async () => {
      const tools = await c.client.listAllTools();
      assert.deepEqual(tools.map((t) => t.name), [...TOUR_TOOLS]);
      const first = await c.client.listTools();
      if (c.flavour === 'erlmcp') {
        assert.equal(first.tools.length, TOUR_PAGE_SIZE);
        assert.equal(typeof first.nextCursor, 'string');
      } else {
        assert.equal(first.nextCursor, undefined, 'the SDK does not paginate');
      }
    });

    it('tools/call returns text and structured content', async () => {
      assert.equal(textOf(await c.client.callTool({ name: 'echo', arguments: { text: 'hello' } })), 'hello');
      const sum = await c.client.callTool({ name: 'add', arguments: { a: 2, b: 3 } });
      assert.equal(textOf(sum), '5');
      if (c.flavour === 'sdk' || f.structuredContent) assert.deepEqual(sum.structuredContent, { sum: 5 });
    });

    it('a throwing tool is a tool error; an unknown tool is -32602 (erlmcp) or a tool error (SDK)', async () => {
      const failed = await c.client.callTool({ name: 'fail' });
      assert.equal(failed.isError, true);
      assert.match(textOf(failed), /the fail tool failed on purpose/);
      if (c.flavour === 'erlmcp') {
        await assert.rejects(c.client.callTool({ name: 'no_such_tool' }), isWireError(ErrorCode.InvalidParams));
      } else {
        assert.equal((await c.client.callTool({ name: 'no_such_tool' })).isError, true);
      }
    });

    it('resources: list, templates, read text and blob, and an unknown one fails', async () => {
      const resources = await c.client.listAllResources();
      assert.deepEqual(resources.map((r) => r.uri), [README_URI, LOGO_URI]);
      const templates = await c.client.listAllResourceTemplates();
      assert.deepEqual(templates.map((t) => t.uriTemplate), [ITEM_TEMPLATE, BLOB_TEMPLATE]);
      const readme = await c.client.readResource({ uri: README_URI });
      assert.equal(readme.contents[0]?.text, 'Welcome to the erlmcp tour.');
      const logo = await c.client.readResource({ uri: LOGO_URI });
      assert.equal(Buffer.from(String(logo.contents[0]?.blob), 'base64').compare(LOGO_BYTES), 0);
      assert.equal((await c.client.readResource({ uri: 'tour://items/beta' })).contents[0]?.text, 'item beta');
      await assert.rejects(c.client.readResource({ uri: 'tour://nowhere' }), isWireError());
    });

    it('resources/subscribe brings resourceUpdated events until unsubscribe', async () => {
      await c.client.subscribe({ uri: README_URI });
      const updated = new Promise<{ uri: string }>((resolve) => c.client.once('resourceUpdated', resolve));
      await c.client.callTool({ name: 'notify_resource', arguments: { uri: README_URI } });
      assert.equal((await updated).uri, README_URI);
      await c.client.unsubscribe({ uri: README_URI });
      const before = c.inbox.all('notifications/resources/updated').length;
      await c.client.callTool({ name: 'notify_resource', arguments: { uri: README_URI } });
      await c.client.callTool({ name: 'add_tool' });
      await c.inbox.waitFor('notifications/tools/list_changed');
      assert.equal(c.inbox.all('notifications/resources/updated').length, before);
    });

    it('prompts: list and get with arguments', async () => {
      const prompts = await c.client.listAllPrompts();
      assert.deepEqual(prompts.map((p) => p.name), ['greet', 'summary']);
      const greet = await c.client.getPrompt({ name: 'greet', arguments: { name: 'Ada', style: 'formal' } });
      assert.deepEqual(greet.messages, [{ role: 'user', content: { type: 'text', text: 'Greet Ada in a formal way.' } }]);
      assert.equal((await c.client.getPrompt({ name: 'summary' })).messages[0]?.content.type, 'resource');
    });

    it('completion/complete completes a prompt argument and a template variable', async () => {
      const names = await c.client.complete({ ref: { type: 'ref/prompt', name: 'greet' }, argument: { name: 'name', value: 'A' } });
      assert.deepEqual(names.completion.values, ['Ada', 'Alan']);
      const ids = await c.client.complete({ ref: { type: 'ref/resource', uri: ITEM_TEMPLATE }, argument: { name: 'id', value: 'g' } });
      assert.deepEqual(ids.completion.values, ['gamma']);
    });

    it('setLogLevel lets through only messages at or above the level, as log events', async () => {
      const seen: [string, unknown][] = [];
      const onLog = (m: { level: string; data: unknown }): void => void seen.push([m.level, (m.data as { tag?: string }).tag]);
      c.client.on('log', onLog);
      try {
        await c.client.setLogLevel('warning');
        await c.client.callTool({ name: 'log_levels', arguments: { tag: revision } });
        await c.inbox.waitFor('notifications/message', (p) => p.level === 'error' && (p.data as { tag?: string }).tag === revision);
      } finally {
        c.client.off('log', onLog);
      }
      assert.deepEqual(seen, [['warning', revision], ['error', revision]]);
    });

    it('progress notifications reach onProgress, in order, before the result', async () => {
      const seen: number[] = [];
      let resolvedAfter = -1;
      const result = await c.client.callTool({ name: 'progress', arguments: { steps: 3 } }, { onProgress: (p) => seen.push(p.progress) });
      resolvedAfter = seen.length;
      assert.equal(textOf(result), '3 steps done');
      assert.deepEqual(seen, [1, 2, 3]);
      assert.equal(resolvedAfter, 3);
      const token = (sentMethod(c, 'tools/call').at(-1)?.params?._meta as { progressToken?: unknown }).progressToken;
      assert.equal(token, sentMethod(c, 'tools/call').at(-1)?.id, 'the progress token is the request id');
    });

    it('aborting a call rejects it with the reason and sends notifications/cancelled, which the tool observes', async () => {
      const controller = new AbortController();
      const pending = c.client.callTool({ name: 'wait_for_cancel' }, {
        signal: controller.signal,
        onProgress: () => controller.abort(new Error('the user gave up')),
      });
      await assert.rejects(pending, /the user gave up/);
      const id = sentMethod(c, 'tools/call').find((m) => m.params?.name === 'wait_for_cancel')?.id;
      const cancelled = sentMethod(c, 'notifications/cancelled').at(-1);
      assert.equal(cancelled?.params?.requestId, id);
      const status = JSON.parse(textOf(await c.client.callTool({ name: 'cancellation_status' }))) as { observed: boolean; reason: string };
      assert.equal(status.observed, true);
      assert.match(status.reason, /the user gave up/);
    });

    it('a request that outlives its timeout fails with -32001 and is cancelled at the server', async () => {
      await assert.rejects(c.client.callTool({ name: 'wait_for_cancel' }, { timeoutMs: 150 }), isWireError(ErrorCode.RequestTimeout));
      assert.equal(sentMethod(c, 'notifications/cancelled').at(-1)?.params?.reason, 'timeout');
      const status = JSON.parse(textOf(await c.client.callTool({ name: 'cancellation_status' }))) as { observed: boolean };
      assert.equal(status.observed, true);
      assert.equal(c.client.inFlight, 0);
    });

    it('a tool registered after connect brings a toolsListChanged event', async () => {
      const changed = new Promise<void>((resolve) => c.client.once('toolsListChanged', resolve));
      const late = textOf(await c.client.callTool({ name: 'add_tool' }));
      await changed;
      assert.ok((await c.client.listAllTools()).some((t) => t.name === late));
      assert.equal(textOf(await c.client.callTool({ name: late })), late);
    });

    it('sampling: the tool gets the client model answer', async () => {
      assert.equal(textOf(await c.client.callTool({ name: 'sample', arguments: { prompt: 'hi' } })), `${TOUR_MODEL}: you said hi`);
    });

    it(`elicitation: ${f.elicitation || name.includes('SDK') ? 'the tool gets the accepted content' : 'the revision has none, so the tool is refused'}`, async () => {
      const result = await c.client.callTool({ name: 'elicit' });
      if (f.elicitation || c.flavour === 'sdk') assert.deepEqual(JSON.parse(textOf(result)), { action: 'accept', content: ELICITED });
      else assert.equal(result.isError, true);
    });

    it('roots: the tool lists the client roots', async () => {
      assert.deepEqual(JSON.parse(textOf(await c.client.callTool({ name: 'roots' }))), TOUR_ROOTS.map((r) => r.uri));
    });

    it('_meta of the request reaches the handler', async () => {
      const meta = { 'example.com/trace': 'trace-1' };
      const result = await c.client.callTool({ name: 'meta_echo', _meta: meta });
      assert.deepEqual((result._meta as { received: Record<string, unknown> }).received['example.com/trace'], 'trace-1');
    });

    it('200 requests in flight at once on one session all get their own answers', async () => {
      const texts = Array.from({ length: 200 }, (_, i) => `call-${i}`);
      const results = await Promise.all(texts.map((text) => c.client.callTool({ name: 'echo', arguments: { text } })));
      assert.deepEqual(results.map(textOf), texts);
      assert.equal(c.client.inFlight, 0);
    });

    it('the client reported no errors', () => {
      assert.deepEqual(c.clientErrors.map((e) => e.message), []);
    });
  });
}
