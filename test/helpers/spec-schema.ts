/**
 * Validates what the server emits against the official MCP JSON Schema of a revision
 * (`shared/spec/<revision>/schema.json`, DESIGN.md "Two protocol eras"). Each revision's schema is compiled once,
 * on first use; definitions are addressed by name (`InitializeResult`, `ListToolsResult`).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext resolution.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => void;

type Validator = (definition: string, value: unknown) => string | undefined;

const cache = new Map<string, Validator>();

function schemaPath(revision: string): string {
  return fileURLToPath(new URL(`../../../shared/spec/${revision}/schema.json`, import.meta.url));
}

function load(revision: string): Validator {
  const schema = JSON.parse(readFileSync(schemaPath(revision), 'utf8')) as Record<string, unknown>;
  const defsKey = '$defs' in schema ? '$defs' : 'definitions';
  const draft2020 = String(schema.$schema).includes('2020-12');
  const ajv = draft2020 ? new Ajv2020({ strict: false, allErrors: true }) : new Ajv({ strict: false, allErrors: true });
  addFormats(ajv as Ajv);
  const id = `mcp-${revision}`;
  ajv.addSchema({ ...schema, $id: id });
  return (definition, value) => {
    const validate = ajv.getSchema(`${id}#/${defsKey}/${definition}`);
    if (!validate) throw new Error(`${revision} schema has no definition ${definition}`);
    return validate(value) ? undefined : ajv.errorsText(validate.errors, { dataVar: definition });
  };
}

/** Undefined when `value` conforms to `definition` of `revision`'s schema, else Ajv's description of the failure. */
export function specErrors(revision: string, definition: string, value: unknown): string | undefined {
  let validator = cache.get(revision);
  if (!validator) cache.set(revision, (validator = load(revision)));
  return validator(definition, value);
}
