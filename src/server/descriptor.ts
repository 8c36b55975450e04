/**
 * Shapes a list entry (tool, resource, template, prompt) for each protocol revision, once, at registration (the
 * content a handler returns is shaped per request, in content-shape.ts).
 *
 * Older revisions' schemas lack some fields (`title` before 2025-06-18, `icons` before 2025-11-25, `outputSchema`
 * before 2025-06-18) or refuse some values (an `outputSchema` whose root is not `type: "object"`, which 2026-07-28
 * allows); a peer of that revision gets the entry without them. Building every shape up front keeps list methods
 * free of per-request copying. The stateless era's shape is the whole entry: the 2025-11-25 one itself unless
 * something had to be left out of that.
 */
import { isObject, type JsonObject } from '../protocol/json-rpc.js';
import { MODERN_ERA_REVISIONS, SESSION_ERA_REVISIONS, featuresOf, type ModernRevision, type ProtocolRevision } from '../protocol/versions.js';

/** One precomputed shape per revision, of both eras. */
export type DescriptorByRevision = Readonly<Record<ProtocolRevision | ModernRevision, JsonObject>>;

/** Drops undefined fields, then the fields each revision does not know. Every shape is frozen. */
export function describeForRevisions(full: JsonObject): DescriptorByRevision {
  const clean: JsonObject = {};
  for (const [k, v] of Object.entries(full)) if (v !== undefined) clean[k] = v;
  const out = {} as Record<ProtocolRevision | ModernRevision, JsonObject>;
  for (const revision of SESSION_ERA_REVISIONS) {
    const f = featuresOf(revision);
    const shaped: JsonObject = { ...clean };
    if (!f.titles) {
      // 2025-03-26 knows neither titles nor `_meta` on list entries, nor titles on prompt arguments.
      delete shaped.title;
      delete shaped._meta;
      if (Array.isArray(shaped.arguments)) shaped.arguments = shaped.arguments.map((a) => withoutTitle(a));
      // Nor `lastModified` in a resource's annotations (its Annotations are audience and priority).
      if (isObject(shaped.annotations) && 'lastModified' in shaped.annotations) {
        const { lastModified: _dropped, ...older } = shaped.annotations;
        shaped.annotations = older;
      }
    }
    if (!f.icons) delete shaped.icons;
    // 2025-06-18 and 2025-11-25 Tool.outputSchema: `"type": { "const": "object" }`, required.
    if (!f.structuredContent || !(isObject(shaped.outputSchema) && shaped.outputSchema.type === 'object')) delete shaped.outputSchema;
    out[revision] = Object.freeze(shaped);
  }
  const latest = out['2025-11-25'];
  const whole = Object.keys(latest).length === Object.keys(clean).length ? latest : Object.freeze(clean);
  for (const revision of MODERN_ERA_REVISIONS) out[revision] = whole;
  return Object.freeze(out);
}

function withoutTitle(entry: unknown): unknown {
  if (typeof entry !== 'object' || entry === null || !('title' in entry)) return entry;
  const { title: _dropped, ...rest } = entry as JsonObject;
  return rest;
}
