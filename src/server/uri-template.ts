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
  /**
   * What each capture group of the regex holds, in the template's order: a variable's name, or null for a query
   * expression (`{?q}`, `{&page}`), whose group holds `name=value` pairs. The names of every query expression are
   * read from one pool: the first one's group takes the whole query, so a continuation's own group stays empty.
   */
  readonly #groups: readonly (string | null)[];
  readonly #queryNames: readonly string[];

  constructor(template: string) {
    this.template = template;
    const tokens = tokenize(template);
    const names: string[] = [];
    const groups: (string | null)[] = [];
    const queryNames: string[] = [];
    let source = '^';
    tokens.forEach((token, i) => {
      if (typeof token === 'string') {
        source += escape(token);
        return;
      }
      names.push(...token.names);
      if (token.op === '?' || token.op === '&') {
        queryNames.push(...token.names);
        groups.push(null);
        // RFC 3986 section 3.4: the query ends at the fragment, which a later `{#f}` reads.
        source += token.op === '?' ? '(?:\\?([^#]*))?' : '(?:&([^#]*))?';
        return;
      }
      groups.push(...token.names);
      source += expressionPattern(token.op, token.names, stopAfter(template, tokens, i));
    });
    source += '$';
    this.#regex = new RegExp(source);
    this.#groups = groups;
    this.#queryNames = queryNames;
    this.variableNames = Object.freeze(names);
  }

  /** The variables of `uri` when it matches, else undefined. */
  match(uri: string): Record<string, string> | undefined {
    const m = this.#regex.exec(uri);
    if (!m) return undefined;
    const out: Record<string, string> = {};
    this.#groups.forEach((name, i) => {
      const raw = m[i + 1] ?? '';
      if (name !== null) {
        out[name] = decode(raw);
        return;
      }
      for (const pair of raw.split('&')) {
        const eq = pair.indexOf('=');
        if (eq <= 0) continue;
        const key = decode(pair.slice(0, eq));
        if (this.#queryNames.includes(key)) out[key] = decode(pair.slice(eq + 1));
      }
    });
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

/** A template as literal text and expressions, in order. */
function tokenize(template: string): (string | Part)[] {
  const tokens: (string | Part)[] = [];
  let last = 0;
  for (const m of template.matchAll(/\{([^{}]*)\}/g)) {
    if (m.index > last) tokens.push(template.slice(last, m.index));
    last = m.index + m[0].length;
    const body = m[1] ?? '';
    const op = OPERATORS.has(body[0] ?? '') && body[0] !== undefined && /[+#/.?&;]/.test(body[0]) ? body[0] : '';
    const vars = body.slice(op.length).split(',').map((v) => v.replace(/\*$|:\d+$/, ''));
    if (vars.some((v) => !/^[A-Za-z0-9_%.]+$/.test(v))) {
      throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `URI template ${template} has an invalid expression {${body}}`);
    }
    tokens.push({ op, names: vars });
  }
  if (last < template.length) tokens.push(template.slice(last));
  return tokens;
}

/**
 * What ends the last variable of expression `i` when matching: the first character of what follows, when more
 * variables follow it (the variable then stops at that character's first occurrence: the leftmost split, which is
 * what a lazy match found, but found without backtracking); undefined when only literal text and query expressions
 * follow, so the end anchor decides. Variables that could each take the same characters and overlap made matching
 * backtrack: `{a}-{b}-{c}` against 8 KB took a minute. Two variables with nothing between them cannot be told apart
 * at all, so such a template is refused.
 */
function stopAfter(template: string, tokens: readonly (string | Part)[], i: number): string | undefined {
  const rest = tokens.slice(i + 1);
  const nextVariable = rest.find((t): t is Part => typeof t !== 'string' && t.op !== '?' && t.op !== '&');
  if (nextVariable === undefined) return undefined;
  const next = tokens[i + 1];
  const stop = typeof next === 'string' ? next : next === undefined ? undefined : LEADS[next.op];
  if (stop === undefined) {
    throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `URI template ${template} has two variables with nothing between them, which no URI can tell apart; put literal text between them`);
  }
  // The next variable cannot take the stop's first character (`{/a,b}{.ext}`): only the last split can work, so
  // this one may hold it, as a lazy match let it; the two do not overlap, so this backtracks only linearly.
  return EXCLUDED[nextVariable.op]?.includes(stop[0] as string) === true ? undefined : stop;
}

/** The character an expression's expansion starts with, by operator (none for simple and `+`). */
const LEADS: Readonly<Record<string, string>> = Object.freeze({ '#': '#', '/': '/', '.': '.', ';': ';', '?': '?', '&': '&' });

/** The characters a variable's value cannot hold when matched, by operator. */
const EXCLUDED: Readonly<Record<string, string>> = Object.freeze({ '': '/?#&,', '+': '', '#': '', '/': '/?#', '.': '/?#.', ';': ';/?#' });

/**
 * The pattern of one expression of `count` variables. Each but the last stops at the separator that follows it;
 * the last stops at `stop` (see `stopAfter`), or, with nothing to stop at, matches lazily up to the fixed suffix.
 * A one-character stop is left out of the variable's class; a longer one (`-v` in `{name}-v{version}`) is
 * refused as a whole by a lookahead on each character, so the variable may still hold `-`.
 */
function expressionPattern(op: string, names: readonly string[], stop: string | undefined): string {
  const count = names.length;
  const wide = op === '+' || op === '#';
  const group = (excluded: string, tail: string | undefined): string => {
    if (tail !== undefined && tail.length > 1) {
      const char = excluded === '' ? '.' : `[^${escapeClass(excluded)}]`;
      return `((?:(?!${escape(tail)})${char})*?)`;
    }
    const all = tail === undefined || excluded.includes(tail) ? excluded : excluded + tail;
    return wide && all === '' ? '(.*?)' : `([^${escapeClass(all)}]*?)`;
  };
  const base = EXCLUDED[op] ?? '';
  const vars = (sep: string, lead: string): string => Array.from({ length: count }, (_v, k) => lead + group(base, k < count - 1 ? sep : stop)).join('');
  switch (op) {
    case '/': return vars('/', '/');
    case '.': return vars('.', '\\.');
    // RFC 6570 section 3.2.7: `;name=value`, or the bare `;name` for an empty value. The name is the variable's own:
    // any name matched, so `{;p}` read `;x=5` as p = 5.
    case ';': return names.map((name, k) => `;${escape(name)}(?:=${group(base, k < count - 1 ? ';' : stop)})?`).join('');
    case '#': return '#' + Array.from({ length: count }, (_v, k) => group(base, k < count - 1 ? ',' : stop)).join(',');
    default: return Array.from({ length: count }, (_v, k) => group(base, k < count - 1 ? ',' : stop)).join(',');
  }
}

function escapeClass(chars: string): string {
  return chars.replace(/[\\\]^-]/g, '\\$&');
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
