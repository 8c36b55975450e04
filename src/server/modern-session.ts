/**
 * The peer view of one 2026-07-28 request. The stateless era has no session, but every method handler reads its
 * peer through `ctx.session` (revision, capabilities, log level, the correlator that carries requests to the
 * client), so a modern request gets a throwaway `ServerSession` built from its `_meta`: handlers and tools are
 * written once and serve both eras.
 *
 * What differs is overridden here: the log level comes from the request (no `_meta` level, no
 * `notifications/message`: server/utilities/logging), and a request to the client becomes an MRTR input request
 * (the correlator hands it to the request's `InputRound`) instead of a message on the wire.
 */
import { ErrorCode } from '../protocol/error-codes.js';
import type { RequestMeta } from '../protocol/era.js';
import { RequestCorrelator, type OutgoingRequestOptions, type SendFn } from '../protocol/correlation.js';
import type { JsonObject } from '../protocol/json-rpc.js';
import { WireError } from '../protocol/wire-error.js';
import type { LogLevel } from '../session/session-store.js';
import type { InputRound } from './mrtr.js';
import { ServerSession } from './server-session.js';

const LEVELS: Readonly<Record<string, number>> = Object.freeze({
  debug: 0, info: 1, notice: 2, warning: 3, error: 4, critical: 5, alert: 6, emergency: 7,
});

/**
 * The revision whose features modern requests are shaped with: 2026-07-28 entries and content have the fields of
 * 2025-11-25 (titles, icons, outputSchema). Where 2026-07-28 allows more (an outputSchema or structuredContent that
 * is not an object), tool-methods.ts reads `wireRevision()`.
 */
const SHAPE_REVISION = '2025-11-25';

/** Routes a handler's requests to the client into the request's input round, or refuses them. */
class InputCorrelator extends RequestCorrelator {
  readonly #round: InputRound | undefined;
  readonly #method: string;

  constructor(round: InputRound | undefined, method: string) {
    super();
    this.#round = round;
    this.#method = method;
  }

  override request(_send: SendFn, method: string, params: JsonObject | undefined, options: OutgoingRequestOptions): Promise<JsonObject> {
    if (this.#round === undefined) {
      return Promise.reject(new WireError(ErrorCode.InternalError, `${this.#method} cannot ask the client for input (${method}) under 2026-07-28: only tools/call, prompts/get and resources/read can`));
    }
    return this.#round.ask(method, params, options.key);
  }
}

/** A stand-in's record has no subscriptions (the era has `subscriptions/listen` instead), so all share one. */
const NO_SUBSCRIPTIONS: string[] = Object.freeze([]) as unknown as string[];
/** The clientInfo of a request that sent none: shared, as no handler may change what a client said of itself. */
const NO_CLIENT_INFO: JsonObject = Object.freeze({}) as JsonObject;

/** The session stand-in of one stateless request. */
export class ModernSession extends ServerSession {
  /** The revision the request named in `_meta` (`revision` above is the descriptor shape, 2025-11-25). */
  readonly protocolRevision: string;
  readonly #minLevel: number;
  readonly #round: InputRound | undefined;
  readonly #method: string;

  constructor(meta: RequestMeta, logLevel: string | undefined, round: InputRound | undefined, method: string) {
    super('', {
      id: '',
      protocolVersion: SHAPE_REVISION,
      clientCapabilities: meta.clientCapabilities,
      clientInfo: meta.clientInfo ?? NO_CLIENT_INFO,
      logLevel: logLevel as LogLevel | undefined,
      subscriptions: NO_SUBSCRIPTIONS,
      // A stand-in lives for one request and is never stored, listed or expired, so it reads no clock (perf showed
      // the clock read of every 2026-07-28 request); its times are 0, not a time that would mean nothing.
      createdAtMs: 0,
      lastSeenAtMs: 0,
    }, true);
    this.protocolRevision = meta.revision;
    this.#minLevel = logLevel === undefined ? Number.POSITIVE_INFINITY : (LEVELS[logLevel] ?? 0);
    this.#round = round;
    this.#method = method;
  }

  /** Made only when the handler asks the client for something: most never do. */
  protected override newCorrelator(): RequestCorrelator {
    return new InputCorrelator(this.#round, this.#method);
  }

  /** The revision the request named, not the descriptor shape its lists are built in. */
  override wireRevision(): string {
    return this.protocolRevision;
  }

  /** Only with a `_meta` log level, and only at or above it. */
  override wantsLog(level: LogLevel): boolean {
    return (LEVELS[level] ?? 0) >= this.#minLevel;
  }

  /**
   * Never lacking here: whether the client declared the capability is the input round's check, which answers
   * -32021 as the stateless era requires (a session-era refusal would turn into a tool error instead).
   */
  override clientLacks(): undefined {
    return undefined;
  }
}
