/**
 * `erlmcp serve` over HTTP as a real process (through tsx), on free ports: it resolves once both the MCP URL and
 * the metrics URL are announced on stderr, and a small fetch-based MCP client drives it. `stop()` sends SIGTERM
 * and waits for the exit, so nothing outlives the test.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { within } from './deadline.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'src/cli/main.ts');

/** A running `erlmcp serve`. */
export interface ServeProcess {
  child: ChildProcessWithoutNullStreams;
  /** The MCP endpoint, `http://127.0.0.1:P/mcp`. */
  url: string;
  /** The MCP port's origin, `http://127.0.0.1:P`. */
  origin: string;
  /** The exposition, `http://127.0.0.1:Q/metrics`; undefined when metrics are off. */
  metricsUrl: string | undefined;
  /** Everything written to stderr so far. */
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then waits for the exit. Idempotent. */
  stop(): Promise<void>;
}

/** Starts `erlmcp serve --port 0 --metrics-port 0 ...args`; `metrics: false` waits for no metrics line. */
export async function startServe(args: string[] = [], options: { metrics?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<ServeProcess> {
  const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ERLMCP_'))), ...options.env };
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', '--port', '0', '--metrics-port', '0', ...args], { cwd: ROOT, env });
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  let stderr = '';
  child.stdout.resume();
  const announced = new Promise<void>((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
      if (/^erlmcp listening on /m.test(stderr) && (options.metrics === false || /^erlmcp metrics on /m.test(stderr))) resolve();
    });
    void exited.then(({ code }) => reject(new Error(`erlmcp serve exited (${code}) before listening: ${stderr}`)));
  });
  await within(announced, 'erlmcp serve to announce its URLs', 20_000);
  const url = (/^erlmcp listening on (\S+)$/m.exec(stderr) as RegExpExecArray)[1] as string;
  const metricsUrl = /^erlmcp metrics on (\S+)$/m.exec(stderr)?.[1];
  let stopping: Promise<void> | undefined;
  return {
    child, url, origin: new URL(url).origin, metricsUrl, exited,
    stderr: () => stderr,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await exited;
      })();
      return stopping;
    },
  };
}

const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/** One MCP session over fetch. */
export class FetchSession {
  readonly #url: string;
  #headers: Record<string, string> = HEADERS;
  #nextId = 1;

  constructor(url: string) {
    this.#url = url;
  }

  /** Sends initialize and notifications/initialized. */
  async open(): Promise<this> {
    const res = await fetch(this.#url, {
      method: 'POST', headers: HEADERS,
      body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'metrics-test', version: '1' } } }),
    });
    if (res.status !== 200) throw new Error(`initialize: HTTP ${res.status}`);
    await res.text();
    this.#headers = { ...HEADERS, 'mcp-session-id': res.headers.get('mcp-session-id') ?? '', 'mcp-protocol-version': '2025-11-25' };
    await (await fetch(this.#url, { method: 'POST', headers: this.#headers, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) })).text();
    return this;
  }

  /** Sends a request; resolves with the response body as text (JSON, or an SSE stream's events). */
  async request(method: string, params?: Record<string, unknown>): Promise<string> {
    const res = await fetch(this.#url, { method: 'POST', headers: this.#headers, body: JSON.stringify({ jsonrpc: '2.0', id: this.#nextId++, method, params }) });
    return res.text();
  }

  /** Ends the session (DELETE). */
  async close(): Promise<void> {
    await (await fetch(this.#url, { method: 'DELETE', headers: this.#headers })).text();
  }
}
