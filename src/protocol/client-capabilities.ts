/**
 * What a client's declared capability allows beyond its presence, for both eras: the elicitation modes and
 * tool use in sampling. client/elicitation (2025-11-25 and 2026-07-28): "an empty capabilities object is equivalent
 * to declaring support for form mode only", and servers "MUST NOT send elicitation requests with modes that are
 * not supported by the client"; client/sampling: tools only to a client that declared `sampling.tools`.
 */
import { isObject, type JsonObject } from './json-rpc.js';

/**
 * The capabilities a request of `capability` with `params` needs and the `declared` value lacks, as the
 * `requiredCapabilities` of a -32021 would name them; undefined when the client may be sent it.
 */
export function lackedCapabilities(capability: string, declared: unknown, params: JsonObject | undefined): JsonObject | undefined {
  if (!isObject(declared)) return { [capability]: {} };
  if (capability === 'elicitation') {
    const mode = params?.mode;
    if (mode === 'url') return isObject(declared.url) ? undefined : { elicitation: { url: {} } };
    // Form mode, named or not: declared by an empty object or by `form`.
    const formOnly = Object.keys(declared).length === 0;
    return formOnly || isObject(declared.form) ? undefined : { elicitation: { form: {} } };
  }
  if (capability === 'sampling' && params?.tools !== undefined && !isObject(declared.tools)) return { sampling: { tools: {} } };
  return undefined;
}
