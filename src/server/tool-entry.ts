/**
 * The context of one registered tool, built once at registration: its wire descriptor per revision, its compiled
 * input and output validators, and its handler. tools/call reads everything it needs from here.
 */
import type { ValidateFunction } from 'ajv';
import { ErlmcpError } from '../errors.js';
import type { JsonObject } from '../protocol/json-rpc.js';
import { compileAnySchema, compileObjectSchema } from './schema-compiler.js';
import { describeForRevisions, type DescriptorByRevision } from './descriptor.js';
import type { ToolConfig, ToolHandler } from './types.js';

/** A registered tool. */
export interface ToolEntry {
  readonly name: string;
  readonly descriptor: DescriptorByRevision;
  readonly validateInput: ValidateFunction;
  /** Null when the tool declares no outputSchema, so tools/call skips the check. */
  readonly validateOutput: ValidateFunction | null;
  readonly handler: ToolHandler;
}

const EMPTY_OBJECT_SCHEMA = Object.freeze({ type: 'object' });
// MCP 2025-11-25 server/tools: names SHOULD be 1-128 chars of A-Z a-z 0-9 _ - . (SEP-986).
const TOOL_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

/** Validates a tool registration and precomputes its context. */
export function buildToolEntry(name: string, config: ToolConfig, handler: ToolHandler): ToolEntry {
  if (typeof name !== 'string' || !TOOL_NAME.test(name)) {
    throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `tool name ${JSON.stringify(name)} must be 1-128 characters of A-Z, a-z, 0-9, _, - or .`);
  }
  if (typeof handler !== 'function') {
    throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `tool ${name}: handler must be a function`);
  }
  const input = compileObjectSchema(config.inputSchema ?? EMPTY_OBJECT_SCHEMA, `tool ${name}: inputSchema`);
  const output = config.outputSchema ? compileAnySchema(config.outputSchema, `tool ${name}: outputSchema`) : null;
  const full: JsonObject = {
    name,
    title: config.title,
    description: config.description,
    inputSchema: input.jsonSchema,
    outputSchema: output?.jsonSchema,
    annotations: config.annotations,
    icons: config.icons,
    _meta: config._meta,
  };
  return Object.freeze({
    name,
    descriptor: describeForRevisions(full),
    validateInput: input.validate,
    validateOutput: output?.validate ?? null,
    handler,
  });
}
