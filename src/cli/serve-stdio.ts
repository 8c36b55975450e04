/**
 * `erlmcp serve --stdio`: one session over stdin and stdout. Stdout carries protocol messages only; every log line
 * goes to stderr. The end of stdin is a shutdown (MCP basic/lifecycle, stdio: the client closes the server's
 * input), and like a signal it lets the requests in flight answer first.
 */
import { Console } from 'node:console';
import type { Writable } from 'node:stream';
import type { ErlmcpConfig } from '../config/config-defaults.js';
import { ErlmcpError } from '../errors.js';
import { MessageKind, classify, type JsonRpcMessage, type JsonRpcRequest } from '../protocol/json-rpc.js';
import { overloadedResponse } from '../protocol/overload.js';
import type { McpServer } from '../server/mcp-server.js';
import type { ServerSession } from '../server/server-session.js';
import { StdioTransport } from '../transport/stdio/stdio-transport.js';
import { startObservability } from './observability.js';
import { Shutdown } from './shutdown.js';

/** How long past the grace period a shutdown may take before the process is ended anyway. */
const SHUTDOWN_MARGIN_MS = 5_000;
const IDLE_POLL_MS = 10;

/**
 * Ends the 2026-07-28 listen streams (each gets its graceful result), then resolves once `session` has no request
 * in flight, or after `graceMs`. A listen is in flight until cancelled, so without the first step every shutdown
 * with one open waited out the whole grace period (stdio: servers SHOULD exit promptly when their input closes).
 */
async function idle(server: McpServer, session: ServerSession | undefined, graceMs: number): Promise<void> {
  server.modern?.listen.closeAll();
  const deadline = Date.now() + graceMs;
  while (session !== undefined && session.inFlight.size > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, IDLE_POLL_MS));
  }
  // The last answers are written on the microtasks after their request left `inFlight`.
  await new Promise((resolve) => setImmediate(resolve));
}

/**
 * From the first signal on, new requests are not served, but what the client sends about those in flight still is:
 * its answers to their elicitation, sampling and roots requests, and its cancellations. Pausing the input instead
 * left a handler that awaits the client waiting out the whole grace period, its request never answered.
 *
 * A refused request is still answered, -32003 as HTTP answers it while draining (503): JSON-RPC owes every request
 * a response, and dropped, it left its client waiting until the process exited, up to the whole grace period.
 */
function stopServingRequests(transport: StdioTransport): void {
  const deliver = transport.onmessage;
  const refusal = (request: JsonRpcRequest): JsonRpcMessage => overloadedResponse(request.id, 'The server is shutting down');
  const refuse = (answer: JsonRpcMessage | JsonRpcMessage[]): void => {
    transport.send(answer).catch((err: unknown) => transport.onerror?.(err as Error));
  };
  transport.onmessage = (value) => {
    if (!Array.isArray(value)) {
      if (classify(value) !== MessageKind.Request) deliver?.(value);
      else refuse(refusal(value as JsonRpcRequest));
      return;
    }
    const requests = value.filter((item) => classify(item) === MessageKind.Request) as JsonRpcRequest[];
    const rest = value.filter((item) => classify(item) !== MessageKind.Request);
    if (rest.length > 0) deliver?.(rest);
    if (requests.length > 0) refuse(requests.map(refusal));
  };
}

/**
 * Sends every console method to stderr. Over stdio, stdout carries protocol messages only (MCP basic/transports:
 * the server MUST NOT write anything to its stdout that is not a valid MCP message), and a config module or a
 * handler that logs with `console.log` would corrupt the stream. Called before any module is loaded.
 */
export function consoleToStderr(): void {
  const toStderr = new Console({ stdout: process.stderr, stderr: process.stderr });
  const target = console as unknown as Record<string, unknown>;
  // The global console is patched in place, not replaced, so that code holding a reference to it is covered too.
  for (const [name, method] of Object.entries(toStderr)) if (typeof method === 'function') target[name] = method;
}

/**
 * Serves `server` on stdin and `output` until stdin ends or a signal arrives. `output` is the real stdout, which
 * `claimStdout()` took away from `process.stdout`.
 */
export async function serveStdio(server: McpServer, config: ErlmcpConfig, log: (line: string) => void, output: Writable): Promise<void> {
  const graceMs = config.server.shutdownGraceMs;
  // Logs and traces only: a stdio server is one client's child process, and opens no metrics port.
  const obs = await startObservability(server, config, false);
  let session: ServerSession | undefined;
  const transport = new StdioTransport({
    output,
    maxMessageBytes: config.limits.maxMessageBytes,
    onInputEnd: () => {
      // The client closed its side, so the requests this server sent it can no longer be answered: failing them now
      // lets their handlers answer at once, instead of holding the exit for the grace period (2026-07-28
      // basic/transports/stdio: servers SHOULD exit promptly when their standard input is closed).
      session?.correlator.rejectAll(new ErlmcpError('ERLMCP_ERR_TRANSPORT_CLOSED', 'The client closed its input, so it can no longer answer'));
      return idle(server, session, graceMs);
    },
  });
  transport.onerror = (err) => log(`erlmcp: ${err.message}`);
  const shutdown = new Shutdown({
    deadlineMs: graceMs + SHUTDOWN_MARGIN_MS,
    log,
    // The answers are flushed from the real stdout; process.stdout is stderr by now.
    output,
    drain: async () => {
      stopServingRequests(transport);
      await idle(server, session, graceMs);
      await transport.close();
      try {
        await server.close();
      } finally {
        await obs.close();
      }
    },
  });
  shutdown.install();
  session = await server.connect(transport);
  void transport.closed.then(() => shutdown.shutdown('end of input'));
}
