/**
 * `erlmcp config check <file>` and `erlmcp config print [file]`: the config as `serve` would see it, validated,
 * without starting anything. `check` reads the file alone by default (a CI check should not depend on the shell
 * it runs in), and also confirms that every listed module exists and that this release builds everything the file
 * asks for, so a file it passes is one `serve` accepts; `print` shows the effective config, environment included,
 * with secrets redacted.
 */
import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { describeConfig } from '../config/describe-config.js';
import { loadConfig } from '../config/load-config.js';
import { ErlmcpError } from '../errors.js';
import { unbuiltSettings } from './build-server.js';

function check(file: string, flags: { env?: boolean }): void {
  const config = loadConfig({ file, env: flags.env ? process.env : {} });
  const missing = config.modules
    .map((path, i) => ({ path, i }))
    .filter(({ path }) => !existsSync(path))
    .map(({ path, i }) => `config: modules[${i}] names a file that does not exist: ${path}`);
  const problems = [...unbuiltSettings(config), ...missing];
  if (problems.length > 0) throw new ErlmcpError('ERLMCP_ERR_CONFIG_INVALID', problems.join('\n'));
  process.stdout.write(`config OK: ${file}\n`);
}

function print(file: string | undefined): void {
  const config = loadConfig(file === undefined ? {} : { file });
  process.stdout.write(`${describeConfig(config)}\n`);
}

/** The `config` command and its subcommands. */
export function configCommand(): Command {
  const command = new Command('config').description('check or print a config');
  command
    .command('check')
    .description('validate a config file; exits 1 and names every bad key if it is invalid')
    .argument('<file>', 'config file, YAML or JSON')
    .option('--env', 'apply ERLMCP_* environment overrides too')
    .action(check);
  command
    .command('print')
    .description('print the effective config as JSON (defaults, file, ERLMCP_* variables), secrets redacted')
    .argument('[file]', 'config file, YAML or JSON')
    .action(print);
  return command;
}
