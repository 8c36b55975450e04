/**
 * A small `McpServer` with one of each kind of entry, shared by the dispatcher and HTTP suites so they exercise the
 * same behaviour over both transports:
 *
 * - `echo` (requires a string `text`), `fail` (throws), `count` (reports progress), `ask` (elicits from the
 *   user), `sample` (asks the client's model), `roots` (lists the client's roots), `log` (logs at each level),
 *   `wait` (reports progress 0, then resolves when its signal aborts), `structured` (declares an outputSchema), with title and icons;
 * - a fixed resource `test://static`, a reader that fails `test://broken`, a template `test://users/{id}`;
 * - a prompt `greet` with a required, completable argument `name`.
 */
import { McpServer, type McpServerOptions } from '../../src/server/mcp-server.js';
import type { LogLevel } from '../../src/session/session-store.js';

/** The levels `log` emits, lowest first. */
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'];

/** The names `greet`'s `name` argument completes from. */
export const NAMES = ['alice', 'albert', 'bob'];

/** Builds the shared test server; `options` override the defaults. */
export function createTestServer(options: Partial<McpServerOptions> = {}): McpServer {
  const server = new McpServer({ info: { name: 'erlmcp-test', version: '1.0.0', title: 'Test server' }, ...options });

  server.tool<{ text: string }>('echo', {
    title: 'Echo',
    description: 'Returns its text',
    inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
    icons: [{ src: 'https://example.com/echo.png', mimeType: 'image/png' }],
  }, (args) => args.text);

  server.tool('fail', { description: 'Always throws' }, () => {
    throw new Error('the fail tool failed on purpose');
  });

  server.tool<{ steps?: number }>('count', {
    inputSchema: { type: 'object', properties: { steps: { type: 'integer', minimum: 1 } } },
  }, (args, ctx) => {
    const steps = args.steps ?? 3;
    for (let i = 1; i <= steps; i++) ctx.progress(i, steps, `step ${i}`);
    return `counted to ${steps}`;
  });

  server.tool('ask', { description: 'Elicits a name from the user' }, async (_args, ctx) => {
    const answer = await ctx.elicit({
      mode: 'form',
      message: 'What is your name?',
      requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
    });
    return `answer: ${JSON.stringify(answer)}`;
  });

  server.tool('sample', {}, async (_args, ctx) => {
    const result = await ctx.sample({
      messages: [{ role: 'user', content: { type: 'text', text: 'Say hi' } }],
      maxTokens: 10,
    });
    return `sampled: ${JSON.stringify(result)}`;
  });

  server.tool('roots', {}, async (_args, ctx) => `roots: ${JSON.stringify(await ctx.listRoots())}`);

  server.tool('log', {}, (_args, ctx) => {
    for (const level of LOG_LEVELS) ctx.log(level, `at ${level}`, 'test');
    return 'logged';
  });

  server.tool('wait', { description: 'Resolves when cancelled' }, (_args, ctx) => new Promise((resolve) => {
    // Progress 0 tells a client that asked for progress that the call is running (over HTTP: the answer is SSE).
    ctx.progress(0);
    const signal = ctx.signal;
    const done = (): void => resolve(`aborted: ${String((signal.reason as Error | undefined)?.message)}`);
    if (signal.aborted) done();
    else signal.addEventListener('abort', done, { once: true });
  }));

  server.tool<{ n: number }>('structured', {
    title: 'Structured',
    inputSchema: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] },
    outputSchema: { type: 'object', properties: { doubled: { type: 'number' } }, required: ['doubled'] },
    icons: [{ src: 'https://example.com/s.png' }],
  }, (args) => ({
    content: [{ type: 'text', text: String(args.n * 2) }],
    structuredContent: { doubled: args.n * 2 },
  }));

  server.resource('test://static', { name: 'static', title: 'Static', mimeType: 'text/plain' }, (uri) => [
    { uri, mimeType: 'text/plain', text: 'static contents' },
  ]);

  server.resource('test://broken', { name: 'broken' }, () => {
    throw new Error('secret detail: the disk at /var/lib/data is on fire');
  });

  server.resourceTemplate('test://users/{id}', {
    name: 'user',
    complete: { id: (value) => ['1', '12', '2'].filter((v) => v.startsWith(value)) },
  }, (uri, variables) => [{ uri, mimeType: 'application/json', text: JSON.stringify({ id: variables.id }) }]);

  server.prompt('greet', {
    title: 'Greet',
    arguments: [
      { name: 'name', required: true, complete: (value) => NAMES.filter((n) => n.startsWith(value)) },
      { name: 'tone' },
    ],
  }, (args) => ({
    messages: [{ role: 'user', content: { type: 'text', text: `Hello, ${args.name}${args.tone ? ` (${args.tone})` : ''}` } }],
  }));

  return server;
}
