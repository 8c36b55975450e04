/**
 * Multi Round-Trip Requests (MCP 2026-07-28 basic/patterns/mrtr): how `ctx.elicit()`, `ctx.sample()` and
 * `ctx.listRoots()` work when the client cannot be sent a request. One `InputRound` serves one tools/call,
 * prompts/get or resources/read. A handler's ask is answered from the retry's `inputResponses` (or from the
 * answers of earlier rounds that the sealed `requestState` carries); an unanswered ask is parked, and once the
 * handler has asked everything it asks in the same tick (a `Promise.all` of several), the dispatcher answers
 * `input_required` with every parked ask and a fresh state. The handler is then abandoned: its parked promises are
 * rejected, any ask it makes later is refused, its signal aborted. The client retries, and the handler runs again
 * from the start with more answers, so work before an input point must be idempotent.
 *
 * Rejecting only after the decision lets handlers that wrap `ctx.elicit` in try/catch (written for 2025-11-25)
 * work unchanged: their catch runs after the interim answer has gone, and its outcome is discarded.
 */
import { ErrorCode } from '../protocol/error-codes.js';
import { lackedCapabilities } from '../protocol/client-capabilities.js';
import { missingClientCapability } from '../protocol/era.js';
import { isObject, type JsonObject } from '../protocol/json-rpc.js';
import { digestOfSnapshot, paramsDigest, paramsSnapshot, type RequestStateCodec } from '../protocol/request-state.js';
import { WireError, invalidParams } from '../protocol/wire-error.js';

/** The methods that may answer `input_required` ("Servers MUST NOT send InputRequiredResult on any other"). */
export const MRTR_METHODS: ReadonlySet<string> = new Set(['tools/call', 'prompts/get', 'resources/read']);

/** The error a parked ask is rejected with once its round has been answered `input_required`. */
export class InputRequiredSuspension extends Error {
  constructor() {
    super('input_required was answered; this run of the handler is abandoned');
    this.name = 'InputRequiredSuspension';
  }
}

const CAPABILITY_OF: Readonly<Record<string, string>> = Object.freeze({
  'elicitation/create': 'elicitation',
  'sampling/createMessage': 'sampling',
  'roots/list': 'roots',
});

/** The answers of a first round with none sent: shared, never written (answers are only read from it). */
const NO_ANSWERS: JsonObject = Object.freeze({}) as JsonObject;

interface Parked {
  readonly key: string;
  readonly request: JsonObject;
  readonly reject: (err: Error) => void;
}

/** The input state of one request of an MRTR-capable method. */
export class InputRound {
  readonly #codec: RequestStateCodec;
  readonly #method: string;
  /**
   * The params as they arrived, for the digest, which is taken only when a state is sealed or opened: the request's
   * wire text when the transport has it (free), else a snapshot of the salient params (the handler may change its
   * arguments before it asks).
   */
  readonly #source: string | undefined;
  readonly #snapshot: string | undefined;
  #digest: string | undefined;
  readonly #caps: JsonObject;
  readonly #round: number;
  /** `mrtr.maxRounds`: a round at this count may not answer `input_required` (see `interim`). */
  readonly #maxRounds: number;
  readonly #answers: JsonObject;
  /** The input keys whose answers this run used: what the next round's state must carry (see `interim`). */
  #used: Set<string> | undefined;
  readonly #parked: Parked[] = [];
  #asks = 0;
  /** How often each author key was asked in this run (see `#fresh`). */
  #keyUses: Map<string, number> | undefined;
  #parkedPromise: Promise<void> | undefined;
  #signal: (() => void) | undefined;
  #fenced = false;
  /** Set once the round was answered `input_required`: the handler is abandoned, and every later ask refused. */
  #suspension: InputRequiredSuspension | undefined;

  /**
   * Reads the retry's `inputResponses` and `requestState`. A state that fails verification, or answers that are
   * not an object, are -32602; answers with no state are accepted (the client is the authority on its answers).
   */
  constructor(codec: RequestStateCodec, method: string, params: JsonObject, clientCapabilities: JsonObject, maxRounds: number, source?: string) {
    this.#codec = codec;
    this.#method = method;
    this.#caps = clientCapabilities;
    this.#source = source;
    this.#snapshot = source === undefined ? paramsSnapshot(method, params) : undefined;
    const responses = params.inputResponses;
    if (responses !== undefined && !isObject(responses)) throw invalidParams(`${method}: params.inputResponses must be an object`);
    let earlier: JsonObject = NO_ANSWERS;
    let round = 1;
    if (params.requestState !== undefined) {
      const state = codec.open(params.requestState, method, this.#digestOf());
      earlier = state.answers;
      round = state.round + 1;
    }
    if (round > maxRounds) throw invalidParams(`${method}: more than ${maxRounds} input rounds`);
    this.#round = round;
    this.#maxRounds = maxRounds;
    this.#answers = responses === undefined ? earlier : { ...earlier, ...responses };
  }

  /**
   * Answers one ask of the handler: from the answers at hand, else parked. A capability the client did not
   * declare is -32021 (basic/index: the server MUST NOT rely on undeclared capabilities).
   */
  ask(method: string, params: JsonObject | undefined, key: string | undefined): Promise<JsonObject> {
    // An abandoned handler that asks again (a retry in its catch) would wait forever: nothing answers a round
    // that was already answered, and its finally blocks would never run.
    if (this.#suspension !== undefined) return handledRejection(this.#suspension);
    const capability = CAPABILITY_OF[method];
    if (capability === undefined) {
      return Promise.reject(new WireError(ErrorCode.InternalError, `${method} cannot be asked of a 2026-07-28 client`));
    }
    const needs = lackedCapabilities(capability, Object.hasOwn(this.#caps, capability) ? this.#caps[capability] : undefined, params);
    if (needs !== undefined) {
      return Promise.reject(missingClientCapability(needs, `${method} needs the client capabilities ${JSON.stringify(needs)}, which the request did not declare`));
    }
    const id = key === undefined ? `input-${++this.#asks}` : this.#fresh(key);
    // Own keys only: a key such as `constructor` must not find Object.prototype's.
    const answer = Object.hasOwn(this.#answers, id) ? this.#answers[id] : undefined;
    if (answer !== undefined) {
      const fault = answerFault(capability, answer);
      if (fault !== undefined) return Promise.reject(invalidParams(`inputResponses.${id}: ${fault}`));
      (this.#used ??= new Set()).add(id);
      return Promise.resolve(answer as JsonObject);
    }
    const request: JsonObject = params === undefined ? { method, params: {} } : { method, params };
    const parked = new Promise<JsonObject>((_resolve, reject) => {
      this.#parked.push({ key: id, request, reject });
      // One fence per round: asks made in the same tick (Promise.all) join the first one's answer.
      if (this.#parked.length === 1) setImmediate(() => this.#fence());
    });
    // `suspend` rejects every parked ask at once, and a handler that awaits its asks one by one stops at the first:
    // the others would be unhandled rejections, which end a Node 20 process. The handler still sees each rejection.
    parked.catch(noop);
    return parked;
  }

  /**
   * The input key of one ask under the author's `key`: the key itself the first time in a run, then `key#2`,
   * `key#3`... Keys MUST be unique within a request (mrtr), and a handler that asks again after a wrong answer (a
   * validation loop, natural under 2025-11-25 where each ask is its own request) must get a new round trip, not
   * the same stored answer forever. A handler runs again from the top each round, so the sequence repeats and
   * each earlier answer is found under the same key.
   */
  #fresh(key: string): string {
    const counts = (this.#keyUses ??= new Map());
    const uses = (counts.get(key) ?? 0) + 1;
    counts.set(key, uses);
    return uses === 1 ? key : `${key}#${uses}`;
  }

  /**
   * Resolves once something was parked and the tick's other asks had their chance to join it. Made on demand: a
   * handler that answers at once never needs it.
   */
  get parked(): Promise<void> {
    return (this.#parkedPromise ??= this.#fenced ? Promise.resolve() : new Promise<void>((resolve) => (this.#signal = resolve)));
  }

  #fence(): void {
    this.#fenced = true;
    this.#signal?.();
  }

  #digestOf(): string {
    if (this.#digest !== undefined) return this.#digest;
    const source = this.#source;
    return (this.#digest = source === undefined
      ? digestOfSnapshot(this.#method, this.#snapshot as string)
      : paramsDigest(this.#method, ((JSON.parse(source) as { params?: JsonObject }).params ?? {})));
  }

  /**
   * The `input_required` result for what is parked, with a sealed state carrying the answers this run used: the
   * handler runs again from the top and asks for them again. Anything else the client sent is information the
   * server does not need, which it SHOULD ignore (mrtr, "Error Handling"); carried along, it would grow every later
   * state and could push one past `mrtr.maxStateBytes`, a -32603 made of the client's own extra data.
   * Throws -32602 in the last round `mrtr.maxRounds` allows: the retry would be refused (see the constructor), and
   * an `input_required` would make the client (and its user) gather answers that can only be turned down, since
   * a client MUST construct the inputs and retry (mrtr, "Client Requirements"). The refusal comes now instead.
   */
  interim(): JsonObject {
    if (this.#round >= this.#maxRounds) throw invalidParams(`${this.#method}: needs input beyond mrtr.maxRounds (${this.#maxRounds} input rounds)`);
    const inputRequests: JsonObject = {};
    for (const p of this.#parked) define(inputRequests, p.key, p.request);
    const answers: JsonObject = {};
    for (const id of this.#used ?? []) define(answers, id, this.#answers[id]);
    const requestState = this.#codec.seal({ method: this.#method, digest: this.#digestOf(), round: this.#round, answers });
    return { resultType: 'input_required', inputRequests, requestState };
  }

  /** Rejects every parked ask, and every later one, so the abandoned handler can unwind (its finally blocks run). */
  suspend(): void {
    const err = (this.#suspension ??= new InputRequiredSuspension());
    for (const p of this.#parked) p.reject(err);
  }
}

function noop(): void {}

/** Sets an own property. Defined, not assigned: a `__proto__` key would otherwise set the prototype and vanish. */
function define(target: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A rejected promise that a handler may leave unawaited without an unhandled rejection (see `ask`). */
function handledRejection(err: Error): Promise<never> {
  const rejected = Promise.reject(err);
  rejected.catch(noop);
  return rejected;
}

/** Why an answer does not have its kind's shape (ElicitResult, CreateMessageResult, ListRootsResult). */
function answerFault(capability: string, answer: unknown): string | undefined {
  if (!isObject(answer)) return 'must be an object';
  if (capability === 'elicitation') {
    if (answer.action !== 'accept' && answer.action !== 'decline' && answer.action !== 'cancel') return 'action must be accept, decline or cancel';
    if (answer.content !== undefined && !isObject(answer.content)) return 'content must be an object';
  } else if (capability === 'sampling') {
    if (typeof answer.role !== 'string' || answer.content === undefined || typeof answer.model !== 'string') return 'must be a CreateMessageResult (role, content, model)';
  } else if (!Array.isArray(answer.roots)) {
    return 'roots must be an array';
  }
  return undefined;
}
