/**
 * `erlmcp serve`: loads the config (flags over `ERLMCP_*` variables over the config file over defaults), builds
 * the server, and serves it over Streamable HTTP or, with `--stdio`, over stdin/stdout.
 */
import { Command } from 'commander';
import type { ConfigOverrides } from '../config/config-defaults.js';
import { loadConfig } from '../config/load-config.js';
import { buildServer } from './build-server.js';
import { claimStdout } from './claim-stdout.js';
import { parseHost, parseMetricsPort, parsePort } from './cli-options.js';
import { reportInternalErrors } from './error-reporter.js';
import { serveHttp } from './serve-http.js';
import { consoleToStderr, serveStdio } from './serve-stdio.js';

/** The flags of `serve`, as commander parses them; absent flags are undefined so the config decides. */
export interface ServeFlags {
  config?: string;
  host?: string;
  port?: number;
  metricsPort?: number;
  stdio?: boolean;
  stateless?: boolean;
  verbose?: boolean;
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** The config keys the flags set. */
function overridesOf(flags: ServeFlags): ConfigOverrides {
  const server: NonNullable<ConfigOverrides['server']> = {};
  if (flags.host !== undefined) server.host = flags.host;
  if (flags.port !== undefined) server.port = flags.port;
  if (flags.stateless !== undefined) server.stateless = flags.stateless;
  return flags.metricsPort === undefined ? { server } : { server, metrics: { port: flags.metricsPort } };
}

/** A log line that cannot be written is lost, and only that. */
function ignore(): void {}

async function serve(flags: ServeFlags): Promise<void> {
  // stderr is the operator's, and a stdio client MAY ignore it (basic/transports), closing its end of the pipe: the
  // EPIPE of the next log line, unhandled, would end the server in the middle of its session.
  process.stderr.on('error', ignore);
  const config = loadConfig({ ...(flags.config === undefined ? {} : { file: flags.config }), overrides: overridesOf(flags) });
  reportInternalErrors({ verbose: flags.verbose === true, log });
  // Before any module loads: from here on only the stdio transport holds the real stdout.
  const protocolOut = flags.stdio ? claimStdout() : undefined;
  if (flags.stdio) consoleToStderr();
  const server = await buildServer(config);
  if (protocolOut !== undefined) await serveStdio(server, config, log, protocolOut);
  else await serveHttp(server, config, log);
}

/** Told after the options in `serve --help`: the exit codes of shutdown.ts and main.ts, for supervisors. */
const SERVE_HELP_AFTER = `
Stopping: the first SIGINT or SIGTERM (with --stdio, also the end of stdin)
drains the server, giving requests in flight server.shutdownGraceMs to finish;
a second signal exits at once.

Exit codes:
  0      drained and stopped gracefully
  1      a startup error (config, port in use), or the drain failed or overran
         its deadline
  128+n  a second signal during the drain: 130 for SIGINT, 143 for SIGTERM`;

/** The `serve` command. */
export function serveCommand(): Command {
  return new Command('serve')
    .description('serve MCP over Streamable HTTP, or over stdin/stdout with --stdio')
    .option('-c, --config <file>', 'config file, YAML or JSON (ERLMCP_* variables override it)')
    .option('--host <host>', 'interface to bind (default: server.host, 127.0.0.1)', parseHost)
    .option('--port <port>', 'TCP port, 0 for any free one (default: server.port, 8080)', parsePort)
    .option('--metrics-port <port>', 'port of /metrics, 0 for any free one (default: metrics.port, 8081)', parseMetricsPort)
    .option('--stdio', 'serve one client over stdin/stdout instead of HTTP')
    .option('--stateless', 'serve HTTP without sessions')
    .option('--verbose', 'print stack traces of internal errors')
    .addHelpText('after', SERVE_HELP_AFTER)
    .action((flags: ServeFlags) => serve(flags));
}
