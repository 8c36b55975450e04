/**
 * The 2026-07-28 half of the emitted-schema check (test/protocol/emitted-schema.test.ts does every session-era
 * revision, 2025-11-25 included, the same way): every message type a 2026-07-28 client can send is sent over real
 * HTTP to a dual-era server, and every message that comes back (JSON answers, SSE frames, the listen stream) is
 * validated closed-world against shared/spec/2026-07-28/schema.json. Results are matched by request method, an
 * `input_required` answer against InputRequiredResult, and each MCP error code against its own definition
 * (HeaderMismatchError, UnsupportedProtocolVersionError, MissingRequiredClientCapabilityError). A coverage check
 * makes sure each kind really came back, so the pass is not vacuous.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { startHttp, type HttpHarness } from '../helpers/http-harness.js';
import { createDualEraServer, messagesOf, modernHeaders, modernMeta } from '../helpers/dual-era-server.js';
import { EmittedMessageLog, SpecSchemaValidator, formatIssues, type SchemaIssue } from '../helpers/schema-validator.js';

type Json = Record<string, unknown>;

const MRTR = ['CallToolResult', 'InputRequiredResult'];
const validator = SpecSchemaValidator.forRevision('2026-07-28', {
  closed: true,
  resultDefinitions: {
    'tools/call': MRTR,
    'prompts/get': ['GetPromptResult', 'InputRequiredResult'],
    'resources/read': ['ReadResourceResult', 'InputRequiredResult'],
  },
});

/**
 * The error definition of each code the schema names: the MCP ones define the whole response, the JSON-RPC ones
 * the error object. Others are checked as a plain error response.
 */
const ERROR_DEFINITIONS: Readonly<Partial<Record<number, [string, 'response' | 'error']>>> = {
  [ErrorCode.HeaderMismatch]: ['HeaderMismatchError', 'response'],
  [ErrorCode.UnsupportedProtocolVersion]: ['UnsupportedProtocolVersionError', 'response'],
  [ErrorCode.MissingRequiredClientCapability]: ['MissingRequiredClientCapabilityError', 'response'],
  [ErrorCode.MethodNotFound]: ['MethodNotFoundError', 'error'],
  [ErrorCode.InvalidParams]: ['InvalidParamsError', 'error'],
};

describe('2026-07-28: everything the server emits is valid against the 2026-07-28 schema', () => {
  let http: HttpHarness;
  const log = new EmittedMessageLog();
  const statuses = new Map<string, number>();
  let nextId = 1;

  /** POSTs one request (headers derived from it unless given) and records both directions. */
  async function post(method: string, params: Json, headers?: Record<string, string>, label = method): Promise<Json[]> {
    const body = { jsonrpc: '2.0', id: nextId++, method, params };
    log.clientSent(body);
    const reply = await http.client.send({ body, headers: headers ?? modernHeaders(body) });
    statuses.set(label, reply.status);
    const messages = messagesOf(reply.body);
    for (const m of messages) log.serverSent(m);
    return messages;
  }

  function last(messages: Json[]): Json {
    return messages[messages.length - 1] as Json;
  }

  before(async () => {
    http = await startHttp(createDualEraServer({ cache: { ttlMs: 60_000 } }), { responseMode: 'auto' });
    const meta = modernMeta();
    await post('server/discover', { _meta: meta });
    await post('tools/list', { _meta: meta });
    await post('resources/list', { _meta: meta });
    await post('resources/templates/list', { _meta: meta });
    await post('prompts/list', { _meta: meta });
    await post('resources/read', { uri: 'test://readme', _meta: meta });
    await post('resources/read', { uri: 'test://items/7', _meta: meta }, undefined, 'template read');
    await post('resources/read', { uri: 'test://missing', _meta: meta }, undefined, 'missing resource');
    await post('prompts/get', { name: 'greet', arguments: { who: 'Ada' }, _meta: meta });
    await post('completion/complete', { ref: { type: 'ref/prompt', name: 'greet' }, argument: { name: 'who', value: 'A' }, _meta: meta });
    await post('tools/call', { name: 'chatty', arguments: {}, _meta: { ...meta, progressToken: 'p1', 'io.modelcontextprotocol/logLevel': 'info' } }, undefined, 'streamed call');
    await post('tools/call', { name: 'regional', arguments: { region: 'eu' }, _meta: meta }, { ...modernHeaders({ method: 'tools/call', params: { name: 'regional' } }), 'mcp-param-region': 'eu' }, 'x-mcp-header call');
    // MRTR: elicitation, sampling and roots each go input_required, then complete on the retry.
    for (const [tool, key, answer] of [
      ['ask_name', 'name', { action: 'accept', content: { name: 'Ada' } }],
      ['ask_model', 'question', { role: 'assistant', content: { type: 'text', text: 'Paris' }, model: 'm' }],
      ['ask_roots', 'roots', { roots: [{ uri: 'file:///tmp', name: 'tmp' }] }],
    ] as const) {
      const interim = (last(await post('tools/call', { name: tool, arguments: {}, _meta: meta }, undefined, `${tool} r1`)).result ?? {}) as Json;
      assert.equal(interim.resultType, 'input_required', `${tool}: ${JSON.stringify(interim)}`);
      await post('tools/call', { name: tool, arguments: {}, _meta: meta, inputResponses: { [key]: answer }, requestState: interim.requestState }, undefined, `${tool} r2`);
    }
    const prompt = (last(await post('prompts/get', { name: 'ask_context', _meta: meta }, undefined, 'mrtr prompt')).result ?? {}) as Json;
    await post('prompts/get', { name: 'ask_context', _meta: meta, inputResponses: { context: { action: 'accept', content: { context: 'tests' } } }, requestState: prompt.requestState }, undefined, 'mrtr prompt r2');
    // Errors, each with its status.
    await post('tools/call', { name: 'nope', arguments: {}, _meta: meta }, undefined, 'unknown tool');
    await post('tools/call', { name: 'ask_model', arguments: {}, _meta: modernMeta({}) }, undefined, 'missing capability');
    await post('tools/call', { name: 'ask_name', arguments: {}, _meta: meta, requestState: 'forged.state' }, undefined, 'tampered state');
    await post('server/discover', { _meta: { ...meta, 'io.modelcontextprotocol/protocolVersion': '1999-01-01' } }, { ...modernHeaders({ method: 'server/discover' }), 'mcp-protocol-version': '1999-01-01' }, 'unsupported version');
    await post('server/discover', { _meta: { ...meta, 'io.modelcontextprotocol/protocolVersion': '1999-01-01' } }, undefined, 'header mismatch');
    await post('server/discover', {}, undefined, 'missing meta');
    await post('ping', { _meta: meta }, undefined, 'removed method');
    await post('tools/list', { _meta: meta }, { ...modernHeaders({ method: 'tools/list' }), 'mcp-method': 'TOOLS/LIST' }, 'wrong Mcp-Method');
    // subscriptions/listen: the ack, each notification kind, then the graceful result at server teardown.
    const listenBody = { jsonrpc: '2.0', id: nextId++, method: 'subscriptions/listen', params: { _meta: meta, notifications: { toolsListChanged: true, promptsListChanged: true, resourcesListChanged: true, resourceSubscriptions: ['test://readme'] } } };
    log.clientSent(listenBody);
    const listening = http.client.send({ body: listenBody, headers: modernHeaders(listenBody) });
    const hub = http.server.modern?.listen;
    assert.ok(hub);
    while (hub.size === 0) await new Promise((r) => setImmediate(r));
    http.server.notifyListChanged('tools');
    http.server.notifyListChanged('prompts');
    http.server.notifyListChanged('resources');
    http.server.notifyResourceUpdated('test://readme');
    hub.closeAll();
    const listened = await listening;
    statuses.set('listen', listened.status);
    for (const m of messagesOf(listened.body)) log.serverSent(m);
  });

  after(() => http?.close());

  it('every emitted message is valid, errors against their own definitions', () => {
    const issues: SchemaIssue[] = [...log.issues(validator)];
    for (const m of log.emitted as Json[]) {
      const code = (m.error as { code?: number } | undefined)?.code;
      const def = code === undefined ? undefined : ERROR_DEFINITIONS[code];
      if (def !== undefined) {
        const issue = validator.check(def[0], def[1] === 'response' ? m : m.error, `error ${code}`);
        if (issue) issues.push(issue);
      }
    }
    assert.equal(issues.length, 0, formatIssues('2026-07-28', issues));
  });

  it('covered every kind of result, notification and error', () => {
    const kinds = new Set<string>();
    for (const m of log.emitted as Json[]) {
      if (typeof m.method === 'string') kinds.add(m.method);
      else if (m.error) kinds.add(`error ${String((m.error as Json).code)}`);
      else kinds.add(`${log.methodOf(m.id) ?? '?'} ${String((m.result as Json).resultType)}`);
    }
    for (const kind of [
      'server/discover complete', 'tools/list complete', 'resources/list complete', 'resources/templates/list complete',
      'prompts/list complete', 'resources/read complete', 'prompts/get complete', 'prompts/get input_required',
      'completion/complete complete', 'tools/call complete', 'tools/call input_required', 'subscriptions/listen complete',
      'notifications/progress', 'notifications/message', 'notifications/subscriptions/acknowledged',
      'notifications/tools/list_changed', 'notifications/prompts/list_changed', 'notifications/resources/list_changed',
      'notifications/resources/updated',
      `error ${ErrorCode.InvalidParams}`, `error ${ErrorCode.HeaderMismatch}`, `error ${ErrorCode.UnsupportedProtocolVersion}`,
      `error ${ErrorCode.MissingRequiredClientCapability}`, `error ${ErrorCode.MethodNotFound}`,
    ]) assert.ok(kinds.has(kind), `no ${kind} was emitted; got ${[...kinds].join(', ')}`);
  });

  it('answers each refusal with the status the transport table gives', () => {
    assert.deepEqual(Object.fromEntries([
      'unknown tool', 'missing capability', 'tampered state', 'unsupported version', 'header mismatch', 'missing meta',
      'removed method', 'wrong Mcp-Method', 'missing resource', 'listen',
    ].map((k) => [k, statuses.get(k)])), {
      'unknown tool': 200, 'missing capability': 400, 'tampered state': 200, 'unsupported version': 400, 'header mismatch': 400,
      'missing meta': 400, 'removed method': 404, 'wrong Mcp-Method': 400, 'missing resource': 200, listen: 200,
    });
  });

  it('puts cache hints on lists and reads: config, per registration, private wins', () => {
    const byMethod = new Map<string, Json>();
    for (const m of log.emitted as Json[]) {
      const method = log.methodOf(m.id);
      if (method && m.result && !byMethod.has(method)) byMethod.set(method, m.result as Json);
    }
    const hint = (method: string): unknown[] => [byMethod.get(method)?.ttlMs, byMethod.get(method)?.cacheScope];
    assert.deepEqual(hint('server/discover'), [60_000, 'public']);
    assert.deepEqual(hint('tools/list'), [30_000, 'public']);
    assert.deepEqual(hint('resources/list'), [5_000, 'private']);
    assert.deepEqual(hint('resources/read'), [5_000, 'private']);
    assert.deepEqual(hint('prompts/list'), [60_000, 'public']);
    assert.equal(byMethod.get('tools/call')?.ttlMs, undefined);
  });
});
