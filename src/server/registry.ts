/**
 * An ordered registry of named entries (tools, resources, templates, prompts) with opaque-cursor pagination and a
 * change signal for `list_changed`.
 *
 * Entries keep registration order, so lists are deterministic. Cursors are opaque to clients (MCP
 * server/utilities/pagination): an offset, base64url-encoded and tagged so that a foreign or stale string is
 * rejected with -32602 instead of being misread.
 */
import { ErlmcpError } from '../errors.js';
import { preserialize, type JsonObject } from '../protocol/json-rpc.js';
import { invalidParams } from '../protocol/wire-error.js';

const CURSOR_TAG = 'erlmcp:';

/** One page of a list. */
export interface Page<T> {
  items: T[];
  nextCursor: string | undefined;
}

/** Named entries in registration order. */
export class Registry<T> {
  readonly #kind: string;
  readonly #entries = new Map<string, T>();
  #values: T[] = [];
  #onChange: (() => void) | undefined;
  /** List results by revision, field and offset, built once until the registry changes. */
  readonly #pages = new Map<string, JsonObject>();

  /** @param kind names the entries in error messages ("tool", "prompt"). */
  constructor(kind: string) {
    this.#kind = kind;
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
    this.#values = [...this.#entries.values()];
    this.#pages.clear();
    this.#onChange?.();
  }

  /** Removes an entry; returns false when there was none. */
  remove(name: string): boolean {
    if (!this.#entries.delete(name)) return false;
    this.#values = [...this.#entries.values()];
    this.#pages.clear();
    this.#onChange?.();
    return true;
  }

  get(name: string): T | undefined {
    return this.#entries.get(name);
  }

  /** Every entry, in registration order. The array is shared: do not mutate it. */
  values(): readonly T[] {
    return this.#values;
  }

  /**
   * The list result (`{ [field]: [...], nextCursor? }`) of the page `cursor` points at, each entry shaped by
   * `describe`. Pages this server hands out (offsets on a page boundary) are built once per revision and kept,
   * serialised (`preserialize`), until an entry is added or removed: a `tools/list` of 500 tools then costs a
   * lookup instead of shaping and serialising every descriptor. A crafted cursor at another offset is answered,
   * not kept, so the cache stays bounded by what the server itself can hand out.
   */
  listPage(cursor: unknown, pageSize: number, revision: string, field: string, describe: (entry: T) => unknown): JsonObject {
    const offset = offsetOf(cursor);
    const key = `${revision}|${field}|${offset}|${pageSize}`;
    const kept = this.#pages.get(key);
    if (kept !== undefined) return kept;
    const { items, nextCursor } = this.#pageAt(offset, pageSize);
    const result: JsonObject = { [field]: items.map(describe) };
    if (nextCursor !== undefined) result.nextCursor = nextCursor;
    if (offset % pageSize !== 0 || offset > this.#values.length) return result;
    const frozen = preserialize(result);
    this.#pages.set(key, frozen);
    return frozen;
  }

  /** The page that `cursor` points at. An unreadable cursor is -32602. */
  page(cursor: unknown, pageSize: number): Page<T> {
    return this.#pageAt(offsetOf(cursor), pageSize);
  }

  #pageAt(offset: number, pageSize: number): Page<T> {
    const items = this.#values.slice(offset, offset + pageSize);
    const end = offset + items.length;
    return { items, nextCursor: end < this.#values.length ? encodeCursor(end) : undefined };
  }
}

function offsetOf(cursor: unknown): number {
  return cursor === undefined ? 0 : decodeCursor(cursor);
}

function encodeCursor(offset: number): string {
  return Buffer.from(CURSOR_TAG + offset).toString('base64url');
}

function decodeCursor(cursor: unknown): number {
  if (typeof cursor === 'string') {
    const text = Buffer.from(cursor, 'base64url').toString();
    const digits = text.startsWith(CURSOR_TAG) ? text.slice(CURSOR_TAG.length) : '';
    if (/^\d{1,15}$/.test(digits)) return Number(digits);
  }
  throw invalidParams('Invalid cursor: pass a nextCursor from an earlier page, unchanged');
}
