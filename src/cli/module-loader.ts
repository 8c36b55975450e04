/**
 * Loads the user modules a config lists (`modules:`), in order, each registering its tools, resources and prompts
 * on the server. A module exports its register function as the default export or as `register`.
 *
 * Modules are imported by file URL, so absolute paths work on every platform. `.js` and `.mjs` always load. A `.ts`
 * module that plain Node refuses is retried through tsx, when tsx is installed (it is loaded only then, so a
 * server of `.js` modules never loads it); without tsx the error says what to do.
 */
import { pathToFileURL } from 'node:url';
import type { ErlmcpConfig } from '../config/config-defaults.js';
import { ErlmcpError } from '../errors.js';
import type { McpServer } from '../server/mcp-server.js';
import { errorText } from './error-text.js';

/** What a module exports: registers its tools, resources and prompts on `server`. */
export type RegisterModule = (server: McpServer, config: ErlmcpConfig) => void | Promise<void>;

/** Imports and runs every module in `config.modules`. Fails with `ERLMCP_ERR_MODULE_LOAD`, naming the module. */
export async function loadModules(server: McpServer, config: ErlmcpConfig): Promise<void> {
  for (const [i, path] of config.modules.entries()) {
    const label = `modules[${i}] (${path})`;
    let exports: Record<string, unknown>;
    try {
      exports = await importModule(path);
    } catch (err) {
      const hint = codeOf(err) === 'ERR_UNKNOWN_FILE_EXTENSION' && /\.[cm]?ts$/.test(path)
        ? '; TypeScript modules need tsx (npm install tsx) or a compile to .js'
        : '';
      throw new ErlmcpError('ERLMCP_ERR_MODULE_LOAD', `${label} failed to load: ${errorText(err)}${hint}`, { cause: err });
    }
    const register = typeof exports.default === 'function' ? exports.default : exports.register;
    if (typeof register !== 'function') {
      throw new ErlmcpError('ERLMCP_ERR_MODULE_LOAD', `${label} exports no register function: export default (server, config) => { ... } or a named "register"`);
    }
    try {
      await (register as RegisterModule)(server, config);
    } catch (err) {
      throw new ErlmcpError('ERLMCP_ERR_MODULE_LOAD', `${label} failed to register: ${errorText(err)}`, { cause: err });
    }
  }
}

/** The Node error code of a failure; a module's top level may throw anything, `null` included. */
function codeOf(err: unknown): unknown {
  return err instanceof Error ? (err as NodeJS.ErrnoException).code : undefined;
}

async function importModule(path: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(path).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (err) {
    const unknownExtension = codeOf(err) === 'ERR_UNKNOWN_FILE_EXTENSION';
    if (!unknownExtension || !/\.[cm]?ts$/.test(path)) throw err;
    let tsx: { tsImport: (specifier: string, parentUrl: string) => Promise<unknown> };
    try {
      tsx = (await import('tsx/esm/api')) as typeof tsx;
    } catch {
      throw err;
    }
    // Node caches the failed import of this URL, so the retry goes through tsx's own namespaced import.
    return (await tsx.tsImport(url, import.meta.url)) as Record<string, unknown>;
  }
}
