/**
 * How a session-era POST's request is answered (2025-11-25 basic/transports, "Sending Messages to the Server"): as
 * one JSON body; as one complete SSE body in `sse` response mode; or as an SSE stream, opened on the handler's first
 * message before its result (progress, a log, a request to the client), which then carries the result and ends.
 *
 * The streams of handlers still running are kept here by id while the session stores events, so a GET with
 * `Last-Event-ID` can re-attach to one (`StreamableHttpHandler` resumes them). The rest of the endpoint (routing,
 * the session checks, GET and DELETE) is `streamable-http.ts`.
 */
import type { ServerResponse } from 'node:http';
import { ErlmcpError } from '../../errors.js';
import { type JsonRpcMessage, type JsonRpcRequest } from '../../protocol/json-rpc.js';
import type { McpServer } from '../../server/mcp-server.js';
import type { ServerSession } from '../../server/server-session.js';
import { openPostSse, replySseBody, replyText } from './http-reply.js';
import { SseStream, primes, sseAnswerBody } from './sse-stream.js';

/** The answers of one endpoint's POSTs. */
export class PostAnswers {
  readonly #server: McpServer;
  readonly #responseMode: 'auto' | 'sse';
  /** The `retry:` hint of priming events. */
  readonly #sseRetryMs: number;
  /** The keep-alive interval of streams whose handler runs on (SseStreamOptions.keepAliveMs). */
  readonly #keepAliveMs: number;
  /** POST streams whose handler still runs, by stream id, so a resuming GET can re-attach to them. */
  readonly #live = new Map<string, SseStream>();

  constructor(server: McpServer, responseMode: 'auto' | 'sse', sseRetryMs: number, keepAliveMs: number) {
    this.#server = server;
    this.#responseMode = responseMode;
    this.#sseRetryMs = sseRetryMs;
    this.#keepAliveMs = keepAliveMs;
  }

  /** The live POST stream of this id, if its handler still runs. */
  liveStream(streamId: string): SseStream | undefined {
    return this.#live.get(streamId);
  }

  /** Ends every live POST stream, for shutdown. */
  endStreams(): void {
    for (const stream of this.#live.values()) stream.end();
    this.#live.clear();
  }

  /**
   * Answers one request: JSON, or SSE once the handler sends something before its result. In `sse` mode a result
   * ready at once is one complete SSE body, and a handler still running gets its stream (and priming event) at once.
   */
  answer(res: ServerResponse, session: ServerSession, req: JsonRpcRequest): void | Promise<void> {
    // No stream and an ended response: the request was answered as one body (JSON or SSE). Opening a stream then
    // wrote headers twice (ERR_HTTP_HEADERS_SENT, out of whatever timer called) and left the stream in #live.
    let stream: SseStream | undefined;
    const outlet = (message: JsonRpcMessage): void => {
      if (stream === undefined && res.writableEnded) throw answeredAlready(req, message);
      stream ??= this.#openStream(res, session);
      stream.send(message);
    };
    const detach = (): void => {
      if (stream === undefined && res.writableEnded) return;
      stream ??= this.#openStream(res, session);
      stream.detach();
    };
    // Before 2025-11-25 a stream has no priming event, so a client cut off before any event has no id to resume
    // from: closeStream() would lose the answer (2025-06-18 says not to close before it), so it does nothing there.
    // A stateless server keeps no events and has no GET: nothing could resume, so closeStream() does nothing there.
    const response = this.#server.dispatcher.dispatchRequest(session, req, outlet, primes(session.revision) && !session.stateless ? detach : undefined);
    // The dispatcher gives the answer's text: a result JSON cannot carry (a BigInt, a cycle) is already its -32603,
    // so a stream that carried progress still ends with an answer (answer-text.ts). No closure for an answer given
    // at once, nearly every one.
    if (!(response instanceof Promise)) return this.#deliver(res, session, stream, response);
    if (this.#responseMode === 'sse') stream ??= this.#openStream(res, session);
    return response.then((text) => this.#deliver(res, session, stream, text));
  }

  /** Writes a request's answer (its JSON text): last on its stream, which then ends, or as the whole body. */
  #deliver(res: ServerResponse, session: ServerSession, stream: SseStream | undefined, text: string): void {
    if (stream !== undefined) {
      stream.finish(text);
    } else if (this.#responseMode === 'sse') {
      const events = session.stateless || session.closed ? null : this.#server.sessions.events;
      replySseBody(res, sseAnswerBody(text, session.id, events, primes(session.revision), this.#sseRetryMs));
    } else {
      replyText(res, 200, text);
    }
  }

  #openStream(res: ServerResponse, session: ServerSession): SseStream {
    const events = session.stateless ? null : this.#server.sessions.events;
    const stream = new SseStream({
      sessionId: session.id,
      events,
      retryMs: this.#sseRetryMs,
      keepAliveMs: this.#keepAliveMs,
      onEnd: (s) => this.#live.delete(s.id),
      sessionEnded: () => session.closed,
    });
    if (events) this.#live.set(stream.id, stream);
    openPostSse(res);
    stream.attach(res, primes(session.revision));
    return stream;
  }
}

/** What an outlet throws once its request was answered (the correlator turns it into the request's rejection). */
function answeredAlready(req: JsonRpcRequest, message: JsonRpcMessage): ErlmcpError {
  const what = 'method' in message ? message.method : 'response';
  return new ErlmcpError('ERLMCP_ERR_STREAM_ENDED', `Request ${JSON.stringify(req.id)} was already answered, so its ${what} cannot be sent`);
}
