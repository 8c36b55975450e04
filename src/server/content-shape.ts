/**
 * Shapes the content a handler returns (tool result blocks, prompt message content, resource contents) for the
 * schema of a session's revision, per request, since the content is the handler's. Handlers write 2025-11-25
 * content; a peer of an older revision gets only the fields its schema defines. 2025-11-25 sessions never call
 * this: their callers return the handler's value as it is, so the hot path copies nothing.
 *
 * 2025-06-18 resource links have no `icons`. 2025-03-26 content is text, image, audio or an embedded resource, with no `_meta` on a block or on resource
 * contents, and annotations of audience and priority only: a `resource_link` becomes a text block naming the
 * resource, and the later fields are dropped.
 */
import { isObject, type JsonObject } from '../protocol/json-rpc.js';
import type { RevisionFeatures } from '../protocol/versions.js';

/** Content blocks for a revision's features; the same array when no block needs a change. */
export function contentFor(f: RevisionFeatures, blocks: readonly unknown[]): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i];
    const shaped = blockFor(f, block);
    if (shaped !== block) (out ??= blocks.slice())[i] = shaped;
  }
  return out ?? (blocks as unknown[]);
}

/** One content block (a prompt message's) the same way; the same block when it needs no change. */
export function blockFor(f: RevisionFeatures, block: unknown): unknown {
  if (!isObject(block)) return block;
  if (block.type === 'resource_link') {
    if (!f.resourceLinks) return linkText(block);
    // 2025-06-18's ResourceLink has no icons (they are 2025-11-25's, on every Resource).
    return f.icons || !('icons' in block) ? block : withoutIcons(block);
  }
  if (f.contentMeta) return block;
  const resource = block.resource;
  const bare = block.type === 'resource' && isObject(resource) && '_meta' in resource;
  if (!('_meta' in block) && !bare && !hasLastModified(block.annotations)) return block;
  const { _meta: _dropped, ...older } = block;
  if (isObject(older.annotations)) older.annotations = olderAnnotations(older.annotations);
  if (bare) older.resource = withoutMeta(resource);
  return older;
}

/**
 * Resource contents (a resources/read result's) for a revision's features: 2025-03-26's TextResourceContents and
 * BlobResourceContents have no `_meta`. The same array when none needs a change.
 */
export function contentsFor(f: RevisionFeatures, contents: readonly unknown[]): unknown[] {
  if (f.contentMeta) return contents as unknown[];
  let out: unknown[] | undefined;
  for (let i = 0; i < contents.length; i++) {
    const item = contents[i];
    if (isObject(item) && '_meta' in item) (out ??= contents.slice())[i] = withoutMeta(item);
  }
  return out ?? (contents as unknown[]);
}

function hasLastModified(annotations: unknown): boolean {
  return isObject(annotations) && 'lastModified' in annotations;
}

/** 2025-03-26 Annotations: audience and priority, no lastModified. */
function olderAnnotations(annotations: JsonObject): JsonObject {
  if (!('lastModified' in annotations)) return annotations;
  const { lastModified: _dropped, ...older } = annotations;
  return older;
}

function withoutMeta(value: JsonObject): JsonObject {
  const { _meta: _dropped, ...rest } = value;
  return rest;
}

function withoutIcons(link: JsonObject): JsonObject {
  const { icons: _dropped, ...rest } = link;
  return rest;
}

function linkText(link: JsonObject): JsonObject {
  const name = typeof link.title === 'string' ? link.title : String(link.name);
  const about = typeof link.description === 'string' ? `: ${link.description}` : '';
  return { type: 'text', text: `Resource ${name} (${String(link.uri)})${about}` };
}
