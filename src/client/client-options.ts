/**
 * The options of `McpClient`: its defaults in one documented constant, the handlers of the requests a server sends
 * (sampling, elicitation, roots), and the validation that runs once, at construction, naming the option path.
 */
import { ErlmcpError } from '../errors.js';
import { isSessionRevision, LATEST_SESSION_REVISION, type SessionRevision } from '../protocol/versions.js';
import type {
  ClientCapabilities, CreateMessageParams, CreateMessageResult, ElicitParams, ElicitResult, Root,
} from './client-types.js';

/** What a server-request handler gets besides the params. */
export interface ServerRequestContext {
  /** Aborts when the server cancels the request or the client closes. */
  signal: AbortSignal;
  /** The request's id. */
  requestId: string | number;
}

/** Answers `sampling/createMessage`. */
export type SamplingHandler = (params: CreateMessageParams, ctx: ServerRequestContext) => CreateMessageResult | Promise<CreateMessageResult>;
/** Answers `elicitation/create`; the schema's defaults are applied to an accepted answer's omitted fields. */
export type ElicitationHandler = (params: ElicitParams, ctx: ServerRequestContext) => ElicitResult | Promise<ElicitResult>;
/** Answers `roots/list`. */
export type RootsHandler = (ctx: ServerRequestContext) => Root[] | Promise<Root[]>;

/** Options of an `McpClient`. */
export interface McpClientOptions {
  /** The revision offered at initialize. Default 2025-11-25. */
  protocolVersion?: SessionRevision;
  /** Default per-request timeout, in ms; 0 disables. Default 60 000. */
  requestTimeoutMs?: number;
  /** Granularity of the shared timeout sweep, in ms. Default 50. */
  timerResolutionMs?: number;
  /** Capabilities declared besides those the handlers imply. */
  capabilities?: ClientCapabilities;
  /** Answers sampling requests; declares the `sampling` capability. */
  sampling?: SamplingHandler;
  /** Answers form elicitations; declares the `elicitation` capability. */
  elicitation?: ElicitationHandler;
  /** The client's roots, or a function listing them; declares `roots` with `listChanged`. */
  roots?: readonly Root[] | RootsHandler;
}

/** The validated, frozen options. */
export interface ResolvedClientOptions {
  readonly protocolVersion: SessionRevision;
  readonly requestTimeoutMs: number;
  readonly timerResolutionMs: number;
  readonly capabilities: ClientCapabilities;
  readonly sampling: SamplingHandler | undefined;
  readonly elicitation: ElicitationHandler | undefined;
  readonly roots: RootsHandler | undefined;
}

/** Default option values, with units in their names. */
export const CLIENT_DEFAULTS = Object.freeze({
  protocolVersion: LATEST_SESSION_REVISION,
  requestTimeoutMs: 60_000,
  timerResolutionMs: 50,
});

function invalid(path: string, message: string, value: unknown): ErlmcpError {
  return new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `options.${path} ${message}, got ${JSON.stringify(value)}`);
}

function nonNegativeInteger(path: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) throw invalid(path, 'must be a non-negative integer', value);
  return value;
}

/**
 * The problems of a root list, each naming its path: a root is an object whose `uri` is a `file://` URI (the
 * schema's Root: "This *must* start with file:// for now") and whose optional `name` is a string.
 */
export function rootProblems(roots: unknown, path: string): string[] {
  if (!Array.isArray(roots)) return [`${path} must be an array of roots, got ${typeof roots}`];
  const out: string[] = [];
  roots.forEach((root: unknown, i) => {
    const at = `${path}[${i}]`;
    if (typeof root !== 'object' || root === null || Array.isArray(root)) out.push(`${at} must be an object with a uri`);
    else if (typeof (root as Root).uri !== 'string' || !(root as Root).uri.startsWith('file://')) out.push(`${at}.uri must be a string starting with file://, got ${JSON.stringify((root as Root).uri)}`);
    else if ((root as Root).name !== undefined && typeof (root as Root).name !== 'string') out.push(`${at}.name must be a string`);
  });
  return out;
}

/** Validates client options once and freezes the result. */
export function resolveClientOptions(options: McpClientOptions): ResolvedClientOptions {
  const protocolVersion = options.protocolVersion ?? CLIENT_DEFAULTS.protocolVersion;
  if (!isSessionRevision(protocolVersion)) throw invalid('protocolVersion', 'must be a supported revision', protocolVersion);
  for (const key of ['sampling', 'elicitation'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'function') throw invalid(key, 'must be a function', typeof options[key]);
  }
  const roots = options.roots;
  let rootsHandler: RootsHandler | undefined;
  if (typeof roots === 'function') rootsHandler = roots;
  else if (Array.isArray(roots)) {
    const problems = rootProblems(roots, 'options.roots');
    if (problems.length > 0) throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', problems.join('; '));
    const list = roots.map((r) => ({ ...r }));
    rootsHandler = () => list.map((r) => ({ ...r }));
  } else if (roots !== undefined) throw invalid('roots', 'must be an array of roots or a function', typeof roots);
  const declared: unknown = options.capabilities;
  if (declared !== undefined && (typeof declared !== 'object' || declared === null || Array.isArray(declared))) {
    throw invalid('capabilities', 'must be an object of capabilities', declared);
  }
  const capabilities: ClientCapabilities = { ...options.capabilities };
  if (options.sampling) capabilities.sampling ??= {};
  // 2025-11-25 names the modes a client supports; older revisions only know the empty object (form).
  if (options.elicitation) capabilities.elicitation ??= protocolVersion === '2025-11-25' ? { form: {} } : {};
  if (rootsHandler) capabilities.roots ??= { listChanged: true };
  return Object.freeze({
    protocolVersion,
    requestTimeoutMs: nonNegativeInteger('requestTimeoutMs', options.requestTimeoutMs, CLIENT_DEFAULTS.requestTimeoutMs),
    timerResolutionMs: Math.max(1, nonNegativeInteger('timerResolutionMs', options.timerResolutionMs, CLIENT_DEFAULTS.timerResolutionMs)),
    capabilities: Object.freeze(capabilities),
    sampling: options.sampling,
    elicitation: options.elicitation,
    roots: rootsHandler,
  });
}
