/**
 * Bounded label values. Every distinct label value is a time series Prometheus keeps, so a value a client can
 * choose (a method name, a tool name) must never become a label as is: known values pass, a few more may be
 * admitted up to a cap, and anything else is `other`.
 */

/** The label value that stands for everything outside the bound. */
export const OTHER = 'other';

/** Maps raw values to label values from a bounded set. */
export class LabelGuard {
  readonly #known: (value: string) => boolean;
  readonly #admitted = new Set<string>();
  readonly #extra: number;

  /**
   * @param known values that always pass (a registered tool, an MCP method).
   * @param extra how many other distinct values are admitted, first come, before the rest become `other`; 0 for
   *   values a peer chooses.
   */
  constructor(known: (value: string) => boolean, extra = 0) {
    this.#known = known;
    this.#extra = extra;
  }

  /** The label value for `value`. */
  label(value: string): string {
    if (this.#known(value) || this.#admitted.has(value)) return value;
    if (this.#admitted.size < this.#extra && value.length <= 128) {
      this.#admitted.add(value);
      return value;
    }
    return OTHER;
  }
}
