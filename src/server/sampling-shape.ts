/**
 * Shapes a `sampling/createMessage` request for a session whose revision predates tools in sampling (2025-06-18,
 * 2025-03-26). Handlers write 2025-11-25 requests (client/sampling): a SamplingMessage's content may be an array of
 * blocks, a message and its blocks may carry `_meta`, and tool use has its own fields and content types. An older
 * SamplingMessage is `{ role, content }` with one text, image or audio block, so a message of several blocks becomes
 * consecutive messages of the same role, one block each, in order (how chat APIs read consecutive turns of one
 * role), and each block takes its revision's content shape (content-shape.ts). A message with no blocks says
 * nothing and is left out. What has no older form at all is named by `samplingNewerOnly` and refused, never
 * rewritten: the model would be asked another question. 2025-11-25 sessions never call this.
 */
import { isObject, type JsonObject } from '../protocol/json-rpc.js';
import type { RevisionFeatures } from '../protocol/versions.js';
import { blockFor } from './content-shape.js';

/** Content types only tool use in sampling has (2025-11-25 ToolUseContent, ToolResultContent). */
const TOOL_BLOCKS: ReadonlySet<unknown> = new Set(['tool_use', 'tool_result']);

/**
 * What of the request no older revision can carry, for the refusal's message: `tools`, `toolChoice`, `task` (task
 * augmentation is 2025-11-25's too) or tool_use / tool_result content; undefined when there is none.
 */
export function samplingNewerOnly(params: JsonObject): string | undefined {
  if (params.tools !== undefined || params.toolChoice !== undefined) return 'tools or toolChoice';
  if (params.task !== undefined) return 'task';
  const messages = params.messages;
  if (!Array.isArray(messages)) return undefined;
  for (const message of messages) {
    const content = isObject(message) ? message.content : undefined;
    const blocks = Array.isArray(content) ? content : [content];
    for (const block of blocks) if (isObject(block) && TOOL_BLOCKS.has(block.type)) return `${String(block.type)} content`;
  }
  return undefined;
}

/** The request for an older peer; the same object when no message needs a change. */
export function olderSamplingRequest(f: RevisionFeatures, params: JsonObject): JsonObject {
  const messages = params.messages;
  if (!Array.isArray(messages)) return params;
  let out: unknown[] | undefined;
  for (let i = 0; i < messages.length; i++) {
    const message: unknown = messages[i];
    const shaped = olderMessages(f, message);
    if (out === undefined && shaped.length === 1 && shaped[0] === message) continue;
    out ??= messages.slice(0, i);
    out.push(...shaped);
  }
  return out === undefined ? params : { ...params, messages: out };
}

/** One message as older messages: itself when it needs no change, else one per block. */
function olderMessages(f: RevisionFeatures, message: unknown): unknown[] {
  if (!isObject(message)) return [message];
  const { content, _meta: meta, ...rest } = message;
  if (!Array.isArray(content)) {
    const block = blockFor(f, content);
    return block === content && meta === undefined ? [message] : [{ ...rest, content: block }];
  }
  return content.map((block) => ({ ...rest, content: blockFor(f, block) }));
}
