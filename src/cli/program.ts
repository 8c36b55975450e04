/**
 * The `erlmcp` command line: one thin command per file, assembled here. Kept apart from main.ts, which runs it, so
 * that tests can build the program without executing it.
 */
import { Command } from 'commander';
import { PACKAGE_VERSION } from '../config/package-info.js';
import { callCommand } from './call-command.js';
import { configCommand } from './config-command.js';
import { serveCommand } from './serve-command.js';

/** The root command. */
export function buildProgram(): Command {
  return new Command('erlmcp')
    .description('erlmcp: a production platform for Model Context Protocol servers')
    .version(PACKAGE_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .addCommand(serveCommand())
    .addCommand(configCommand())
    .addCommand(callCommand());
}
