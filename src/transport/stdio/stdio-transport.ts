/**
 * The stdio transport (MCP 2025-11-25 basic/transports, "stdio"): newline-delimited JSON over a readable and a
 * writable stream, by default the process's stdin and stdout.
 *
 * Framing never joins the read buffer per chunk, as the official SDK does (its `ReadBuffer` concatenates on every
 * chunk, which turns a large message arriving in many small chunks into quadratic copying). Here each chunk is
 * scanned once for `\n` with `Buffer#indexOf`; bytes of an unfinished line are kept as a list of chunk slices with
 * their total length, and are joined exactly once, when the line's newline arrives. A line longer than
 * `maxMessageBytes` is not buffered at all: its bytes are dropped up to the next newline and the peer gets one
 * -32600 answer, so a runaway or hostile client costs at most `maxMessageBytes` of memory. A line that is not UTF-8
 * is refused as -32700, as Streamable HTTP refuses such a body, rather than served with U+FFFD in place of its bad
 * bytes; the client, which shares this framing, reports it as it does a line that is not JSON.
 *
 * A server stops reading while its output is over the high-water mark and reads again on 'drain', as Node's HTTP
 * server stops parsing a socket whose responses are backed up: a client that keeps writing requests but reads the
 * answers slowly (or not at all) otherwise had every answer buffered in the server's memory, without bound.
 */
import type { Readable, Writable } from 'node:stream';
import {
  bytesIn, bytesOut, transportConnect, transportDisconnect, type EventOrigin, type TransportBytesEvent,
  type TransportConnectionEvent,
} from '../../diagnostics/channels.js';
import { ErlmcpError } from '../../errors.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import { decode, errorResponseOf, stringifyMessage, type JsonRpcMessage } from '../../protocol/json-rpc.js';
import { WireError } from '../../protocol/wire-error.js';
import type { Transport } from '../transport.js';
import { utf8Text } from '../utf8-text.js';

/** Options of a `StdioTransport`. */
export interface StdioTransportOptions {
  /** Where messages are read from. Default `process.stdin`. */
  input?: Readable;
  /** Where messages are written to. Default `process.stdout`. */
  output?: Writable;
  /** Longest accepted line, in bytes, excluding its line terminator. Default 4 MiB. */
  maxMessageBytes?: number;
  /**
   * Called when the input ends (the peer closed its side). The transport keeps sending until the returned promise
   * settles, then closes: so that `cat requests.jsonl | erlmcp serve --stdio` still gets the answers to requests
   * in flight at end of input. Without it the transport closes at once.
   */
  onInputEnd?: () => Promise<void> | void;
  /**
   * Answer a line that is not UTF-8 JSON, or too long, with a JSON-RPC error to the peer (the server's duty). A client
   * sets it false: it reports the bad line through `onerror` and says nothing to the server. Default true.
   */
  answerInvalidLines?: boolean;
  /**
   * Stop reading input while the output is backed up, and read again once it drains, so that a peer that reads
   * slowly cannot make this side buffer answers without bound. A client sets it false: if both ends of a pipe pair
   * stopped reading while their writes were backed up, each would wait for the other forever. Default true.
   */
  pauseInputWhileBacklogged?: boolean;
}

/** Default option values, with units in their names. */
export const STDIO_DEFAULTS = Object.freeze({
  maxMessageBytes: 4 * 1024 * 1024,
});

const LF = 0x0a;
const CR = 0x0d;
/** The answer to a line that is not UTF-8: a parse error (RFC 8259 section 8.1), built once. */
const NOT_UTF8 = Object.freeze(errorResponseOf(null, ErrorCode.ParseError, 'Parse error: the line is not valid UTF-8 (RFC 8259 section 8.1: JSON text exchanged between systems must be encoded in UTF-8)'));

/** A message-stream transport over newline-delimited JSON. */
export class StdioTransport implements Transport {
  readonly name = 'stdio';
  readonly #input: Readable;
  readonly #output: Writable;
  readonly #maxMessageBytes: number;
  /** Slices of the line being read, oldest first; joined once its newline arrives. */
  #chunks: Buffer[] = [];
  /** Total length of `#chunks`. */
  #pending = 0;
  /** True while dropping the rest of an oversize line, up to its newline. */
  #discarding = false;
  /** False until the first line has been taken: only that one may open with a byte order mark. */
  #pastFirstLine = false;
  #started = false;
  #closed = false;
  /** True once the input ended and `onInputEnd` is running. */
  #ending = false;
  readonly #onInputEnd: (() => Promise<void> | void) | undefined;
  readonly #answerInvalidLines: boolean;
  readonly #pauseInputWhileBacklogged: boolean;
  /** True once `pause()` stopped reading for good: a 'drain' must not start it again. */
  #paused = false;
  /** One shared wait for 'drain', however many sends hit backpressure at once. */
  #drain: Promise<void> | undefined;
  #resolveDrain: (() => void) | undefined;
  readonly #closedPromise: Promise<void>;
  #resolveClosed!: () => void;
  onmessage?: (message: unknown) => void;
  onerror?: (error: Error) => void;
  onclose?: () => void;
  /**
   * The server this transport serves, named in its events; set as it is connected (`Transport.origin`), or
   * `CLIENT_ORIGIN` when a client's transport frames its messages.
   */
  origin: EventOrigin | undefined = undefined;

  constructor(options: StdioTransportOptions = {}) {
    const max = options.maxMessageBytes ?? STDIO_DEFAULTS.maxMessageBytes;
    if (!Number.isInteger(max) || max <= 0) {
      throw new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `options.maxMessageBytes must be a positive integer, got ${JSON.stringify(max)}`);
    }
    this.#maxMessageBytes = max;
    this.#input = options.input ?? process.stdin;
    this.#output = options.output ?? process.stdout;
    this.#onInputEnd = options.onInputEnd;
    this.#answerInvalidLines = options.answerInvalidLines ?? true;
    this.#pauseInputWhileBacklogged = options.pauseInputWhileBacklogged ?? true;
    this.#closedPromise = new Promise((resolve) => (this.#resolveClosed = resolve));
  }

  /** Resolves once the transport has closed, from either side. */
  get closed(): Promise<void> {
    return this.#closedPromise;
  }

  /** Starts reading input. A second call does nothing. */
  async start(): Promise<void> {
    if (this.#started) return;
    if (this.#closed) throw new ErlmcpError('ERLMCP_ERR_TRANSPORT_CLOSED', 'The stdio transport is closed');
    this.#started = true;
    this.#input.on('data', this.#onData);
    this.#input.on('end', this.#onInputEnded);
    this.#input.on('close', this.#onInputEnded);
    this.#input.on('error', this.#onInputError);
    this.#output.on('error', this.#onOutputError);
    this.#output.on('close', this.#onOutputClosed);
    this.#input.resume();
    if (transportConnect.hasSubscribers) transportConnect.publish({ transport: 'stdio', origin: this.origin } satisfies TransportConnectionEvent);
  }

  /**
   * Writes one message (or batch) as one line. Resolves when the stream can take more: when the write was
   * buffered past the stream's high-water mark, only after 'drain'.
   */
  async send(message: JsonRpcMessage | JsonRpcMessage[]): Promise<void> {
    if (this.#closed) throw new ErlmcpError('ERLMCP_ERR_TRANSPORT_CLOSED', 'The stdio transport is closed');
    let text: string;
    try {
      text = stringifyMessage(message);
    } catch {
      text = this.#fallbackLine(message);
    }
    if (!this.#writeLine(text + '\n')) await this.#waitForDrain();
  }

  /** Writes one message (or batch) already serialised as JSON text, as one line; resolves as `send` does. */
  async sendText(text: string): Promise<void> {
    if (this.#closed) throw new ErlmcpError('ERLMCP_ERR_TRANSPORT_CLOSED', 'The stdio transport is closed');
    if (!this.#writeLine(text + '\n')) await this.#waitForDrain();
  }

  /** Writes one line; false when it went past the stream's high-water mark (then wait for 'drain'). */
  #writeLine(line: string): boolean {
    if (bytesOut.hasSubscribers) bytesOut.publish({ transport: 'stdio', bytes: Buffer.byteLength(line), origin: this.origin } satisfies TransportBytesEvent);
    return this.#output.write(line);
  }

  /**
   * The line of a message that JSON cannot carry (a BigInt or a cycle in a handler's result). A response goes out as
   * -32603 for its id, as Streamable HTTP answers it, since its peer waits for that id and would otherwise wait
   * forever; in a batch, only the responses that fail are replaced. Anything else still fails the send.
   */
  #fallbackLine(message: JsonRpcMessage | JsonRpcMessage[]): string {
    const one = (m: JsonRpcMessage): string => {
      try {
        return stringifyMessage(m);
      } catch (err) {
        if (!('id' in m) || m.id === undefined || 'method' in m) throw err;
        this.onerror?.(new ErlmcpError('ERLMCP_ERR_INVALID_ARGUMENT', `stdio: the answer to request ${JSON.stringify(m.id)} cannot be written as JSON (${err instanceof Error ? err.message : 'a toJSON() threw'}); sent -32603 instead`, { cause: err }));
        return stringifyMessage(errorResponseOf(m.id, ErrorCode.InternalError, 'Internal error'));
      }
    };
    return Array.isArray(message) ? `[${message.map(one).join(',')}]` : one(message);
  }

  /**
   * Stops reading input while sends still work: graceful shutdown stops taking requests, then lets those in
   * flight answer before `close()`.
   */
  pause(): void {
    this.#paused = true;
    this.#input.off('data', this.#onData);
    this.#input.pause();
  }

  /** Stops reading and drops any partial line. Does not end the output stream (stdout outlives us). Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#input.off('data', this.#onData);
    this.#input.off('end', this.#onInputEnded);
    this.#input.off('close', this.#onInputEnded);
    this.#input.off('error', this.#onInputError);
    this.#output.off('close', this.#onOutputClosed);
    // The 'error' listener on output stays: a late EPIPE must not crash the process after we are done with it.
    if (this.#started) this.#input.pause();
    this.#chunks = [];
    this.#pending = 0;
    this.#releaseDrain();
    this.#resolveClosed();
    if (this.#started && transportDisconnect.hasSubscribers) transportDisconnect.publish({ transport: 'stdio', origin: this.origin } satisfies TransportConnectionEvent);
    this.onclose?.();
  }

  #onData = (data: Buffer | string): void => {
    const chunk = typeof data === 'string' ? Buffer.from(data) : data;
    if (bytesIn.hasSubscribers) bytesIn.publish({ transport: 'stdio', bytes: chunk.length, origin: this.origin } satisfies TransportBytesEvent);
    const max = this.#maxMessageBytes;
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(LF, start);
      if (nl === -1) {
        if (this.#discarding) return;
        const rest = chunk.length - start;
        // One byte of slack: a line of exactly `max` bytes may still be followed by the '\r' of a '\r\n'.
        if (this.#pending + rest > max + 1) {
          this.#startDiscarding();
          return;
        }
        this.#chunks.push(chunk.subarray(start));
        this.#pending += rest;
        return;
      }
      if (this.#discarding) {
        this.#discarding = false;
        start = nl + 1;
        continue;
      }
      const line = this.#takeLine(chunk, start, nl);
      start = nl + 1;
      if (line === undefined) this.#rejectOversize();
      else if (line.length > 0) this.#handleLine(line);
      this.#pastFirstLine = true;
      if (this.#closed) return;
    }
  };

  /** The line ending at `nl`, without its terminator, or undefined when it is over the limit. */
  #takeLine(chunk: Buffer, start: number, nl: number): Buffer | undefined {
    let end = nl;
    let length = this.#pending + (nl - start);
    // A '\r' before the '\n' is not part of the message; it is the last byte of this chunk's slice or, when the
    // newline starts this chunk, of the last pending slice.
    let dropLastPendingByte = false;
    if (nl > start) {
      if (chunk[nl - 1] === CR) {
        end--;
        length--;
      }
    } else if (this.#pending > 0) {
      const last = this.#chunks[this.#chunks.length - 1] as Buffer;
      if (last[last.length - 1] === CR) {
        dropLastPendingByte = true;
        length--;
      }
    }
    if (length > this.#maxMessageBytes) {
      this.#chunks = [];
      this.#pending = 0;
      return undefined;
    }
    if (this.#pending === 0) return chunk.subarray(start, end);
    this.#chunks.push(chunk.subarray(start, end));
    const joined = Buffer.concat(this.#chunks, this.#pending + (end - start));
    this.#chunks = [];
    this.#pending = 0;
    return dropLastPendingByte ? joined.subarray(0, joined.length - 1) : joined;
  }

  #handleLine(line: Buffer): void {
    const utf8 = utf8Text(line);
    if (utf8 === undefined) {
      // No id is guessed from bytes that were not read, as for a line that is not JSON.
      this.#answer(NOT_UTF8);
      this.onerror?.(new WireError(ErrorCode.ParseError, 'stdio: a line was not valid UTF-8'));
      return;
    }
    // RFC 8259 section 8.1: a parser MAY ignore a byte order mark, and Windows tools (PowerShell's UTF-8 output, a
    // request file saved by Notepad) write one before the first line, which is the initialize: refused as -32700,
    // the session never started. Only the stream's first line is checked; a BOM anywhere else stays invalid JSON.
    const text = this.#pastFirstLine ? utf8 : withoutBom(utf8);
    const decoded = decode(text);
    if (decoded.ok) {
      this.onmessage?.(decoded.value);
      return;
    }
    // Whitespace-only lines are tolerated; the trim runs only on this failure path.
    if (text.trim().length === 0) return;
    this.#answer(decoded.response);
    this.onerror?.(new WireError(ErrorCode.ParseError, 'stdio: a line was not valid JSON'));
  }

  #startDiscarding(): void {
    this.#chunks = [];
    this.#pending = 0;
    this.#discarding = true;
    this.#rejectOversize();
  }

  #rejectOversize(): void {
    const message = `Message exceeds the limit of ${this.#maxMessageBytes} bytes`;
    this.#answer(errorResponseOf(null, ErrorCode.InvalidRequest, message));
    this.onerror?.(new ErlmcpError('ERLMCP_ERR_MESSAGE_TOO_LARGE', `stdio: ${message}`));
  }

  /** Sends a transport-level answer; a failure to write it is reported, not thrown into the read loop. */
  #answer(message: JsonRpcMessage): void {
    if (!this.#answerInvalidLines) return;
    this.send(message).catch((err: unknown) => this.onerror?.(err as Error));
  }

  #waitForDrain(): Promise<void> {
    this.#drain ??= new Promise<void>((resolve) => {
      this.#resolveDrain = resolve;
      this.#output.once('drain', this.#onDrain);
      // Bytes already read stay in the input's buffer, so at most its high-water mark is read ahead meanwhile.
      if (this.#pauseInputWhileBacklogged && this.#started) this.#input.pause();
    });
    return this.#drain;
  }

  #onDrain = (): void => {
    if (this.#drain === undefined) return;
    this.#drain = undefined;
    const resolve = this.#resolveDrain;
    this.#resolveDrain = undefined;
    // Resumed without our 'data' listener (after close, pause() or the end of input) the input would lose its data.
    if (this.#pauseInputWhileBacklogged && !this.#closed && !this.#paused && !this.#ending) this.#input.resume();
    resolve?.();
  };

  #releaseDrain(): void {
    this.#output.off('drain', this.#onDrain);
    this.#onDrain();
  }

  #onInputEnded = (): void => {
    if (this.#closed || this.#ending) return;
    this.#ending = true;
    this.#input.off('data', this.#onData);
    // A last line without its newline is still a message: `printf '{...}' | erlmcp serve --stdio` works.
    if (this.#pending > 0 && !this.#discarding) {
      const last = Buffer.concat(this.#chunks, this.#pending);
      this.#chunks = [];
      this.#pending = 0;
      if (last[last.length - 1] === CR) this.#handleLine(last.subarray(0, last.length - 1));
      else if (last.length <= this.#maxMessageBytes) this.#handleLine(last);
      else this.#rejectOversize();
    }
    const hook = this.#onInputEnd;
    if (hook === undefined) {
      void this.close();
      return;
    }
    Promise.resolve()
      .then(hook)
      .catch((err: unknown) => this.onerror?.(err as Error))
      .finally(() => void this.close());
  };

  #onOutputClosed = (): void => {
    void this.close();
  };

  #onInputError = (err: Error): void => {
    this.onerror?.(err);
    void this.close();
  };

  #onOutputError = (err: Error): void => {
    // EPIPE and friends: the peer is gone, so nothing more can be said to it.
    if (this.#closed) return;
    this.onerror?.(err);
    void this.close();
  };
}

/** `text` without a leading U+FEFF. */
function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
