/**
 * An incremental parser of `text/event-stream` (WHATWG HTML, "Server-sent events", 9.2.6 "Event stream
 * interpretation"), for the client side of Streamable HTTP.
 *
 * Chunks are decoded with one streaming `TextDecoder` (a UTF-8 sequence split across chunks stays whole) and scanned
 * once for line ends; only the unfinished tail of a chunk is carried over, so a long event arriving in many small
 * chunks is not re-scanned from its start on every chunk. `id:` and `retry:` persist across events, as the spec
 * says: the last event id is what a reconnection sends as `Last-Event-ID`, and `retry:` is the reconnection delay.
 */
import { MAX_TIMER_MS } from '../../config/config-schema.js';
import { ErlmcpError } from '../../errors.js';

/** One dispatched event. */
export interface SseEvent {
  /** The `event:` field, `message` when absent. */
  readonly event: string;
  /** The `data:` lines joined with `\n`. */
  readonly data: string;
  /** The last event id in force when this event was dispatched (empty when none). */
  readonly id: string;
}

const LF = 10;
const CR = 13;

/** Parses one event stream; feed it chunks in order. */
export class SseParser {
  #decoder = new TextDecoder('utf-8');
  readonly #onEvent: (event: SseEvent) => void;
  /** The unfinished line carried over from the previous chunk. */
  #tail = '';
  /** True when the previous chunk ended in '\r', so a leading '\n' of the next one belongs to that line end. */
  #skipLf = false;
  #data: string[] = [];
  /** What the event being read holds so far, in UTF-16 units, against `#maxEventLength`. */
  #dataLength = 0;
  readonly #maxEventLength: number;
  #hasData = false;
  #event = '';
  /** The id field's value so far (WHATWG "last event ID buffer"): it counts only once its event is complete. */
  #idBuffer = '';
  #lastEventId = '';
  #retryMs: number | undefined;

  /**
   * `maxEventLength` bounds one event (its data lines and its unfinished line), in UTF-16 units: an event that
   * never ends would otherwise be buffered until the process runs out of memory. `push` throws
   * ERLMCP_ERR_MESSAGE_TOO_LARGE past it.
   */
  constructor(onEvent: (event: SseEvent) => void, maxEventLength = Number.POSITIVE_INFINITY) {
    this.#onEvent = onEvent;
    this.#maxEventLength = maxEventLength;
  }

  /**
   * The id of the last complete event (one ended by its blank line, a priming event with empty data included), the
   * value for `Last-Event-ID`; empty when none. An event cut off by a dropped connection never counts: resuming
   * after its id would skip it.
   */
  get lastEventId(): string {
    return this.#lastEventId;
  }

  /**
   * The last `retry:` value received, in milliseconds, at most `MAX_TIMER_MS`: Node runs a timer whose delay is
   * above 2^31-1 ms after 1 ms instead, so a server's `retry: 4294967296` would have made the client reconnect at once.
   */
  get retryMs(): number | undefined {
    return this.#retryMs;
  }

  /**
   * Forgets the event being read when a connection dropped, before the next connection of the same stream is fed:
   * its partial line and data would otherwise be glued to the first replayed line. The last complete event id and
   * `retry:` stay, since they are what the resumption is based on.
   */
  reset(): void {
    this.#decoder = new TextDecoder('utf-8');
    this.#tail = '';
    this.#skipLf = false;
    this.#data = [];
    this.#dataLength = 0;
    this.#hasData = false;
    this.#event = '';
    this.#idBuffer = this.#lastEventId;
  }

  /** Feeds one chunk. */
  push(chunk: Uint8Array | string): void {
    let text = typeof chunk === 'string' ? chunk : this.#decoder.decode(chunk, { stream: true });
    if (this.#skipLf) {
      this.#skipLf = false;
      if (text.charCodeAt(0) === LF) text = text.slice(1);
    }
    let start = 0;
    const length = text.length;
    for (let i = 0; i < length; i++) {
      const c = text.charCodeAt(i);
      if (c !== LF && c !== CR) continue;
      const line = start === 0 && this.#tail.length > 0 ? this.#tail + text.slice(0, i) : text.slice(start, i);
      if (start === 0) this.#tail = '';
      this.#line(line);
      if (c === CR) {
        if (i + 1 < length) {
          if (text.charCodeAt(i + 1) === LF) i++;
        } else {
          this.#skipLf = true;
        }
      }
      start = i + 1;
    }
    if (start < length) this.#tail = start === 0 ? this.#tail + text : text.slice(start);
    if (this.#tail.length + this.#dataLength > this.#maxEventLength) this.#tooLarge();
  }

  #tooLarge(): never {
    throw new ErlmcpError('ERLMCP_ERR_MESSAGE_TOO_LARGE', `An SSE event from the server is over maxMessageBytes (${this.#maxEventLength} bytes): expected an event that ends within it (raise maxMessageBytes to accept such messages)`);
  }

  #line(line: string): void {
    if (line.length === 0) {
      this.#dispatch();
      return;
    }
    if (line.charCodeAt(0) === 58 /* ':' comment */) return;
    const colon = line.indexOf(':');
    let field: string;
    let value: string;
    if (colon === -1) {
      field = line;
      value = '';
    } else {
      field = line.slice(0, colon);
      value = line.charCodeAt(colon + 1) === 32 /* ' ' */ ? line.slice(colon + 2) : line.slice(colon + 1);
    }
    switch (field) {
      case 'data':
        this.#data.push(value);
        this.#hasData = true;
        this.#dataLength += value.length + 1;
        if (this.#dataLength > this.#maxEventLength) this.#tooLarge();
        return;
      case 'event':
        this.#event = value;
        return;
      case 'id':
        if (!value.includes('\0')) this.#idBuffer = value;
        return;
      case 'retry':
        if (/^\d+$/.test(value)) this.#retryMs = Math.min(Number(value), MAX_TIMER_MS);
        return;
      default:
        return;
    }
  }

  #dispatch(): void {
    this.#lastEventId = this.#idBuffer;
    if (!this.#hasData) {
      this.#event = '';
      return;
    }
    const data = this.#data.length === 1 ? (this.#data[0] as string) : this.#data.join('\n');
    const event = this.#event === '' ? 'message' : this.#event;
    this.#data = [];
    this.#dataLength = 0;
    this.#hasData = false;
    this.#event = '';
    this.#onEvent({ event, data, id: this.#lastEventId });
  }
}
