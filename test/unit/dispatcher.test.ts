/**
 * The dispatcher, driven in process: an `McpServer` connected to a raw JSON-RPC client over a `MemoryTransport`
 * pair. This file covers the lifecycle (version negotiation, requests before initialize), the protocol/tool error
 * split of server/tools "Error Handling", resources, prompts and completion. dispatcher-notifications.test.ts and
 * dispatcher-revisions.test.ts cover the rest.
 *
 * The memory link delivers in order, so after a response arrives every message sent before it has arrived too:
 * "nothing was sent" is asserted after a later response, never after a sleep.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { SESSION_ERA_REVISIONS } from '../../src/protocol/versions.js';
import { connectInitialized, connectMemory, initialize, type Json } from '../helpers/memory-client.js';
import { pick } from '../helpers/json-path.js';
import { callTool, errorCode, newServer, specErrors, toolText } from '../helpers/dispatcher-harness.js';

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

  it('answers a request whose id is not an integer with -32600 and no id, which the schema would refuse', async () => {
    const { client } = await connectInitialized(newServer());
    await client.sendRaw({ jsonrpc: '2.0', id: 1.5, method: 'ping' });
    const response = await client.next();
    assert.equal(errorCode(response), ErrorCode.InvalidRequest);
    assert.equal('id' in response, false);
    assert.equal(specErrors('2025-11-25', 'JSONRPCErrorResponse', response), undefined);
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

  it('answers arguments: null with -32602 (the schema allows an object or no key at all), for tools and prompts', async () => {
    const server = newServer();
    server.prompt('plain', { description: 'x' }, () => ({ messages: [] }));
    const { client } = await connectInitialized(server);
    const tool = await client.request('tools/call', { name: 'echo', arguments: null });
    assert.equal(errorCode(tool), ErrorCode.InvalidParams);
    assert.match(String(pick(tool, 'error.message')), /params\.arguments must be an object/);
    const prompt = await client.request('prompts/get', { name: 'plain', arguments: null });
    assert.equal(errorCode(prompt), ErrorCode.InvalidParams);
    assert.match(String(pick(prompt, 'error.message')), /params\.arguments must be an object/);
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

  it('answers a handler that throws or rejects with a non-Error with isError and the most readable text of it', async () => {
    const server = newServer();
    const thrown: [string, () => unknown, string][] = [
      ['plain-object', () => Promise.reject({ message: 'quota exceeded', status: 429 }), 'quota exceeded'],
      ['sync-plain-object', () => { throw { message: 'no such row' }; }, 'no such row'],
      ['null-prototype', () => { throw Object.create(null); }, 'The tool failed'],
      ['string', () => Promise.reject('plain text'), 'plain text'],
      ['null', () => Promise.reject(null), 'null'],
    ];
    for (const [name, handler] of thrown) server.tool(name, {}, handler as never);
    const { client } = await connectInitialized(server);
    for (const [name, , text] of thrown) {
      const response = await callTool(client, name, {});
      assert.equal(pick(response, 'result.isError'), true, `${name}: ${JSON.stringify(response)}`);
      assert.match(toolText(response), new RegExp(`^${text}`), name);
    }
  });

  it('gives a handler the same mutable arguments object whether arguments were sent empty or left out', async () => {
    const server = newServer();
    server.tool<{ limit?: number }>('defaults', {}, (args) => {
      args.limit ??= 10;
      return `limit ${args.limit}`;
    });
    const { client } = await connectInitialized(server);
    assert.equal(toolText(await callTool(client, 'defaults', {})), 'limit 10');
    const absent = await client.request('tools/call', { name: 'defaults' });
    assert.equal(pick(absent, 'result.isError'), undefined, JSON.stringify(absent));
    assert.equal(toolText(absent), 'limit 10');
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

  it('answers -32603 for a prompt or resource handler that returns the wrong shape, never an empty response', async () => {
    const server = newServer();
    server.prompt('returns-nothing', {}, (() => undefined) as never);
    server.prompt('returns-null', {}, (async () => null) as never);
    server.prompt('one-message', {}, (() => ({ messages: { role: 'user', content: { type: 'text', text: 'x' } } })) as never);
    server.resource('test://one-contents', { name: 'one' }, ((uri: string) => ({ uri, text: 'x' })) as never);
    const { client } = await connectInitialized(server);
    for (const name of ['returns-nothing', 'returns-null', 'one-message']) {
      const response = await client.request('prompts/get', { name });
      assert.equal(errorCode(response), ErrorCode.InternalError, `${name}: ${JSON.stringify(response)}`);
    }
    const read = await client.request('resources/read', { uri: 'test://one-contents' });
    assert.equal(errorCode(read), ErrorCode.InternalError, JSON.stringify(read));
  });

  it('answers -32603 naming the URI, not "not found", when a matched reader returns nothing, in both eras', async () => {
    const server = newServer();
    server.resource('test://returns-nothing', { name: 'nothing' }, (() => undefined) as never);
    server.resourceTemplate('test://null/{id}', { name: 'null' }, (async () => null) as never);
    const { client } = await connectInitialized(server);
    const modern = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
    for (const uri of ['test://returns-nothing', 'test://null/1']) {
      for (const params of [{ uri }, { uri, _meta: modern }]) {
        const read = await client.request('resources/read', params);
        assert.equal(errorCode(read), ErrorCode.InternalError, JSON.stringify(read));
        assert.match(String(pick(read, 'error.message')), new RegExp(uri), JSON.stringify(read));
      }
    }
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

  it('answers an argument named like an Object.prototype property with no values, for prompts and templates', async () => {
    const { client } = await connectInitialized(newServer());
    const refs = [{ type: 'ref/prompt', name: 'greet' }, { type: 'ref/resource', uri: 'test://users/{id}' }];
    for (const ref of refs) {
      for (const name of ['constructor', 'toString', 'hasOwnProperty', '__proto__']) {
        const response = await client.request('completion/complete', { ref, argument: { name, value: 'x' } });
        assert.deepEqual(pick(response, 'result.completion'), { values: [], total: 0, hasMore: false }, `${ref.type} ${name}`);
      }
    }
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

  it('answers -32603 for a completer that returns no array of strings, never a result that breaks CompleteResult', async () => {
    const server = newServer();
    const odd: unknown[] = ['al', undefined, null, { values: ['al'] }, [1, 2], ['ok', 3]];
    server.prompt('odd', { arguments: odd.map((value, i) => ({ name: `a${i}`, complete: (() => value) as never })) }, () => ({ messages: [] }));
    const { client } = await connectInitialized(server);
    for (const [i, value] of odd.entries()) {
      const response = await client.request('completion/complete', { ref: { type: 'ref/prompt', name: 'odd' }, argument: { name: `a${i}`, value: '' } });
      assert.equal(errorCode(response), ErrorCode.InternalError, `${JSON.stringify(value)}: ${JSON.stringify(response)}`);
    }
  });

  it('refuses completion for an unknown ref with -32602', async () => {
    const { client } = await connectInitialized(newServer());
    const response = await client.request('completion/complete', {
      ref: { type: 'ref/prompt', name: 'nope' }, argument: { name: 'x', value: '' },
    });
    assert.equal(errorCode(response), ErrorCode.InvalidParams);
  });
});
