/**
 * The pieces of the 2026-07-28 era, one by one: which requests count as modern, the admission order of `_meta`
 * faults, the sealed `requestState` (tamper, expiry, binding to its request, size), the header decoder and the
 * `Mcp-Param-*` comparison, `x-mcp-header` checks at registration, the per-request log level, a deterministic
 * `tools/list`, the listen hub's opt-in filter and tags, and GET/DELETE by era on the shared endpoint.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requestEnd, type RequestEvent } from '../../src/diagnostics/channels.js';
import { EraError, isModernMarked } from '../../src/protocol/era.js';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { RequestStateCodec, paramsDigest } from '../../src/protocol/request-state.js';
import { WireError } from '../../src/protocol/wire-error.js';
import { McpServer, SERVER_DEFAULTS } from '../../src/server/mcp-server.js';
import { ListenHub } from '../../src/server/listen-hub.js';
import { decodeHeaderValue, validateParamHeaders } from '../../src/transport/http/mcp-headers.js';
import { createDualEraServer, modernMeta } from '../helpers/dual-era-server.js';
import { startHttp } from '../helpers/http-harness.js';
import { connectMemory, type Json } from '../helpers/memory-client.js';
import { codeOf } from '../helpers/wire-code.js';

const META = modernMeta({});

describe('the stateless era, piece by piece', () => {
  it('recognises a modern request by its header or by its _meta', () => {
    const modern = { params: { _meta: META } };
    const legacy = { params: { name: 'x' } };
    assert.equal(isModernMarked(legacy, '2025-11-25'), false);
    assert.equal(isModernMarked(modern, '2025-11-25'), true, 'modern _meta under a session-era header: the stateless era refuses the mismatch');
    assert.equal(isModernMarked(legacy, '2026-07-28'), true);
    assert.equal(isModernMarked(modern, undefined), true);
    assert.equal(isModernMarked(legacy, undefined), false);
    assert.equal(isModernMarked(legacy, '1999-01-01'), false, 'an unknown header without modern _meta stays legacy');
    assert.equal(isModernMarked(modern, 'v999.0.0'), true);
    assert.equal(isModernMarked([modern], undefined), false);
  });

  it('admits in the pinned order: -32602, then -32020, then -32022, then the log level', () => {
    const era = createDualEraServer().modern;
    assert.ok(era);
    assert.equal(codeOf(() => era.admit({})), ErrorCode.InvalidParams);
    assert.equal(codeOf(() => era.admit({ _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' } })), ErrorCode.InvalidParams);
    assert.equal(codeOf(() => era.admit({ _meta: { ...META, 'io.modelcontextprotocol/protocolVersion': 'v9' } }, '2026-07-28')), ErrorCode.HeaderMismatch);
    assert.equal(codeOf(() => era.admit({ _meta: { ...META, 'io.modelcontextprotocol/protocolVersion': 'v9' } }, 'v9')), ErrorCode.UnsupportedProtocolVersion);
    assert.equal(codeOf(() => era.admit({ _meta: { ...META, 'io.modelcontextprotocol/logLevel': 'loud' } })), ErrorCode.InvalidParams);
    assert.equal(codeOf(() => era.admit({ _meta: { ...META, 'io.modelcontextprotocol/clientInfo': 'not an object' } })), undefined, 'clientInfo is never relied on');
    try {
      era.admit({ _meta: { ...META, 'io.modelcontextprotocol/protocolVersion': 'v9' } });
    } catch (err) {
      assert.ok(err instanceof EraError);
      assert.equal(err.httpStatus, 400);
    }
  });

  it('seals requestState: round trip, tamper, expiry, another request, size limit', () => {
    const codec = new RequestStateCodec(Buffer.alloc(32, 7), 1_000, 4_096);
    const digest = paramsDigest('tools/call', { name: 't', arguments: { b: 1, a: 2 } });
    assert.equal(digest, paramsDigest('tools/call', { name: 't', arguments: { a: 2, b: 1 } }), 'key order does not matter');
    const token = codec.seal({ method: 'tools/call', digest, round: 1, answers: { k: { action: 'accept' } } }, 0);
    assert.deepEqual(codec.open(token, 'tools/call', digest, 500).answers, { k: { action: 'accept' } });
    assert.notEqual(token, codec.seal({ method: 'tools/call', digest, round: 1, answers: {} }, 0), 'a nonce makes each state differ');
    assert.equal(codeOf(() => codec.open(`${token}x`, 'tools/call', digest, 500)), ErrorCode.InvalidParams);
    assert.equal(codeOf(() => codec.open(token, 'tools/call', digest, 5_000)), ErrorCode.InvalidParams, 'expired');
    assert.equal(codeOf(() => codec.open(token, 'prompts/get', digest, 500)), ErrorCode.InvalidParams, 'another method');
    assert.equal(codeOf(() => codec.open(token, 'tools/call', paramsDigest('tools/call', { name: 'u' }), 500)), ErrorCode.InvalidParams, 'other params');
    assert.equal(codeOf(() => new RequestStateCodec(Buffer.alloc(32, 8), 1_000, 4_096).open(token, 'tools/call', digest, 500)), ErrorCode.InvalidParams, 'another secret');
    assert.throws(() => codec.seal({ method: 'tools/call', digest, round: 1, answers: { big: 'x'.repeat(5_000) } }), /maxStateBytes/);
  });

  it('decodes header values strictly and compares Mcp-Param-* by type', () => {
    assert.equal(decodeHeaderValue('=?base64?SGVsbG8=?='), 'Hello');
    assert.equal(decodeHeaderValue('=?base64?SGVsbG8?='), undefined, 'bad padding');
    assert.equal(decodeHeaderValue('=?base64?SGVs!!!bG8=?='), undefined, 'bad alphabet');
    assert.equal(decodeHeaderValue('=?base64?abc'), '=?base64?abc', 'a prefix alone is a literal');
    assert.equal(decodeHeaderValue('caf\u00e9'), undefined, 'non-ASCII must be encoded');
    const server = new McpServer({ info: { name: 't', version: '1' } });
    server.tool('typed', {
      inputSchema: { type: 'object', properties: { n: { type: 'integer', 'x-mcp-header': 'N' }, f: { type: 'boolean', 'x-mcp-header': 'F' }, nested: { type: 'object', properties: { s: { type: 'string', 'x-mcp-header': 'S' } } } } },
    }, () => 'ok');
    const tool = server.tools.get('typed');
    assert.ok(tool);
    const check = (headers: Json, args: Json): number | undefined => codeOf(() => validateParamHeaders(headers as never, tool, args));
    assert.equal(check({ 'mcp-param-n': '42.0', 'mcp-param-f': 'true', 'mcp-param-s': 'x' }, { n: 42, f: true, nested: { s: 'x' } }), undefined);
    assert.equal(check({}, { n: null }), undefined, 'a null argument expects no header');
    assert.equal(check({}, { n: 1 }), ErrorCode.HeaderMismatch, 'a present argument needs its header');
    assert.equal(check({ 'mcp-param-f': 'True' }, { f: true }), ErrorCode.HeaderMismatch);
    assert.equal(check({ 'mcp-param-s': 'y' }, { nested: { s: 'x' } }), ErrorCode.HeaderMismatch);
    assert.equal(check({ 'mcp-param-s': 'us' }, {}), ErrorCode.HeaderMismatch, 'a header for an absent argument disagrees with the body');
    assert.equal(check({ 'mcp-param-n': '1' }, { n: null }), ErrorCode.HeaderMismatch, 'and for a null one');
    for (const spelled of ['0x2A', ' 42', '42 ', '+42', 'Infinity']) {
      assert.equal(check({ 'mcp-param-n': spelled }, { n: 42 }), ErrorCode.HeaderMismatch, `${spelled} is not how 42 is written`);
    }
    assert.equal(check({ 'mcp-param-n': '4.2e1' }, { n: 42 }), undefined, 'a decimal spelling of the same number');
  });

  it('refuses a base64 header value that is not UTF-8, rather than comparing a lossy decoding of it', () => {
    // 0xFF and 0xFE both decoded to U+FFFD: two different header values passed as equal to one body value.
    assert.equal(decodeHeaderValue('=?base64?/w==?='), undefined, 'the byte 0xFF');
    assert.equal(decodeHeaderValue('=?base64?/g==?='), undefined, 'the byte 0xFE');
    assert.equal(decodeHeaderValue('=?base64?7aCA?='), undefined, 'a surrogate encoded as if it were a character');
    assert.equal(decodeHeaderValue('=?base64?77u/YQ==?='), '\ufeffa', 'a byte order mark is part of the value, not stripped');
    const server = new McpServer({ info: { name: 't', version: '1' } });
    server.tool('named', { inputSchema: { type: 'object', properties: { s: { type: 'string', 'x-mcp-header': 'S' } } } }, () => 'ok');
    const tool = server.tools.get('named');
    assert.ok(tool);
    assert.equal(codeOf(() => validateParamHeaders({ 'mcp-param-s': '=?base64?/w==?=' } as never, tool, { s: '\ufffd' })), ErrorCode.HeaderMismatch);
  });

  it('reads an annotated argument from the arguments\' own properties, never from Object.prototype', () => {
    const server = new McpServer({ info: { name: 't', version: '1' } });
    server.tool('builder', { inputSchema: { type: 'object', properties: { constructor: { type: 'string', 'x-mcp-header': 'Ctor' } } } }, () => 'ok');
    const tool = server.tools.get('builder');
    assert.ok(tool);
    assert.equal(codeOf(() => validateParamHeaders({} as never, tool, {})), undefined, 'an absent argument needs no header');
    assert.equal(codeOf(() => validateParamHeaders({ 'mcp-param-ctor': 'x' } as never, tool, { constructor: 'x' })), undefined);
  });

  it('refuses invalid x-mcp-header annotations at registration', () => {
    const server = new McpServer({ info: { name: 't', version: '1' } });
    const bad = (properties: Json): void => void server.tool(`bad${Math.random().toString(36).slice(2, 8)}`, { inputSchema: { type: 'object', properties } }, () => 'x');
    assert.throws(() => bad({ a: { type: 'number', 'x-mcp-header': 'A' } }), /string, integer or boolean/);
    assert.throws(() => bad({ a: { type: 'string', 'x-mcp-header': 'has space' } }), /token/);
    assert.throws(() => bad({ a: { type: 'string', 'x-mcp-header': 'Dup' }, b: { type: 'string', 'x-mcp-header': 'dup' } }), /twice/);
    // Reachable only through `properties`: not under items, composition, conditionals, $defs or the root itself.
    const header = { type: 'string', 'x-mcp-header': 'Region' };
    const misplaced: Json[] = [
      { type: 'object', properties: { list: { type: 'array', items: header } } },
      { type: 'object', properties: { a: { anyOf: [header] } } },
      { type: 'object', properties: { a: { $ref: '#/$defs/r' } }, $defs: { r: header } },
      { type: 'object', properties: { a: { type: 'string' } }, if: { properties: { a: header } }, then: {} },
      { type: 'object', additionalProperties: header },
      { type: 'object', 'x-mcp-header': 'Root', properties: {} },
    ];
    for (const inputSchema of misplaced) {
      assert.throws(() => server.tool(`misplaced${Math.random().toString(36).slice(2, 8)}`, { inputSchema }, () => 'x'), /allowed only on a property reached from the root through properties alone/, JSON.stringify(inputSchema));
    }
    // Nested properties are fine, and an x-mcp-header key inside data (a default) is data.
    assert.doesNotThrow(() => server.tool('nested_ok', {
      inputSchema: { type: 'object', properties: { where: { type: 'object', properties: { region: header } }, opts: { type: 'object', default: { 'x-mcp-header': 'data' } } } },
    }, () => 'x'));
  });

  it('sends notifications/message only with a _meta log level, at or above it; lists tools in a stable order', async () => {
    const server = createDualEraServer();
    try {
      const { client } = await connectMemory(server);
      await client.request('tools/call', { name: 'chatty', arguments: {}, _meta: META });
      await client.request('tools/call', { name: 'chatty', arguments: {}, _meta: { ...META, 'io.modelcontextprotocol/logLevel': 'info' } });
      const message = await client.next((m) => m.method === 'notifications/message');
      assert.equal((message.params as Json).data, 'working');
      const first = await client.request('tools/list', { _meta: META });
      const second = await client.request('tools/list', { _meta: META });
      assert.deepEqual(first.result, second.result);
      assert.deepEqual(((first.result as Json).tools as Json[]).map((t) => t.name), ['ask_name', 'ask_model', 'ask_roots', 'chatty', 'regional', 'which_revision']);
    } finally {
      await server.close();
    }
  });

  it('labels a read with the hint of the template that served it, in registration order', async () => {
    const server = new McpServer({ info: { name: 'hints', version: '1' }, cache: { ttlMs: 60_000 } });
    server.resourceTemplate('user:///{id}/profile', { name: 'profile', cache: { ttlMs: 1_000, scope: 'private' } }, (uri) => [{ uri, text: 'me' }]);
    server.resourceTemplate('any:///{path}', { name: 'any' }, (uri) => [{ uri, text: 'any' }]);
    server.resourceTemplate('user:///{id}/{rest}', { name: 'shadowed', cache: { ttlMs: 5, scope: 'private' } }, (uri) => [{ uri, text: 'never' }]);
    try {
      const { client } = await connectMemory(server);
      const hintOf = async (uri: string): Promise<unknown[]> => {
        const read = (await client.request('resources/read', { uri, _meta: META })).result as Json;
        return [read.ttlMs, read.cacheScope];
      };
      assert.deepEqual(await hintOf('user:///alice/profile'), [1_000, 'private']);
      assert.deepEqual(await hintOf('any:///x'), [60_000, 'public'], 'a template without a hint gets the configured one');
      assert.deepEqual(await hintOf('user:///alice/other'), [5, 'private']);
    } finally {
      await server.close();
    }
  });

  it('labels a read completed by an input round as not cacheable: ttlMs 0, private', async () => {
    // server/utilities/caching, "Cache Key": results of a retry carrying inputResponses or requestState MUST NOT be
    // cached; they depend on the user's answers, which are not part of the cache key.
    const server = new McpServer({ info: { name: 'hints', version: '1' }, cache: { ttlMs: 60_000 } });
    server.resource('test://greeting', { name: 'greeting' }, async (uri, ctx) => {
      const answer = await ctx.elicit({ message: 'Name?', requestedSchema: { type: 'object', properties: { n: { type: 'string' } } } }, { key: 'n' });
      return [{ uri, text: `hello ${String((answer.content as Json | undefined)?.n)}` }];
    });
    try {
      const { client } = await connectMemory(server);
      const meta = modernMeta();
      const interim = (await client.request('resources/read', { uri: 'test://greeting', _meta: meta })).result as Json;
      assert.equal(interim.resultType, 'input_required');
      assert.equal(interim.ttlMs, undefined, 'an interim result carries no hints');
      const done = (await client.request('resources/read', {
        uri: 'test://greeting', _meta: meta, requestState: interim.requestState, inputResponses: { n: { action: 'accept', content: { n: 'Ada' } } },
      })).result as Json;
      assert.deepEqual(done.contents, [{ uri: 'test://greeting', text: 'hello Ada' }]);
      assert.deepEqual([done.ttlMs, done.cacheScope], [0, 'private']);
      const pre = (await client.request('resources/read', { uri: 'test://greeting', _meta: meta, inputResponses: { n: { action: 'accept', content: { n: 'Bo' } } } })).result as Json;
      assert.deepEqual([pre.resultType, pre.ttlMs, pre.cacheScope], ['complete', 0, 'private'], 'answers without a state count too');
    } finally {
      await server.close();
    }
  });

  it('delivers only the opted-in notification types, tagged with the listen request id', () => {
    const hub = new ListenHub((uri) => uri === 'a://x', SERVER_DEFAULTS.maxListenUris, undefined);
    const got: Json[] = [];
    const sub = hub.subscribe('L1', { notifications: { promptsListChanged: true, resourceSubscriptions: ['a://x'] } }, (m) => got.push(m as unknown as Json));
    assert.deepEqual((sub.ack as unknown as Json).params, { _meta: { 'io.modelcontextprotocol/subscriptionId': 'L1' }, notifications: { promptsListChanged: true, resourceSubscriptions: ['a://x'] } });
    hub.listChanged('tools');
    hub.listChanged('prompts');
    hub.resourceUpdated('a://y');
    hub.resourceUpdated('a://x');
    assert.deepEqual(got.map((m) => m.method), ['notifications/prompts/list_changed', 'notifications/resources/updated']);
    for (const m of got) assert.equal(((m.params as Json)._meta as Json)['io.modelcontextprotocol/subscriptionId'], 'L1');
    sub.close();
    hub.listChanged('prompts');
    assert.equal(got.length, 2);
    assert.throws(() => hub.subscribe('L2', {}, () => undefined), (err: unknown) => err instanceof WireError && err.code === ErrorCode.InvalidParams);
  });

  it('answers GET and DELETE with a 2026-07-28 header 405 Allow: POST, and keeps them for sessions', async () => {
    const http = await startHttp(createDualEraServer());
    try {
      for (const method of ['GET', 'DELETE']) {
        const reply = await http.client.send({ method, headers: { accept: 'text/event-stream', 'mcp-protocol-version': '2026-07-28' } });
        assert.equal(reply.status, 405);
        assert.equal(reply.headers.allow, 'POST');
      }
      const legacy = await http.client.send({ method: 'GET', headers: { accept: 'text/event-stream', 'mcp-protocol-version': '2025-11-25' } });
      assert.equal(legacy.status, 400, 'a session-era GET without a session id');
    } finally {
      await http.close();
    }
  });

  it('offers the eras the revisions option names: modern-only refuses initialize, session-only answers modern _meta as legacy', async () => {
    const modernOnly = createDualEraServer({ revisions: ['2026-07-28'] });
    const legacyOnly = createDualEraServer({ revisions: ['2025-11-25'] });
    try {
      const a = (await connectMemory(modernOnly)).client;
      const init = await a.request('initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } });
      assert.equal((init.error as Json).code, ErrorCode.UnsupportedProtocolVersion);
      assert.deepEqual(((init.error as Json).data as Json).supported, ['2026-07-28']);
      assert.equal(legacyOnly.modern, undefined);
      const b = (await connectMemory(legacyOnly)).client;
      const probe = await b.request('server/discover', { _meta: META });
      assert.equal((probe.error as Json).code, ErrorCode.MethodNotFound);
    } finally {
      await modernOnly.close();
      await legacyOnly.close();
    }
  });

  it('publishes 2026-07-28 requests on the request channels, as the session era does', async () => {
    const server = createDualEraServer();
    const seen: RequestEvent[] = [];
    const onEnd = (message: unknown): void => void seen.push(message as RequestEvent);
    requestEnd.subscribe(onEnd);
    try {
      const { client } = await connectMemory(server);
      await client.request('tools/list', { _meta: META });
      assert.equal(seen.length, 1);
      assert.equal(seen[0]?.method, 'tools/list');
      assert.equal(seen[0]?.error, undefined);
    } finally {
      requestEnd.unsubscribe(onEnd);
      await server.close();
    }
  });
});
