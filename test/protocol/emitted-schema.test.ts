/**
 * Every message the server emits to a session is valid against the official JSON Schema of the revision that
 * session negotiated (shared/spec/<revision>/schema.json), closed-world: results against the definition of their
 * request's method, errors against the revision's error response, notifications and server-to-client requests
 * against the matching ServerNotification and ServerRequest members.
 *
 * A raw client on a memory link drives the tour server through every method, error path, notification and
 * server-to-client request at each of 2025-11-25, 2025-06-18 and 2025-03-26 (batches included, where that revision
 * has them), records what arrives, and checks it all; a coverage check makes sure each kind of message was really
 * emitted, so a validation pass cannot be vacuous. The raw tour also declares what a 2025-11-25 client declares
 * (sampling tools, both elicitation modes) and adds content that sets every optional field 2025-11-25 allows (on
 * each content type, resource contents, links, elicitation defaults), so that an older session shows both what is
 * shaped for its revision and what is refused for it. The validator itself is shown to have teeth first. The tour's own tools and the recording
 * client are in test/helpers/raw-tour-server.ts. Transport-
 * level errors that carry no request id are checked over real stdio and HTTP at the end. (The SDK client tour in
 * test/interop checks the same over Streamable HTTP and stdio.) Revision 2026-07-28, which has no sessions, is
 * checked the same way, with the same validator, in emitted-schema-2026.test.ts.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { featuresOf, SESSION_ERA_REVISIONS, type SessionRevision } from '../../src/protocol/versions.js';
import { HttpTransport } from '../../src/transport/http/http-transport.js';
import { within } from '../helpers/deadline.js';
import type { Json, RawMemoryClient } from '../helpers/memory-client.js';
import { createRawTourServer, recordedClient, RICH_URI } from '../helpers/raw-tour-server.js';
import { EmittedMessageLog, SpecSchemaValidator } from '../helpers/schema-validator.js';
import { createTourServer, ITEM_TEMPLATE, LOGO_URI, README_URI, type TourFixture } from '../interop/tour-server.js';

const STDIO_ENTRY = fileURLToPath(new URL('../interop/tour-stdio-server.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Notifications the tour receives without waiting for each one. */
const LEFTOVER_NOTIFICATIONS = [
  'notifications/progress', 'notifications/message', 'notifications/resources/updated', 'notifications/tools/list_changed',
  'notifications/resources/list_changed', 'notifications/prompts/list_changed', 'notifications/cancelled',
];

/** The text of a tools/call response's first block. */
function firstText(response: Json): string {
  return String(((response.result as { content?: { text?: unknown }[] } | undefined)?.content?.[0])?.text);
}

function callTool(client: RawMemoryClient, name: string, args: Json = {}, meta?: Json): Promise<Json> {
  return client.request('tools/call', meta === undefined ? { name, arguments: args } : { name, arguments: args, _meta: meta });
}

function assertError(response: Json, code: ErrorCode, what: string): void {
  assert.equal((response.error as { code?: number } | undefined)?.code, code, `${what}: ${JSON.stringify(response)}`);
}

/** What kind of message each emitted value is, to prove the tour covered every kind. */
function kindsOf(log: EmittedMessageLog, validator: SpecSchemaValidator): Set<string> {
  const kinds = new Set<string>();
  const visit = (m: unknown): void => {
    if (Array.isArray(m)) {
      kinds.add('batch');
      m.forEach(visit);
      return;
    }
    const msg = m as Json;
    if (typeof msg.method === 'string') kinds.add(`${'id' in msg ? 'request' : 'notification'} ${msg.method}`);
    else if ('error' in msg) kinds.add('error');
    else {
      const method = log.methodOf(msg.id);
      kinds.add(method === undefined ? 'result ?' : validator.resultDefinitions(method).join('|'));
    }
  };
  log.emitted.forEach(visit);
  return kinds;
}

/** Drives every method, error path, notification and server request of one revision. */
async function rawTour(revision: SessionRevision, fixture: TourFixture, log: EmittedMessageLog): Promise<void> {
  const f = featuresOf(revision);
  const client = await recordedClient(fixture, log);
  // The capabilities a 2025-11-25 client declares before it knows the revision: a server that offers only older
  // ones negotiates down, and must then send only what the negotiated revision defines.
  const init = await client.request('initialize', {
    protocolVersion: revision,
    capabilities: { sampling: { tools: {} }, roots: { listChanged: true }, elicitation: { form: {}, url: {} } },
    clientInfo: { name: 'raw-schema-client', version: '1.0.0' },
  });
  assert.equal((init.result as Json).protocolVersion, revision);
  await client.notify('notifications/initialized');
  await client.request('ping');

  // Lists, every page.
  for (const method of ['tools/list', 'resources/list', 'resources/templates/list', 'prompts/list']) {
    let cursor: unknown;
    do {
      const page = await client.request(method, cursor === undefined ? {} : { cursor });
      cursor = (page.result as Json).nextCursor;
    } while (cursor !== undefined);
  }

  // Tools: results, tool errors, protocol errors.
  await callTool(client, 'echo', { text: 'hi' });
  await callTool(client, 'add', { a: 1, b: 2 });
  await callTool(client, 'echo', { text: 1 });
  await callTool(client, 'fail');
  await callTool(client, 'meta_echo', {}, { 'example.com/trace': 't-1' });
  await callTool(client, 'rich_content');
  assertError(await callTool(client, 'no_such_tool'), ErrorCode.InvalidParams, 'unknown tool');
  assertError(await client.request('tools/list', { cursor: 'not-a-cursor' }), ErrorCode.InvalidParams, 'bad cursor');
  assertError(await client.request('no/such/method'), ErrorCode.MethodNotFound, 'unknown method');

  // Notifications on the request's stream: progress and logging, before and after setLevel.
  await callTool(client, 'progress', { steps: 2 }, { progressToken: 'p-1' });
  await callTool(client, 'log_levels', { tag: 'all' });
  await client.request('logging/setLevel', { level: 'warning' });
  await callTool(client, 'log_levels', { tag: 'warning+' });

  // Server-to-client requests and the server's own cancellation of one.
  await callTool(client, 'sample', { prompt: 'hello' });
  await callTool(client, 'roots');
  const elicited = await callTool(client, 'elicit');
  assert.equal((elicited.result as Json).isError, f.elicitation ? undefined : true);
  await callTool(client, 'ping_client');
  // Tools in sampling are 2025-11-25's (client/sampling, "Tool Use"); older CreateMessageRequests have no such field.
  assert.equal(firstText(await callTool(client, 'sample_with_tools')).startsWith(f.samplingTools ? 'sent' : 'refused'), true, 'sampling with tools');
  // Elicitation modes are 2025-11-25's (client/elicitation): 2025-06-18 has form mode alone, with no `mode` field.
  assert.equal(firstText(await callTool(client, 'elicit_form_mode')).startsWith(f.elicitation ? 'sent' : 'refused'), true, 'form mode named');
  assert.equal(firstText(await callTool(client, 'elicit_url')).startsWith(f.elicitationModes ? 'sent' : 'refused'), true, 'url mode');
  // Multi-block sampling messages are 2025-11-25's: an older session gets one block per message.
  assert.equal(firstText(await callTool(client, 'sample_rich')), 'sent', 'sampling with content arrays');
  assert.equal(firstText(await callTool(client, 'sample_tool_history')).startsWith(f.samplingTools ? 'sent' : 'refused'), true, 'tool use in history');
  await callTool(client, 'notify_rich');
  await callTool(client, 'abandon_sample');
  await client.next((m) => m.method === 'notifications/cancelled');

  // The client cancels a call: no response may follow.
  // Sent raw: the client expects no answer, so it must not wait for one.
  await client.sendRaw({ jsonrpc: '2.0', id: 'cancel-me', method: 'tools/call', params: { name: 'wait_for_cancel', arguments: {}, _meta: { progressToken: 'c-1' } } });
  await client.next((m) => m.method === 'notifications/progress' && (m.params as Json).progressToken === 'c-1');
  await client.notify('notifications/cancelled', { requestId: 'cancel-me', reason: 'raw tour' });
  await callTool(client, 'cancellation_status');
  assert.equal(log.emitted.some((m) => (m as Json).id === 'cancel-me'), false, 'no response to a cancelled request');

  // Resources: reads, a missing resource, subscriptions.
  for (const uri of [README_URI, LOGO_URI, 'tour://items/alpha', 'tour://blobs/b', RICH_URI]) await client.request('resources/read', { uri });
  assertError(await client.request('resources/read', { uri: 'tour://missing' }), ErrorCode.ResourceNotFound, 'unknown resource');
  await client.request('resources/subscribe', { uri: README_URI });
  await callTool(client, 'notify_resource', { uri: README_URI });
  await client.next((m) => m.method === 'notifications/resources/updated');
  await client.request('resources/unsubscribe', { uri: README_URI });

  // Prompts and completion.
  await client.request('prompts/get', { name: 'greet', arguments: { name: 'Ada' } });
  await client.request('prompts/get', { name: 'summary' });
  await client.request('prompts/get', { name: 'rich_prompt' });
  assertError(await client.request('prompts/get', { name: 'greet', arguments: {} }), ErrorCode.InvalidParams, 'missing prompt argument');
  assertError(await client.request('prompts/get', { name: 'nope' }), ErrorCode.InvalidParams, 'unknown prompt');
  await client.request('completion/complete', { ref: { type: 'ref/prompt', name: 'greet' }, argument: { name: 'name', value: 'G' } });
  await client.request('completion/complete', { ref: { type: 'ref/resource', uri: ITEM_TEMPLATE }, argument: { name: 'id', value: 'a' } });
  if (f.titles) {
    // CompleteRequest's context (the arguments already resolved) is 2025-06-18's: a client of that revision sends it.
    const withContext = await client.request('completion/complete', {
      ref: { type: 'ref/prompt', name: 'greet' }, argument: { name: 'style', value: 'f' }, context: { arguments: { name: 'Ada' } },
    });
    assert.deepEqual(((withContext.result as Json).completion as Json).values, ['formal']);
  }

  // list_changed for each list.
  await callTool(client, 'add_tool');
  fixture.server.resource('tour://late/resource', { name: 'late' }, (uri) => [{ uri, text: 'late' }]);
  fixture.server.prompt('late_prompt', {}, () => ({ messages: [] }));
  for (const kind of ['tools', 'resources', 'prompts']) await client.next((m) => m.method === `notifications/${kind}/list_changed`);

  // A message with a readable id but no method is an Invalid Request answered with that id.
  await client.sendRaw({ jsonrpc: '2.0', id: 'broken-1', params: {} });
  await client.next((m) => m.id === 'broken-1');

  if (f.batching) {
    // The batch answer is the next unsolicited value once the notifications already received are set aside.
    for (const method of LEFTOVER_NOTIFICATIONS) client.drain(method);
    await client.sendRaw([
      { jsonrpc: '2.0', id: 'b-1', method: 'ping' },
      { jsonrpc: '2.0', id: 'b-2', method: 'tools/call', params: { name: 'echo', arguments: { text: 'batched' } } },
      { jsonrpc: '2.0', id: 'b-3', method: 'resources/read', params: { uri: 'tour://missing' } },
      { jsonrpc: '2.0', method: 'notifications/roots/list_changed' },
    ]);
    const answer = await client.nextValue();
    assert.ok(Array.isArray(answer) && answer.length === 3, `a batch answer of three: ${JSON.stringify(answer)}`);
  }
  await client.close();
}

describe('the schema validator has teeth', () => {
  it('refuses, per revision, what that revision does not define', () => {
    const old = SpecSchemaValidator.forRevision('2025-03-26', { closed: true });
    const title = old.checkServerMessage({ jsonrpc: '2.0', id: 1, result: { tools: [{ name: 't', title: 'T', inputSchema: { type: 'object' } }] } }, () => 'tools/list');
    assert.match(title.map((i) => i.errors).join(), /additional properties \(title\)/);
    const structured = old.checkServerMessage({ jsonrpc: '2.0', id: 1, result: { content: [], structuredContent: {} } }, () => 'tools/call');
    assert.match(structured.map((i) => i.errors).join(), /structuredContent/);
    const elicit = old.checkServerMessage({ jsonrpc: '2.0', id: 's-1', method: 'elicitation/create', params: { message: 'm', requestedSchema: { type: 'object', properties: {} } } }, () => undefined);
    assert.match(elicit.map((i) => i.errors).join(), /not a ServerRequest of revision 2025-03-26/);
    const open = SpecSchemaValidator.forRevision('2025-03-26');
    assert.deepEqual(open.checkServerMessage({ jsonrpc: '2.0', id: 1, result: { content: [], structuredContent: {} } }, () => 'tools/call'), [], 'the official schema alone is open');
  });

  it('refuses a result that is not the one its request method defines, and a malformed notification', () => {
    const v = SpecSchemaValidator.forRevision('2025-11-25', { closed: true });
    assert.notDeepEqual(v.checkServerMessage({ jsonrpc: '2.0', id: 1, result: { tools: [] } }, () => 'tools/call'), []);
    assert.notDeepEqual(v.checkServerMessage({ jsonrpc: '2.0', method: 'notifications/progress', params: { progress: 1 } }, () => undefined), []);
    assert.notDeepEqual(v.checkServerMessage({ jsonrpc: '2.0', id: 1, error: { code: 'x', message: 'm' } }, () => undefined), []);
    assert.deepEqual(v.resultDefinitions('tools/call'), ['CallToolResult']);
    assert.deepEqual(v.resultDefinitions('ping'), ['EmptyResult']);
  });

  it('loads revision 2026-07-28 too, deriving its result definitions the same way', () => {
    const next = SpecSchemaValidator.forRevision('2026-07-28', { closed: true });
    assert.deepEqual(next.resultDefinitions('tools/call'), ['CallToolResult']);
    assert.equal(next.notificationDefinition('notifications/message'), 'LoggingMessageNotification');
  });
});

for (const revision of SESSION_ERA_REVISIONS) {
  describe(`a ${revision} session: everything the server emits is valid against the ${revision} schema`, () => {
    const validator = SpecSchemaValidator.forRevision(revision, { closed: true });
    const log = new EmittedMessageLog();
    let fixture: TourFixture;
    before(async () => {
      fixture = createRawTourServer();
      await rawTour(revision, fixture, log);
    });
    after(async () => {
      await fixture?.server.close();
    });

    it('the tour emitted every kind of message', () => {
      const kinds = kindsOf(log, validator);
      const expected = [
        'InitializeResult', 'EmptyResult', 'ListToolsResult', 'CallToolResult', 'ListResourcesResult',
        'ListResourceTemplatesResult', 'ReadResourceResult', 'ListPromptsResult', 'GetPromptResult', 'CompleteResult',
        'error', 'notification notifications/progress', 'notification notifications/message',
        'notification notifications/resources/updated', 'notification notifications/tools/list_changed',
        'notification notifications/resources/list_changed', 'notification notifications/prompts/list_changed',
        'notification notifications/cancelled', 'request sampling/createMessage', 'request roots/list', 'request ping',
        ...(featuresOf(revision).elicitation ? ['request elicitation/create'] : []),
        ...(featuresOf(revision).batching ? ['batch'] : []),
      ];
      assert.deepEqual(expected.filter((k) => !kinds.has(k)), [], `emitted kinds: ${[...kinds].join(', ')}`);
      assert.equal(kinds.has('request elicitation/create'), featuresOf(revision).elicitation);
    });

    it('every emitted message is valid', () => {
      log.assertValid(validator);
    });

    it('a request before initialize is answered with a valid error', async () => {
      const early = new EmittedMessageLog();
      const client = await recordedClient(createTourServer(), early);
      assertError(await client.request('tools/list'), ErrorCode.InvalidRequest, 'before initialize');
      await client.close();
      early.assertValid(validator);
    });
  });
}

describe('errors without a readable request id are valid 2025-11-25 JSONRPCErrorResponses', () => {
  // 2025-11-25 makes the id optional for exactly these; 2025-06-18 and 2025-03-26 require an id (and JSON-RPC 2.0
  // wants null, which no revision admits), so no answer could satisfy them.
  const validator = SpecSchemaValidator.forRevision('2025-11-25', { closed: true });
  const check = (body: unknown): void => {
    const log = new EmittedMessageLog();
    log.serverSent(body);
    log.assertValid(validator);
  };

  it('over stdio: a line that is not JSON', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', STDIO_ENTRY], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'ignore'] });
    try {
      let out = '';
      child.stdout.setEncoding('utf8');
      const line = new Promise<string>((resolve) => child.stdout.on('data', (chunk: string) => {
        out += chunk;
        if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
      }));
      child.stdin.write('this is not json\n');
      const answer = JSON.parse(await within(line, 'the stdio answer to a bad line')) as Json;
      assert.equal((answer.error as Json).code, ErrorCode.ParseError);
      check(answer);
    } finally {
      child.stdin.end();
      if (child.exitCode === null) await once(child, 'exit');
    }
  });

  describe('over Streamable HTTP: refusals', () => {
    let fixture: TourFixture;
    let http: HttpTransport;
    let url: string;
    before(async () => {
      fixture = createTourServer();
      http = new HttpTransport(fixture.server, {
        host: '127.0.0.1', port: 0, path: '/mcp', stateless: false, allowedOrigins: [], allowedHosts: [], maxBodyBytes: 4 << 20,
      });
      url = (await http.listen()).url;
    });
    after(async () => {
      await http.close();
      await fixture.server.close();
    });

    const post = async (body: string, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { accept: 'application/json, text/event-stream', 'content-type': 'application/json', ...headers },
        body,
      });
      return { status: res.status, json: await res.json() };
    };

    it('invalid JSON, a missing session, an unknown session and an unsupported version', async () => {
      const init = await fetch(url, {
        method: 'POST',
        headers: { accept: 'application/json, text/event-stream', 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'c', version: '1' } } }),
      });
      const sessionId = init.headers.get('mcp-session-id') ?? '';
      await init.body?.cancel();
      assert.notEqual(sessionId, '');
      const ping = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' });
      const answers = [
        await post('{not json'),
        await post(ping),
        await post(ping, { 'mcp-session-id': 'no-such-session' }),
        await post(ping, { 'mcp-session-id': sessionId, 'mcp-protocol-version': '1999-01-01' }),
      ];
      assert.deepEqual(answers.map((a) => a.status), [400, 400, 404, 400]);
      for (const a of answers) check(a.json);
    });
  });
});
