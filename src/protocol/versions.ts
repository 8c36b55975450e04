/**
 * The MCP revisions erlmcp speaks, grouped into eras, and version negotiation.
 *
 * An era is a family of revisions that share a lifecycle. The session era (2025-03-26 .. 2025-11-25) opens with
 * initialize and keeps state per session. The stateless era (2026-07-28 onwards) carries its version in each
 * request's `_meta`. The dispatcher asks the era which lifecycle applies, so a new era is added here, not by
 * rewriting the server.
 */

/** Every revision erlmcp can speak, newest first. */
export const SESSION_ERA_REVISIONS = ['2025-11-25', '2025-06-18', '2025-03-26'] as const;

/** A revision of the session era. */
export type SessionRevision = (typeof SESSION_ERA_REVISIONS)[number];

/** Any revision that has a session-era descriptor shape (list entries are precomputed per one of these). */
export type ProtocolRevision = SessionRevision;

/** Revisions of the stateless era, newest first (MCP 2026-07-28 basic/versioning: "Modern"). */
export const MODERN_ERA_REVISIONS = ['2026-07-28'] as const;

/** A revision of the stateless era. */
export type ModernRevision = (typeof MODERN_ERA_REVISIONS)[number];

/** Every revision erlmcp can serve, of both eras, newest first: the default of `server.revisions`. */
export const ALL_REVISIONS = [...MODERN_ERA_REVISIONS, ...SESSION_ERA_REVISIONS] as const;

/** A revision of either era. */
export type AnyRevision = SessionRevision | ModernRevision;

const modernRevisions: ReadonlySet<string> = new Set(MODERN_ERA_REVISIONS);

/**
 * True when `value` is one of `list`, compared with `===`: for the few revisions that a header names on every
 * request. A Set hashes the header's fresh string each time (about 0.1 µs, seen in a paired `perf` profile), and
 * `includes` on a frozen array is a builtin call that the optimiser does not inline.
 */
export function isListed(list: readonly string[], value: string): boolean {
  for (let i = 0; i < list.length; i++) if (list[i] === value) return true;
  return false;
}

/** True when `version` is a stateless-era revision we speak. */
export function isModernRevision(version: unknown): version is ModernRevision {
  return typeof version === 'string' && modernRevisions.has(version);
}

/** True when `version` is a revision of either era. */
export function isAnyRevision(version: unknown): version is AnyRevision {
  return isModernRevision(version) || isSessionRevision(version);
}

/** The revision offered when a client asks for one we do not speak (lifecycle, "Version Negotiation"). */
export const LATEST_SESSION_REVISION: SessionRevision = '2025-11-25';

/**
 * The revision assumed for an HTTP request without an `MCP-Protocol-Version` header, as the 2025-06-18 and
 * 2025-11-25 transports specify ("the server SHOULD assume protocol version 2025-03-26").
 */
export const DEFAULT_HEADERLESS_REVISION: SessionRevision = '2025-03-26';

const sessionRevisions: ReadonlySet<string> = new Set(SESSION_ERA_REVISIONS);

/** True when `version` is a session-era revision we speak. */
export function isSessionRevision(version: unknown): version is SessionRevision {
  return typeof version === 'string' && sessionRevisions.has(version);
}

/**
 * Picks the revision to answer an initialize with. The spec: if the server supports the requested version it MUST
 * respond with the same version; otherwise it responds with another version it supports, its latest.
 */
export function negotiateRevision(requested: unknown, offered: readonly SessionRevision[]): SessionRevision {
  if (isSessionRevision(requested) && offered.includes(requested)) return requested;
  return offered[0] ?? LATEST_SESSION_REVISION;
}

/** Feature gates that differ between revisions, so emitters can shape a message for the peer's schema. */
export interface RevisionFeatures {
  /** `title` on tools, resources, prompts and implementations (2025-06-18+). */
  readonly titles: boolean;
  /** `outputSchema` and `structuredContent` (2025-06-18+). */
  readonly structuredContent: boolean;
  /** `icons` on tools, resources, prompts and implementations (2025-11-25+). */
  readonly icons: boolean;
  /** `resource_link` content blocks (2025-06-18+). */
  readonly resourceLinks: boolean;
  /** `_meta` on content blocks and resource contents, and `lastModified` in annotations (2025-06-18+). */
  readonly contentMeta: boolean;
  /** Elicitation (2025-06-18+). */
  readonly elicitation: boolean;
  /** Elicitation modes, `form` and `url`, and the `mode` field that names them (2025-11-25+, client/elicitation). */
  readonly elicitationModes: boolean;
  /** `tools` and `toolChoice` in `sampling/createMessage` (2025-11-25+, client/sampling "Tool Use"). */
  readonly samplingTools: boolean;
  /**
   * 2025-11-25's notification params: `_meta` on progress, logging, resource-updated and cancelled notifications,
   * and the notifications only that revision defines (elicitation/complete, tasks/status).
   */
  readonly notificationMeta: boolean;
  /** JSON-RPC batches are accepted (2025-03-26 only). */
  readonly batching: boolean;
  /** SSE streams open with a priming event (an id and empty data) and a `retry:` hint (2025-11-25+). */
  readonly primingEvents: boolean;
}

const FEATURES: Readonly<Record<SessionRevision, RevisionFeatures>> = Object.freeze({
  '2025-11-25': Object.freeze({
    titles: true, structuredContent: true, icons: true, resourceLinks: true, contentMeta: true, elicitation: true,
    elicitationModes: true, samplingTools: true, notificationMeta: true, batching: false, primingEvents: true,
  }),
  '2025-06-18': Object.freeze({
    titles: true, structuredContent: true, icons: false, resourceLinks: true, contentMeta: true, elicitation: true,
    elicitationModes: false, samplingTools: false, notificationMeta: false, batching: false, primingEvents: false,
  }),
  '2025-03-26': Object.freeze({
    titles: false, structuredContent: false, icons: false, resourceLinks: false, contentMeta: false, elicitation: false,
    elicitationModes: false, samplingTools: false, notificationMeta: false, batching: true, primingEvents: false,
  }),
});

/** The feature gates of one revision. */
export function featuresOf(revision: SessionRevision): RevisionFeatures {
  return FEATURES[revision];
}
