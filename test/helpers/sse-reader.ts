/**
 * An incremental Server-Sent Events parser over an HTTP response, for tests that read a stream event by event.
 *
 * It follows the WHATWG event-stream format closely enough to check what the server writes: fields `id`, `event`,
 * `data` (joined with newlines when repeated) and `retry`, one optional space after the colon, events ended by a
 * blank line; a block of comments alone (a keep-alive) is skipped. `next()` resolves with the next event, or undefined once the response has ended.
 */
import type { IncomingMessage } from 'node:http';
import { within } from './deadline.js';

/** One event as written on the wire. */
export interface SseEvent {
  id: string | undefined;
  event: string | undefined;
  data: string;
  retry: number | undefined;
}

/** The events of a whole SSE body, read at once (an answer that was one complete body). */
export function parseSseBody(body: string): SseEvent[] {
  const isEvent = (block: string): boolean => block.split('\n').some((line) => line !== '' && !line.startsWith(':'));
  return body.split('\n\n').filter(isEvent).map((block) => {
    const event: SseEvent = { id: undefined, event: undefined, data: '', retry: undefined };
    for (const line of block.split('\n')) {
      const colon = line.indexOf(':');
      const field = line.slice(0, colon);
      const value = line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') event.id = value;
      else if (field === 'event') event.event = value;
      else if (field === 'data') event.data = value;
      else if (field === 'retry') event.retry = Number(value);
    }
    return event;
  });
}

/** Reads events from one SSE response. */
export class SseReader {
  readonly response: IncomingMessage;
  readonly #events: SseEvent[] = [];
  readonly #waiters: ((event: SseEvent | undefined) => void)[] = [];
  #buffer = '';
  #ended = false;

  constructor(response: IncomingMessage) {
    this.response = response;
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      this.#buffer += chunk;
      this.#parse();
    });
    const finish = (): void => {
      if (this.#ended) return;
      this.#ended = true;
      for (const waiter of this.#waiters.splice(0)) waiter(undefined);
    };
    response.on('end', finish);
    response.on('close', finish);
    response.on('error', finish);
  }

  /** True once the response has ended and every parsed event was taken. */
  get done(): boolean {
    return this.#ended && this.#events.length === 0;
  }

  /** The next event, or undefined when the stream ended first. */
  next(): Promise<SseEvent | undefined> {
    const event = this.#events.shift();
    if (event) return Promise.resolve(event);
    if (this.#ended) return Promise.resolve(undefined);
    let waiter!: (event: SseEvent | undefined) => void;
    const arrived = new Promise<SseEvent | undefined>((resolve) => this.#waiters.push((waiter = resolve)));
    return within(arrived, 'the next SSE event').catch((err: unknown) => {
      const at = this.#waiters.indexOf(waiter);
      if (at >= 0) this.#waiters.splice(at, 1);
      throw err;
    });
  }

  /** The next event carrying a JSON-RPC message, parsed; priming events (empty data) are skipped. */
  async nextMessage(): Promise<Record<string, unknown> | undefined> {
    for (;;) {
      const event = await this.next();
      if (event === undefined) return undefined;
      if (event.data !== '') return JSON.parse(event.data) as Record<string, unknown>;
    }
  }

  /** Every remaining event, until the server ends the response. */
  async rest(): Promise<SseEvent[]> {
    const out: SseEvent[] = [];
    for (let e = await this.next(); e !== undefined; e = await this.next()) out.push(e);
    return out;
  }

  /** Drops the connection from the client side. */
  close(): void {
    this.response.destroy();
  }

  #parse(): void {
    for (let end = this.#buffer.indexOf('\n\n'); end >= 0; end = this.#buffer.indexOf('\n\n')) {
      const block = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 2);
      const event: SseEvent = { id: undefined, event: undefined, data: '', retry: undefined };
      const data: string[] = [];
      // A block of comment lines alone (the server's keep-alive) is no event: the format dispatches nothing for it.
      let fields = 0;
      for (const line of block.split('\n')) {
        if (line.startsWith(':') || line === '') continue;
        fields++;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'id') event.id = value;
        else if (field === 'event') event.event = value;
        else if (field === 'data') data.push(value);
        else if (field === 'retry') event.retry = Number(value);
      }
      event.data = data.join('\n');
      if (fields === 0) continue;
      const waiter = this.#waiters.shift();
      if (waiter) waiter(event);
      else this.#events.push(event);
    }
  }
}
