/**
 * An ordered registry of named entries (tools, resources, templates, prompts) with opaque-cursor pagination and a
 * change signal for `list_changed`.
 *
 * Entries keep registration order, so lists are deterministic. Cursors are opaque to clients (MCP
 * server/utilities/pagination), base64url-encoded and tagged with the registry's kind, so that a foreign string,
 * and the cursor of another list, is rejected with -32602 instead of being misread: a tools/list cursor sent to
 * prompts/list was read as a position among the prompts. A cursor names the registration number of the last entry
 * handed out, not an offset: servers SHOULD provide stable cursors, and with an offset, removing an entry of an
 * earlier page made the next page skip one that was registered all along. Each entry gets the next number when added, so the numbers rise
 * in list order; with nothing removed, the number of the n-th entry is n, the offset it had before.
 */
import { ErlmcpError } from '../errors.js';
import { preserialize, type JsonObject } from '../protocol/json-rpc.js';
import { invalidParams, type WireError } from '../protocol/wire-error.js';

/** One page of a list. */
export interface Page<T> {
  items: T[];
  nextCursor: string | undefined;
}

/** The entries and their registration numbers, in list order. */
interface View<T> {
  readonly values: T[];
  readonly seqs: number[];
}

/** Named entries in registration order. */
export class Registry<T> {
  readonly #kind: string;
  /** What every cursor of this list starts with, before encoding: the cursor of another list never does. */
  readonly #cursorTag: string;
  readonly #entries = new Map<string, T>();
  /** The registration number of each entry by name. */
  readonly #seqOf = new Map<string, number>();
  #lastSeq = 0;
  /**
   * The entries and their numbers as arrays in list order, built when first read after a change: rebuilt on every
   * add, registering N entries copied O(N^2) (20,000 tools, seconds). The maps keep insertion order, and a name
   * registered again is inserted anew in both, so the two arrays line up and the numbers rise.
   */
  #view: View<T> | undefined;
  #onChange: (() => void) | undefined;
  /** List results by revision, field and offset, built once until the registry changes. */
  readonly #pages = new Map<string, JsonObject>();

  /** @param kind names the entries in error messages ("tool", "prompt"). */
  constructor(kind: string) {
    this.#kind = kind;
    this.#cursorTag = `erlmcp:${kind}:`;
  }

  /** Called after every add or remove. */
  set onChange(listener: (() => void) | undefined) {
    this.#onChange = listener;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Adds an entry; a name already taken is a programming error. */
  add(name: string, entry: T): void {
    if (this.#entries.has(name)) {
      throw new ErlmcpError('ERLMCP_ERR_DUPLICATE_REGISTRATION', `${this.#kind} ${JSON.stringify(name)} is already registered`);
    }
    this.#entries.set(name, entry);
    this.#seqOf.set(name, ++this.#lastSeq);
    this.#changed();
  }

  /**
   * Removes an entry; returns false when there was none. With `entry`, only that entry is removed: a registration
   * handle kept after its entry was removed and the name registered again must not remove the newcomer.
   */
  remove(name: string, entry?: T): boolean {
    if (entry !== undefined && this.#entries.get(name) !== entry) return false;
    if (!this.#entries.delete(name)) return false;
    this.#seqOf.delete(name);
    this.#changed();
    return true;
  }

  /** Drops what was built from the old entries; O(1) unless pages were built since the last change. */
  #changed(): void {
    this.#view = undefined;
    if (this.#pages.size > 0) this.#pages.clear();
    this.#onChange?.();
  }

  /** The list-order arrays, built once after each change. A view handed out is never mutated: a change drops it. */
  #built(): View<T> {
    return (this.#view ??= { values: [...this.#entries.values()], seqs: [...this.#seqOf.values()] });
  }

  get(name: string): T | undefined {
    return this.#entries.get(name);
  }

  /** Every entry, in registration order. The array is shared until the next change: do not mutate it. */
  values(): readonly T[] {
    return this.#built().values;
  }

  /**
   * The list result (`{ [field]: [...], nextCursor? }`) of the page `cursor` points at, each entry shaped by
   * `describe`. Pages this server hands out (offsets on a page boundary) are built once per revision and kept,
   * serialised (`preserialize`), until an entry is added or removed: a `tools/list` of 500 tools then costs a
   * lookup instead of shaping and serialising every descriptor. A crafted cursor at another offset is answered,
   * not kept, so the cache stays bounded by what the server itself can hand out.
   */
  listPage(cursor: unknown, pageSize: number, revision: string, field: string, describe: (entry: T) => unknown): JsonObject {
    const after = this.#afterOf(cursor);
    const key = `${revision}|${field}|${after}|${pageSize}`;
    const kept = this.#pages.get(key);
    if (kept !== undefined) return kept;
    const view = this.#built();
    const offset = offsetAfter(view.seqs, after);
    const { items, nextCursor } = this.#pageAt(view, offset, pageSize);
    const result: JsonObject = { [field]: items.map(describe) };
    if (nextCursor !== undefined) result.nextCursor = nextCursor;
    // Kept only for the cursors this server hands out: the start, or the number of an entry that ends a page.
    const handedOut = after === 0 ? offset === 0 : offset > 0 && view.seqs[offset - 1] === after;
    if (!handedOut || offset % pageSize !== 0) return result;
    const frozen = preserialize(result);
    this.#pages.set(key, frozen);
    return frozen;
  }

  /** The page that `cursor` points at. An unreadable cursor is -32602. */
  page(cursor: unknown, pageSize: number): Page<T> {
    const after = this.#afterOf(cursor);
    const view = this.#built();
    return this.#pageAt(view, offsetAfter(view.seqs, after), pageSize);
  }

  /**
   * The registration number a cursor resumes after; 0 (before every entry) without one. Only a cursor this
   * registry could have issued is read: the canonical encoding of a number it has given out. A well-formed number
   * past the last one given (forged, or from another list) answered an empty last page, which a client takes for
   * the end of the list; pagination: "Invalid cursors SHOULD result in an error with code -32602".
   */
  #afterOf(cursor: unknown): number {
    if (cursor === undefined) return 0;
    const after = this.#decodeCursor(cursor);
    if (after > this.#lastSeq) throw this.#invalidCursor();
    return after;
  }

  #encodeCursor(after: number): string {
    return Buffer.from(this.#cursorTag + after).toString('base64url');
  }

  /**
   * The number a cursor names. Node's base64url decoder skips characters outside the alphabet and padding, so the
   * cursor must also be the exact encoding of what it decodes to: a cursor with stray characters, padding or leading
   * zeros is not one this server issued. Numbers start at 1, so 0 is never issued either.
   */
  #decodeCursor(cursor: unknown): number {
    if (typeof cursor === 'string') {
      const text = Buffer.from(cursor, 'base64url').toString();
      const digits = text.startsWith(this.#cursorTag) ? text.slice(this.#cursorTag.length) : '';
      if (/^[1-9]\d{0,14}$/.test(digits)) {
        const after = Number(digits);
        if (this.#encodeCursor(after) === cursor) return after;
      }
    }
    throw this.#invalidCursor();
  }

  #invalidCursor(): WireError {
    return invalidParams(`Invalid cursor: params.cursor must be the nextCursor of an earlier page of this ${this.#kind} list, unchanged`);
  }

  #pageAt({ values, seqs }: View<T>, offset: number, pageSize: number): Page<T> {
    const items = values.slice(offset, offset + pageSize);
    const end = offset + items.length;
    return { items, nextCursor: end < values.length ? this.#encodeCursor(seqs[end - 1] as number) : undefined };
  }
}

/** The index of the first entry registered after number `after` (binary search: the numbers rise). */
function offsetAfter(seqs: readonly number[], after: number): number {
  let lo = 0;
  let hi = seqs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((seqs[mid] as number) <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
