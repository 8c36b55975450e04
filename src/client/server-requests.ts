/**
 * Answers the requests a server sends its client (MCP 2025-11-25 client/*): `ping`, `sampling/createMessage`,
 * `elicitation/create` and `roots/list`, through the handlers given in the client's options. A request the client
 * has no handler for is -32601, as the spec asks of a capability the client did not declare, and so is one the
 * negotiated revision does not have (elicitation on 2025-03-26).
 */
import { ErrorCode } from '../protocol/error-codes.js';
import { isObject, type JsonObject } from '../protocol/json-rpc.js';
import { featuresOf, isSessionRevision } from '../protocol/versions.js';
import { methodNotFound, WireError } from '../protocol/wire-error.js';
import { rootProblems, type ResolvedClientOptions, type ServerRequestContext } from './client-options.js';
import type { CreateMessageParams, ElicitParams } from './client-types.js';
import { contentProblems } from './elicitation-content.js';
import { applyElicitationDefaults } from './elicitation-defaults.js';

/** Runs the handler for one server request, in the session's negotiated `revision`, and resolves with its result. */
export async function answerServerRequest(
  options: ResolvedClientOptions,
  revision: string | undefined,
  method: string,
  params: JsonObject | undefined,
  ctx: ServerRequestContext,
): Promise<JsonObject> {
  switch (method) {
    case 'ping':
      return {};
    case 'sampling/createMessage': {
      const handler = options.sampling;
      if (handler === undefined) throw methodNotFound(method);
      return (await handler(params as unknown as CreateMessageParams, ctx)) as JsonObject;
    }
    case 'elicitation/create': {
      const handler = options.elicitation;
      // A session that negotiated a revision without elicitation (2025-03-26) does not have the method at all.
      if (handler === undefined || (isSessionRevision(revision) && !featuresOf(revision).elicitation)) throw methodNotFound(method);
      if (!isObject(params) || typeof params.message !== 'string') {
        throw new WireError(ErrorCode.InvalidParams, 'elicitation/create needs a message');
      }
      // 2025-11-25 client/elicitation, Error Handling: a mode the client did not declare is -32602, and the
      // application's handler (written for the modes it declared) never sees it.
      if (!declaresMode(options.capabilities.elicitation, params.mode)) {
        throw new WireError(ErrorCode.InvalidParams, `elicitation/create in ${JSON.stringify(params.mode ?? 'form')} mode, which this client did not declare`);
      }
      const result = await handler(params as unknown as ElicitParams, ctx);
      if (result.action !== 'accept' || params.mode === 'url') return result as JsonObject;
      const content = applyElicitationDefaults(params.requestedSchema, result.content);
      // What the application's handler accepted goes to the server: content the requested schema refuses is an
      // error here (as a bad roots list is), not data the server has to distrust.
      const problems = contentProblems(params.requestedSchema, content);
      if (problems.length > 0) throw new WireError(ErrorCode.InternalError, `the elicitation handler's answer does not fit the requested schema: ${problems.join('; ')}`);
      return { ...result, content };
    }
    case 'roots/list': {
      const handler = options.roots;
      if (handler === undefined) throw methodNotFound(method);
      const roots = await handler(ctx);
      // What the application's handler returned goes to the server: a list the schema refuses is an error here.
      const problems = rootProblems(roots, 'the roots handler\'s result');
      if (problems.length > 0) throw new WireError(ErrorCode.InternalError, problems.join('; '));
      return { roots };
    }
    default:
      throw methodNotFound(method);
  }
}

/**
 * True when the declared `elicitation` capability covers `mode` (absent means form). 2025-11-25 client/elicitation,
 * Capabilities: an empty object is form only; otherwise the modes are the keys `form` and `url`.
 */
function declaresMode(declared: JsonObject | undefined, mode: unknown): boolean {
  if (!isObject(declared)) return false;
  const form = 'form' in declared;
  const url = 'url' in declared;
  if (mode === undefined || mode === 'form') return form || !url;
  return mode === 'url' && url;
}
