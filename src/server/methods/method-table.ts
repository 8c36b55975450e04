/**
 * The shape of a method handler and of the method table the dispatcher reads.
 *
 * The table is a Map built once when the server is created; a lookup is the only per-request routing cost.
 */
import type { JsonObject } from '../../protocol/json-rpc.js';
import type { HandlerContext } from '../handler-context.js';
import type { McpServer } from '../mcp-server.js';

/** Handles one request method. `params` is the request's params object, or an empty one. */
export type MethodHandler = (
  server: McpServer,
  params: JsonObject,
  ctx: HandlerContext,
) => JsonObject | Promise<JsonObject>;

/** Handles one notification method. */
export type NotificationHandler = (server: McpServer, params: JsonObject, ctx: HandlerContext) => void;
