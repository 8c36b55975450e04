/**
 * resources/list, resources/templates/list, resources/read, resources/subscribe and resources/unsubscribe.
 * An unknown URI is -32002 (MCP 2025-11-25 server/resources, "Error Handling").
 */
import type { JsonObject } from '../../protocol/json-rpc.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import { WireError, invalidParams } from '../../protocol/wire-error.js';
import { featuresOf } from '../../protocol/versions.js';
import { contentsFor } from '../content-shape.js';
import type { HandlerContext } from '../handler-context.js';
import type { McpServer } from '../mcp-server.js';
import type { ResourceContents } from '../types.js';

const EMPTY: JsonObject = Object.freeze({}) as JsonObject;

/** resources/list. */
export function listResources(server: McpServer, params: JsonObject, ctx: HandlerContext): JsonObject {
  const revision = ctx.session.revision;
  return server.resources.listPage(params.cursor, server.pageSize, revision, 'resources', (r) => r.descriptor[revision]);
}

/** resources/templates/list. */
export function listTemplates(server: McpServer, params: JsonObject, ctx: HandlerContext): JsonObject {
  const revision = ctx.session.revision;
  return server.templates.listPage(params.cursor, server.pageSize, revision, 'resourceTemplates', (t) => t.descriptor[revision]);
}

function requireUri(method: string, params: JsonObject): string {
  const uri = params.uri;
  if (typeof uri !== 'string' || uri.length === 0) throw invalidParams(`${method}: params.uri must be a non-empty string`);
  return uri;
}

/**
 * resources/read: a fixed resource first, then the templates in registration order. Only a URI that nothing matches
 * is not found (-32002; -32602 under 2026-07-28, mapped by the modern dispatch). A matched reader that returns no
 * contents array (undefined, null, one contents object) is the server's failure, -32603 naming the URI (the schema's
 * InternalError: "an unexpected condition that prevents it from fulfilling the request"): a client told "not found"
 * for a resource that resources/list offers would drop a resource that exists. A template reader that finds no
 * such resource throws `new WireError(ErrorCode.ResourceNotFound, ...)`.
 */
export async function readResource(server: McpServer, params: JsonObject, ctx: HandlerContext): Promise<JsonObject> {
  const uri = requireUri('resources/read', params);
  let contents: ResourceContents[] | undefined;
  let matched = false;
  const fixed = server.resources.get(uri);
  if (fixed) {
    matched = true;
    contents = await fixed.read(uri, ctx);
  } else {
    for (const entry of server.templates.values()) {
      const variables = entry.template.match(uri);
      if (variables) {
        matched = true;
        contents = await entry.read(uri, variables, ctx);
        break;
      }
    }
  }
  if (!matched) throw new WireError(ErrorCode.ResourceNotFound, `Resource not found: ${uri}`, { uri });
  // A reader's slip is the server's failure, not a missing resource nor a result that breaks ReadResourceResult.
  if (!Array.isArray(contents)) throw new WireError(ErrorCode.InternalError, `The reader of ${uri} returned no contents array`);
  return { contents: contentsFor(featuresOf(ctx.session.revision), contents) };
}

/** True when resources/read would serve `uri`: a fixed resource, or a URI one of the templates matches. */
export function isServed(server: McpServer, uri: string): boolean {
  return server.resources.get(uri) !== undefined || server.templates.values().some((t) => t.template.match(uri) !== undefined);
}

/**
 * resources/subscribe: records the URI on the session, so `notifyResourceUpdated` reaches it. A stateless server
 * has no session to record it on and no stream to send updates on: it refuses, rather than accept a subscription
 * that can never deliver (and that every client would add to one shared record). A URI that nothing serves is
 * -32002, as resources/read answers it (server/resources, "Error Handling": "Resource not found: -32002"; and
 * "Servers MUST validate all resource URIs"): accepted, the client waited for updates of a resource that does not
 * exist, and each such URI took a place of the session's bounded subscriptions.
 */
export async function subscribe(server: McpServer, params: JsonObject, ctx: HandlerContext): Promise<JsonObject> {
  const uri = requireUri('resources/subscribe', params);
  if (ctx.session.stateless) {
    throw new WireError(ErrorCode.MethodNotFound, 'resources/subscribe needs a session: this server is stateless and has no stream to send updates on');
  }
  if (!isServed(server, uri)) throw new WireError(ErrorCode.ResourceNotFound, `Resource not found: ${uri}`, { uri });
  await server.subscribe(ctx.session, uri);
  return EMPTY;
}

/** resources/unsubscribe; a stateless server holds no subscriptions, so there is nothing to remove. */
export async function unsubscribe(server: McpServer, params: JsonObject, ctx: HandlerContext): Promise<JsonObject> {
  const uri = requireUri('resources/unsubscribe', params);
  if (!ctx.session.stateless) await server.unsubscribe(ctx.session, uri);
  return EMPTY;
}
