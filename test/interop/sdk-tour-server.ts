/**
 * The tour fixture written against the official SDK's `McpServer` (`@modelcontextprotocol/sdk@1.32.2`): the same
 * tool, resource and prompt names and behaviours as tour-server.ts, so one client suite runs against both servers.
 * Served over Streamable HTTP (one SDK server and transport per session, on a bare `node:http` server) and over
 * stdio (sdk-tour-stdio-server.ts).
 *
 * Where the SDK differs from erlmcp by design it is left so: it does not paginate, and it answers an unknown tool
 * with a tool error rather than -32602. The suite asserts those per server.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { completable } from '@modelcontextprotocol/sdk/server/completable.js';
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  CreateMessageResultSchema, ElicitResultSchema, ListRootsResultSchema, SubscribeRequestSchema, UnsubscribeRequestSchema,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { ITEM_IDS, LOGO_BYTES, LOGO_URI, README_URI } from './tour-server.js';

function text(value: string): CallToolResult {
  return { content: [{ type: 'text', text: value }] };
}

/** Builds one SDK tour server (one per session, as the SDK requires). */
export function createSdkTourServer(): McpServer {
  const server = new McpServer(
    { name: 'sdk-tour', version: '1.0.0', title: 'SDK feature tour' },
    {
      capabilities: { logging: {}, completions: {}, resources: { subscribe: true, listChanged: true }, tools: { listChanged: true }, prompts: { listChanged: true } },
      instructions: 'The SDK twin of the erlmcp tour server.',
    },
  );
  const subscribed = new Set<string>();
  let lateTools = 0;
  let cancellation: Promise<{ observed: boolean; reason: string }> = new Promise(() => {});

  server.registerTool('echo', { title: 'Echo', description: 'Returns its text.', inputSchema: { text: z.string() } }, ({ text: t }) => text(t));
  server.registerTool('add', {
    title: 'Add',
    description: 'Adds two numbers.',
    inputSchema: { a: z.number(), b: z.number() },
    outputSchema: { sum: z.number() },
  }, ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }], structuredContent: { sum: a + b } }));
  server.registerTool('fail', { description: 'Always throws.' }, () => {
    throw new Error('the fail tool failed on purpose');
  });
  server.registerTool('notify_resource', { description: 'Tells subscribers a resource changed.', inputSchema: { uri: z.string() } }, async ({ uri }) => {
    if (subscribed.has(uri)) await server.server.sendResourceUpdated({ uri });
    return text('notified');
  });
  server.registerTool('log_levels', { description: 'Logs at four levels.', inputSchema: { tag: z.string() } }, async ({ tag }, extra) => {
    for (const level of ['debug', 'info', 'warning', 'error'] as const) {
      await server.server.sendLoggingMessage({ level, logger: 'tour', data: { tag, level } }, extra.sessionId);
    }
    return text('logged');
  });
  server.registerTool('progress', { description: 'Reports progress.', inputSchema: { steps: z.number().int().min(1).max(10) } }, async ({ steps }, extra) => {
    const progressToken = extra._meta?.progressToken;
    for (let i = 1; i <= steps; i++) {
      if (progressToken !== undefined) {
        await extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress: i, total: steps, message: `step ${i} of ${steps}` } });
      }
    }
    return text(`${steps} steps done`);
  });
  server.registerTool('wait_for_cancel', { description: 'Waits until cancelled.' }, async (extra) => {
    let settle!: (v: { observed: boolean; reason: string }) => void;
    cancellation = new Promise((resolve) => (settle = resolve));
    const outcome = await new Promise<{ observed: boolean; reason: string }>((resolve) => {
      const timer = setTimeout(() => resolve({ observed: false, reason: 'not cancelled within 10 s' }), 10_000);
      timer.unref();
      extra.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        const reason: unknown = extra.signal.reason;
        resolve({ observed: true, reason: reason instanceof Error ? reason.message : String(reason) });
      }, { once: true });
      const progressToken = extra._meta?.progressToken;
      if (progressToken !== undefined) {
        void extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress: 0, total: 1 } });
      }
    });
    settle(outcome);
    return text(JSON.stringify(outcome));
  });
  server.registerTool('cancellation_status', { description: 'Whether the last wait_for_cancel saw its cancellation.' }, async () => text(JSON.stringify(await cancellation)));
  server.registerTool('add_tool', { description: 'Registers one more tool.' }, () => {
    const name = `late_${++lateTools}`;
    server.registerTool(name, { description: 'Registered late.' }, () => text(name));
    return text(name);
  });
  server.registerTool('sample', { description: 'Asks the client model.', inputSchema: { prompt: z.string() } }, async ({ prompt }, extra) => {
    const result = await extra.sendRequest({ method: 'sampling/createMessage', params: { messages: [{ role: 'user', content: { type: 'text', text: prompt } }], maxTokens: 64 } }, CreateMessageResultSchema);
    const content = result.content as { type: string; text?: string };
    return text(`${result.model}: ${content.type === 'text' ? String(content.text) : JSON.stringify(content)}`);
  });
  server.registerTool('elicit', { description: 'Asks the user for a name and an age.' }, async (extra) => {
    const result = await extra.sendRequest({
      method: 'elicitation/create',
      params: {
        message: 'Who are you?',
        requestedSchema: { type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 } }, required: ['name'] },
      },
    }, ElicitResultSchema);
    return text(JSON.stringify({ action: result.action, content: result.content }));
  });
  server.registerTool('roots', { description: "Lists the client's roots." }, async (extra) => {
    const result = await extra.sendRequest({ method: 'roots/list' }, ListRootsResultSchema);
    return text(JSON.stringify(result.roots.map((r) => r.uri)));
  });
  server.registerTool('meta_echo', { description: "Returns the request's _meta." }, (extra) => ({
    content: [{ type: 'text', text: 'meta echoed' }],
    _meta: { received: extra._meta ?? null },
  }));

  server.registerResource('readme', README_URI, { title: 'Tour readme', mimeType: 'text/plain' }, (uri) => ({
    contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'Welcome to the erlmcp tour.' }],
  }));
  server.registerResource('logo', LOGO_URI, { mimeType: 'image/png' }, (uri) => ({
    contents: [{ uri: uri.href, mimeType: 'image/png', blob: LOGO_BYTES.toString('base64') }],
  }));
  server.registerResource('item', new ResourceTemplate('tour://items/{id}', {
    list: undefined,
    complete: { id: (value) => ITEM_IDS.filter((id) => id.startsWith(value)) },
  }), { mimeType: 'text/plain' }, (uri, vars) => ({ contents: [{ uri: uri.href, mimeType: 'text/plain', text: `item ${String(vars.id)}` }] }));
  server.registerResource('blob', new ResourceTemplate('tour://blobs/{name}', { list: undefined }), { mimeType: 'application/octet-stream' }, (uri, vars) => ({
    contents: [{ uri: uri.href, mimeType: 'application/octet-stream', blob: Buffer.from(String(vars.name)).toString('base64') }],
  }));
  server.server.setRequestHandler(SubscribeRequestSchema, (request) => {
    subscribed.add(request.params.uri);
    return {};
  });
  server.server.setRequestHandler(UnsubscribeRequestSchema, (request) => {
    subscribed.delete(request.params.uri);
    return {};
  });

  server.registerPrompt('greet', {
    title: 'Greeting',
    description: 'Greets someone in a style.',
    argsSchema: {
      name: completable(z.string(), (v) => ['Ada', 'Alan', 'Grace'].filter((n) => n.startsWith(v))),
      style: z.string().optional(),
    },
  }, ({ name, style }) => ({
    description: 'A greeting',
    messages: [{ role: 'user', content: { type: 'text', text: `Greet ${name} in a ${style ?? 'casual'} way.` } }],
  }));
  server.registerPrompt('summary', { description: 'Asks for a summary of the readme.' }, () => ({
    messages: [
      { role: 'user', content: { type: 'resource', resource: { uri: README_URI, mimeType: 'text/plain', text: 'Welcome to the erlmcp tour.' } } },
      { role: 'assistant', content: { type: 'text', text: 'A tour server.' } },
    ],
  }));
  return server;
}

/** The SDK tour served over Streamable HTTP on 127.0.0.1, port 0, a fresh SDK server per session. */
export async function listenSdkTourHttp(): Promise<{ url: string; close: () => Promise<void> }> {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const http: HttpServer = createServer((req, res) => {
    const id = req.headers['mcp-session-id'];
    const existing = typeof id === 'string' ? sessions.get(id) : undefined;
    if (existing !== undefined) {
      void existing.handleRequest(req, res);
      return;
    }
    if (req.method !== 'POST' || id !== undefined) {
      res.writeHead(id === undefined ? 400 : 404, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: 'no such session' } }));
      return;
    }
    const server = createSdkTourServer();
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (sid) => void sessions.set(sid, transport),
    });
    transport.onclose = () => {
      if (transport.sessionId !== undefined) sessions.delete(transport.sessionId);
    };
    void server.connect(transport).then(() => transport.handleRequest(req, res));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    close: async () => {
      for (const transport of sessions.values()) await transport.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
