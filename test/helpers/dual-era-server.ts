/**
 * A server whose handlers are each written once and serve both protocol eras: `ask_name` elicits, `ask_model`
 * samples, `ask_roots` lists roots, `chatty` reports progress and logs, and the `ask_context` prompt elicits too.
 * Under 2025-11-25 those asks are requests to the client; under 2026-07-28, `input_required` round trips. Used by
 * the 2026-07-28 emitted-schema test and the dual-era elicitation test, over HTTP, and by raw helpers below.
 */
import { McpServer, type McpServerOptions } from '../../src/server/mcp-server.js';
import type { JsonObject } from '../../src/protocol/json-rpc.js';

/** The `_meta` a 2026-07-28 request carries, with these client capabilities. */
export function modernMeta(capabilities: JsonObject = { elicitation: {}, sampling: {}, roots: {} }, extra: JsonObject = {}): JsonObject {
  return {
    'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    'io.modelcontextprotocol/clientCapabilities': capabilities,
    'io.modelcontextprotocol/clientInfo': { name: 'dual-era-test', version: '1.0.0' },
    ...extra,
  };
}

/** The headers a 2026-07-28 POST of `body` carries (`MCP-Protocol-Version`, `Mcp-Method`, `Mcp-Name`). */
export function modernHeaders(body: { method: string; params?: JsonObject }): Record<string, string> {
  const headers: Record<string, string> = {
    accept: 'application/json, text/event-stream',
    'content-type': 'application/json',
    'mcp-protocol-version': '2026-07-28',
    'mcp-method': body.method,
  };
  const name = body.method === 'resources/read' ? body.params?.uri : body.method === 'tools/call' || body.method === 'prompts/get' ? body.params?.name : undefined;
  if (typeof name === 'string') headers['mcp-name'] = name;
  return headers;
}

/** The JSON-RPC messages of an answer body: JSON, or the `data:` lines of SSE events. */
export function messagesOf(body: string): Record<string, unknown>[] {
  const text = body.trim();
  if (text.startsWith('{')) return [JSON.parse(text) as Record<string, unknown>];
  return text.split(/\n\n+/).flatMap((event) => {
    const data = event.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
    return data === '' ? [] : [JSON.parse(data) as Record<string, unknown>];
  });
}

/** Builds the dual-era server. */
export function createDualEraServer(options: Partial<McpServerOptions> = {}): McpServer {
  const server = new McpServer({ info: { name: 'dual-era', version: '1.0.0' }, instructions: 'One set of handlers, two eras.', ...options });
  server.tool('ask_name', { description: 'Asks the user for their name', inputSchema: { type: 'object', properties: {} } }, async (_args, ctx) => {
    const answer = await ctx.elicit({
      message: 'What is your name?',
      requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
    }, { key: 'name' });
    const content = (answer.content ?? {}) as JsonObject;
    return answer.action === 'accept' ? `Hello, ${String(content.name)}!` : `No name (${String(answer.action)})`;
  });
  server.tool('ask_model', { description: 'Asks the client model' }, async (_args, ctx) => {
    const answer = await ctx.sample({ messages: [{ role: 'user', content: { type: 'text', text: 'Capital of France?' } }], maxTokens: 20 }, { key: 'question' });
    return `model said: ${JSON.stringify(answer.content)}`;
  });
  server.tool('ask_roots', { description: 'Lists the client roots' }, async (_args, ctx) => {
    const answer = await ctx.listRoots({ key: 'roots' });
    return `roots: ${Array.isArray(answer.roots) ? answer.roots.length : 0}`;
  });
  server.tool('chatty', { description: 'Reports progress and logs' }, (_args, ctx) => {
    ctx.progress(1, 2, 'half');
    ctx.log('info', 'working');
    ctx.log('debug', 'details');
    return 'done';
  });
  server.tool<{ region: string }>('regional', {
    description: 'Echoes a region mirrored in a header',
    inputSchema: { type: 'object', properties: { region: { type: 'string', 'x-mcp-header': 'Region' } }, required: ['region'] },
    cache: { ttlMs: 30_000 },
  }, ({ region }) => `region ${region}`);
  server.tool('which_revision', { description: 'Names the revision the caller speaks' }, (_args, ctx) => ctx.protocolVersion);
  server.resource('test://readme', { name: 'readme', mimeType: 'text/plain', cache: { ttlMs: 5_000, scope: 'private' } }, (uri) => [{ uri, mimeType: 'text/plain', text: 'Read me.' }]);
  server.resourceTemplate('test://items/{id}', { name: 'item', complete: { id: (v) => ['1', '2', '10'].filter((x) => x.startsWith(v)) } }, (uri, vars) => [{ uri, text: `item ${vars.id ?? ''}` }]);
  server.prompt('greet', { description: 'Greets someone', arguments: [{ name: 'who', required: true, complete: (v) => ['Ada', 'Alan'].filter((x) => x.startsWith(v)) }] }, (args) => ({
    messages: [{ role: 'user', content: { type: 'text', text: `Hello ${args.who ?? ''}` } }],
  }));
  server.prompt('ask_context', { description: 'Asks the user for context first' }, async (_args, ctx) => {
    const answer = await ctx.elicit({ message: 'Context?', requestedSchema: { type: 'object', properties: { context: { type: 'string' } }, required: ['context'] } }, { key: 'context' });
    return { messages: [{ role: 'user', content: { type: 'text', text: `Context: ${String(((answer.content ?? {}) as JsonObject).context)}` } }] };
  });
  return server;
}
