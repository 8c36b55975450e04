/**
 * The request-metadata headers of MCP 2026-07-28 Streamable HTTP (basic/transports/streamable-http, "Request
 * Metadata"): `Mcp-Method` on every request, `Mcp-Name` on tools/call, prompts/get and resources/read, and one
 * `Mcp-Param-{Name}` per tool argument whose input schema annotates it with `x-mcp-header`. They let proxies route
 * without parsing bodies, so a server that reads the body MUST refuse any that disagree with it (400, -32020).
 *
 * Values may be sent as `=?base64?<base64 of UTF-8>?=`; the decoder is strict (Node's own base64 decoder is
 * lenient, and conformance sends bad padding and a bad alphabet expecting a refusal), and so is the UTF-8 under
 * it. Plain values must be visible ASCII (RFC 9110 field-value characters without obs-text); anything else must
 * be encoded.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { headerMismatch } from '../../protocol/era.js';
import { isObject, type JsonRpcRequest } from '../../protocol/json-rpc.js';
import { headerParamsOf, type HeaderParam } from '../../server/header-params.js';
import type { ToolEntry } from '../../server/tool-entry.js';

const BASE64_BODY = /^[A-Za-z0-9+/]*={0,2}$/;
const PLAIN_VALUE = /^[\t\x20-\x7e]*$/;
/**
 * Fatal: a lenient decoder turns every invalid sequence into U+FFFD, so different header values (the bytes 0xFF
 * and 0xFE, say) would compare equal to one body value that an intermediary reading the bytes sees differently.
 * `ignoreBOM` keeps a leading U+FEFF as part of the value instead of dropping it.
 */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const NAMED_METHODS: Readonly<Record<string, 'name' | 'uri'>> = Object.freeze({ 'tools/call': 'name', 'prompts/get': 'name', 'resources/read': 'uri' });

/** Decodes a header value: the base64 sentinel strictly, else the literal. Undefined when it cannot be read. */
export function decodeHeaderValue(value: string): string | undefined {
  if (value.startsWith('=?base64?') && value.endsWith('?=') && value.length >= 11) {
    const body = value.slice(9, -2);
    if (body.length % 4 !== 0 || !BASE64_BODY.test(body)) return undefined;
    try {
      return UTF8.decode(Buffer.from(body, 'base64'));
    } catch {
      return undefined;
    }
  }
  return PLAIN_VALUE.test(value) ? value : undefined;
}

function single(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** Checks `Mcp-Method` and, where the method names something, `Mcp-Name`. Throws -32020. */
export function validateStandardHeaders(headers: IncomingHttpHeaders, req: JsonRpcRequest): void {
  const method = single(headers, 'mcp-method');
  if (method === undefined) throw headerMismatch('the Mcp-Method header is required');
  if (method !== req.method) throw headerMismatch(`Mcp-Method ${JSON.stringify(method)} does not match the body's method ${req.method}`);
  const field = NAMED_METHODS[req.method];
  if (field === undefined) return;
  const raw = single(headers, 'mcp-name');
  if (raw === undefined) throw headerMismatch(`the Mcp-Name header is required on ${req.method}`);
  const name = decodeHeaderValue(raw);
  if (name === undefined) throw headerMismatch('Mcp-Name contains invalid characters or invalid base64');
  if (name !== req.params?.[field]) throw headerMismatch(`Mcp-Name does not match params.${field}`);
}

/**
 * Checks each annotated argument against its `Mcp-Param-*` header: a value in the body needs the header, equal
 * after decoding (integers numerically, booleans as true/false); a null or absent value needs the header absent.
 */
export function validateParamHeaders(headers: IncomingHttpHeaders, tool: ToolEntry, args: unknown): void {
  const params = headerParamsOf(tool);
  // Indexed: a for-of made an iterator per request (48 B) for the tools that annotate nothing, nearly all of them.
  for (let i = 0; i < params.length; i++) {
    const p = params[i] as HeaderParam;
    let value: unknown = args;
    // Own keys only: an argument named `constructor` that the client left out must not find Object.prototype's.
    for (const key of p.path) value = isObject(value) && Object.hasOwn(value, key) ? value[key] : undefined;
    const raw = single(headers, p.header);
    if (value === undefined || value === null) {
      // No value, no header (the client omits it): one sent anyway disagrees with the body, and a proxy routing on
      // it would route a request the server runs without that argument.
      if (raw !== undefined) throw headerMismatch(`${p.header} is sent but the argument ${p.path.join('.')} is absent`);
      continue;
    }
    if (raw === undefined) throw headerMismatch(`the ${p.header} header is required when the argument is present`);
    const text = decodeHeaderValue(raw);
    if (text === undefined) throw headerMismatch(`${p.header} contains invalid characters or invalid base64`);
    if (!matches(p.type, text, value)) {
      throw headerMismatch(p.type === 'integer' && typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)
        ? `the argument ${p.path.join('.')} is beyond ±(2^53−1), the range an integer in ${p.header} must keep to (x-mcp-header)`
        : `${p.header} does not match the argument ${p.path.join('.')}`);
    }
  }
}

/**
 * A decimal number as clients write integers (`42`, `-7`), or an equal spelling (`42.0`, `4.2e1`); no hex, no
 * spaces. Groups: sign, whole digits, fraction digits, exponent.
 */
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;
/** Digits of Number.MAX_SAFE_INTEGER (9007199254740991). */
const MAX_SAFE_DIGITS = 16;

function matches(type: HeaderParam['type'], text: string, value: unknown): boolean {
  if (type === 'integer') return spellsSafeInteger(text, value);
  if (type === 'boolean') return text === String(value);
  return text === value;
}

/**
 * True when `text` is a decimal spelling of exactly `value`, an integer within ±(2^53−1) ("Integer values MUST be
 * within the safe range for JavaScript", 2026-07-28 streamable-http, "Schema Extension"). Numerically, as the
 * spec's SHOULD asks (42.0 equals 42), but exact: `Number(text) === value` let a double's rounding decide, so a
 * header of 9007199254740993 (or 9007199254740990.9) equalled a body value of 9007199254740992 (or
 * 9007199254740991), and a proxy routing on the header text would disagree with the value the tool runs with.
 */
function spellsSafeInteger(text: string, value: unknown): boolean {
  if (!Number.isSafeInteger(value)) return false;
  const m = DECIMAL.exec(text);
  if (m === null) return false;
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = m;
  let digits = whole + fraction;
  if (/^0*$/.test(digits)) return value === 0;
  // text = digits × 10^-scale; Number() of a huge exponent is Infinity, which the bounds below refuse.
  const scale = fraction.length - Number(exponent);
  if (scale > 0) {
    // Every digit after the point must be 0; a nonzero text whose digits are all fractional is no integer.
    if (scale >= digits.length || !/^0+$/.test(digits.slice(digits.length - scale))) return false;
    digits = digits.slice(0, digits.length - scale);
  } else if (scale < 0) {
    // Checked before padding, so `1e999999999` allocates nothing.
    if (digits.replace(/^0+/, '').length - scale > MAX_SAFE_DIGITS) return false;
    digits += '0'.repeat(-scale);
  }
  return sign + digits.replace(/^0+(?=\d)/, '') === String(value);
}
