/**
 * Reads a config file: JSON when the name ends in `.json`, YAML otherwise (YAML 1.2 is a superset of JSON, so a
 * JSON file under another name still parses). An empty file is an empty config. Failures to read or parse are
 * `ERLMCP_ERR_CONFIG_FILE`, apart from `ERLMCP_ERR_CONFIG_INVALID`, which is about what the file says.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import { ErlmcpError } from '../errors.js';

// yaml is loaded with the first config file, not with erlmcp: a server configured in code never needs it.
const require = createRequire(import.meta.url);

/** Reads and parses one config file; the result is unvalidated. */
export function readConfigFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new ErlmcpError('ERLMCP_ERR_CONFIG_FILE', `config: cannot read ${file}: ${reason}`, { cause: err });
  }
  if (file.toLowerCase().endsWith('.json')) {
    // A byte order mark, as Windows editors save "UTF-8 with BOM", is not JSON; RFC 8259 section 8.1 lets a parser
    // ignore it, and the YAML parser does, so the same file must not load under one name and fail under the other.
    const json = text.startsWith('\uFEFF') ? text.slice(1) : text;
    if (json.trim() === '') return {};
    let value: unknown;
    try {
      value = JSON.parse(json) as unknown;
    } catch (err) {
      throw new ErlmcpError('ERLMCP_ERR_CONFIG_FILE', `config: ${file} is not valid JSON: ${(err as Error).message}`, { cause: err });
    }
    // JSON.parse keeps the last of two equal keys. The YAML parser reads any JSON text and names a duplicate, so a
    // key set twice is refused here as in a YAML file, not silently dropped.
    const { parseDocument } = require('yaml') as typeof Yaml;
    const duplicate = parseDocument(json, { prettyErrors: true }).errors.find((e) => e.code === 'DUPLICATE_KEY');
    if (duplicate !== undefined) throw new ErlmcpError('ERLMCP_ERR_CONFIG_FILE', `config: ${file} sets a key twice: ${duplicate.message}`);
    return value;
  }
  const { parse } = require('yaml') as typeof Yaml;
  try {
    // Duplicate keys are errors (the yaml default, uniqueKeys), so a key set twice is never silently dropped.
    return parse(text, { prettyErrors: true }) ?? {};
  } catch (err) {
    throw new ErlmcpError('ERLMCP_ERR_CONFIG_FILE', `config: ${file} is not valid YAML: ${(err as Error).message}`, { cause: err });
  }
}
