/**
 * tools/list and tools/call, with the error split of MCP 2025-11-25 server/tools "Error Handling": an unknown tool
 * or a malformed request is a protocol error (-32602); arguments that fail the input schema, and a handler that
 * throws, are tool execution errors (`isError: true`) that a model can read and correct.
 */
import { toolEnd, toolStart, type ToolEvent } from '../../diagnostics/channels.js';
import type { JsonObject } from '../../protocol/json-rpc.js';
import { isObject } from '../../protocol/json-rpc.js';
import { featuresOf } from '../../protocol/versions.js';
import { WireError, invalidParams } from '../../protocol/wire-error.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import type { HandlerContext } from '../handler-context.js';
import type { ToolEntry } from '../tool-entry.js';
import type { McpServer } from '../mcp-server.js';
import { describeErrors } from '../schema-compiler.js';
import type { CallToolResult, ToolReturn } from '../types.js';

const EMPTY_ARGS: JsonObject = Object.freeze({}) as JsonObject;

/** tools/list, one page, shaped for the session's revision. */
export function listTools(server: McpServer, params: JsonObject, ctx: HandlerContext): JsonObject {
  const page = server.tools.page(params.cursor, server.pageSize);
  const revision = ctx.session.revision;
  const tools = page.items.map((t) => t.descriptor[revision]);
  return page.nextCursor === undefined ? { tools } : { tools, nextCursor: page.nextCursor };
}

/**
 * tools/call. Not async itself, so the unobserved path adds no promise layer: the dispatcher awaits the handler
 * inside its try, which catches the protocol errors thrown here.
 */
export function callTool(server: McpServer, params: JsonObject, ctx: HandlerContext): Promise<JsonObject> {
  const name = params.name;
  if (typeof name !== 'string') throw invalidParams('tools/call: params.name must be a string');
  const args = params.arguments ?? EMPTY_ARGS;
  if (!isObject(args)) throw invalidParams('tools/call: params.arguments must be an object');
  const tool = server.tools.get(name);
  if (!tool) throw invalidParams(`Unknown tool: ${name}`);
  return runTool(tool, args, ctx);
}

/**
 * Runs a known tool. When someone listens on the tool channels, one event object is published before and after
 * (STYLE rule 7), timed here rather than in a wrapper, so observing adds no promise layer.
 */
async function runTool(tool: ToolEntry, args: JsonObject, ctx: HandlerContext): Promise<JsonObject> {
  const event: ToolEvent | undefined = toolStart.hasSubscribers || toolEnd.hasSubscribers
    ? { sessionId: ctx.sessionId, tool: tool.name, id: ctx.requestId, outcome: 'error', durationMs: 0 }
    : undefined;
  const started = event === undefined ? 0 : performance.now();
  if (event !== undefined && toolStart.hasSubscribers) toolStart.publish(event);
  try {
    const name = tool.name;
    if (!tool.validateInput(args)) return errorResult(describeErrors('arguments', tool.validateInput.errors));

    let returned: ToolReturn;
    try {
      returned = await tool.handler(args, ctx);
    } catch (err) {
      if (err instanceof WireError) throw err;
      return errorResult(err instanceof Error ? err.message : String(err));
    }
    const result = typeof returned === 'string' ? textResult(returned) : returned;
    if (!isObject(result) || !Array.isArray(result.content)) {
      throw new WireError(ErrorCode.InternalError, `Tool ${name} returned no content array`);
    }
    if (tool.validateOutput && !result.isError) {
      if (!isObject(result.structuredContent)) {
        throw new WireError(ErrorCode.InternalError, `Tool ${name} declares an outputSchema but returned no structuredContent`);
      }
      if (!tool.validateOutput(result.structuredContent)) {
        throw new WireError(ErrorCode.InternalError, `Tool ${name} returned structuredContent that fails its outputSchema: ${describeErrors('structuredContent', tool.validateOutput.errors)}`);
      }
    }
    if (event !== undefined && result.isError !== true) event.outcome = 'success';
    if (result.structuredContent !== undefined && !featuresOf(ctx.session.revision).structuredContent) {
      const { structuredContent: _dropped, ...older } = result;
      return older as unknown as JsonObject;
    }
    return result as unknown as JsonObject;
  } finally {
    if (event !== undefined && toolEnd.hasSubscribers) {
      event.durationMs = performance.now() - started;
      toolEnd.publish(event);
    }
  }
}

function textResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }] };
}

function errorResult(text: string): JsonObject {
  return { content: [{ type: 'text', text }], isError: true };
}
