/**
 * prompts/list, prompts/get and completion/complete (which completes prompt arguments and template variables).
 */
import type { JsonObject } from '../../protocol/json-rpc.js';
import { isObject } from '../../protocol/json-rpc.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import { WireError, invalidParams } from '../../protocol/wire-error.js';
import { featuresOf } from '../../protocol/versions.js';
import { blockFor } from '../content-shape.js';
import type { HandlerContext } from '../handler-context.js';
import type { McpServer } from '../mcp-server.js';
import type { CompleteFn } from '../types.js';

// MCP server/utilities/completion: at most 100 values per response.
const MAX_COMPLETIONS = 100;

/** prompts/list. */
export function listPrompts(server: McpServer, params: JsonObject, ctx: HandlerContext): JsonObject {
  const revision = ctx.session.revision;
  return server.prompts.listPage(params.cursor, server.pageSize, revision, 'prompts', (p) => p.descriptor[revision]);
}

function stringArgs(method: string, value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (!isObject(value)) throw invalidParams(`${method}: params.arguments must be an object of strings`);
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw invalidParams(`${method}: params.arguments.${k} must be a string`);
  }
  return value as Record<string, string>;
}

/** prompts/get: an unknown prompt or a missing required argument is -32602. */
export async function getPrompt(server: McpServer, params: JsonObject, ctx: HandlerContext): Promise<JsonObject> {
  const name = params.name;
  if (typeof name !== 'string') throw invalidParams('prompts/get: params.name must be a string');
  const prompt = server.prompts.get(name);
  if (!prompt) throw invalidParams(`Unknown prompt: ${name}`);
  const args = stringArgs('prompts/get', params.arguments);
  for (const required of prompt.required) {
    if (!Object.hasOwn(args, required)) throw invalidParams(`prompts/get: missing required argument ${required} of prompt ${name}`);
  }
  const result: unknown = await prompt.handler(args, ctx);
  // Checked as tools/call checks its handlers: an undefined went out as a response with neither result nor error.
  if (!isObject(result) || !Array.isArray(result.messages)) {
    throw new WireError(ErrorCode.InternalError, `Prompt ${name} returned no messages array`);
  }
  const f = featuresOf(ctx.session.revision);
  if (f.icons) return result;
  // Older content: links lose their icons (2025-06-18), or become a text block naming the resource, and `_meta`
  // and `lastModified` are dropped (2025-03-26; content-shape.ts).
  const given: unknown[] = result.messages;
  let messages: unknown[] | undefined;
  for (let i = 0; i < given.length; i++) {
    const m = given[i];
    if (!isObject(m)) continue;
    const content = blockFor(f, m.content);
    if (content !== m.content) (messages ??= given.slice())[i] = { ...m, content };
  }
  return messages === undefined ? result : ({ ...result, messages } as JsonObject);
}

/**
 * The completer of an argument, read from the entry's own keys: the argument name comes from the client, and an
 * inherited key (`constructor`, `toString`) ran an Object.prototype method as a completer, whose return went out as
 * `values` (a string, against the schema) or failed the request with -32603.
 */
function completerOf(completers: Readonly<Record<string, CompleteFn>>, name: string): CompleteFn | undefined {
  return Object.hasOwn(completers, name) ? completers[name] : undefined;
}

/** completion/complete. */
export async function complete(server: McpServer, params: JsonObject): Promise<JsonObject> {
  const ref = params.ref;
  const argument = params.argument;
  if (!isObject(ref) || typeof ref.type !== 'string') throw invalidParams('completion/complete: params.ref must be an object with a type');
  if (!isObject(argument) || typeof argument.name !== 'string' || typeof argument.value !== 'string') {
    throw invalidParams('completion/complete: params.argument must have string name and value');
  }
  const context = isObject(params.context) ? stringArgs('completion/complete', params.context.arguments) : {};
  let completer: CompleteFn | undefined;
  if (ref.type === 'ref/prompt') {
    const prompt = typeof ref.name === 'string' ? server.prompts.get(ref.name) : undefined;
    if (!prompt) throw invalidParams(`completion/complete: unknown prompt ${String(ref.name)}`);
    completer = completerOf(prompt.complete, argument.name);
  } else if (ref.type === 'ref/resource') {
    const uri = ref.uri;
    if (typeof uri !== 'string') throw invalidParams('completion/complete: ref.uri must be a string');
    const entry = server.templates.values().find((t) => t.template.template === uri);
    if (!entry && !server.resources.get(uri)) throw invalidParams(`completion/complete: unknown resource template ${uri}`);
    completer = entry === undefined ? undefined : completerOf(entry.complete, argument.name);
  } else {
    throw invalidParams(`completion/complete: ref.type must be ref/prompt or ref/resource, not ${ref.type}`);
  }
  const all: unknown = completer ? await completer(argument.value, { arguments: context }) : [];
  // Checked as prompts/get checks its handlers: a string went out as `values` (sliced, it is still a string), and
  // numbers went out as values, both against CompleteResult.
  if (!Array.isArray(all) || !all.every((v) => typeof v === 'string')) {
    throw new WireError(ErrorCode.InternalError, `The completer of ${argument.name} returned no array of strings`);
  }
  const values = all.slice(0, MAX_COMPLETIONS);
  return { completion: { values, total: all.length, hasMore: all.length > values.length } };
}
