/**
 * `erlmcp call <url | --stdio "cmd"> <method> [json-params]`: one MCP request from the command line, for scripts and
 * people. It connects (initialize, then `notifications/initialized`), sends the request, prints the JSON result on
 * stdout and closes the session (DELETE over HTTP; over stdio the server's stdin is closed). A JSON-RPC error or a
 * transport failure is one line on stderr and exit code 1, through main.ts. `-H` is refused with `--stdio`, which has no
 * headers to carry it: silently dropped, an `Authorization` the user believed was sent was not.
 *
 * Server requests are answered so that a tool that asks still completes: roots are empty, elicitations are
 * declined, and sampling is not offered.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { McpClient } from '../client/mcp-client.js';
import type { ClientTransport } from '../client/client-transport.js';
import { PACKAGE_VERSION } from '../config/package-info.js';
import { ErlmcpError } from '../errors.js';
import { isObject, type JsonObject } from '../protocol/json-rpc.js';
import { isSessionRevision, SESSION_ERA_REVISIONS, type SessionRevision } from '../protocol/versions.js';
import { WireError } from '../protocol/wire-error.js';

interface CallFlags {
  stdio?: string;
  timeout: number;
  protocolVersion?: SessionRevision;
  header: string[];
  compact?: boolean;
}

function parseTimeout(value: string): number {
  const ms = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(ms)) throw new InvalidArgumentError('--timeout must be a whole number of milliseconds.');
  return ms;
}

function parseRevision(value: string): SessionRevision {
  if (!isSessionRevision(value)) throw new InvalidArgumentError(`--protocol-version must be one of ${SESSION_ERA_REVISIONS.join(', ')}.`);
  return value;
}

function collectHeader(value: string, previous: string[]): string[] {
  if (!/^[^:\s]+:/.test(value)) throw new InvalidArgumentError('--header must look like "Name: value".');
  return [...previous, value];
}

function parseParams(text: string | undefined): JsonObject | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `json-params is not valid JSON: ${text}`);
  }
  if (!isObject(value)) throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', 'json-params must be a JSON object');
  return value;
}

async function openTransport(target: string | undefined, flags: CallFlags): Promise<ClientTransport> {
  if (flags.stdio !== undefined) {
    const { StdioClientTransport } = await import('../transport/stdio/stdio-client-transport.js');
    return new StdioClientTransport({ command: flags.stdio, shell: true, stderr: 'inherit' });
  }
  if (target === undefined || !/^https?:\/\//.test(target)) {
    throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `call needs an http(s) URL or --stdio "command", got ${JSON.stringify(target ?? '')}`);
  }
  // Checked here, not left to the transport's `new URL`: its TypeError says only "Invalid URL", naming neither the
  // argument nor its value (a port over 65535, an unclosed IPv6 bracket).
  if (!URL.canParse(target)) {
    throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `call needs an http(s) URL or --stdio "command", got ${JSON.stringify(target)}, which is not a valid URL`);
  }
  const headers = Object.fromEntries(flags.header.map((h) => {
    const colon = h.indexOf(':');
    return [h.slice(0, colon).trim().toLowerCase(), h.slice(colon + 1).trim()];
  }));
  const { StreamableHttpClientTransport } = await import('../transport/http-client/streamable-http-client.js');
  // One request needs no standalone stream.
  return new StreamableHttpClientTransport(target, { headers, standaloneStream: false, connections: 1 });
}

/** Told after the options in `call --help`: what the exit codes and `--timeout 0` mean, for scripts. */
const CALL_HELP_AFTER = `
--timeout bounds the initialize handshake and the request, each; 0 means no
time limit.

Exit codes:
  0    the result was printed on stdout
  1    a JSON-RPC error, a timeout, a transport failure or a bad argument
       (one line on stderr)
  130  interrupted by SIGINT (Ctrl-C), 143 by SIGTERM; a --stdio server is
       ended first`;

async function call(args: string[], flags: CallFlags): Promise<void> {
  if (flags.stdio !== undefined && flags.header.length > 0) {
    throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', '-H/--header is for HTTP and cannot be used with --stdio');
  }
  const [target, method, params] = flags.stdio === undefined ? args : [undefined, ...args];
  if (method === undefined) throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', 'call needs a method, such as tools/list');
  if (args.length > (flags.stdio === undefined ? 3 : 2)) throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `call takes at most one json-params argument, got ${args.length} arguments`);
  // call sends initialize itself, with the params --protocol-version shapes: any given here would be dropped, and
  // the user would read a result negotiated with params other than the ones typed.
  if (method === 'initialize' && params !== undefined) {
    throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', 'call initialize takes no json-params: call sends initialize itself; choose the revision with --protocol-version');
  }
  const parsed = parseParams(params);
  const transport = await openTransport(target, flags);
  const client = new McpClient({ name: 'erlmcp-call', version: PACKAGE_VERSION }, {
    requestTimeoutMs: flags.timeout,
    ...(flags.protocolVersion === undefined ? {} : { protocolVersion: flags.protocolVersion }),
    roots: [],
    elicitation: () => ({ action: 'decline' }),
  });
  // What the transport could not deliver (a stdio line over the size limit, an SSE event that is not JSON) would
  // otherwise surface only as a timeout, its cause lost.
  client.on('error', (err: Error) => process.stderr.write(`erlmcp: ${err.message}\n`));
  // A --stdio server runs in a process group of its own, out of reach of the terminal's Ctrl-C: end it here, then
  // exit as the signal asks. The request fails meanwhile, which is no error to report (main.ts would exit 1).
  let interruption: Promise<void> | undefined;
  const interrupted = (signal: NodeJS.Signals): void => {
    interruption ??= client.close().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    await client.connect(transport);
    const result = method === 'initialize'
      ? { protocolVersion: client.protocolVersion, capabilities: client.serverCapabilities, serverInfo: client.serverInfo, instructions: client.instructions }
      : await client.request(method, parsed);
    process.stdout.write(`${JSON.stringify(result, null, flags.compact ? undefined : 2)}\n`);
  } catch (err) {
    if (interruption !== undefined) await interruption;
    if (err instanceof WireError) throw new Error(`${method} failed: ${err.message} (JSON-RPC error ${err.code})`, { cause: err });
    throw err;
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await client.close();
  }
}

/** The `call` command. */
export function callCommand(): Command {
  return new Command('call')
    .description('send one MCP request and print its JSON result, e.g. erlmcp call http://127.0.0.1:8080/mcp tools/list')
    .usage('<url | --stdio "cmd"> <method> [json-params]')
    .argument('<args...>', 'the server URL (unless --stdio), the method, and its params as a JSON object')
    .option('--stdio <command>', 'spawn this command line and speak stdio to it instead of HTTP')
    .addOption(new Option('--timeout <ms>', 'fail when no answer arrives within this long, 0 for no limit').argParser(parseTimeout).default(30_000))
    .option('--protocol-version <revision>', 'the revision to offer at initialize', parseRevision)
    .option('-H, --header <header>', 'an HTTP header for every request, "Name: value" (repeatable; not with --stdio)', collectHeader, [] as string[])
    .option('--compact', 'print the result on one line')
    .addHelpText('after', CALL_HELP_AFTER)
    .action(call);
}
