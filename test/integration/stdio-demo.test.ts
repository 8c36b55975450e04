/**
 * The demo toolset served over the stdio transport, in process (PassThrough pipes): each tool, resource, template,
 * prompt and completion answers as documented, and every message the server emits conforms to the MCP 2025-11-25
 * schema in its closed-world form.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { McpServer } from '../../src/server/mcp-server.js';
import { StdioTransport } from '../../src/transport/stdio/stdio-transport.js';
import { registerDemo } from '../../src/demo/register-demo.js';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { EmittedMessageLog, SpecSchemaValidator } from '../helpers/schema-validator.js';
import { pick } from '../helpers/json-path.js';

type Json = Record<string, unknown>;

/** A minimal line-based JSON-RPC client over a pair of pipes. */
class PipeClient {
  readonly #input: PassThrough;
  readonly #pending = new Map<number, (message: Json) => void>();
  readonly log = new EmittedMessageLog();
  #nextId = 1;
  #rest = '';

  constructor(input: PassThrough, output: PassThrough) {
    this.#input = input;
    output.setEncoding('utf8');
    output.on('data', (text: string) => {
      const lines = (this.#rest + text).split('\n');
      this.#rest = lines.pop() ?? '';
      for (const line of lines) {
        const message = JSON.parse(line) as Json;
        this.log.serverSent(message);
        const resolve = this.#pending.get(message.id as number);
        this.#pending.delete(message.id as number);
        resolve?.(message);
      }
    });
  }

  request(method: string, params?: Json): Promise<Json> {
    const id = this.#nextId++;
    const message = params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params };
    this.log.clientSent(message);
    const answer = new Promise<Json>((resolve) => this.#pending.set(id, resolve));
    this.#input.write(JSON.stringify(message) + '\n');
    return answer;
  }

  notify(method: string): void {
    this.#input.write(JSON.stringify({ jsonrpc: '2.0', method }) + '\n');
  }

  async call(name: string, args: Json): Promise<Json> {
    return (await this.request('tools/call', { name, arguments: args })).result as Json;
  }
}

let root: string;
let server: McpServer;
let client: PipeClient;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'erlmcp-demo-'));
  for (const dir of ['src/deep/er', 'node_modules/pkg', '.git/objects', 'docs']) mkdirSync(join(root, dir), { recursive: true });
  for (const file of ['README.md', 'src/report-a.ts', 'src/deep/er/Report-b.ts', 'node_modules/pkg/report.js', '.git/objects/report', 'docs/guide.md']) {
    writeFileSync(join(root, file), 'x');
  }
  server = new McpServer({ info: { name: 'erlmcp', version: '9.9.9' } });
  registerDemo(server, { root });
  const input = new PassThrough();
  const output = new PassThrough();
  await server.connect(new StdioTransport({ input, output }));
  client = new PipeClient(input, output);
  const init = await client.request('initialize', {
    protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'demo-test', version: '1' },
  });
  assert.equal(pick(init, 'result.protocolVersion'), '2025-11-25');
  client.notify('notifications/initialized');
});

after(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

describe('demo toolset over stdio', () => {
  it('lists its three tools', async () => {
    const res = await client.request('tools/list');
    const names = (pick(res, 'result.tools') as { name: string }[]).map((t) => t.name).sort();
    assert.deepEqual(names, ['add', 'echo', 'file_search']);
  });

  it('echo returns the text as one text block', async () => {
    assert.deepEqual(await client.call('echo', { text: 'hi there' }), { content: [{ type: 'text', text: 'hi there' }] });
  });

  it('echo without text is a tool error the model can read', async () => {
    const result = await client.call('echo', {});
    assert.equal(result.isError, true);
    assert.match(String(pick(result, 'content.0.text')), /arguments\.text is required/);
  });

  it('add returns the sum as text and as structured content', async () => {
    assert.deepEqual(await client.call('add', { a: 2, b: 40.5 }), {
      content: [{ type: 'text', text: '42.5' }],
      structuredContent: { sum: 42.5 },
    });
  });

  it('file_search finds names case-insensitively, shallowest first, skipping node_modules and .git', async () => {
    const result = await client.call('file_search', { query: 'REPORT' });
    assert.deepEqual(result.structuredContent, { matches: ['src/report-a.ts', 'src/deep/er/Report-b.ts'], truncated: false });
    assert.equal(pick(result, 'content.0.text'), 'src/report-a.ts\nsrc/deep/er/Report-b.ts');
  });

  it('file_search honours max_results and says it stopped', async () => {
    const result = await client.call('file_search', { query: '.', max_results: 1 });
    assert.deepEqual(result.structuredContent, { matches: ['README.md'], truncated: true });
  });

  it('file_search answers plainly when nothing matches', async () => {
    const result = await client.call('file_search', { query: 'zzz-nothing' });
    assert.deepEqual(result.structuredContent, { matches: [], truncated: false });
    assert.match(String(pick(result, 'content.0.text')), /^No file names under the search root contain "zzz-nothing"\.$/);
  });

  it('file_search refuses max_results outside 1..100', async () => {
    const result = await client.call('file_search', { query: 'a', max_results: 101 });
    assert.equal(result.isError, true);
    assert.match(String(pick(result, 'content.0.text')), /max_results/);
  });

  it('lists and reads the two resources', async () => {
    const list = await client.request('resources/list');
    const uris = (pick(list, 'result.resources') as { uri: string }[]).map((r) => r.uri).sort();
    assert.deepEqual(uris, ['erlmcp://demo/readme', 'erlmcp://demo/server-info']);
    const readme = await client.request('resources/read', { uri: 'erlmcp://demo/readme' });
    assert.equal(pick(readme, 'result.contents.0.mimeType'), 'text/markdown');
    assert.match(String(pick(readme, 'result.contents.0.text')), /^# erlmcp demo/);
    const info = await client.request('resources/read', { uri: 'erlmcp://demo/server-info' });
    assert.equal(pick(info, 'result.contents.0.mimeType'), 'application/json');
    const body = JSON.parse(String(pick(info, 'result.contents.0.text'))) as Json;
    assert.equal(body.name, 'erlmcp');
    assert.equal(body.version, '9.9.9');
    assert.equal(typeof body.uptimeSeconds, 'number');
  });

  it('reads the greeting template and completes its variable', async () => {
    const list = await client.request('resources/templates/list');
    assert.equal(pick(list, 'result.resourceTemplates.0.uriTemplate'), 'erlmcp://demo/greeting/{name}');
    const read = await client.request('resources/read', { uri: 'erlmcp://demo/greeting/Ada' });
    assert.equal(pick(read, 'result.contents.0.text'), 'Hello, Ada!');
    const done = await client.request('completion/complete', {
      ref: { type: 'ref/resource', uri: 'erlmcp://demo/greeting/{name}' },
      argument: { name: 'name', value: 'er' },
    });
    assert.deepEqual(pick(done, 'result.completion.values'), ['erlmcp']);
  });

  it('renders the summarize prompt and completes its style argument', async () => {
    const list = await client.request('prompts/list');
    assert.deepEqual(pick(list, 'result.prompts.0.arguments'), [
      { name: 'text', description: 'The text to summarize.', required: true },
      { name: 'style', description: 'One of brief, detailed, bullet (default brief).' },
    ]);
    const got = await client.request('prompts/get', { name: 'summarize', arguments: { text: 'Long story.', style: 'bullet' } });
    assert.equal(pick(got, 'result.messages.0.role'), 'user');
    assert.equal(pick(got, 'result.messages.0.content.text'), 'Summarize the following text as a short bulleted list:\n\nLong story.');
    const all = await client.request('completion/complete', { ref: { type: 'ref/prompt', name: 'summarize' }, argument: { name: 'style', value: '' } });
    assert.deepEqual(pick(all, 'result.completion.values'), ['brief', 'detailed', 'bullet']);
    const some = await client.request('completion/complete', { ref: { type: 'ref/prompt', name: 'summarize' }, argument: { name: 'style', value: 'b' } });
    assert.deepEqual(pick(some, 'result.completion.values'), ['brief', 'bullet']);
  });

  it('rejects a missing text or an unknown style with -32602', async () => {
    const missing = await client.request('prompts/get', { name: 'summarize', arguments: {} });
    assert.equal(pick(missing, 'error.code'), ErrorCode.InvalidParams);
    const bad = await client.request('prompts/get', { name: 'summarize', arguments: { text: 't', style: 'toString' } });
    assert.equal(pick(bad, 'error.code'), ErrorCode.InvalidParams);
    assert.match(String(pick(bad, 'error.message')), /style must be one of brief, detailed, bullet/);
  });

  it('emitted only messages that conform to the 2025-11-25 schema (closed world)', () => {
    client.log.assertValid(SpecSchemaValidator.forRevision('2025-11-25', { closed: true }));
  });
});
