#!/usr/bin/env node
/**
 * The `erlmcp` executable (package.json `bin`). It parses the command line and turns any failure into one line on
 * stderr and exit code 1: config problems and module failures are the user's to fix, and already name the key,
 * the file or the flag, so a stack trace would only bury them.
 */
import { ErlmcpError } from '../errors.js';
import { buildProgram } from './program.js';

/** Config messages already start with `config:`, one line per problem; anything else gets the program's name. */
function describe(err: unknown): string {
  if (err instanceof ErlmcpError && (err.code === 'ERLMCP_ERR_CONFIG_INVALID' || err.code === 'ERLMCP_ERR_CONFIG_FILE')) {
    return err.message;
  }
  return `erlmcp: ${err instanceof Error ? err.message : String(err)}`;
}

try {
  await buildProgram().parseAsync(process.argv);
} catch (err) {
  process.exitCode = 1;
  // Exit, rather than wait for the event loop to empty: a config module loaded before the failure may hold a timer
  // or a connection, and the process would then never end.
  process.stderr.write(`${describe(err)}\n`, () => process.exit());
}
