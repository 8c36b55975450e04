/**
 * The header checks of Streamable HTTP, each a small function decided from precomputed sets (the Host check also
 * remembers the allowed Host values it has seen).
 *
 * - Origin and Host (2025-11-25 transports, "Security Warning"): servers MUST validate Origin, and a server bound
 *   to loopback only answers requests addressed to a loopback name, which defeats DNS rebinding.
 * - Accept: a POST must accept both JSON and SSE, a GET must accept SSE.
 * - MCP-Protocol-Version: a version this server does not offer is 400.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { DEFAULT_HEADERLESS_REVISION, isListed, type SessionRevision } from '../../protocol/versions.js';

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/** Which Origin and Host values are let through. */
export interface OriginPolicy {
  /** Exact origins allowed (scheme://host[:port]); loopback origins are always allowed. */
  readonly origins: ReadonlySet<string>;
  /** Host names allowed (without port); empty means any host when bound beyond loopback. */
  readonly hosts: ReadonlySet<string>;
  /**
   * Host header values already found allowed, up to `MAX_REMEMBERED_HOSTS` of them: every request is checked, and a
   * client sends the same Host every time, so the lower-casing and port split are done once per value. Refused
   * values are not kept, so a flood of foreign names cannot take the places of the real ones.
   */
  readonly allowedHostValues: Set<string>;
  /**
   * The Host value allowed last: compared first, it spares hashing the header's fresh string for the Set, and a
   * server's clients nearly always name it the same way.
   */
  lastAllowedHost: string | undefined;
}

/**
 * What an `allowedOrigins` entry must look like: an origin as browsers send it, `scheme://host[:port]`, with no
 * path; a trailing slash or a bare host name never equals an Origin header, so such an entry would refuse the very
 * client it was meant to let in.
 */
export const ORIGIN_ENTRY = /^[a-z][a-z0-9+.-]*:\/\/[^/?#\s]+$/i;

/** What an `allowedHosts` entry must look like: a host name or a bracketed IPv6 address, with no port or scheme. */
export const HOST_ENTRY = /^(\[[0-9a-f:.]+\]|[a-z0-9_.-]+)$/i;

/** Allowed Host values remembered; beyond that each is decided per request, so memory stays bounded. */
export const MAX_REMEMBERED_HOSTS = 64;

/** Builds the policy once, from the configured lists and the bound address. */
export function buildOriginPolicy(allowedOrigins: readonly string[], allowedHosts: readonly string[], boundHost: string): OriginPolicy {
  const loopbackBound = boundHost === '127.0.0.1' || boundHost === 'localhost' || boundHost === '::1' || boundHost.startsWith('127.');
  const hosts = new Set(allowedHosts.map((h) => h.toLowerCase()));
  if (loopbackBound || hosts.size > 0) for (const h of LOOPBACK_HOSTS) hosts.add(h);
  // The bound address is how its clients reach it: bound to 127.0.0.2, every request names Host 127.0.0.2.
  if (loopbackBound) hosts.add(boundHost.includes(':') ? `[${boundHost}]` : boundHost.toLowerCase());
  return { origins: new Set(allowedOrigins.map((o) => o.toLowerCase())), hosts, allowedHostValues: new Set(), lastAllowedHost: undefined };
}

/** What may follow the name in a Host header: nothing, or a port (RFC 9110 7.2: `uri-host [ ":" port ]`). */
const PORT_SUFFIX = /^(?::\d*)?$/;

/** The name part of a Host header, lower-cased; undefined when what follows it is not a port. */
function hostName(hostHeader: string): string | undefined {
  const lower = hostHeader.toLowerCase();
  // `localhost:8080.evil.example` is not `localhost` with a port: no browser sends it, but nothing else should
  // pass for an allowed name either.
  const end = lower.startsWith('[') ? lower.indexOf(']') + 1 : lower.indexOf(':') < 0 ? lower.length : lower.indexOf(':');
  if (end <= 0 || !PORT_SUFFIX.test(lower.slice(end))) return undefined;
  return lower.slice(0, end);
}

/** Undefined when the request may proceed, else the reason for a 403. */
export function checkOrigin(headers: IncomingHttpHeaders, policy: OriginPolicy): string | undefined {
  if (policy.hosts.size > 0) {
    const host = headers.host;
    if (host === undefined) return 'Host (none) is not allowed';
    if (!hostAllowed(host, policy)) return `Host ${host} is not allowed`;
  }
  const origin = headers.origin;
  if (origin === undefined) return undefined;
  const lower = origin.toLowerCase();
  if (policy.origins.has(lower)) return undefined;
  try {
    const url = new URL(lower);
    if (LOOPBACK_HOSTS.includes(url.hostname) || LOOPBACK_HOSTS.includes(`[${url.hostname}]`)) return undefined;
  } catch {
    return `Origin ${origin} is not a valid origin`;
  }
  return `Origin ${origin} is not allowed`;
}

function hostAllowed(host: string, policy: OriginPolicy): boolean {
  if (host === policy.lastAllowedHost) return true;
  const remembered = policy.allowedHostValues;
  if (!remembered.has(host)) {
    const name = hostName(host);
    if (name === undefined || !policy.hosts.has(name)) return false;
    if (remembered.size < MAX_REMEMBERED_HOSTS) remembered.add(host);
  }
  policy.lastAllowedHost = host;
  return true;
}

/** The Accept header of nearly every POST. */
const COMMON_POST_ACCEPT = 'application/json, text/event-stream';
/** The Accept header of nearly every GET. */
const COMMON_SSE_ACCEPT = 'text/event-stream';

/** How closely a media range matches a type: not at all, any type, the same top-level type, or exactly (RFC 9110 12.5.1). */
const enum Specificity { None, Any, Family, Exact }

/**
 * Whether an Accept header admits `type` (lower case, `family` being its `type/` prefix): the most specific range
 * that matches it decides, and one weighted `q=0` says "not acceptable" (RFC 9110 12.5.1, 12.4.2). Ranges are
 * compared whole, so `application/json-seq` or `text/event-streamx` is not JSON or SSE. A quoted parameter value
 * may hold a comma or a semicolon (RFC 9110 5.6.6), so the header is scanned, not split.
 */
function admits(accept: string, type: string, family: string): boolean {
  const header = accept.toLowerCase();
  let best = Specificity.None;
  let bestQ = 0;
  let i = 0;
  while (i < header.length) {
    let end = i;
    while (end < header.length && header[end] !== ',' && header[end] !== ';') end++;
    const range = header.slice(i, end).trim();
    let q = 1;
    // The parameters of this range, up to the comma that ends it (outside quotes).
    while (end < header.length && header[end] === ';') {
      let p = end + 1;
      let quoted = false;
      while (p < header.length && (quoted || (header[p] !== ',' && header[p] !== ';'))) {
        if (header[p] === '"') quoted = !quoted;
        else if (quoted && header[p] === '\\') p++;
        p++;
      }
      const param = header.slice(end + 1, p);
      const eq = param.indexOf('=');
      // An unparseable weight is read as 1, as the range without it would be.
      if (eq >= 0 && param.slice(0, eq).trim() === 'q') {
        const weight = Number(param.slice(eq + 1).trim());
        if (param.slice(eq + 1).trim() !== '' && Number.isFinite(weight)) q = weight;
      }
      end = p;
    }
    const specificity = range === type ? Specificity.Exact : range === family ? Specificity.Family : range === '*/*' ? Specificity.Any : Specificity.None;
    if (specificity > best) {
      best = specificity;
      bestQ = q;
    } else if (specificity === best && specificity !== Specificity.None && q > bestQ) {
      bestQ = q;
    }
    i = end + 1;
  }
  return best !== Specificity.None && bestQ > 0;
}

/** True when a POST's Accept header allows both JSON and SSE answers. Media types are case-insensitive (RFC 9110 8.3.1). */
export function acceptsPost(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  // What the official SDK's client and most others send: one comparison instead of a lower-casing and two scans.
  if (accept === COMMON_POST_ACCEPT) return true;
  return admits(accept, 'application/json', 'application/*') && admits(accept, 'text/event-stream', 'text/*');
}

/** True when a GET's Accept header allows SSE. */
export function acceptsSse(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  if (accept === COMMON_SSE_ACCEPT) return true;
  return admits(accept, 'text/event-stream', 'text/*');
}

/**
 * True when a Content-Type names JSON: exactly `application/json`, in any case, with or without parameters
 * (`application/json-patch+json` is another media type).
 */
export function isJsonContentType(type: string | undefined): boolean {
  if (type === undefined) return false;
  if (type === 'application/json') return true;
  const semi = type.indexOf(';');
  return (semi < 0 ? type : type.slice(0, semi)).trim().toLowerCase() === 'application/json';
}

/**
 * The revision named by `MCP-Protocol-Version`: the header's, the 2025-03-26 default when absent (transports,
 * "Protocol Version Header"), or null when it names a revision not in `offered`. Checked against what this server
 * offers, not every revision erlmcp speaks: a server configured without 2025-03-26 does not support it, and the
 * spec makes an unsupported version a 400 (a stateless server would otherwise answer in that revision's shapes).
 */
export function headerRevision(headers: IncomingHttpHeaders, offered: readonly string[]): SessionRevision | null {
  const value = headers['mcp-protocol-version'];
  if (value === undefined) return DEFAULT_HEADERLESS_REVISION;
  return typeof value === 'string' && isListed(offered, value) ? (value as SessionRevision) : null;
}
