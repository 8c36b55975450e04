/**
 * Prints a config for people (`erlmcp config print`, start-up logs): JSON with two-space indents, with every key
 * the schema marks secret (passwords in URLs, JWT secrets, API keys) redacted, so the output can be pasted into
 * an issue or a log without leaking credentials.
 */
import type { ErlmcpConfig } from './config-defaults.js';
import { CONFIG_SCHEMA, type FieldSpec, type SectionSpec } from './config-schema.js';

/** What a redacted value prints as. */
export const REDACTED = '<redacted>';

function redact(value: unknown, spec: FieldSpec | undefined): unknown {
  if (spec === undefined) return value;
  if (spec.kind === 'section') {
    if (typeof value !== 'object' || value === null) return value;
    const keys = spec.keys as Readonly<Record<string, FieldSpec>>;
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = redact(inner, keys[key]);
    return out;
  }
  if ((spec.kind === 'string' || spec.kind === 'strings') && spec.secret) {
    if (value === null || value === '') return value;
    return Array.isArray(value) ? value.map(() => REDACTED) : REDACTED;
  }
  return value;
}

/** The config as indented JSON, secrets redacted. */
export function describeConfig(config: ErlmcpConfig): string {
  return JSON.stringify(redact(config, CONFIG_SCHEMA as unknown as SectionSpec), null, 2);
}
