/**
 * Applies the `default` of each property of an elicitation's `requestedSchema` that the user left out (SEP-1034,
 * MCP 2025-11-25 client/elicitation "Requested Schema": primitive properties may carry a `default`, and a client
 * should pre-fill it). An accepted form answer then holds every field the server gave a default for, whatever the
 * handler returned.
 */
import { isObject, type JsonObject } from '../protocol/json-rpc.js';

const PRIMITIVE = new Set(['string', 'number', 'integer', 'boolean', 'array']);

/**
 * Returns `content` with the schema's defaults filled in for absent properties. Only defaults whose type fits the
 * property's declared type are used, and a value the handler gave is never replaced.
 */
export function applyElicitationDefaults(schema: unknown, content: JsonObject | undefined): JsonObject {
  const out: JsonObject = { ...content };
  if (!isObject(schema) || !isObject(schema.properties)) return out;
  for (const [name, property] of Object.entries(schema.properties)) {
    if (name in out || !isObject(property) || !('default' in property)) continue;
    const value = property.default;
    if (fits(property, value)) out[name] = value;
  }
  return out;
}

function fits(property: JsonObject, value: unknown): boolean {
  const type = property.type;
  if (Array.isArray(property.enum) && !property.enum.includes(value)) return false;
  if (typeof type !== 'string' || !PRIMITIVE.has(type)) return value !== undefined;
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return Array.isArray(value);
  }
}
