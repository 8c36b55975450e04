/**
 * The dispatcher, driven in process: an `McpServer` connected to a raw JSON-RPC client over a `MemoryTransport`
 * pair. It covers the lifecycle (version negotiation, requests before initialize), the protocol/tool error split
 * of server/tools "Error Handling", resources, prompts, completion, logging, progress, cancellation, pagination,
 * list_changed and subscriptions, server-to-client requests (sampling, elicitation, roots, timeouts), the shapes
 * each revision gets, batches, and zod schemas.
 *
 * The memory link delivers in order, so after a response arrives every message sent before it has arrived too:
 * "nothing was sent" is asserted after a later response, never after a sleep.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as z from 'zod';
import { McpServer } from '../../src/server/mcp-server.js';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { SESSION_ERA_REVISIONS } from '../../src/protocol/versions.js';
import {
  connectInitialized, connectMemory, initialize, type Json, type RawMemoryClient,
} from '../helpers/memory-client.js';
import { within } from '../helpers/deadline.js';
import { hasNoRequestId, pick } from '../helpers/json-path.js';
import { SpecSchemaValidator, formatIssues } from '../helpers/schema-validator.js';
import { LOG_LEVELS, createTestServer } from '../helpers/test-server.js';

/** Servers built by a test, closed once the file is done. */
const servers: McpServer[] = [];
after(async () => {
  for (const server of servers) await server.close();
});

function track(server: McpServer): McpServer {
  servers.push(server);
  return server;
}

function newServer(options?: Parameters<typeof createTestServer>[0]): McpServer {
  return track(createTestServer(options));
}

/**
 * Undefined when `value` conforms to `definition` in the official schema of `revision`, closed-world (a field the
 * revision does not define fails too), else a description of what does not.
 */
function specErrors(revision: string, definition: string, value: unknown): string | undefined {
  const issue = SpecSchemaValidator.forRevision(revision, { closed: true }).check(definition, value);
  return issue && formatIssues(revision, [issue]);
}

function errorCode(response: Json): unknown {
  return pick(response, 'error.code');
}

function callTool(client: RawMemoryClient, name: string, args?: Json, meta?: Json): Promise<Json> {
  const params: Json = { name };
  if (args !== undefined) params.arguments = args;
  if (meta !== undefined) params._meta = meta;
  return client.request('tools/call', params);
}

/** The text of a tools/call result's first content block. */
function toolText(response: Json): string {
  const text = pick(response, 'result.content.0.text');
  assert.equal(typeof text, 'string', `no text content in ${JSON.stringify(response)}`);
  return text as string;
}

describe('initialize', () => {
  for (const version of SESSION_ERA_REVISIONS) {
    it(`echoes a supported version (${version}) and conforms to that revision's schema`, async () => {
      const { client } = await connectMemory(newServer());
      const response = await initialize(client, { protocolVersion: version });
      assert.equal(pick(response, 'result.protocolVersion'), version);
      assert.equal(pick(response, 'result.serverInfo.name'), 'erlmcp-test');
      assert.deepEqual(pick(response, 'result.capabilities.tools'), { listChanged: true });
      assert.deepEqual(pick(response, 'result.capabilities.resources'), { subscribe: true, listChanged: true });
      assert.equal(specErrors(version, 'InitializeResult', response.result), undefined);
      assert.equal(specErrors(version, 'JSONRPCResponse', response), undefined);
    });
  }

  it('answers an unsupported version with its latest, 2025-11-25', async () => {
    const { client } = await connectMemory(newServer());
    const response = await initialize(client, { protocolVersion: '1999-01-01' });
    assert.equal(pick(response, 'result.protocolVersion'), '2025-11-25');
  });

  it('answers an unsupported version with the newest revision the server offers', async () => {
    const { client } = await connectMemory(newServer({ revisions: ['2025-06-18', '2025-03-26'] }));
    assert.equal(pick(await initialize(client, { protocolVersion: '2025-11-25' }), 'result.protocolVersion'), '2025-06-18');
  });

  it('refuses malformed initialize params with -32602', async () => {
    const { client } = await connectMemory(newServer());
    const noVersion = await client.request('initialize', { capabilities: {}, clientInfo: { name: 'c', version: '1' } });
    assert.equal(errorCode(noVersion), ErrorCode.InvalidParams);
    assert.match(String(pick(noVersion, 'error.message')), /protocolVersion/);
    const noInfo = await client.request('initialize', { protocolVersion: '2025-11-25', capabilities: {} });
    assert.equal(errorCode(noInfo), ErrorCode.InvalidParams);
    assert.match(String(pick(noInfo, 'error.message')), /clientInfo/);
  });

  it('refuses requests before initialize with -32600, but answers ping', async () => {
    const { client } = await connectMemory(newServer());
    const early = await client.request('tools/list');
    assert.equal(errorCode(early), ErrorCode.InvalidRequest);
    assert.match(String(pick(early, 'error.message')), /initialize/);
    assert.deepEqual(pick(await client.request('ping'), 'result'), {});
    // And the same session works once initialized.
    await initialize(client);
    assert.ok(Array.isArray(pick(await client.request('tools/list'), 'result.tools')));
  });
});

describe('protocol errors', () => {
  it('answers an unknown method with -32601 naming it', async () => {
    const { client } = await connectInitialized(newServer());
    const response = await client.request('tools/frobnicate');
    assert.equal(errorCode(response), ErrorCode.MethodNotFound);
    assert.match(String(pick(response, 'error.message')), /tools\/frobnicate/);
  });

  it('answers an invalid envelope with -32600 and the id it could read', async () => {
    const { client } = await connectInitialized(newServer());
    await client.sendRaw({ jsonrpc: '2.0', id: 77, method: 'ping', params: [1] });
    const response = await client.next();
    assert.equal(response.id, 77);
    assert.equal(errorCode(response), ErrorCode.InvalidRequest);
  });

  it('never answers a response, even an error response without an id', async () => {
    const { client } = await connectInitialized(newServer());
    await client.sendRaw({ jsonrpc: '2.0', error: { code: ErrorCode.ParseError, message: 'your request was not JSON' } });
    await client.sendRaw({ jsonrpc: '2.0', id: 'never-asked', result: {} });
    await client.sendRaw({ jsonrpc: '2.0', id: 'never-asked-either', error: { code: ErrorCode.InternalError, message: 'x' } });
    const pong = await client.request('ping');
    assert.deepEqual(pong.result, {});
    assert.equal(client.inboxSize, 0, 'the server answered a response');
  });

  it('answers tools/call without a name with -32602', async () => {
    const { client } = await connectInitialized(newServer());
    const response = await client.request('tools/call', { arguments: { text: 'x' } });
    assert.equal(errorCode(response), ErrorCode.InvalidParams);
    assert.match(String(pick(response, 'error.message')), /name/);
  });

  it('answers an unknown tool with -32602 naming it', async () => {
    const { client } = await connectInitialized(newServer());
    const response = await callTool(client, 'no-such-tool', {});
    assert.equal(errorCode(response), ErrorCode.InvalidParams);
    assert.match(String(pick(response, 'error.message')), /no-such-tool/);
  });

  it('answers arguments that are not an object with -32602', async () => {
    const { client } = await connectInitialized(newServer());
    const response = await client.request('tools/call', { name: 'echo', arguments: ['x'] });
    assert.equal(errorCode(response), ErrorCode.InvalidParams);
  });
});

describe('tool execution errors', () => {
  it('answers arguments failing the schema with isError, naming the path and what was expected', async () => {
    const { client } = await connectInitialized(newServer());
    const wrongType = await callTool(client, 'echo', { text: 42 });
    assert.equal(pick(wrongType, 'result.isError'), true);
    assert.match(toolText(wrongType), /arguments\.text/);
    assert.match(toolText(wrongType), /must be string/);
    const missing = await callTool(client, 'echo', {});
    assert.equal(pick(missing, 'result.isError'), true);
    assert.match(toolText(missing), /arguments\.text is required/);
  });

  it('answers a throwing handler with isError and its message', async () => {
    const { client } = await connectInitialized(newServer());
    const response = await callTool(client, 'fail', {});
    assert.equal('error' in response, false);
    assert.equal(pick(response, 'result.isError'), true);
    assert.equal(toolText(response), 'the fail tool failed on purpose');
  });

  it('answers a valid call with the handler result', async () => {
    const { client } = await connectInitialized(newServer());
    const response = await callTool(client, 'echo', { text: 'hello' });
    assert.deepEqual(response.result, { content: [{ type: 'text', text: 'hello' }] });
    assert.equal(specErrors('2025-11-25', 'CallToolResult', response.result), undefined);
  });

  it('answers an internal failure with -32603 "Internal error" and no detail or stack', async () => {
    const { client } = await connectInitialized(newServer());
    const response = await client.request('resources/read', { uri: 'test://broken' });
    assert.deepEqual(response.error, { code: ErrorCode.InternalError, message: 'Internal error' });
    const text = JSON.stringify(response);
    assert.doesNotMatch(text, /secret detail|\/var\/lib|\bat .*\(|\.ts:\d+|stack/);
  });

  it('answers a tool whose result breaks its outputSchema with -32603, not a result', async () => {
    const server = newServer();
    server.tool('bad-output', {
      outputSchema: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] },
    }, () => ({ content: [{ type: 'text', text: 'x' }], structuredContent: { n: 'not a number' } }));
    const { client } = await connectInitialized(server);
    assert.equal(errorCode(await callTool(client, 'bad-output', {})), ErrorCode.InternalError);
  });
});

describe('resources', () => {
  it('reads a fixed resource', async () => {
    const { client } = await connectInitialized(newServer());
    const response = await client.request('resources/read', { uri: 'test://static' });
    assert.deepEqual(response.result, { contents: [{ uri: 'test://static', mimeType: 'text/plain', text: 'static contents' }] });
  });

  it('answers an unknown URI with -32002 and the URI in data', async () => {
    const { client } = await connectInitialized(newServer());
    const response = await client.request('resources/read', { uri: 'test://nothing-here' });
    assert.equal(errorCode(response), ErrorCode.ResourceNotFound);
    assert.deepEqual(pick(response, 'error.data'), { uri: 'test://nothing-here' });
  });

  it('matches a template and passes its variables to the reader', async () => {
    const { client } = await connectInitialized(newServer());
    const response = await client.request('resources/read', { uri: 'test://users/abc%20def' });
    assert.equal(pick(response, 'result.contents.0.uri'), 'test://users/abc%20def');
    assert.deepEqual(JSON.parse(String(pick(response, 'result.contents.0.text'))), { id: 'abc def' });
  });

  it('lists resources and templates', async () => {
    const { client } = await connectInitialized(newServer());
    const list = await client.request('resources/list');
    assert.deepEqual((pick(list, 'result.resources') as Json[]).map((r) => r.uri), ['test://static', 'test://broken']);
    const templates = await client.request('resources/templates/list');
    assert.equal(pick(templates, 'result.resourceTemplates.0.uriTemplate'), 'test://users/{id}');
    assert.equal(specErrors('2025-11-25', 'ListResourcesResult', list.result), undefined);
    assert.equal(specErrors('2025-11-25', 'ListResourceTemplatesResult', templates.result), undefined);
  });

  it('refuses resources/read without a uri with -32602', async () => {
    const { client } = await connectInitialized(newServer());
    assert.equal(errorCode(await client.request('resources/read', {})), ErrorCode.InvalidParams);
  });
});

describe('prompts and completion', () => {
  it('renders a prompt from its arguments', async () => {
    const { client } = await connectInitialized(newServer());
    const response = await client.request('prompts/get', { name: 'greet', arguments: { name: 'ada', tone: 'warm' } });
    assert.equal(pick(response, 'result.messages.0.content.text'), 'Hello, ada (warm)');
    assert.equal(specErrors('2025-11-25', 'GetPromptResult', response.result), undefined);
  });

  it('answers a missing required argument with -32602 naming it', async () => {
    const { client } = await connectInitialized(newServer());
    const response = await client.request('prompts/get', { name: 'greet', arguments: { tone: 'warm' } });
    assert.equal(errorCode(response), ErrorCode.InvalidParams);
    assert.match(String(pick(response, 'error.message')), /name/);
  });

  it('counts a required argument as missing even when its name is an Object.prototype property', async () => {
    const server = newServer();
    server.prompt('proto', { description: 'x', arguments: [{ name: 'constructor', required: true }] }, () => ({ messages: [] }));
    const { client } = await connectInitialized(server);
    const response = await client.request('prompts/get', { name: 'proto', arguments: {} });
    assert.equal(errorCode(response), ErrorCode.InvalidParams);
  });

  it('answers an unknown prompt and a non-string argument with -32602', async () => {
    const { client } = await connectInitialized(newServer());
    assert.equal(errorCode(await client.request('prompts/get', { name: 'nope' })), ErrorCode.InvalidParams);
    const bad = await client.request('prompts/get', { name: 'greet', arguments: { name: 5 } });
    assert.equal(errorCode(bad), ErrorCode.InvalidParams);
    assert.match(String(pick(bad, 'error.message')), /arguments\.name/);
  });

  it('completes a prompt argument', async () => {
    const { client } = await connectInitialized(newServer());
    const response = await client.request('completion/complete', {
      ref: { type: 'ref/prompt', name: 'greet' },
      argument: { name: 'name', value: 'al' },
    });
    assert.deepEqual(response.result, { completion: { values: ['alice', 'albert'], total: 2, hasMore: false } });
    assert.equal(specErrors('2025-11-25', 'CompleteResult', response.result), undefined);
  });

  it('completes a template variable, and answers an argument without a completer with no values', async () => {
    const { client } = await connectInitialized(newServer());
    const response = await client.request('completion/complete', {
      ref: { type: 'ref/resource', uri: 'test://users/{id}' },
      argument: { name: 'id', value: '1' },
    });
    assert.deepEqual(pick(response, 'result.completion.values'), ['1', '12']);
    const none = await client.request('completion/complete', {
      ref: { type: 'ref/prompt', name: 'greet' },
      argument: { name: 'tone', value: '' },
    });
    assert.deepEqual(pick(none, 'result.completion'), { values: [], total: 0, hasMore: false });
  });

  it('caps completions at 100 values and says there are more', async () => {
    const server = newServer();
    const many = Array.from({ length: 150 }, (_, i) => `v${i}`);
    server.prompt('many', { arguments: [{ name: 'x', complete: () => many }] }, () => ({ messages: [] }));
    const { client } = await connectInitialized(server);
    const response = await client.request('completion/complete', {
      ref: { type: 'ref/prompt', name: 'many' }, argument: { name: 'x', value: '' },
    });
    assert.equal((pick(response, 'result.completion.values') as string[]).length, 100);
    assert.equal(pick(response, 'result.completion.total'), 150);
    assert.equal(pick(response, 'result.completion.hasMore'), true);
  });

  it('refuses completion for an unknown ref with -32602', async () => {
    const { client } = await connectInitialized(newServer());
    const response = await client.request('completion/complete', {
      ref: { type: 'ref/prompt', name: 'nope' }, argument: { name: 'x', value: '' },
    });
    assert.equal(errorCode(response), ErrorCode.InvalidParams);
  });
});

describe('logging', () => {
  it('sends every level until logging/setLevel, then only that level and above', async () => {
    const { client } = await connectInitialized(newServer());
    await callTool(client, 'log', {});
    const all = client.drain('notifications/message');
    assert.deepEqual(all.map((m) => pick(m, 'params.level')), LOG_LEVELS);
    assert.deepEqual(all[0]?.params, { level: 'debug', logger: 'test', data: 'at debug' });

    assert.deepEqual(pick(await client.request('logging/setLevel', { level: 'error' }), 'result'), {});
    await callTool(client, 'log', {});
    const filtered = client.drain('notifications/message');
    assert.deepEqual(filtered.map((m) => pick(m, 'params.level')), ['error', 'critical', 'alert', 'emergency']);
  });

  it('refuses an unknown level with -32602', async () => {
    const { client } = await connectInitialized(newServer());
    assert.equal(errorCode(await client.request('logging/setLevel', { level: 'verbose' })), ErrorCode.InvalidParams);
  });
});

describe('progress', () => {
  it('sends notifications/progress carrying the request progressToken, before the result', async () => {
    const { client } = await connectInitialized(newServer());
    const response = await callTool(client, 'count', { steps: 3 }, { progressToken: 'tok-1' });
    assert.equal(toolText(response), 'counted to 3');
    const progress = client.drain('notifications/progress');
    assert.deepEqual(progress.map((m) => m.params), [
      { progressToken: 'tok-1', progress: 1, total: 3, message: 'step 1' },
      { progressToken: 'tok-1', progress: 2, total: 3, message: 'step 2' },
      { progressToken: 'tok-1', progress: 3, total: 3, message: 'step 3' },
    ]);
    for (const note of progress) assert.equal(specErrors('2025-11-25', 'ProgressNotification', note), undefined);
  });

  it('sends no progress when the request carries no token', async () => {
    const { client } = await connectInitialized(newServer());
    await callTool(client, 'count', { steps: 2 });
    assert.deepEqual(client.drain('notifications/progress'), []);
  });
});

describe('cancellation', () => {
  it('aborts the handler signal when the client sends notifications/cancelled for its request', async () => {
    const server = newServer();
    let reportAbort!: (reason: unknown) => void;
    const aborted = new Promise<unknown>((resolve) => (reportAbort = resolve));
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    server.tool('hang', {}, (_args, ctx) => new Promise(() => {
      ctx.signal.addEventListener('abort', () => reportAbort(ctx.signal.reason), { once: true });
      started();
    }));
    const { client, session } = await connectInitialized(server);
    // Sent raw: whether a cancelled request gets an answer at all is the server's choice (a SHOULD NOT).
    await client.sendRaw({ jsonrpc: '2.0', id: 'call-1', method: 'tools/call', params: { name: 'hang', arguments: {} } });
    await within(running, 'the hang tool to start');
    assert.equal(session.inFlight.has('call-1'), true);
    // A cancellation of another id leaves it running.
    await client.notify('notifications/cancelled', { requestId: 'other', reason: 'not this one' });
    await client.notify('notifications/cancelled', { requestId: 'call-1', reason: 'user gave up' });
    const reason = await within(aborted, 'the handler signal to abort');
    assert.ok(reason instanceof Error);
    assert.match(reason.message, /user gave up/);
  });

  it('aborts in-flight handlers when the connection closes, and forgets the session', async () => {
    const server = newServer();
    let reportAbort!: (reason: unknown) => void;
    const aborted = new Promise<unknown>((resolve) => (reportAbort = resolve));
    server.tool('hang', {}, (_args, ctx) => new Promise(() => {
      ctx.signal.addEventListener('abort', () => reportAbort(ctx.signal.reason), { once: true });
    }));
    const { client } = await connectInitialized(server);
    assert.equal(server.sessions.liveCount, 1);
    await client.sendRaw({ jsonrpc: '2.0', id: 'call-1', method: 'tools/call', params: { name: 'hang', arguments: {} } });
    await client.request('ping');
    await client.close();
    assert.equal(server.sessions.liveCount, 0);
    const reason = await within(aborted, 'the handler signal to abort');
    assert.ok(reason instanceof Error);
    assert.match(reason.message, /closed/);
  });
});

describe('pagination', () => {
  it('walks 5 tools in pages of 2 with opaque cursors', async () => {
    const server = track(new McpServer({ info: { name: 'p', version: '1' }, pageSize: 2 }));
    for (let i = 1; i <= 5; i++) server.tool(`tool-${i}`, {}, () => 'ok');
    const { client } = await connectInitialized(server);
    const names: string[][] = [];
    let cursor: unknown;
    for (let guard = 0; guard < 10; guard++) {
      const response = await client.request('tools/list', cursor === undefined ? {} : { cursor });
      assert.equal(specErrors('2025-11-25', 'ListToolsResult', response.result), undefined);
      names.push((pick(response, 'result.tools') as Json[]).map((t) => String(t.name)));
      cursor = pick(response, 'result.nextCursor');
      if (cursor === undefined) break;
    }
    assert.deepEqual(names, [['tool-1', 'tool-2'], ['tool-3', 'tool-4'], ['tool-5']]);
  });

  it('answers an invalid cursor with -32602 on every list method', async () => {
    const { client } = await connectInitialized(newServer());
    for (const method of ['tools/list', 'resources/list', 'resources/templates/list', 'prompts/list']) {
      const response = await client.request(method, { cursor: 'not-a-cursor' });
      assert.equal(errorCode(response), ErrorCode.InvalidParams, method);
    }
  });
});

describe('list_changed and subscriptions', () => {
  it('sends tools/list_changed when a tool is added or removed after initialize, not before', async () => {
    const server = newServer();
    const { client } = await connectMemory(server);
    const early = server.tool('early', {}, () => 'x');
    await client.request('ping');
    assert.deepEqual(client.drain('notifications/tools/list_changed'), []);

    await initialize(client);
    const late = server.tool('late', {}, () => 'x');
    await client.next((m) => m.method === 'notifications/tools/list_changed');
    late.remove();
    await client.next((m) => m.method === 'notifications/tools/list_changed');
    early.remove();
    const note = await client.next((m) => m.method === 'notifications/tools/list_changed');
    assert.equal(specErrors('2025-11-25', 'ToolListChangedNotification', note), undefined);
  });

  it('sends prompts and resources list_changed', async () => {
    const server = newServer();
    const { client } = await connectInitialized(server);
    server.prompt('another', {}, () => ({ messages: [] }));
    await client.next((m) => m.method === 'notifications/prompts/list_changed');
    server.resource('test://new', { name: 'new' }, () => []);
    await client.next((m) => m.method === 'notifications/resources/list_changed');
    server.resourceTemplate('test://t/{x}', { name: 't' }, () => []);
    await client.next((m) => m.method === 'notifications/resources/list_changed');
  });

  it('sends resources/updated to a subscribed session until it unsubscribes', async () => {
    const server = newServer();
    const { client } = await connectInitialized(server);
    const other = await connectInitialized(server);
    assert.deepEqual(pick(await client.request('resources/subscribe', { uri: 'test://static' }), 'result'), {});
    server.notifyResourceUpdated('test://static');
    const note = await client.next((m) => m.method === 'notifications/resources/updated');
    assert.deepEqual(note.params, { uri: 'test://static' });
    server.notifyResourceUpdated('test://elsewhere');

    assert.deepEqual(pick(await client.request('resources/unsubscribe', { uri: 'test://static' }), 'result'), {});
    server.notifyResourceUpdated('test://static');
    await client.request('ping');
    await other.client.request('ping');
    assert.deepEqual(client.drain('notifications/resources/updated'), []);
    assert.deepEqual(other.client.drain('notifications/resources/updated'), []);
  });
});

describe('server-to-client requests', () => {
  const capabilities = { sampling: {}, elicitation: { form: {} }, roots: { listChanged: true } };

  it('round-trips ctx.sample, ctx.elicit and ctx.listRoots through the client', async () => {
    const { client } = await connectInitialized(newServer(), { capabilities });
    const seen: Json[] = [];
    client.answer('sampling/createMessage', (params, message) => {
      seen.push(message);
      return { role: 'assistant', content: { type: 'text', text: 'hi' }, model: 'test-model' };
    });
    client.answer('elicitation/create', (params, message) => {
      seen.push(message);
      return { action: 'accept', content: { name: 'Ada' } };
    });
    client.answer('roots/list', (params, message) => {
      seen.push(message);
      return { roots: [{ uri: 'file:///work', name: 'work' }] };
    });

    assert.equal(toolText(await callTool(client, 'sample', {})),
      'sampled: {"role":"assistant","content":{"type":"text","text":"hi"},"model":"test-model"}');
    assert.equal(toolText(await callTool(client, 'ask', {})), 'answer: {"action":"accept","content":{"name":"Ada"}}');
    assert.equal(toolText(await callTool(client, 'roots', {})), 'roots: {"roots":[{"uri":"file:///work","name":"work"}]}');

    assert.deepEqual(seen.map((m) => m.method), ['sampling/createMessage', 'elicitation/create', 'roots/list']);
    assert.equal(pick(seen[1], 'params.message'), 'What is your name?');
    assert.equal(new Set(seen.map((m) => m.id)).size, 3, 'each server request has its own id');
    assert.equal(specErrors('2025-11-25', 'CreateMessageRequest', seen[0]), undefined);
    assert.equal(specErrors('2025-11-25', 'ElicitRequest', seen[1]), undefined);
    assert.equal(specErrors('2025-11-25', 'ListRootsRequest', seen[2]), undefined);
  });

  it('passes the client error of a server request to the handler', async () => {
    const { client } = await connectInitialized(newServer(), { capabilities });
    client.answer('roots/list', () => {
      throw new Error('roots are private');
    });
    const response = await callTool(client, 'roots', {});
    // The WireError from the client propagates as a protocol error of tools/call.
    assert.equal(errorCode(response), ErrorCode.InternalError);
    assert.equal(pick(response, 'error.message'), 'roots are private');
  });

  it('rejects ctx.elicit when the client did not declare elicitation, without asking', async () => {
    const { client } = await connectInitialized(newServer(), { capabilities: { sampling: {} } });
    const response = await callTool(client, 'ask', {});
    assert.equal(pick(response, 'result.isError'), true);
    assert.match(toolText(response), /elicitation capability/);
    assert.deepEqual(client.drain('elicitation/create'), []);
  });

  it('times out an unanswered request with -32001 and cancels it at the client', async (t) => {
    const server = newServer({ clientRequestTimeoutMs: 50 });
    const { client } = await connectInitialized(server, { capabilities });
    t.mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const call = callTool(client, 'sample', {});
      const request = await client.next((m) => m.method === 'sampling/createMessage');
      t.mock.timers.tick(49);
      await client.request('ping');
      assert.deepEqual(client.drain('notifications/cancelled'), [], 'cancelled before the timeout');
      t.mock.timers.tick(1);
      const cancelled = await client.next((m) => m.method === 'notifications/cancelled');
      assert.equal(pick(cancelled, 'params.requestId'), request.id);
      assert.equal(typeof pick(cancelled, 'params.reason'), 'string');
      const response = await call;
      assert.equal(errorCode(response), ErrorCode.RequestTimeout);
      assert.match(String(pick(response, 'error.message')), /timed out after 50 ms/);
      // A late answer to the timed-out request is ignored.
      await client.sendRaw({ jsonrpc: '2.0', id: request.id, result: { role: 'assistant', content: { type: 'text', text: 'late' }, model: 'm' } });
      assert.deepEqual(pick(await client.request('ping'), 'result'), {});
    } finally {
      t.mock.timers.reset();
    }
  });
});

describe('revision shapes', () => {
  async function listAndCall(version: string): Promise<{ tools: Json[]; structured: Json; init: Json }> {
    const { client } = await connectMemory(newServer());
    const init = await initialize(client, { protocolVersion: version });
    const list = await client.request('tools/list');
    assert.equal(specErrors(version, 'ListToolsResult', list.result), undefined);
    const structured = await callTool(client, 'structured', { n: 21 });
    assert.equal(specErrors(version, 'CallToolResult', structured.result), undefined);
    return { tools: pick(list, 'result.tools') as Json[], structured, init };
  }

  it('gives a 2025-03-26 session tools without title, outputSchema or icons, and results without structuredContent', async () => {
    const { tools, structured, init } = await listAndCall('2025-03-26');
    for (const tool of tools) {
      assert.equal('title' in tool, false, `${String(tool.name)} has a title`);
      assert.equal('outputSchema' in tool, false, `${String(tool.name)} has an outputSchema`);
      assert.equal('icons' in tool, false, `${String(tool.name)} has icons`);
    }
    assert.equal('structuredContent' in (structured.result as Json), false);
    assert.equal(pick(structured, 'result.content.0.text'), '42');
    assert.equal(pick(init, 'result.serverInfo.title'), undefined);
  });

  it('gives a 2025-06-18 session titles and outputSchema but no icons', async () => {
    const { tools, structured } = await listAndCall('2025-06-18');
    const s = tools.find((t) => t.name === 'structured');
    assert.equal(s?.title, 'Structured');
    assert.ok(s?.outputSchema);
    assert.equal('icons' in (s ?? {}), false);
    assert.deepEqual(pick(structured, 'result.structuredContent'), { doubled: 42 });
  });

  it('gives a 2025-11-25 session everything', async () => {
    const { tools, structured, init } = await listAndCall('2025-11-25');
    const echo = tools.find((t) => t.name === 'echo');
    assert.equal(echo?.title, 'Echo');
    assert.deepEqual(echo?.icons, [{ src: 'https://example.com/echo.png', mimeType: 'image/png' }]);
    assert.ok(tools.find((t) => t.name === 'structured')?.outputSchema);
    assert.deepEqual(pick(structured, 'result.structuredContent'), { doubled: 42 });
    assert.equal(pick(init, 'result.serverInfo.title'), 'Test server');
  });
});

describe('batches', () => {
  it('answers a 2025-03-26 batch with an array of the request answers (notifications get none)', async () => {
    const { client } = await connectInitialized(newServer(), { protocolVersion: '2025-03-26' });
    await client.sendRaw([
      { jsonrpc: '2.0', id: 'b1', method: 'ping' },
      { jsonrpc: '2.0', method: 'notifications/roots/list_changed' },
      { jsonrpc: '2.0', id: 'b2', method: 'tools/call', params: { name: 'echo', arguments: { text: 'in a batch' } } },
      { jsonrpc: '2.0', id: 'b3', method: 'nope' },
    ]);
    const answer = await client.nextValue();
    assert.ok(Array.isArray(answer), `expected an array, got ${JSON.stringify(answer)}`);
    const byId = new Map((answer as Json[]).map((r) => [r.id, r]));
    assert.equal(answer.length, 3);
    assert.deepEqual(pick(byId.get('b1'), 'result'), {});
    assert.equal(pick(byId.get('b2'), 'result.content.0.text'), 'in a batch');
    assert.equal(pick(byId.get('b3'), 'error.code'), ErrorCode.MethodNotFound);
  });

  it('refuses a batch under 2025-11-25 with -32600 and no request id, running none of it', async () => {
    const server = newServer();
    let ran = 0;
    server.tool('side-effect', {}, () => String(++ran));
    const { client } = await connectInitialized(server, { protocolVersion: '2025-11-25' });
    await client.sendRaw([
      { jsonrpc: '2.0', id: 'b1', method: 'ping' },
      { jsonrpc: '2.0', id: 'b2', method: 'tools/call', params: { name: 'side-effect', arguments: {} } },
    ]);
    const answer = await client.nextValue();
    assert.equal(Array.isArray(answer), false);
    assert.ok(hasNoRequestId(answer), JSON.stringify(answer));
    assert.equal(pick(answer, 'error.code'), ErrorCode.InvalidRequest);
    assert.equal(ran, 0);
  });

  it('refuses an empty batch under 2025-03-26 with -32600', async () => {
    const { client } = await connectInitialized(newServer(), { protocolVersion: '2025-03-26' });
    await client.sendRaw([]);
    assert.equal(pick(await client.nextValue(), 'error.code'), ErrorCode.InvalidRequest);
  });
});

describe('zod schemas', () => {
  const server = track(new McpServer({ info: { name: 'zod', version: '1' } }));
  const input = z.object({ city: z.string(), days: z.number().int().min(1).max(7) });
  server.tool<z.infer<typeof input>>('forecast', { description: 'Weather', inputSchema: input }, (args) => `${args.city}: ${args.days} days`);

  it('lists a zod inputSchema as JSON Schema', async () => {
    const { client } = await connectInitialized(server);
    const list = await client.request('tools/list');
    const schema = pick(list, 'result.tools.0.inputSchema') as Json;
    assert.equal(schema.type, 'object');
    assert.deepEqual(Object.keys(schema.properties as Json), ['city', 'days']);
    assert.deepEqual(schema.required, ['city', 'days']);
    assert.equal('$schema' in schema, false);
    assert.equal(specErrors('2025-11-25', 'ListToolsResult', list.result), undefined);
  });

  it('validates arguments with it', async () => {
    const { client } = await connectInitialized(server);
    assert.equal(toolText(await callTool(client, 'forecast', { city: 'Oslo', days: 3 })), 'Oslo: 3 days');
    const bad = await callTool(client, 'forecast', { city: 'Oslo', days: 9 });
    assert.equal(pick(bad, 'result.isError'), true);
    assert.match(toolText(bad), /arguments\.days/);
    assert.match(toolText(bad), /<= 7/);
  });
});
