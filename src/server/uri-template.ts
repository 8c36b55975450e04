/**
 * RFC 6570 URI templates, compiled once into a matcher: resources/read finds the template a URI belongs to and the
 * values of its variables.
 *
 * Matching is the inverse of expansion, which the RFC does not define; this covers the operators MCP servers use
 * (simple, `+`, `#`, `/`, `.`, `?`, `&`) with single or comma-listed variables. Query operators match in any order.
 */
import { ErlmcpError } from '../errors.js';

interface Part {
  op: string;
  names: string[];
}

const OPERATORS = new Set(['', '+', '#', '/', '.', '?', '&', ';']);

/** A compiled URI template. */
export class UriTemplate {
  readonly template: string;
  readonly variableNames: readonly string[];
  readonly #regex: RegExp;
  readonly #captures: Part[];
  readonly #query: Part | undefined;

  constructor(template: string) {
    this.template = template;
    const names: string[] = [];
    const captures: Part[] = [];
    let query: Part | undefined;
    let source = '^';
    let last = 0;
    for (const m of template.matchAll(/\{([^{}]*)\}/g)) {
      source += escape(template.slice(last, m.index));
      last = m.index + m[0].length;
      const body = m[1] ?? '';
      const op = OPERATORS.has(body[0] ?? '') && body[0] !== undefined && /[+#/.?&;]/.test(body[0]) ? body[0] : '';
      const vars = body.slice(op.length).split(',').map((v) => v.replace(/\*$|:\d+$/, ''));
      if (vars.some((v) => !/^[A-Za-z0-9_%.]+$/.test(v))) {
        throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `URI template ${template} has an invalid expression {${body}}`);
      }
      names.push(...vars);
      if (op === '?' || op === '&') {
        query = { op, names: vars };
        source += op === '?' ? '(?:\\?(.*))?' : '(?:&(.*))?';
        continue;
      }
      captures.push({ op, names: vars });
      source += expressionPattern(op, vars.length);
    }
    source += escape(template.slice(last)) + '$';
    this.#regex = new RegExp(source);
    this.#captures = captures;
    this.#query = query;
    this.variableNames = Object.freeze(names);
  }

  /** The variables of `uri` when it matches, else undefined. */
  match(uri: string): Record<string, string> | undefined {
    const m = this.#regex.exec(uri);
    if (!m) return undefined;
    const out: Record<string, string> = {};
    let group = 1;
    for (const part of this.#captures) {
      for (const name of part.names) out[name] = decode(m[group++] ?? '');
    }
    if (this.#query) {
      const raw = m[group] ?? '';
      for (const pair of raw.split('&')) {
        const eq = pair.indexOf('=');
        if (eq <= 0) continue;
        const key = decode(pair.slice(0, eq));
        if (this.#query.names.includes(key)) out[key] = decode(pair.slice(eq + 1));
      }
    }
    return out;
  }

  /** Expands the template with `values` (simple string expansion; for building URIs in lists and tests). */
  expand(values: Record<string, string>): string {
    return this.template.replace(/\{([^{}]*)\}/g, (_all, body: string) => {
      const op = /[+#/.?&;]/.test(body[0] ?? '') ? (body[0] as string) : '';
      const vars = body.slice(op.length).split(',');
      const present = vars.filter((v) => values[v] !== undefined);
      if (present.length === 0) return '';
      const enc = (v: string) => (op === '+' || op === '#' ? encodeURI(v) : encodeURIComponent(v));
      if (op === '?' || op === '&' || op === ';') {
        const sep = op === ';' ? ';' : '&';
        return (op === '&' ? '&' : op) + present.map((v) => `${v}=${enc(values[v] as string)}`).join(sep);
      }
      const joined = present.map((v) => enc(values[v] as string)).join(op === '/' ? '/' : op === '.' ? '.' : ',');
      return (op === '+' ? '' : op) + joined;
    });
  }
}

function expressionPattern(op: string, count: number): string {
  const one = op === '+' || op === '#' ? '(.*?)' : '([^/?#&,]*?)';
  switch (op) {
    case '/': return Array(count).fill('/([^/?#]*?)').join('');
    case '.': return Array(count).fill('\\.([^/?#.]*?)').join('');
    case '#': return '#' + Array(count).fill(one).join(',');
    case ';': return Array(count).fill(';[^=;/?#]*=?([^;/?#]*?)').join('');
    default: return Array(count).fill(one).join(',');
  }
}

function escape(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
