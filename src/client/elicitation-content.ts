/**
 * Checks an accepted form elicitation's `content` against the `requestedSchema` it answers, before it goes to the
 * server (2025-11-25 client/elicitation, "Requested Schema": clients use the schema to "validate user input before
 * sending"). The schema is the restricted, flat one the spec allows (PrimitiveSchemaDefinition: string, number,
 * integer, boolean, single- and multi-select enums, with their length, range and item bounds), so a hand-written
 * check covers it without loading a JSON Schema validator into the client. A property the schema does not describe
 * (or describes with a feature outside that subset) is only held to the result's value types.
 */
import { isObject, type JsonObject } from '../protocol/json-rpc.js';

/** The problems of `content` under `schema`, each naming its path; empty when it fits. */
export function contentProblems(schema: unknown, content: JsonObject): string[] {
  const out: string[] = [];
  const properties = isObject(schema) && isObject(schema.properties) ? schema.properties : {};
  const required = isObject(schema) && Array.isArray(schema.required) ? schema.required : [];
  for (const name of required) {
    if (typeof name === 'string' && !(name in content)) out.push(`content.${name} is required`);
  }
  for (const [name, value] of Object.entries(content)) {
    const property = properties[name];
    const problem = isObject(property) ? valueProblem(property, value) : shapeProblem(value);
    if (problem !== undefined) out.push(`content.${name}${problem}`);
  }
  return out;
}

/** ElicitResult.content: every value is a string, a number, a boolean or an array of strings. */
function shapeProblem(value: unknown): string | undefined {
  if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return undefined;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return undefined;
  return ' must be a string, a number, a boolean or an array of strings';
}

function valueProblem(property: JsonObject, value: unknown): string | undefined {
  switch (property.type) {
    case 'string': {
      if (typeof value !== 'string') return ' must be a string';
      const allowed = choices(property);
      if (allowed !== undefined && !allowed.includes(value)) return ` must be one of ${allowed.map((c) => JSON.stringify(c)).join(', ')}`;
      const length = [...value].length;
      if (typeof property.minLength === 'number' && length < property.minLength) return ` must be at least ${property.minLength} characters`;
      if (typeof property.maxLength === 'number' && length > property.maxLength) return ` must be at most ${property.maxLength} characters`;
      return undefined;
    }
    case 'number':
    case 'integer':
      if (property.type === 'integer' && !Number.isInteger(value)) return ' must be an integer';
      if (typeof value !== 'number' || !Number.isFinite(value)) return ' must be a number';
      if (typeof property.minimum === 'number' && value < property.minimum) return ` must be at least ${property.minimum}`;
      if (typeof property.maximum === 'number' && value > property.maximum) return ` must be at most ${property.maximum}`;
      return undefined;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : ' must be a boolean';
    case 'array': {
      if (!Array.isArray(value)) return ' must be an array of strings';
      if (typeof property.minItems === 'number' && value.length < property.minItems) return ` must have at least ${property.minItems} items`;
      if (typeof property.maxItems === 'number' && value.length > property.maxItems) return ` must have at most ${property.maxItems} items`;
      const allowed = isObject(property.items) ? choices(property.items) : undefined;
      for (const [i, item] of value.entries()) {
        if (typeof item !== 'string') return `[${i}] must be a string`;
        if (allowed !== undefined && !allowed.includes(item)) return `[${i}] must be one of ${allowed.map((c) => JSON.stringify(c)).join(', ')}`;
      }
      return undefined;
    }
    default:
      return shapeProblem(value);
  }
}

/** The values an enum property allows: `enum`, or the `const`s of `oneOf` / `anyOf` (titled enums). */
function choices(schema: JsonObject): unknown[] | undefined {
  if (Array.isArray(schema.enum)) return schema.enum;
  const options = Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.anyOf) ? schema.anyOf : undefined;
  return options?.filter(isObject).map((o) => o.const);
}
