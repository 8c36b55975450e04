/**
 * The context of one registered prompt, built once at registration: its descriptor per revision, the names of its
 * required arguments and its argument completers.
 */
import { ErlmcpError } from '../errors.js';
import { describeForRevisions, type DescriptorByRevision } from './descriptor.js';
import type { CompleteFn, PromptConfig, PromptHandler } from './types.js';

/** A registered prompt. */
export interface PromptEntry {
  readonly name: string;
  readonly descriptor: DescriptorByRevision;
  readonly required: readonly string[];
  readonly complete: Readonly<Record<string, CompleteFn>>;
  readonly handler: PromptHandler;
}

/** Validates a prompt registration and precomputes its context. */
export function buildPromptEntry(name: string, config: PromptConfig, handler: PromptHandler): PromptEntry {
  if (typeof name !== 'string' || name.length === 0) {
    throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', 'prompt name must be a non-empty string');
  }
  if (typeof handler !== 'function') {
    throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `prompt ${name}: handler must be a function`);
  }
  const args = config.arguments ?? [];
  const complete: Record<string, CompleteFn> = {};
  for (const [i, arg] of args.entries()) {
    if (typeof arg?.name !== 'string' || arg.name.length === 0) {
      throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `prompt ${name}: arguments[${i}].name must be a non-empty string`);
    }
    if (arg.complete !== undefined) {
      if (typeof arg.complete !== 'function') {
        throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `prompt ${name}: arguments[${i}].complete must be a function`);
      }
      complete[arg.name] = arg.complete;
    }
  }
  const wireArgs = args.map(({ complete: _c, ...rest }) => rest);
  return Object.freeze({
    name,
    descriptor: describeForRevisions({
      name,
      title: config.title,
      description: config.description,
      arguments: wireArgs.length > 0 ? wireArgs : undefined,
      icons: config.icons,
      _meta: config._meta,
    }),
    required: Object.freeze(args.filter((a) => a.required).map((a) => a.name)),
    complete: Object.freeze(complete),
    handler,
  });
}
