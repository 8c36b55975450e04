/**
 * One Server-Sent Events stream of Streamable HTTP: a POST's answer stream or a session's GET stream.
 *
 * Every event gets an id `<streamId>/<n>` and, when the session is stored, is recorded in the EventStore before it
 * is written, so a client that lost the connection resumes with `Last-Event-ID` (2025-11-25 transports,
 * "Resumability and Redelivery"). The stream outlives its HTTP response: if the client disconnects, events keep
 * being recorded, and a resuming GET re-attaches a new response to the same stream.
 */
import type { ServerResponse } from 'node:http';
import { stringifyMessage, type JsonRpcMessage } from '../../protocol/json-rpc.js';
import { featuresOf, type SessionRevision } from '../../protocol/versions.js';
import { eventIdOf, newStreamId, sequenceOf, type EventStore, type StoredEvent } from '../../session/event-store.js';

/** Priming events (an id with empty data) are for 2025-11-25 clients; older ones may not expect empty data. */
export function primes(revision: SessionRevision): boolean {
  return featuresOf(revision).primingEvents;
}

/** Options of one stream. */
export interface SseStreamOptions {
  readonly sessionId: string;
  /** Where events are recorded for resumption; null in stateless mode, where nothing can resume. */
  readonly events: EventStore | null;
  /** Sent as `retry:` in the priming event, telling the client how soon to reconnect. */
  readonly retryMs: number;
  /** Called once when the stream has ended for good. */
  readonly onEnd?: (stream: SseStream) => void;
  /**
   * True once the session has ended. A handler still running then (its answer, the cancellation of its client
   * request) is written but no longer recorded: the session's events were already dropped, and a record made
   * after that would never be dropped again.
   */
  readonly sessionEnded?: () => boolean;
  /**
   * The interval of the `:` comment lines written while a response carries the stream and nothing else is sent.
   * Proxies cut idle responses (nginx after 60 s by default), and a write is how a vanished client is found out:
   * without them a GET stream with nothing to say held its session for ever. Undefined writes none.
   */
  readonly keepAliveMs?: number;
}

/** The keep-alive frame: an SSE comment, which carries no id and so leaves `Last-Event-ID` alone. */
const KEEP_ALIVE_FRAME = ':\n\n';

/** A live SSE stream. */
export class SseStream {
  readonly id: string;
  readonly #options: SseStreamOptions;
  #res: ServerResponse | undefined;
  /** The keep-alive timer of the response attached now. */
  #keepAlive: NodeJS.Timeout | undefined;
  #seq = 0;
  #ended = false;
  /** True once an event of this stream is in the store. */
  #stored = false;
  /** Frames sent while a resuming client's replay is read from the store, by sequence number. */
  #held: { seq: number; frame: string }[] | undefined;

  constructor(options: SseStreamOptions, id: string = newStreamId()) {
    this.#options = options;
    this.id = id;
  }

  /** The session the stream belongs to. */
  get sessionId(): string {
    return this.#options.sessionId;
  }

  /** True once `end` ran. */
  get ended(): boolean {
    return this.#ended;
  }

  /** True while an HTTP response carries the stream. */
  get attached(): boolean {
    return this.#res !== undefined;
  }

  /**
   * Binds the stream to a response whose SSE headers are already written. With `prime`, first sends an event
   * with an id and empty data, and the `retry:` hint (2025-11-25: the server SHOULD prime the client to reconnect).
   */
  attach(res: ServerResponse, prime: boolean): void {
    // A client that left while the response was being set up (a bus or store round trip): its 'close' has
    // fired already, so binding it would leave the stream "attached" to nothing, and every later GET a 409.
    if (res.destroyed) return;
    // One connection at a time: a response this replaces would stay open and receive nothing.
    if (this.#res !== undefined && this.#res !== res) this.#res.end();
    this.#bind(res);
    res.on('close', () => {
      if (this.#res === res) this.#bind(undefined);
    });
    if (prime && this.#options.events) res.write(primingFrame(eventIdOf(this.id, ++this.#seq), this.#options.retryMs));
  }

  /** Records and writes one message; a message JSON cannot carry throws before anything changes. */
  send(message: JsonRpcMessage): void {
    if (!this.#ended) this.#write(stringifyMessage(message), false);
  }

  /**
   * Records and writes the stream's last message, its request's answer as the dispatcher serialised it, then ends
   * it. A stream that stored nothing before it (the answer of a handler that ran past its first tick and sent
   * nothing first, one per request in `sse` response mode) is complete as written, as a one-body answer is, and is
   * stored the same way (`appendAnswer`): with `append`, a hundred of them pushed a GET stream's stored backlog out
   * of the memory store's per-session bound.
   */
  finish(data: string): void {
    if (!this.#ended) this.#write(data, true);
    this.end();
  }

  /** Records (when the stream is resumable) and writes one message's JSON text. */
  #write(data: string, last: boolean): void {
    const events = this.#options.events;
    let frame: string;
    if (events) {
      const id = eventIdOf(this.id, ++this.#seq);
      if (this.#options.sessionEnded?.() !== true) {
        if (last && !this.#stored && events.appendAnswer !== undefined) void events.appendAnswer(this.#options.sessionId, this.id, id, data);
        else void events.append(this.#options.sessionId, this.id, id, data);
        this.#stored = true;
      }
      frame = dataFrame(data, id);
      if (this.#held) this.#held.push({ seq: this.#seq, frame });
    } else {
      frame = dataFrame(data, undefined);
    }
    this.#res?.write(frame);
  }

  /** Ends the stream and its response. Idempotent. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    const res = this.#res;
    this.#bind(undefined);
    res?.end();
    this.#options.onEnd?.(this);
  }

  /**
   * Detaches the stream and keeps what it sends from now on, so a resuming client can read the store's replay
   * first and then `resumeOn` its connection without losing or repeating an event.
   */
  /** True between `hold` and `resumeOn`: a resuming client is reading the store, and the stream is theirs. */
  get held(): boolean {
    return this.#held !== undefined;
  }

  hold(): void {
    this.detach();
    this.#held = [];
  }

  /** Gives up a hold without resuming (the store read failed): what was sent meanwhile is in the store already. */
  release(): void {
    this.#held = undefined;
  }

  /** Re-attaches a held stream, first writing what it sent after event number `afterSeq`. */
  resumeOn(res: ServerResponse, afterSeq: number): void {
    for (const { seq, frame } of this.#held ?? []) if (seq > afterSeq) res.write(frame);
    this.#held = undefined;
    if (this.#ended) res.end();
    else this.attach(res, false);
  }

  /**
   * Closes the current response but keeps the stream, so the client reconnects and resumes with
   * `Last-Event-ID` (SEP-1699 polling).
   */
  detach(): void {
    const res = this.#res;
    this.#bind(undefined);
    res?.end();
  }

  /** Makes `res` the response that carries the stream, with its keep-alive timer; undefined leaves none. */
  #bind(res: ServerResponse | undefined): void {
    clearInterval(this.#keepAlive);
    this.#keepAlive = undefined;
    this.#res = res;
    const every = this.#options.keepAliveMs;
    if (res === undefined || every === undefined) return;
    this.#keepAlive = setInterval(() => {
      if (!res.writableEnded) res.write(KEEP_ALIVE_FRAME);
    }, every);
    this.#keepAlive.unref();
  }
}

/**
 * Writes already-recorded events to a resuming client's response; returns the sequence number of the last event
 * the client now has (that of `lastEventId` when nothing was replayed).
 */
export function writeStoredEvents(res: ServerResponse, events: readonly StoredEvent[], lastEventId: string): number {
  for (const { id, data } of events) res.write(dataFrame(data, id));
  const last = events.length > 0 ? (events[events.length - 1] as StoredEvent).id : lastEventId;
  return sequenceOf(last) ?? 0;
}

/** The priming event: an id and empty data, with the `retry:` hint (2025-11-25 transports). */
export function primingFrame(id: string, retryMs: number): string {
  return `id: ${id}\nretry: ${retryMs}\ndata: \n\n`;
}

/**
 * The whole SSE body of a POST answered at once (its handler sent nothing before the result): the priming event
 * and the response (`data`, its JSON text), with the same ids and the same record in the store as an `SseStream`
 * would make, so a client resumes from it alike. Written as one body with a Content-Length, it costs one write
 * instead of a chunked stream.
 */
export function sseAnswerBody(data: string, sessionId: string, events: EventStore | null, prime: boolean, retryMs: number): string {
  if (events === null) return dataFrame(data, undefined);
  const streamId = newStreamId();
  const id = eventIdOf(streamId, prime ? 2 : 1);
  if (events.appendAnswer !== undefined) void events.appendAnswer(sessionId, streamId, id, data);
  else void events.append(sessionId, streamId, id, data);
  const frame = dataFrame(data, id);
  return prime ? primingFrame(eventIdOf(streamId, 1), retryMs) + frame : frame;
}

/** One SSE event carrying a JSON-RPC message, with its id when the stream is resumable. */
export function sseFrame(message: JsonRpcMessage, id?: string): string {
  return dataFrame(stringifyMessage(message), id);
}

/** The frame of a message already in its JSON text (a request's answer, as the dispatcher serialised it). */
export function dataFrame(data: string, id: string | undefined): string {
  return id === undefined ? `event: message\ndata: ${data}\n\n` : `id: ${id}\nevent: message\ndata: ${data}\n\n`;
}
