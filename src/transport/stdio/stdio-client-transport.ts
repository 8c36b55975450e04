/**
 * The client side of the stdio transport (MCP 2025-11-25 basic/transports, "stdio"): it spawns the server as a child
 * process and speaks newline-delimited JSON over the child's stdin and stdout.
 *
 * Framing is not written twice: the child's stdout and stdin are handed to a `StdioTransport`, the same framing the
 * server uses (one scan per chunk, one join per line, a size limit). Closing follows the spec's shutdown order:
 * close the child's stdin, wait for it to exit, then SIGTERM, then SIGKILL.
 *
 * A line from the server over `maxMessageBytes` closes the connection. It is dropped unread, so which request it
 * answered (if it was an answer at all, and not a server request or notification) is unknown: its `"id"` may come
 * after megabytes of result, or a nested `"id"` before it, and guessing from the first bytes could fail the wrong
 * request and leave the right one waiting out its timeout. Closing fails every pending request at once, each naming
 * the limit, and a server whose answers outgrow the limit would most likely send more of them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { MAX_TIMER_MS } from '../../config/config-schema.js';
import { CLIENT_ORIGIN } from '../../diagnostics/channels.js';
import { ErlmcpError } from '../../errors.js';
import type { JsonRpcMessage } from '../../protocol/json-rpc.js';
import type { ClientTransport } from '../../client/client-transport.js';
import { STDIO_DEFAULTS, StdioTransport } from './stdio-transport.js';

/** Options of a `StdioClientTransport`. */
export interface StdioClientTransportOptions {
  /** The program to run, or with `shell: true` a whole command line. */
  command: string;
  /** Its arguments. */
  args?: readonly string[];
  /** Run `command` through the shell (for a command line given as one string). Default false. */
  shell?: boolean;
  /** Working directory of the child. */
  cwd?: string;
  /** Environment of the child. Default: this process's. */
  env?: NodeJS.ProcessEnv;
  /** What becomes of the child's stderr. Default `inherit`; `pipe` exposes it as `stderr`. */
  stderr?: 'inherit' | 'pipe' | 'ignore';
  /** Longest accepted line from the server, in bytes. Default 4 MiB. */
  maxMessageBytes?: number;
  /** How long close() waits for the child to exit on its own, then after SIGTERM, in ms. Default 2000. */
  exitTimeoutMs?: number;
}

/** Default option values, with units in their names. */
export const STDIO_CLIENT_DEFAULTS = Object.freeze({ exitTimeoutMs: 2000 });

/**
 * Everything wrong with the options, each naming its option, checked before anything is spawned: a bad option found
 * after the spawn left a server running, and a non-numeric `exitTimeoutMs` became a 1 ms wait before SIGTERM.
 */
function optionProblems(o: StdioClientTransportOptions): string[] {
  const out: string[] = [];
  if (typeof o.command !== 'string' || o.command.length === 0) out.push('options.command must be a non-empty string');
  if (o.args !== undefined && !(Array.isArray(o.args) && o.args.every((a) => typeof a === 'string'))) out.push('options.args must be an array of strings');
  if (o.stderr !== undefined && !['inherit', 'pipe', 'ignore'].includes(o.stderr)) out.push(`options.stderr must be inherit, pipe or ignore, got ${JSON.stringify(o.stderr)}`);
  if (o.maxMessageBytes !== undefined && !(Number.isInteger(o.maxMessageBytes) && o.maxMessageBytes > 0)) {
    out.push(`options.maxMessageBytes must be a positive integer, got ${JSON.stringify(o.maxMessageBytes)}`);
  }
  if (o.exitTimeoutMs !== undefined && !(Number.isInteger(o.exitTimeoutMs) && o.exitTimeoutMs >= 0 && o.exitTimeoutMs <= MAX_TIMER_MS)) {
    out.push(`options.exitTimeoutMs must be an integer number of ms from 0 to ${MAX_TIMER_MS}, got ${JSON.stringify(o.exitTimeoutMs)}`);
  }
  return out;
}

/** A client transport to a server it spawns. */
export class StdioClientTransport implements ClientTransport {
  readonly #options: StdioClientTransportOptions;
  /** Set once close() asks the child to stop: an exit after that is ours, not news. */
  #stopping = false;
  #child: ChildProcess | undefined;
  #framing: StdioTransport | undefined;
  #closing: Promise<void> | undefined;
  #closeReported = false;
  onmessage?: (message: unknown) => void;
  onerror?: (error: Error) => void;
  onclose?: () => void;

  constructor(options: StdioClientTransportOptions) {
    const problems = optionProblems(options);
    if (problems.length > 0) throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', problems.join('; '));
    this.#options = Object.freeze({ ...options });
  }

  /** The child's stderr, when `stderr: 'pipe'`. */
  get stderr(): NodeJS.ReadableStream | null {
    return this.#child?.stderr ?? null;
  }

  /** The child's pid, once started. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Spawns the server; resolves once it runs, rejects when it cannot be started. */
  async start(): Promise<void> {
    // After close() nothing could stop a new child: close() is idempotent and would not run again.
    if (this.#closing !== undefined) throw new ErlmcpError('ERLMCP_ERR_TRANSPORT_CLOSED', 'The stdio client transport was closed; make a new one');
    if (this.#child !== undefined) return;
    const o = this.#options;
    const child = spawn(o.command, [...(o.args ?? [])], {
      cwd: o.cwd,
      env: o.env ?? process.env,
      shell: o.shell ?? false,
      // Through a shell, the server is the shell's child: it gets a process group of its own, so close() can signal
      // the whole group. Signalling the shell alone left the server orphaned, holding the pipes open.
      detached: (o.shell ?? false) && process.platform !== 'win32',
      stdio: ['pipe', 'pipe', o.stderr ?? 'inherit'],
      windowsHide: true,
    });
    this.#child = child;
    try {
      await Promise.race([once(child, 'spawn'), once(child, 'error').then(([err]) => Promise.reject(err as Error))]);
    } catch (err) {
      this.#child = undefined;
      throw new ErlmcpError('ERLMCP_ERR_SPAWN_FAILED', `could not start ${o.command}: ${(err as Error).message}`, { cause: err });
    }
    const framing = new StdioTransport({
      input: child.stdout as NonNullable<ChildProcess['stdout']>,
      output: child.stdin as NonNullable<ChildProcess['stdin']>,
      ...(o.maxMessageBytes === undefined ? {} : { maxMessageBytes: o.maxMessageBytes }),
      answerInvalidLines: false,
      // The server stops reading while its stdout is backed up; were the client to do the same, each would wait.
      pauseInputWhileBacklogged: false,
    });
    // Set before start(): its connect event already names it, so a server's observers skip this connection.
    framing.origin = CLIENT_ORIGIN;
    framing.onmessage = (message) => this.onmessage?.(message);
    framing.onerror = (error) => {
      if (error instanceof ErlmcpError && error.code === 'ERLMCP_ERR_MESSAGE_TOO_LARGE') this.#failOversize(error);
      else this.onerror?.(error);
    };
    // The server's output ended: when it is exiting on its own, let its exit be seen (and reported) first.
    framing.onclose = () => {
      if (child.exitCode !== null || child.signalCode !== null || this.#closing !== undefined) return void this.close();
      void within(once(child, 'exit'), this.#options.exitTimeoutMs ?? STDIO_CLIENT_DEFAULTS.exitTimeoutMs).then(() => this.close());
    };
    child.on('error', (err) => this.onerror?.(err));
    child.once('exit', (code, signal) => {
      // Exiting before close() is the server's doing: say how, since the pending requests only learn that the
      // connection closed.
      if (!this.#stopping) {
        this.onerror?.(new ErlmcpError('ERLMCP_ERR_TRANSPORT_CLOSED', `The server process exited with ${signal === null ? `code ${String(code)}` : `signal ${signal}`}; its stderr may say why`));
      }
      void this.close();
    });
    this.#framing = framing;
    await framing.start();
  }

  async send(message: JsonRpcMessage | JsonRpcMessage[]): Promise<void> {
    if (this.#framing === undefined || this.#closing !== undefined) {
      throw new ErlmcpError('ERLMCP_ERR_TRANSPORT_CLOSED', 'The stdio client transport is not running');
    }
    await this.#framing.send(message);
  }

  /**
   * Closes the server's stdin, then waits for it to exit, escalating to SIGTERM and SIGKILL. `onclose` runs as soon
   * as the stream is closed; the promise resolves once the child has exited. Idempotent.
   */
  close(): Promise<void> {
    if (this.#closing === undefined) {
      // Assigned before the shutdown starts: closing the framing calls back into close() synchronously.
      let done!: () => void;
      this.#closing = new Promise((resolve) => (done = resolve));
      this.#shutdown().catch((err: unknown) => this.onerror?.(err as Error)).finally(done);
    }
    return this.#closing;
  }

  /** Closes the connection for a line over the limit, with the cause every pending request is failed with. */
  #failOversize(error: ErlmcpError): void {
    const max = this.#options.maxMessageBytes ?? STDIO_DEFAULTS.maxMessageBytes;
    this.onerror?.(new ErlmcpError('ERLMCP_ERR_TRANSPORT_CLOSED', `The server sent a message over maxMessageBytes (${max} bytes); the connection is closed, since the request it answered cannot be known without reading it (raise maxMessageBytes to accept such messages)`, { cause: error }));
    void this.close();
  }

  /** onclose, once. */
  #reportClosed(): void {
    if (this.#closeReported) return;
    this.#closeReported = true;
    this.onclose?.();
  }

  #signal(child: ChildProcess, signal: NodeJS.Signals): void {
    signalGroup(child, this.#options.shell === true, signal);
  }

  async #shutdown(): Promise<void> {
    const child = this.#child;
    try {
      await this.#framing?.close();
      // The stream has ended, so what waits on it learns now: not once the child has exited, which a server still
      // draining its own requests can put off for its whole grace period, or the SIGKILL after two exitTimeoutMs.
      this.#reportClosed();
      if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      this.#stopping = true;
      child.stdin?.end();
      const waitMs = this.#options.exitTimeoutMs ?? STDIO_CLIENT_DEFAULTS.exitTimeoutMs;
      if (await within(exited, waitMs)) return;
      this.#signal(child, 'SIGTERM');
      if (await within(exited, waitMs)) return;
      this.#signal(child, 'SIGKILL');
      await exited;
    } finally {
      // What the shell started may outlive it; the group goes with the transport.
      if (child !== undefined && this.#options.shell === true) this.#signal(child, 'SIGTERM');
      this.#reportClosed();
    }
  }
}

/** Signals the child, or its whole process group when it runs through a shell. */
function signalGroup(child: ChildProcess, shell: boolean, signal: NodeJS.Signals): void {
  if (shell && child.pid !== undefined && process.platform !== 'win32') {
    try {
      process.kill(-child.pid, signal);
      return;
    } catch {
      // The group is gone already.
      return;
    }
  }
  child.kill(signal);
}

/** True when `promise` settles within `ms`. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
