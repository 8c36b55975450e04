/**
 * Renewing a session the server forgot. 2025-11-25 basic/transports, Session Management: on an HTTP 404 for its
 * session the client "MUST start a new session by sending a new InitializeRequest without a session ID attached".
 *
 * A renewal is one handshake, whatever the number of messages that met the 404. Sessions are counted in
 * generations: a 404 read late, for a message sent before a renewal that has since finished, does not start
 * another one (that would attach the new session's id to an initialize and orphan the new session). While a
 * renewal runs, new messages wait for it instead of going out with no session at all.
 */
import { ErlmcpError } from '../errors.js';

/** True for the transport's "the server answered 404 for our session". */
export function isSessionGone(err: unknown): boolean {
  return err instanceof ErlmcpError && err.code === 'ERLMCP_ERR_SESSION_NOT_FOUND';
}

/** The renewals of one client's session. */
export class SessionRenewal {
  readonly #handshake: () => Promise<unknown>;
  readonly #renewed: () => void;
  #generation = 0;
  #renewing: Promise<void> | undefined;

  /** `handshake` runs initialize and `notifications/initialized`; `renewed` is told after each success. */
  constructor(handshake: () => Promise<unknown>, renewed: () => void) {
    this.#handshake = handshake;
    this.#renewed = renewed;
  }

  /** The session messages are sent in now; a message records it when it goes out. */
  get generation(): number {
    return this.#generation;
  }

  /** The renewal under way, if any: a message sent now would carry no session. */
  get pending(): Promise<void> | undefined {
    return this.#renewing;
  }

  /**
   * The session of `generation` is gone: starts its renewal, or joins the one under way; resolves at once when a
   * renewal already replaced that session.
   */
  renew(generation: number): Promise<void> {
    if (generation !== this.#generation) return this.#renewing ?? Promise.resolve();
    this.#renewing ??= this.#handshake().then(
      () => {
        this.#generation++;
        this.#renewing = undefined;
        this.#renewed();
      },
      (err: unknown) => {
        this.#renewing = undefined;
        throw err;
      },
    );
    return this.#renewing;
  }
}
