/**
 * The tools the conformance suite calls, ported from its reference server to erlmcp's API. Each is described (the
 * suite fails a tool without a description) and none declares an outputSchema, since none returns structured
 * content.
 *
 * The streaming ones show the handler context at work: `ctx.log` and `ctx.progress` go out on the request's own
 * SSE stream before the result, `ctx.sample` and `ctx.elicit` send requests to the client on that stream, and
 * `ctx.closeStream()` drops the connection under it mid-call so that the client resumes with `Last-Event-ID`
 * (SEP-1699 polling).
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { CallToolResult, HandlerContext, JsonObject, McpServer, Registration } from '../../src/index.js';
import {
  ELICITATION_DEFAULTS_SCHEMA, ELICITATION_ENUMS_SCHEMA, ELICITATION_SCHEMA, JSON_SCHEMA_2020_12_INPUT,
} from './fixture-schemas.js';
import { TEST_AUDIO_WAV_BASE64, TEST_IMAGE_PNG_BASE64 } from './test-media.js';

/**
 * The pause between the notifications of the logging and progress tools. The scenarios ask for "~50ms" so that a
 * client sees them arrive one by one during the call, not in one burst with the result.
 */
export const NOTIFICATION_GAP_MS = 50;
/** How long test_reconnection runs on after closing its stream, as the reference server does. */
export const RECONNECTION_DELAY_MS = 100;

const NO_ARGUMENTS = Object.freeze({ type: 'object', properties: {} });

function text(value: string): CallToolResult {
  return { content: [{ type: 'text', text: value }] };
}

function stringArgument(name: string, description: string): JsonObject {
  return { type: 'object', properties: { [name]: { type: 'string', description } }, required: [name] };
}

/** Sends `elicitation/create` and reports what the user did, or why it could not be asked. */
async function elicitAndReport(ctx: HandlerContext, params: JsonObject, prefix: string): Promise<CallToolResult> {
  try {
    const answer = await ctx.elicit(params);
    return text(`${prefix}: action=${String(answer.action)}, content=${JSON.stringify(answer.content ?? {})}`);
  } catch (err) {
    return text(`Elicitation not supported or error: ${(err as Error).message}`);
  }
}

/** Registers every conformance tool. */
export function registerConformanceTools(server: McpServer): Registration[] {
  return [
    server.tool('test_simple_text', { description: 'Tests simple text content response', inputSchema: NO_ARGUMENTS }, () =>
      text('This is a simple text response for testing.')),

    server.tool('test_image_content', { description: 'Tests image content response', inputSchema: NO_ARGUMENTS }, () => ({
      content: [{ type: 'image', data: TEST_IMAGE_PNG_BASE64, mimeType: 'image/png' }],
    })),

    server.tool('test_audio_content', { description: 'Tests audio content response', inputSchema: NO_ARGUMENTS }, () => ({
      content: [{ type: 'audio', data: TEST_AUDIO_WAV_BASE64, mimeType: 'audio/wav' }],
    })),

    server.tool('test_embedded_resource', { description: 'Tests embedded resource content response', inputSchema: NO_ARGUMENTS }, () => ({
      content: [{
        type: 'resource',
        resource: { uri: 'test://embedded-resource', mimeType: 'text/plain', text: 'This is an embedded resource content.' },
      }],
    })),

    server.tool(
      'test_multiple_content_types',
      { description: 'Tests response with multiple content types (text, image, resource)', inputSchema: NO_ARGUMENTS },
      () => ({
        content: [
          { type: 'text', text: 'Multiple content types test:' },
          { type: 'image', data: TEST_IMAGE_PNG_BASE64, mimeType: 'image/png' },
          {
            type: 'resource',
            resource: { uri: 'test://mixed-content-resource', mimeType: 'application/json', text: JSON.stringify({ test: 'data', value: 123 }) },
          },
        ],
      }),
    ),

    server.tool(
      'test_tool_with_logging',
      { description: 'Tests tool that emits log messages during execution', inputSchema: NO_ARGUMENTS },
      async (_args, ctx) => {
        ctx.log('info', 'Tool execution started');
        await delay(NOTIFICATION_GAP_MS);
        ctx.log('info', 'Tool processing data');
        await delay(NOTIFICATION_GAP_MS);
        ctx.log('info', 'Tool execution completed');
        return text('Tool with logging executed successfully');
      },
    ),

    server.tool(
      'test_tool_with_progress',
      { description: 'Tests tool that reports progress notifications', inputSchema: NO_ARGUMENTS },
      async (_args, ctx) => {
        // ctx.progress echoes the request's progressToken as it came (the SDK client sends a number), and sends
        // nothing when the request carried none.
        for (const step of [0, 50, 100]) {
          ctx.progress(step, 100, `Completed step ${step} of 100`);
          if (step < 100) await delay(NOTIFICATION_GAP_MS);
        }
        return text(String(ctx.meta?.progressToken ?? 0));
      },
    ),

    server.tool('test_error_handling', { description: 'Tests error response handling', inputSchema: NO_ARGUMENTS }, () => {
      // A handler that throws becomes a tool execution error (isError: true) the model can read, not a
      // protocol error (server/tools, "Error Handling").
      throw new Error('This tool intentionally returns an error for testing');
    }),

    server.tool(
      'test_reconnection',
      {
        description: 'Tests SSE stream disconnection and client reconnection (SEP-1699). Server will close the stream mid-call and send the result after client reconnects.',
        inputSchema: NO_ARGUMENTS,
      },
      async (_args, ctx) => {
        // The stream has already sent its priming event (an id, `retry:` and empty data), so the client holds
        // an id to resume from; the result goes out on whichever GET resumes it.
        ctx.closeStream();
        await delay(RECONNECTION_DELAY_MS);
        return text('Reconnection test completed successfully. If you received this, the client properly reconnected after stream closure.');
      },
    ),

    server.tool<{ prompt: string }>(
      'test_sampling',
      {
        description: 'Tests server-initiated sampling (LLM completion request)',
        inputSchema: stringArgument('prompt', 'The prompt to send to the LLM'),
      },
      async ({ prompt }, ctx) => {
        try {
          const answer = await ctx.sample({
            messages: [{ role: 'user', content: { type: 'text', text: prompt } }],
            maxTokens: 100,
          });
          const content = answer.content as { text?: unknown } | undefined;
          return text(`LLM response: ${typeof content?.text === 'string' ? content.text : 'No response'}`);
        } catch (err) {
          return text(`Sampling not supported or error: ${(err as Error).message}`);
        }
      },
    ),

    server.tool<{ message: string }>(
      'test_elicitation',
      {
        description: 'Tests server-initiated elicitation (user input request)',
        inputSchema: stringArgument('message', 'The message to show the user'),
      },
      ({ message }, ctx) => elicitAndReport(ctx, { message, requestedSchema: ELICITATION_SCHEMA }, 'User response'),
    ),

    server.tool(
      'test_elicitation_sep1034_defaults',
      { description: 'Tests elicitation with default values per SEP-1034', inputSchema: NO_ARGUMENTS },
      (_args, ctx) => elicitAndReport(ctx, {
        message: 'Please review and update the form fields with defaults',
        requestedSchema: ELICITATION_DEFAULTS_SCHEMA,
      }, 'Elicitation completed'),
    ),

    server.tool(
      'test_elicitation_sep1330_enums',
      { description: 'Tests elicitation with enum schema improvements per SEP-1330', inputSchema: NO_ARGUMENTS },
      (_args, ctx) => elicitAndReport(ctx, {
        message: 'Please select options from the enum fields',
        requestedSchema: ELICITATION_ENUMS_SCHEMA,
      }, 'Elicitation completed'),
    ),

    server.tool<{ name?: string; address?: { street?: string; city?: string } }>(
      'json_schema_2020_12_tool',
      {
        description: 'Tool with JSON Schema 2020-12 features for conformance testing (SEP-1613)',
        // Registered as is: erlmcp compiles tool schemas as 2020-12 and lists them untouched.
        inputSchema: JSON_SCHEMA_2020_12_INPUT,
      },
      (args) => text(`JSON Schema 2020-12 tool called with: ${JSON.stringify(args)}`),
    ),
  ];
}
