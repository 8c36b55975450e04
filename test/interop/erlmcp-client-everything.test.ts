/**
 * The erlmcp client drives the MCP reference server `@modelcontextprotocol/server-everything` (a separate program,
 * written against the official SDK) over stdio and over Streamable HTTP, both as real child processes started from
 * its package's bin, the way a user would run it.
 *
 * The reference server exercises what a client meets in the wild: it asks for the client's roots on its own right
 * after initialization, registers its sampling, elicitation and roots tools only for a client that declared those
 * capabilities, sends progress from a long-running tool, and elicits with a schema full of defaults, which the
 * client must fill in for the fields its user left out (SEP-1034).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { createServer, type AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { McpClient } from '../../src/client/mcp-client.js';
import type { ClientTransport } from '../../src/client/client-transport.js';
import type { CallToolResult } from '../../src/client/client-types.js';
import { StreamableHttpClientTransport } from '../../src/transport/http-client/streamable-http-client.js';
import { StdioClientTransport } from '../../src/transport/stdio/stdio-client-transport.js';

const require = createRequire(import.meta.url);
const EVERYTHING_BIN = join(dirname(require.resolve('@modelcontextprotocol/server-everything/package.json')), 'dist/index.js');
const STARTUP_TIMEOUT_MS = 20_000;

interface Everything {
  transport: ClientTransport;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function stopChild(child: ChildProcessWithoutNullStreams): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

const START: readonly [string, () => Promise<Everything>][] = [
  ['stdio', async () => ({
    // The reference server does not exit when its stdin ends; close() escalates to SIGTERM after this wait.
    transport: new StdioClientTransport({ command: process.execPath, args: [EVERYTHING_BIN, 'stdio'], stderr: 'ignore', exitTimeoutMs: 300 }),
    stop: async () => {},
  })],
  ['Streamable HTTP', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [EVERYTHING_BIN, 'streamableHttp'], { env: { ...process.env, PORT: String(port) } });
    child.stdout.resume();
    let log = '';
    child.stderr.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server-everything did not listen within ${STARTUP_TIMEOUT_MS} ms:\n${log}`)), STARTUP_TIMEOUT_MS);
      child.stderr.on('data', (text: string) => {
        log += text;
        if (log.includes('listening on port')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`server-everything exited with ${String(code)}:\n${log}`)));
    });
    return { transport: new StreamableHttpClientTransport(`http://127.0.0.1:${port}/mcp`), stop: () => stopChild(child) };
  }],
];

function texts(result: CallToolResult): string {
  return result.content.filter((b) => b.type === 'text').map((b) => String(b.text)).join('\n');
}

for (const [name, start] of START) {
  describe(`erlmcp client against @modelcontextprotocol/server-everything over ${name}`, () => {
    let server: Everything;
    let client: McpClient;
    const errors: Error[] = [];
    let rootsAsked!: Promise<void>;

    before(async () => {
      server = await start();
      let markRootsAsked!: () => void;
      rootsAsked = new Promise((resolve) => (markRootsAsked = resolve));
      client = new McpClient({ name: 'erlmcp-everything-client', version: '1.0.0' }, {
        requestTimeoutMs: 15_000,
        sampling: () => ({ role: 'assistant', model: 'everything-model', content: { type: 'text', text: 'sampled text' } }),
        elicitation: () => ({ action: 'accept', content: { name: 'Ada Lovelace', check: true } }),
        roots: () => {
          markRootsAsked();
          return [{ uri: 'file:///work/everything', name: 'everything' }];
        },
      });
      client.on('error', (err) => errors.push(err));
      await client.connect(server.transport);
    });

    after(async () => {
      try {
        await client?.close();
      } finally {
        await server?.stop();
      }
    });

    it('initializes, and the server asks for the roots on its own', async () => {
      assert.equal(client.protocolVersion, '2025-11-25');
      assert.equal(client.serverInfo?.name, 'mcp-servers/everything');
      assert.ok(client.serverCapabilities?.tools);
      await rootsAsked;
      await client.ping();
    });

    it('lists its tools, with those registered for the capabilities the client declared', async () => {
      const tools = (await client.listAllTools()).map((t) => t.name);
      for (const tool of ['echo', 'get-sum', 'trigger-long-running-operation', 'trigger-sampling-request', 'trigger-elicitation-request', 'get-roots-list']) {
        assert.ok(tools.includes(tool), `${tool} in ${tools.join(', ')}`);
      }
    });

    it('calls echo and get-sum', async () => {
      assert.match(texts(await client.callTool({ name: 'echo', arguments: { message: 'hi there' } })), /hi there/);
      assert.match(texts(await client.callTool({ name: 'get-sum', arguments: { a: 2, b: 40 } })), /42/);
    });

    it('follows a long-running operation through its progress notifications', async () => {
      const seen: number[] = [];
      const result = await client.callTool({ name: 'trigger-long-running-operation', arguments: { duration: 0.3, steps: 3 } }, {
        onProgress: (p) => seen.push(p.progress),
      });
      assert.deepEqual(seen, [1, 2, 3]);
      assert.match(texts(result), /completed/);
    });

    it('answers sampling for its tool', async () => {
      assert.match(texts(await client.callTool({ name: 'trigger-sampling-request', arguments: { prompt: 'a haiku' } })), /sampled text/);
    });

    it('answers elicitation with the schema defaults filled in for the fields the user left out', async () => {
      const raw = /Raw result: ([\s\S]*)$/.exec(texts(await client.callTool({ name: 'trigger-elicitation-request', arguments: {} })));
      const result = JSON.parse(raw?.[1] ?? '{}') as { action: string; content: Record<string, unknown> };
      assert.equal(result.action, 'accept');
      assert.equal(result.content.name, 'Ada Lovelace');
      assert.equal(result.content.check, true);
      assert.equal(result.content.firstLine, 'It was a dark and stormy night.');
      assert.equal(result.content.integer, 42);
      assert.equal(result.content.number, 3.14);
      assert.equal(result.content.untitledSingleSelectEnum, 'Monica');
      assert.deepEqual(result.content.untitledMultipleSelectEnum, ['Guitar']);
      assert.equal(result.content.email, undefined, 'no default, nothing invented');
    });

    it('answers roots/list for its tool', async () => {
      assert.match(texts(await client.callTool({ name: 'get-roots-list', arguments: {} })), /file:\/\/\/work\/everything/);
    });

    it('lists and reads resources and templates, and renders and completes prompts', async () => {
      const resources = await client.listAllResources();
      assert.ok(resources.length > 0, 'it offers resources');
      const first = resources[0];
      assert.ok(first);
      assert.ok((await client.readResource({ uri: first.uri })).contents.length > 0);
      const templates = await client.listAllResourceTemplates();
      assert.ok(templates.some((t) => t.uriTemplate.startsWith('demo://resource/dynamic/text/')));
      const text = await client.readResource({ uri: 'demo://resource/dynamic/text/1' });
      assert.equal(text.contents[0]?.uri, 'demo://resource/dynamic/text/1');
      const prompts = (await client.listAllPrompts()).map((p) => p.name);
      assert.ok(prompts.includes('simple-prompt') && prompts.includes('args-prompt'), prompts.join(', '));
      assert.ok((await client.getPrompt({ name: 'args-prompt', arguments: { city: 'Paris' } })).messages.length > 0);
      const completion = await client.complete({ ref: { type: 'ref/prompt', name: 'completable-prompt' }, argument: { name: 'department', value: 'Eng' } });
      assert.deepEqual(completion.completion.values, ['Engineering']);
    });

    it('sets the log level and subscribes to a resource', async () => {
      await client.setLogLevel('error');
      await client.subscribe({ uri: 'demo://resource/dynamic/text/1' });
      await client.unsubscribe({ uri: 'demo://resource/dynamic/text/1' });
    });

    it('the client reported no errors', () => {
      assert.deepEqual(errors.map((e) => e.message), []);
    });
  });
}
