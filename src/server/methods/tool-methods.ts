/**
 * tools/list and tools/call, with the error split of MCP 2025-11-25 server/tools "Error Handling": an unknown tool
 * or a malformed request is a protocol error (-32602); arguments that fail the input schema, and a handler that
 * throws, are tool execution errors (`isError: true`) that a model can read and correct.
 */
import { toolEnd, toolStart, type EventOrigin, type ToolEvent } from '../../diagnostics/channels.js';
import type { JsonObject } from '../../protocol/json-rpc.js';
import { isObject } from '../../protocol/json-rpc.js';
import { featuresOf, isModernRevision } from '../../protocol/versions.js';
import { PeerRequestError, WireError, invalidParams } from '../../protocol/wire-error.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import type { HandlerContext } from '../handler-context.js';
import type { ToolEntry } from '../tool-entry.js';
import type { McpServer } from '../mcp-server.js';
import { contentFor } from '../content-shape.js';
import { describeErrors } from '../schema-compiler.js';
import type { CallToolResult, ToolReturn } from '../types.js';

/**
 * tools/list, one page, shaped for the peer's revision: a 2026-07-28 request gets the stateless era's own shape
 * (an outputSchema of any type), where its session stand-in otherwise reads as 2025-11-25.
 */
export function listTools(server: McpServer, params: JsonObject, ctx: HandlerContext): JsonObject {
  const wire = ctx.session.wireRevision();
  const revision = isModernRevision(wire) ? wire : ctx.session.revision;
  return server.tools.listPage(params.cursor, server.pageSize, revision, 'tools', (t) => t.descriptor[revision]);
}

/**
 * tools/call. A tool that returns a plain value is answered synchronously, with no promise (the dispatcher then
 * answers without a microtask); protocol errors are thrown, and the dispatcher catches them either way.
 */
export function callTool(server: McpServer, params: JsonObject, ctx: HandlerContext): JsonObject | Promise<JsonObject> {
  const name = params.name;
  if (typeof name !== 'string') throw invalidParams('tools/call: params.name must be a string');
  // Absent means no arguments; null is not absent (the schema's `arguments` is an object), and is refused. Absent
  // gets an object of its own, as sent ones are: a shared frozen one made a handler that fills in defaults
  // (`args.limit ??= 10`) fail only when the client left `arguments` out.
  const args = params.arguments === undefined ? {} : params.arguments;
  if (!isObject(args)) throw invalidParams('tools/call: params.arguments must be an object');
  const tool = server.tools.get(name);
  if (!tool) throw invalidParams(`Unknown tool: ${name}`);
  return runTool(server, tool, args, ctx);
}

/** Runs a known tool, observed on the tool channels only when someone listens there (STYLE rule 7). */
function runTool(server: McpServer, tool: ToolEntry, args: JsonObject, ctx: HandlerContext): JsonObject | Promise<JsonObject> {
  return toolStart.hasSubscribers || toolEnd.hasSubscribers ? runObserved(server.origin, tool, args, ctx) : run(tool, args, ctx);
}

/** Input validation, the handler, then its result checked and shaped; a promise only when the handler gave one. */
function run(tool: ToolEntry, args: JsonObject, ctx: HandlerContext): JsonObject | Promise<JsonObject> {
  if (!tool.validateInput(args)) return errorResult(describeErrors('arguments', tool.validateInput.errors));
  let returned: ToolReturn | PromiseLike<ToolReturn>;
  try {
    returned = tool.handler(args, ctx);
  } catch (err) {
    return handlerFailed(err);
  }
  if (!isThenable(returned)) return shaped(tool, returned, ctx);
  return Promise.resolve(returned).then((value) => shaped(tool, value, ctx), handlerFailed);
}

/** `run` with one event published before and after; the outcome is `success` only for a result without `isError`. */
function runObserved(origin: EventOrigin, tool: ToolEntry, args: JsonObject, ctx: HandlerContext): JsonObject | Promise<JsonObject> {
  const event: ToolEvent = { sessionId: ctx.sessionId, tool: tool.name, id: ctx.requestId, outcome: 'error', durationMs: 0, origin };
  const started = performance.now();
  if (toolStart.hasSubscribers) toolStart.publish(event);
  const end = (result: JsonObject | undefined): void => {
    if (result !== undefined && result.isError !== true) event.outcome = 'success';
    event.durationMs = performance.now() - started;
    if (toolEnd.hasSubscribers) toolEnd.publish(event);
  };
  let out: JsonObject | Promise<JsonObject>;
  try {
    out = run(tool, args, ctx);
  } catch (err) {
    end(undefined);
    throw err;
  }
  if (!(out instanceof Promise)) {
    end(out);
    return out;
  }
  return out.then(
    (result) => {
      end(result);
      return result;
    },
    (err: unknown) => {
      end(undefined);
      throw err;
    },
  );
}

/** A handler's failure: a protocol error stays one; anything else is a tool execution error the model can read. */
function handlerFailed(err: unknown): JsonObject {
  // A failed request to the client (PeerRequestError) is a failure of the tool, which the model can read.
  if (err instanceof WireError && !(err instanceof PeerRequestError)) throw err;
  return errorResult(failureText(err));
}

/**
 * The text of a failure that is not an Error: the model reads it to correct itself, so a plain object's `message`
 * (what HTTP and database clients often reject with) rather than "[object Object]"; and a value String() cannot
 * convert (a null-prototype object) is still a tool execution error, not a -32603.
 */
function failureText(err: unknown): string {
  if (err instanceof Error) return err.message;
  const message = typeof err === 'object' && err !== null ? (err as { message?: unknown }).message : undefined;
  if (typeof message === 'string') return message;
  try {
    return String(err);
  } catch {
    return 'The tool failed with a value that has no text';
  }
}

/** The handler's return checked against the tool's declarations, and shaped for the session's revision. */
function shaped(tool: ToolEntry, returned: ToolReturn, ctx: HandlerContext): JsonObject {
  const name = tool.name;
  const result = typeof returned === 'string' ? textResult(returned) : returned;
  if (!isObject(result) || !Array.isArray(result.content)) {
    throw new WireError(ErrorCode.InternalError, `Tool ${name} returned no content array`);
  }
  const structured = result.structuredContent;
  if (tool.validateOutput && !result.isError) {
    // Absent, not falsy: null (or 0, or "") is structured content of a schema that allows it (2026-07-28).
    if (structured === undefined) {
      throw new WireError(ErrorCode.InternalError, `Tool ${name} declares an outputSchema but returned no structuredContent`);
    }
    if (!tool.validateOutput(structured)) {
      throw new WireError(ErrorCode.InternalError, `Tool ${name} returned structuredContent that fails its outputSchema: ${describeErrors('structuredContent', tool.validateOutput.errors)}`);
    }
  }
  const f = featuresOf(ctx.session.revision);
  // Structured content that is not an object is 2026-07-28's alone ("any JSON value"); 2025-11-25 and 2025-06-18
  // type it `object`, so their clients get the text content without it. The revision is only asked for such content.
  const refused = structured !== undefined && !isObject(structured) && !isModernRevision(ctx.session.wireRevision());
  // 2025-11-25 content is what handlers write: returned as it is, with no pass over its blocks.
  if (f.icons && !refused) return result as unknown as JsonObject;
  let out: CallToolResult = result;
  if ((!f.structuredContent || refused) && out.structuredContent !== undefined) {
    const { structuredContent: _dropped, ...older } = out;
    out = older;
  }
  // Older content: no link icons (2025-06-18); no resource links, `_meta` or `lastModified` (2025-03-26).
  const content = contentFor(f, out.content);
  if (content !== out.content) out = { ...out, content: content as CallToolResult['content'] };
  return out as unknown as JsonObject;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function textResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }] };
}

function errorResult(text: string): JsonObject {
  return { content: [{ type: 'text', text }], isError: true };
}
