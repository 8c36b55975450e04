/**
 * The SSE streams a Streamable HTTP client reads, and their resumption (MCP 2025-11-25 basic/transports, "Resumability
 * and Redelivery"): a POST's answer stream is followed until every request of the POST was answered, and the
 * standalone GET stream until close; either one, when it ends, is resumed with GET and `Last-Event-ID` after the
 * server's `retry:` delay (SEP-1699), a bounded number of times in a row.
 *
 * Both kinds share the same reading, parsing and reconnection rules, which are a state machine of their own (attempts,
 * the last event id, the last failure), apart from how requests are sent. So they live here, and the transport
 * (streamable-http-client.ts) keeps the HTTP requests, the session and the headers: it hands over the GET to
 * resume with and the callbacks to deliver to, and nothing of its state.
 */
import type * as Undici from 'undici';
import { ErlmcpError } from '../../errors.js';
import { delay, type Exchange, type Exchanges } from './exchanges.js';
import { idlessError } from './post-answers.js';
import { SseParser } from './sse-parser.js';

/** The body of an undici response. */
export type ResponseBody = Undici.Dispatcher.ResponseData['body'];

/** What the streams need of their transport, passed in rather than read from it. */
export interface StreamHost {
  /** A GET of the SSE stream, resuming after `lastEventId` when given; undefined when the server offers none. */
  get(lastEventId: string | undefined, signal: AbortSignal): Promise<ResponseBody | undefined>;
  /** Hands one message from the server to the client (`onmessage`). */
  deliver(message: unknown): void;
  /** Reports a problem that does not end the transport (`onerror`). */
  report(err: Error): void;
  /** True once the transport closed: nothing is resumed or reported after that. */
  closed(): boolean;
}

/** Resumption limits, validated by the transport's options. */
export interface ResumeLimits {
  /** Delay before resuming a stream when the server gave no `retry:`, in ms. */
  readonly reconnectDelayMs: number;
  /** Consecutive resumption attempts of one stream before giving up. */
  readonly maxReconnects: number;
  /** How long opening the standalone stream waits for its headers, in ms. */
  readonly standaloneWaitMs: number;
  /** Longest SSE event accepted (`maxMessageBytes`); a longer one ends its stream for good. */
  readonly maxMessageBytes: number;
}

/** The POST streams and the standalone stream of one transport. */
export class ResumableStreams {
  readonly #host: StreamHost;
  readonly #exchanges: Exchanges;
  readonly #limits: ResumeLimits;
  /** The standalone stream's exchange while it is open. */
  #standalone: Exchange | undefined;

  /** `exchanges` is the transport's own: every stream is one of its exchanges, aborted with them on close. */
  constructor(host: StreamHost, exchanges: Exchanges, limits: ResumeLimits) {
    this.#host = host;
    this.#exchanges = exchanges;
    this.#limits = limits;
  }

  /** True while the standalone GET stream is open. */
  get standaloneOpen(): boolean {
    return this.#standalone !== undefined;
  }

  /**
   * Reads a POST's SSE stream until every request of the POST was answered, resuming it with GET and
   * `Last-Event-ID` when it ends first. Reading goes on in the background after the answers, for whatever else the
   * stream carries.
   */
  async followPost(body: ResponseBody, exchange: Exchange): Promise<void> {
    const done = new Promise<void>((resolve, reject) => {
      exchange.answered = resolve;
      exchange.refused = reject;
    });
    const reading = this.#resumeLoop(body, exchange).finally(() => this.#exchanges.end(exchange));
    await Promise.race([done, reading]);
    reading.catch((err: unknown) => {
      if (!this.#host.closed()) this.#host.report(err as Error);
    });
  }

  /** Opens the standalone stream, waiting for its headers at most `standaloneWaitMs` (a server may hold them back). */
  async openStandalone(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.#limits.standaloneWaitMs)));
    try {
      await Promise.race([this.#openStandalone(), waited]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Drops the standalone stream (its session ended), so that the next session's can open. */
  dropStandalone(reason: Error): void {
    if (this.#standalone !== undefined) this.#exchanges.abort(this.#standalone, reason);
  }

  async #resumeLoop(first: ResponseBody, exchange: Exchange): Promise<void> {
    const { pending, signal } = exchange;
    const parser = this.#parserFor(exchange);
    let body: ResponseBody | undefined = first;
    // Attempts count resumptions the server refused or failed in a row. A GET it answers with a stream resets them,
    // events or not: a server polling with SEP-1699 closes each connection before anything new is due.
    let attempts = 0;
    // What failed the last GET when the network did, not the server: it is the cause of the final error.
    let failure: Error | undefined;
    for (;;) {
      if (body !== undefined) await this.#read(body, parser, signal);
      if (pending.size === 0 || this.#host.closed()) return;
      const lastEventId = parser.lastEventId;
      if (lastEventId === '') {
        throw new ErlmcpError('ERLMCP_ERR_STREAM_ENDED', 'The response stream ended before its answer, and gave no event id to resume from');
      }
      if (++attempts > this.#limits.maxReconnects) {
        const why = failure === undefined ? '' : `: the last GET failed (${failure.message})`;
        throw new ErlmcpError('ERLMCP_ERR_STREAM_ENDED', `The response stream could not be resumed after ${this.#limits.maxReconnects} attempts${why}`, { cause: failure });
      }
      await delay(parser.retryMs ?? this.#limits.reconnectDelayMs, signal);
      if (signal.aborted || pending.size === 0) return;
      try {
        body = await this.#host.get(lastEventId, signal);
        failure = undefined;
      } catch (err) {
        if (signal.aborted) return;
        // The session is gone (a 404): no attempt can bring its events back.
        if (isStreamEnded(err)) throw err;
        // A GET the network failed (a reset, a server restarting) is a failed attempt like a refused one.
        body = undefined;
        failure = err as Error;
      }
      if (body !== undefined) attempts = 0;
    }
  }

  /**
   * Opens the standalone stream and resolves once the server holds it (its headers arrived), so that whatever the
   * server sends right after initialization already has somewhere to go. The stream is then read in the background
   * and resumed when it ends, until close. A server without one (405, or any refusal) is left alone.
   */
  async #openStandalone(): Promise<void> {
    const exchange = this.#exchanges.open();
    let body: ResponseBody | undefined;
    try {
      body = await this.#host.get(undefined, exchange.signal);
    } catch (err) {
      if (!this.#host.closed()) this.#host.report(err as Error);
    }
    if (body === undefined) {
      this.#exchanges.end(exchange);
      return;
    }
    this.#standalone = exchange;
    void this.#standaloneLoop(body, exchange.signal).finally(() => {
      if (this.#standalone === exchange) this.#standalone = undefined;
      this.#exchanges.end(exchange);
    });
  }

  async #standaloneLoop(first: ResponseBody, signal: AbortSignal): Promise<void> {
    const parser = this.#parserFor(undefined);
    let body: ResponseBody | undefined = first;
    let attempts = 0;
    while (!this.#host.closed()) {
      if (body !== undefined) {
        try {
          if (await this.#read(body, parser, signal)) attempts = 0;
        } catch (err) {
          // Aborted on purpose (close, or the session is gone): not a failure to report.
          if (!this.#host.closed() && !signal.aborted) this.#host.report(err as Error);
          // A resumption would replay the same oversized event.
          if (isTooLarge(err)) return;
        }
      }
      if (this.#host.closed() || ++attempts > this.#limits.maxReconnects) return;
      await delay(parser.retryMs ?? this.#limits.reconnectDelayMs, signal);
      if (signal.aborted) return;
      try {
        body = await this.#host.get(parser.lastEventId === '' ? undefined : parser.lastEventId, signal);
      } catch (err) {
        // Closed, or the session is gone (a 404, after which the client opens the new session's stream).
        if (this.#host.closed() || signal.aborted || isStreamEnded(err)) return;
        // A GET the network failed (a reset, a server restarting) is a failed attempt, as for a POST's stream:
        // giving the stream up here left the session deaf to the server for good after one blip.
        this.#host.report(err as Error);
        body = undefined;
        continue;
      }
      // A server that no longer offers the stream (405, ended session) is not asked again and again.
      if (body === undefined) return;
    }
  }

  #parserFor(exchange: Exchange | undefined): SseParser {
    return new SseParser((event) => {
      if (event.data.length === 0 || event.event !== 'message') return;
      let value: unknown;
      try {
        value = JSON.parse(event.data);
      } catch (err) {
        this.#host.report(new ErlmcpError('ERLMCP_ERR_HTTP_STATUS', 'An SSE event held invalid JSON', { cause: err }));
        return;
      }
      // 2025-03-26 lets a server batch what it sends on a stream, the responses included: each is its own message.
      if (Array.isArray(value)) for (const item of value) this.#take(item, exchange);
      else this.#take(value, exchange);
    }, this.#limits.maxMessageBytes);
  }

  /** Delivers one message of a stream; a response also counts as an answer to its POST. */
  #take(value: unknown, exchange: Exchange | undefined): void {
    const idless = exchange === undefined || exchange.pending.size === 0 ? undefined : idlessError(value);
    if (exchange !== undefined && idless !== undefined) {
      // The server could not tie the error to a request, but on this POST's stream it is about this POST's: they
      // fail with it, rather than each waiting out its timeout while the error was reported as an answer to no one.
      this.#exchanges.fail(exchange, idless);
      return;
    }
    const id = (value as { id?: unknown } | null)?.id;
    if (exchange !== undefined && (typeof id === 'string' || typeof id === 'number') && !('method' in (value as object))) {
      if (exchange.pending.delete(id) && exchange.pending.size === 0) exchange.answered();
    }
    this.#host.deliver(value);
  }

  /** Reads one SSE body to its end; true when it carried at least one chunk. */
  async #read(body: ResponseBody, parser: SseParser, signal: AbortSignal): Promise<boolean> {
    // Each body is a new connection: nothing half-read on the last one carries over.
    parser.reset();
    let progressed = false;
    try {
      for await (const chunk of body) {
        progressed = true;
        parser.push(chunk as Buffer);
      }
    } catch (err) {
      // Aborted (given up, or closed): its exchange destroyed it.
      if (signal.aborted) return progressed;
      // An event over the limit ends its stream (leaving the loop destroyed the body): resuming would replay it.
      if (isTooLarge(err)) throw err;
      // A reset connection is a stream that ended: the caller resumes it like a graceful close.
      this.#host.report(err as Error);
    }
    return progressed;
  }
}

function isTooLarge(err: unknown): boolean {
  return err instanceof ErlmcpError && err.code === 'ERLMCP_ERR_MESSAGE_TOO_LARGE';
}

function isStreamEnded(err: unknown): boolean {
  return err instanceof ErlmcpError && err.code === 'ERLMCP_ERR_STREAM_ENDED';
}
