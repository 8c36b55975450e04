/**
 * The `requestState` of a Multi Round-Trip Request (MCP 2026-07-28 basic/patterns/mrtr): an opaque string the
 * client echoes on its retry. The spec makes it attacker-controlled input that MUST be integrity-protected when it
 * influences anything, so it is sealed here with HMAC-SHA256: `base64url(JSON(payload)).base64url(mac)`.
 *
 * The payload binds the state to its request (the method and a digest of its salient params), expires (a human
 * answers elicitations, so minutes, not seconds), counts rounds, and carries the answers of earlier rounds: a
 * client retrying round 3 sends only round 2's answers, so round 1's must travel in the state. A random nonce
 * makes every round's state differ. Every process that shares the secret can open it, which is what lets a
 * stateless retry land on any process.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { isObject, type JsonObject } from './json-rpc.js';
import { invalidParams, type WireError } from './wire-error.js';

/** What a sealed state carries. */
export interface RequestStatePayload {
  /** The method of the request the state belongs to. */
  readonly method: string;
  /** The digest of its salient params (`paramsDigest`). */
  readonly digest: string;
  /** The round that produced the state, from 1. */
  readonly round: number;
  /** Answers of earlier rounds, by input key. */
  readonly answers: JsonObject;
}

const VERSION = 1;

/** The digest that ties a state to its request: tools/call and prompts/get by name and arguments, reads by URI. */
export function paramsDigest(method: string, params: JsonObject): string {
  return digestOfSnapshot(method, paramsSnapshot(method, params));
}

/**
 * The salient params as plain JSON. A request takes this snapshot when it starts (its handler may change the
 * arguments later), and canonicalises and hashes it only when a state is sealed or opened: a native stringify
 * is a fraction of the cost of either, and most requests never need the digest.
 */
export function paramsSnapshot(method: string, params: JsonObject): string {
  return JSON.stringify(method === 'resources/read' ? { uri: params.uri } : { name: params.name, arguments: params.arguments ?? {} });
}

/** The digest of a `paramsSnapshot`: equal for equal params whatever their key order. */
export function digestOfSnapshot(method: string, snapshot: string): string {
  return createHash('sha256').update(method).update('\0').update(canonical(JSON.parse(snapshot))).digest('base64url');
}

/** JSON with object keys sorted, so equal params give equal digests whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value).sort().filter((k) => value[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Seals and opens request states with one secret. */
export class RequestStateCodec {
  readonly #secret: Buffer;
  readonly #ttlMs: number;
  readonly #maxBytes: number;

  /**
   * @param secret at least 32 bytes, shared by every process that may receive a retry.
   * @param ttlMs how long a state stays valid.
   * @param maxBytes a larger sealed state is refused (-32603) rather than sent.
   */
  constructor(secret: Buffer, ttlMs: number, maxBytes: number) {
    this.#secret = secret;
    this.#ttlMs = ttlMs;
    this.#maxBytes = maxBytes;
  }

  /** A codec with a random secret: fine for one process; set `mrtr.secret` when several share retries. */
  static ephemeral(ttlMs: number, maxBytes: number): RequestStateCodec {
    return new RequestStateCodec(randomBytes(32), ttlMs, maxBytes);
  }

  /** Seals `payload` into the string sent as `requestState`. */
  seal(payload: RequestStatePayload, now = Date.now()): string {
    const body = Buffer.from(JSON.stringify({
      v: VERSION, m: payload.method, d: payload.digest, r: payload.round, a: payload.answers,
      x: now + this.#ttlMs, n: randomBytes(8).toString('base64url'),
    })).toString('base64url');
    const token = `${body}.${this.#mac(body)}`;
    if (token.length > this.#maxBytes) {
      throw new Error(`requestState of ${token.length} bytes exceeds mrtr.maxStateBytes (${this.#maxBytes})`);
    }
    return token;
  }

  /**
   * Opens a state the client echoed, for the request `method` whose params digest to `digest`. A tampered,
   * malformed, expired or foreign state is one -32602, with no detail of which check failed.
   */
  open(token: unknown, method: string, digest: string, now = Date.now()): RequestStatePayload {
    if (typeof token !== 'string') throw failed();
    const dot = token.indexOf('.');
    if (dot <= 0 || dot !== token.lastIndexOf('.')) throw failed();
    const body = token.slice(0, dot);
    const mac = Buffer.from(token.slice(dot + 1), 'base64url');
    const expected = Buffer.from(this.#mac(body), 'base64url');
    if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) throw failed();
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(body, 'base64url').toString());
    } catch {
      throw failed();
    }
    if (!isObject(parsed) || parsed.v !== VERSION || parsed.m !== method || parsed.d !== digest) throw failed();
    if (typeof parsed.x !== 'number' || parsed.x < now || typeof parsed.r !== 'number' || !isObject(parsed.a)) throw failed();
    return { method, digest, round: parsed.r, answers: parsed.a };
  }

  #mac(body: string): string {
    return createHmac('sha256', this.#secret).update(body).digest('base64url');
  }
}

function failed(): WireError {
  return invalidParams('requestState integrity check failed');
}
