/**
 * Shapes an `elicitation/create` request for a session whose revision has no elicitation modes (2025-06-18). That
 * revision's ElicitRequest is form mode alone, with no `mode` field, and its requested-schema primitives take a
 * `default` only on booleans; 2025-11-25 named the modes (client/elicitation) and gave every primitive a default
 * (SEP-1034). Handlers write 2025-11-25 requests; a 2025-06-18 peer gets the form without what it cannot read (a
 * default is a hint for the form, so the question stays the same).
 */
import { isObject, type JsonObject } from '../protocol/json-rpc.js';

/** The request for a 2025-06-18 peer; the same object when nothing needs a change. URL mode is refused before. */
export function formOnlyRequest(params: JsonObject): JsonObject {
  const schema = params.requestedSchema;
  const properties = isObject(schema) && isObject(schema.properties) ? schema.properties : undefined;
  let shapedProperties: JsonObject | undefined;
  if (properties !== undefined) {
    for (const [name, property] of Object.entries(properties)) {
      if (!isObject(property) || !('default' in property) || property.type === 'boolean') continue;
      const { default: _dropped, ...older } = property;
      (shapedProperties ??= { ...properties })[name] = older;
    }
  }
  if (params.mode === undefined && shapedProperties === undefined) return params;
  const { mode: _form, ...older } = params;
  if (shapedProperties !== undefined) older.requestedSchema = { ...(schema as JsonObject), properties: shapedProperties };
  return older;
}
