/**
 * The JSON Schemas the conformance scenarios inspect on the wire, kept verbatim from the suite's reference server
 * (`@modelcontextprotocol/conformance@0.1.13`, `examples/servers/typescript/everything-server.ts`):
 *
 * - `json-schema-2020-12` (SEP-1613) lists the tools and checks that `$schema`, `$defs` and
 *   `additionalProperties: false` of one tool's inputSchema survive registration untouched.
 * - `elicitation-sep1034-defaults` checks a `default` on each primitive type of a requested schema.
 * - `elicitation-sep1330-enums` checks the five enum shapes, and that the titled ones do NOT also carry `enum`.
 *
 * They are frozen so that nothing, ours or a caller's, edits what the suite compares.
 */
import type { JsonObject } from '../../src/index.js';

/** Freezes a JSON value at every depth. */
function deepFreezeJson<T extends JsonObject>(value: T): T {
  for (const child of Object.values(value)) {
    if (typeof child === 'object' && child !== null) deepFreezeJson(child as JsonObject);
  }
  return Object.freeze(value);
}

/** The inputSchema of `json_schema_2020_12_tool`: JSON Schema 2020-12, with a `$defs` reference. */
export const JSON_SCHEMA_2020_12_INPUT = deepFreezeJson({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  $defs: {
    address: {
      $anchor: 'addressDef',
      type: 'object',
      properties: {
        street: { type: 'string' },
        city: { type: 'string' },
      },
    },
  },
  properties: {
    name: { type: 'string' },
    address: { $ref: '#/$defs/address' },
    contactMethod: { type: 'string', enum: ['phone', 'email'] },
    phone: { type: 'string' },
    email: { type: 'string' },
  },
  // SEP-2106 (0.2.0-alpha.12): composition and conditional keywords must survive tools/list untouched.
  allOf: [{ anyOf: [{ required: ['phone'] }, { required: ['email'] }] }],
  if: { properties: { contactMethod: { const: 'phone' } }, required: ['contactMethod'] },
  then: { required: ['phone'] },
  else: { required: ['email'] },
  additionalProperties: false,
});

/** What `test_elicitation` asks for. */
export const ELICITATION_SCHEMA = deepFreezeJson({
  type: 'object',
  properties: {
    response: { type: 'string', description: "User's response" },
  },
  required: ['response'],
});

/** SEP-1034: a default for every primitive type, and for an enum (which must be one of its members). */
export const ELICITATION_DEFAULTS_SCHEMA = deepFreezeJson({
  type: 'object',
  properties: {
    name: { type: 'string', description: 'User name', default: 'John Doe' },
    age: { type: 'integer', description: 'User age', default: 30 },
    score: { type: 'number', description: 'User score', default: 95.5 },
    status: {
      type: 'string',
      description: 'User status',
      enum: ['active', 'inactive', 'pending'],
      default: 'active',
    },
    verified: { type: 'boolean', description: 'Verification status', default: true },
  },
  required: [],
});

/** SEP-1330: untitled and titled single-select, the legacy `enumNames` form, untitled and titled multi-select. */
export const ELICITATION_ENUMS_SCHEMA = deepFreezeJson({
  type: 'object',
  properties: {
    untitledSingle: {
      type: 'string',
      description: 'Select one option',
      enum: ['option1', 'option2', 'option3'],
    },
    // Titled single-select: `oneOf` of const/title pairs, and no `enum` beside it.
    titledSingle: {
      type: 'string',
      description: 'Select one option with titles',
      oneOf: [
        { const: 'value1', title: 'First Option' },
        { const: 'value2', title: 'Second Option' },
        { const: 'value3', title: 'Third Option' },
      ],
    },
    legacyEnum: {
      type: 'string',
      description: 'Select one option (legacy)',
      enum: ['opt1', 'opt2', 'opt3'],
      enumNames: ['Option One', 'Option Two', 'Option Three'],
    },
    untitledMulti: {
      type: 'array',
      description: 'Select multiple options',
      minItems: 1,
      maxItems: 3,
      items: { type: 'string', enum: ['option1', 'option2', 'option3'] },
    },
    // Titled multi-select: `items.anyOf` of const/title pairs, and no `items.enum`.
    titledMulti: {
      type: 'array',
      description: 'Select multiple options with titles',
      minItems: 1,
      maxItems: 3,
      items: {
        anyOf: [
          { const: 'value1', title: 'First Choice' },
          { const: 'value2', title: 'Second Choice' },
          { const: 'value3', title: 'Third Choice' },
        ],
      },
    },
  },
  required: [],
});
