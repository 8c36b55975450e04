/**
 * The tour fixture: one `McpServer` that exercises every session-era feature a client can drive, so that the same
 * tour can run over every transport (in process for HTTP, in a child process for stdio) and be checked message by
 * message against the spec.
 *
 * Anything a test must observe on the server side is also readable through a tool (`cancellation_status`), because
 * the stdio server lives in another process. The page size is 3, so every list call paginates.
 */
import { McpServer } from '../../src/server/mcp-server.js';
import type { HandlerContext } from '../../src/server/handler-context.js';
import type { CallToolResult, Icon } from '../../src/server/types.js';

/** Entries per list page in the tour server. */
export const TOUR_PAGE_SIZE = 3;

/** A fixed text resource. */
export const README_URI = 'tour://static/readme';
/** A fixed blob resource. */
export const LOGO_URI = 'tour://static/logo.png';
/** A template with text contents and a completable variable. */
export const ITEM_TEMPLATE = 'tour://items/{id}';
/** A template with blob contents. */
export const BLOB_TEMPLATE = 'tour://blobs/{name}';

/** The bytes behind LOGO_URI (a PNG signature, enough to prove base64 round-trips). */
export const LOGO_BYTES = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The icon on the server, the echo tool, the readme and the greet prompt (2025-11-25 peers only see it). */
export const TOUR_ICON: Icon = Object.freeze({ src: 'https://example.com/tour.png', mimeType: 'image/png', sizes: ['48x48'] }) as Icon;

/** Names the item template completes to. */
export const ITEM_IDS = Object.freeze(['alpha', 'beta', 'gamma', 'delta']);

/** The tools every tour server starts with, in registration order. */
export const TOUR_TOOLS = Object.freeze([
  'echo', 'add', 'fail', 'notify_resource', 'log_levels', 'progress', 'wait_for_cancel', 'cancellation_status',
  'add_tool', 'sample', 'elicit', 'roots', 'meta_echo',
]);

/** What a cancellable call saw, once it ended. */
export interface CancellationOutcome {
  observed: boolean;
  reason: string;
}

/** Server-side observations a test asserts on. */
export class TourState {
  /** Tools added by `add_tool` so far. */
  lateTools = 0;
  /** Settles when the latest `wait_for_cancel` call ends (aborted or timed out). */
  cancellation: Promise<CancellationOutcome> = new Promise(() => {});
  /** True once any `wait_for_cancel` call saw its signal abort. */
  cancelObserved = false;
}

/** Options of the tour server. */
export interface TourServerOptions {
  /** How long `wait_for_cancel` waits before giving up (a safety net, not a sleep). Default 10 s. */
  cancelWaitMs?: number;
}

/** A tour server and what it observed. */
export interface TourFixture {
  server: McpServer;
  state: TourState;
}

function text(value: string): CallToolResult {
  return { content: [{ type: 'text', text: value }] };
}

function json(value: unknown): CallToolResult {
  return text(JSON.stringify(value));
}

/** Builds the tour server. */
export function createTourServer(options: TourServerOptions = {}): TourFixture {
  const server = new McpServer({
    info: { name: 'erlmcp-tour', version: '1.0.0', title: 'erlmcp feature tour', icons: [TOUR_ICON] },
    instructions: 'A server that offers one of every MCP feature, for interop tests.',
    pageSize: TOUR_PAGE_SIZE,
  });
  const state = new TourState();
  registerTools(server, state, options.cancelWaitMs ?? 10_000);
  registerResources(server);
  registerPrompts(server);
  return { server, state };
}

function registerTools(server: McpServer, state: TourState, cancelWaitMs: number): void {
  server.tool('echo', {
    title: 'Echo',
    description: 'Returns its text.',
    icons: [TOUR_ICON],
    annotations: { title: 'Echo tool', readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'], additionalProperties: false },
  }, (args) => String(args.text));

  server.tool('add', {
    title: 'Add',
    description: 'Adds two numbers; the sum is also structured content.',
    inputSchema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
    outputSchema: { type: 'object', properties: { sum: { type: 'number' } }, required: ['sum'] },
  }, (args) => {
    const sum = Number(args.a) + Number(args.b);
    return { content: [{ type: 'text', text: String(sum) }], structuredContent: { sum } };
  });

  server.tool('fail', { description: 'Always throws.' }, () => {
    throw new Error('the fail tool failed on purpose');
  });

  server.tool('notify_resource', {
    description: 'Tells subscribers that a resource changed.',
    inputSchema: { type: 'object', properties: { uri: { type: 'string' } }, required: ['uri'] },
  }, (args) => {
    server.notifyResourceUpdated(String(args.uri));
    return 'notified';
  });

  server.tool('log_levels', {
    description: 'Logs once at debug, info, warning and error, tagged with its argument.',
    inputSchema: { type: 'object', properties: { tag: { type: 'string' } }, required: ['tag'] },
  }, (args, ctx) => {
    for (const level of ['debug', 'info', 'warning', 'error'] as const) ctx.log(level, { tag: args.tag, level }, 'tour');
    return 'logged';
  });

  server.tool('progress', {
    description: 'Reports progress `steps` times.',
    inputSchema: { type: 'object', properties: { steps: { type: 'integer', minimum: 1, maximum: 10 } }, required: ['steps'] },
  }, (args, ctx) => {
    const steps = Number(args.steps);
    for (let i = 1; i <= steps; i++) ctx.progress(i, steps, `step ${i} of ${steps}`);
    return `${steps} steps done`;
  });

  server.tool('wait_for_cancel', {
    description: 'Reports progress once, then waits until the client cancels it.',
  }, (_args, ctx) => waitForCancel(state, ctx, cancelWaitMs));

  server.tool('cancellation_status', {
    description: 'Waits for the latest wait_for_cancel call to end, then says whether it saw the cancellation.',
  }, async () => json(await state.cancellation));

  server.tool('add_tool', { description: 'Registers one more tool, which sends tools/list_changed.' }, () => {
    const name = `late_${++state.lateTools}`;
    server.tool(name, { description: 'Registered after the client connected.' }, () => name);
    return name;
  });

  server.tool('sample', {
    description: "Asks the client's model to complete a prompt.",
    inputSchema: { type: 'object', properties: { prompt: { type: 'string' } }, required: ['prompt'] },
  }, async (args, ctx) => {
    const result = await ctx.sample({
      messages: [{ role: 'user', content: { type: 'text', text: String(args.prompt) } }],
      maxTokens: 64,
    });
    const content = result.content as { type?: string; text?: string } | undefined;
    return `${String(result.model)}: ${content?.type === 'text' ? String(content.text) : JSON.stringify(content)}`;
  });

  server.tool('elicit', { description: 'Asks the user for a name and an age.' }, async (_args, ctx) => {
    const result = await ctx.elicit({
      message: 'Who are you?',
      requestedSchema: {
        type: 'object',
        properties: { name: { type: 'string', description: 'Your name' }, age: { type: 'integer', minimum: 0 } },
        required: ['name'],
      },
    });
    return json({ action: result.action, content: result.content });
  });

  server.tool('roots', { description: "Lists the client's roots." }, async (_args, ctx) => {
    const result = await ctx.listRoots();
    const roots = Array.isArray(result.roots) ? (result.roots as { uri: string }[]) : [];
    return json(roots.map((r) => r.uri));
  });

  server.tool('meta_echo', { description: "Returns the request's _meta in the result's _meta." }, (_args, ctx) => ({
    content: [{ type: 'text', text: 'meta echoed' }],
    _meta: { received: ctx.meta ?? null },
  }));
}

async function waitForCancel(state: TourState, ctx: HandlerContext, waitMs: number): Promise<CallToolResult> {
  let settle!: (outcome: CancellationOutcome) => void;
  state.cancellation = new Promise((resolve) => (settle = resolve));
  const signal = ctx.signal;
  const outcome = await new Promise<CancellationOutcome>((resolve) => {
    const timer = setTimeout(() => resolve({ observed: false, reason: `not cancelled within ${waitMs} ms` }), waitMs);
    timer.unref();
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      const reason: unknown = signal.reason;
      resolve({ observed: true, reason: reason instanceof Error ? reason.message : String(reason) });
    }, { once: true });
    // The client aborts on this progress notification, so the abort lands while the handler awaits.
    ctx.progress(0, 1, 'waiting for cancellation');
  });
  if (outcome.observed) state.cancelObserved = true;
  settle(outcome);
  return json(outcome);
}

function registerResources(server: McpServer): void {
  server.resource(README_URI, {
    name: 'readme',
    title: 'Tour readme',
    description: 'What this server is.',
    mimeType: 'text/plain',
    icons: [TOUR_ICON],
    annotations: { audience: ['user'], priority: 0.5 },
  }, (uri) => [{ uri, mimeType: 'text/plain', text: 'Welcome to the erlmcp tour.' }]);

  server.resource(LOGO_URI, { name: 'logo', mimeType: 'image/png', size: LOGO_BYTES.length }, (uri) => [
    { uri, mimeType: 'image/png', blob: LOGO_BYTES.toString('base64') },
  ]);

  server.resourceTemplate(ITEM_TEMPLATE, {
    name: 'item',
    title: 'An item',
    description: 'One item by id.',
    mimeType: 'text/plain',
    complete: { id: (value) => ITEM_IDS.filter((id) => id.startsWith(value)) },
  }, (uri, vars) => [{ uri, mimeType: 'text/plain', text: `item ${vars.id ?? ''}` }]);

  server.resourceTemplate(BLOB_TEMPLATE, { name: 'blob', mimeType: 'application/octet-stream' }, (uri, vars) => [
    { uri, mimeType: 'application/octet-stream', blob: Buffer.from(vars.name ?? '').toString('base64') },
  ]);
}

function registerPrompts(server: McpServer): void {
  server.prompt('greet', {
    title: 'Greeting',
    description: 'Greets someone in a style.',
    icons: [TOUR_ICON],
    arguments: [
      { name: 'name', description: 'Who to greet', required: true, complete: (v) => ['Ada', 'Alan', 'Grace'].filter((n) => n.startsWith(v)) },
      { name: 'style', description: 'formal or casual', complete: (v) => ['formal', 'casual'].filter((s) => s.startsWith(v)) },
    ],
  }, (args) => ({
    description: 'A greeting',
    messages: [{ role: 'user', content: { type: 'text', text: `Greet ${args.name} in a ${args.style ?? 'casual'} way.` } }],
  }));

  server.prompt('summary', { description: 'Asks for a summary of the readme.' }, () => ({
    messages: [
      { role: 'user', content: { type: 'resource', resource: { uri: README_URI, mimeType: 'text/plain', text: 'Welcome to the erlmcp tour.' } } },
      { role: 'assistant', content: { type: 'text', text: 'A tour server.' } },
    ],
  }));
}
