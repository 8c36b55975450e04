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

function fail(err: unknown): void {
  process.exitCode = 1;
  // Exit, rather than wait for the event loop to empty: a config module loaded before the failure may hold a timer
  // or a connection, and the process would then never end.
  process.stderr.write(`${describe(err)}\n`, () => process.exit());
}

// A reader that stops early (`erlmcp call ... | head -c1`, `erlmcp config print | true`) closes the pipe, and the
// next write to stdout fails with EPIPE: unhandled, that was a crash with a stack trace and exit 1, and `call` never
// ended its session or its --stdio server. Nobody is left to read anything, so EPIPE is ignored and the command
// finishes as it would have (`serve --stdio` still ends its session through its own listener).
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') fail(err);
});

try {
  await buildProgram().parseAsync(process.argv);
} catch (err) {
  fail(err);
}
