/**
 * The fixtures the 2026-07-28 scenarios of the conformance suite (`@modelcontextprotocol/conformance@0.2.0-alpha.12`)
 * call, beside the 2025-11-25 ones. Each handler is written once against `ctx` and serves both eras: under
 * 2026-07-28 `ctx.elicit()`, `ctx.sample()` and `ctx.listRoots()` become an `input_required` round trip (the key
 * names the `inputRequests` entry the suite expects), under 2025-11-25 a request to the client.
 */
import type { CallToolResult, HandlerContext, JsonObject, McpServer, Registration } from '../../src/index.js';

const NO_ARGUMENTS = Object.freeze({ type: 'object', properties: {} });

function text(value: string): CallToolResult {
  return { content: [{ type: 'text', text: value }] };
}

function askName(ctx: HandlerContext, key: string): Promise<JsonObject> {
  return ctx.elicit({
    message: 'What is your name?',
    requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
  }, { key });
}

function contentOf(answer: JsonObject): JsonObject {
  return (answer.content ?? {}) as JsonObject;
}

function sampledText(answer: JsonObject): string {
  const content = answer.content as { text?: unknown } | undefined;
  return typeof content?.text === 'string' ? content.text : JSON.stringify(answer.content);
}

/** Registers the 2026-07-28 fixtures. */
export function registerModernFixtures(server: McpServer): Registration[] {
  return [
    server.tool('test_missing_capability', { description: 'Samples without checking the client capability; 2026-07-28 answers -32021 when sampling is undeclared', inputSchema: NO_ARGUMENTS }, async (_args, ctx) => {
      await ctx.sample({ messages: [{ role: 'user', content: { type: 'text', text: 'ping' } }], maxTokens: 10 });
      return text('Success');
    }),

    server.tool('test_input_required_result_elicitation', { description: 'Asks the user for their name (MRTR elicitation)', inputSchema: NO_ARGUMENTS }, async (_args, ctx) => {
      const answer = await askName(ctx, 'user_name');
      return text(`Hello, ${String(contentOf(answer).name)}!`);
    }),

    server.tool('test_input_required_result_sampling', { description: 'Asks the client model a question (MRTR sampling)', inputSchema: NO_ARGUMENTS }, async (_args, ctx) => {
      const answer = await ctx.sample({ messages: [{ role: 'user', content: { type: 'text', text: 'What is the capital of France?' } }], maxTokens: 100 }, { key: 'capital_question' });
      return text(`Sampling result: ${sampledText(answer)}`);
    }),

    server.tool('test_input_required_result_list_roots', { description: 'Asks the client for its roots (MRTR roots)', inputSchema: NO_ARGUMENTS }, async (_args, ctx) => {
      const answer = await ctx.listRoots({ key: 'client_roots' });
      return text(`Found ${Array.isArray(answer.roots) ? answer.roots.length : 0} root(s)`);
    }),

    server.tool('test_input_required_result_request_state', { description: 'Confirms through a round trip whose requestState is verified', inputSchema: NO_ARGUMENTS }, async (_args, ctx) => {
      await ctx.elicit({ message: 'Confirm?', requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] } }, { key: 'confirm' });
      return text('state-ok: requestState validated');
    }),

    server.tool('test_input_required_result_multiple_inputs', { description: 'Asks for a name, a sample and the roots in one round', inputSchema: NO_ARGUMENTS }, async (_args, ctx) => {
      const [name, greeting, roots] = await Promise.all([
        askName(ctx, 'user_name'),
        ctx.sample({ messages: [{ role: 'user', content: { type: 'text', text: 'Generate a greeting' } }], maxTokens: 50 }, { key: 'greeting' }),
        ctx.listRoots({ key: 'client_roots' }),
      ]);
      return text(`name=${String(contentOf(name).name)}, greeting=${sampledText(greeting)}, roots=${Array.isArray(roots.roots) ? roots.roots.length : 0}`);
    }),

    server.tool('test_input_required_result_multi_round', { description: 'Asks two questions, one round each', inputSchema: NO_ARGUMENTS }, async (_args, ctx) => {
      const first = await ctx.elicit({ message: 'What is your name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } }, { key: 'step1' });
      const second = await ctx.elicit({ message: 'What is your favourite colour?', requestedSchema: { type: 'object', properties: { color: { type: 'string' } }, required: ['color'] } }, { key: 'step2' });
      return text(`Multi-round complete for ${String(contentOf(first).name)} who likes ${String(contentOf(second).color)}`);
    }),

    server.tool('test_input_required_result_tampered_state', { description: 'A round trip whose requestState is integrity-checked', inputSchema: NO_ARGUMENTS }, async (_args, ctx) => {
      await ctx.elicit({ message: 'Confirm?', requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] } }, { key: 'confirm' });
      return text('integrity-ok');
    }),

    server.tool('test_input_required_result_capabilities', { description: 'Asks only for the input kinds the client declared', inputSchema: NO_ARGUMENTS }, async (_args, ctx) => {
      const caps = ctx.session.record?.clientCapabilities ?? {};
      const asks: Promise<JsonObject>[] = [];
      if (caps.elicitation !== undefined) asks.push(askName(ctx, 'elicit_input'));
      if (caps.sampling !== undefined) asks.push(ctx.sample({ messages: [{ role: 'user', content: { type: 'text', text: 'Say hi' } }], maxTokens: 10 }, { key: 'sample_input' }));
      if (asks.length === 0) return text('No supported capabilities declared');
      await Promise.all(asks);
      return text(`capabilities-ok: ${asks.length} input(s)`);
    }),

    server.tool('test_streaming_elicitation', { description: 'Reports progress, then asks the user; never a request on a 2026-07-28 stream', inputSchema: NO_ARGUMENTS }, async (_args, ctx) => {
      ctx.progress(50, 100, 'Half way');
      const answer = await askName(ctx, 'user_name');
      return text(`Streaming complete for ${String(contentOf(answer).name)}`);
    }),

    server.tool('test_logging_tool', { description: 'Logs at info; nothing is sent unless the request asked for a log level', inputSchema: NO_ARGUMENTS }, (_args, ctx) => {
      ctx.log('info', 'Diagnostic trace logging activated');
      return text('Logging evaluated');
    }),

    server.tool('test_trigger_tool_change', { description: 'Announces that the tool list changed', inputSchema: NO_ARGUMENTS }, () => {
      server.notifyListChanged('tools');
      return text('Mutation triggered');
    }),

    server.tool('test_trigger_prompt_change', { description: 'Announces that the prompt list changed', inputSchema: NO_ARGUMENTS }, () => {
      server.notifyListChanged('prompts');
      return text('Mutation triggered');
    }),

    server.tool<{ region: string }>('test_x_mcp_header', {
      description: 'Echoes a region that is mirrored in the Mcp-Param-Region header',
      inputSchema: {
        type: 'object',
        properties: { region: { type: 'string', description: 'A region name', 'x-mcp-header': 'Region' } },
        required: ['region'],
      },
    }, ({ region }) => text(`region=${region}`)),

    server.prompt('test_input_required_result_prompt', { description: 'A prompt that asks the user for context first' }, async (_args, ctx) => {
      const answer = await ctx.elicit({ message: 'What context should the prompt use?', requestedSchema: { type: 'object', properties: { context: { type: 'string' } }, required: ['context'] } }, { key: 'user_context' });
      return { messages: [{ role: 'user', content: { type: 'text', text: `Prompt with context: ${String(contentOf(answer).context)}` } }] };
    }),
  ];
}
