/**
 * Counters, gauges and histograms whose hot path is a Map lookup and a number add, exported through
 * prom-client's `Registry`.
 *
 * prom-client's own `inc()` and `observe()` hash and validate their label object on every call: a counter inc and
 * a histogram observe take 1.1-2 µs together here, against 40-80 ns for these cells (bench/micro/metrics-cells.mjs),
 * and a tools/call costs ~28 µs of CPU in all (BENCHMARKING.md). These families keep one cell per
 * label set, found through nested Maps keyed by the label values, and build prom-client's sample list only when
 * Prometheus scrapes. They implement the part of prom-client's metric contract its `Registry` reads (`name`,
 * `help`, `type`, `get()`), so exposition, content types and default metrics stay prom-client's. This file does
 * not import prom-client.
 */

/** One sample as prom-client's registry formats it. */
export interface Sample {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

/** What `get()` returns: prom-client's `MetricObjectWithValues`. */
export interface CollectedMetric {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  values: Sample[];
  aggregator: 'sum';
}

/** A value cell: one time series. */
export interface Cell {
  readonly labels: Readonly<Record<string, string>>;
  value: number;
}

/** A histogram cell: per-bucket counts (not cumulative), sum and count. */
export interface HistogramCell {
  readonly labels: Readonly<Record<string, string>>;
  readonly counts: Float64Array;
  sum: number;
  count: number;
}

type Node<C> = Map<string, C | Map<string, C>>;

/** Cells by up to two label values, each found through one Map per label. */
class CellIndex<C> {
  readonly #labelNames: readonly string[];
  readonly #make: (labels: Record<string, string>) => C;
  readonly #root: Node<C> = new Map();
  readonly #all: C[] = [];
  #unlabelled: C | undefined;

  constructor(labelNames: readonly string[], make: (labels: Record<string, string>) => C) {
    if (labelNames.length > 2) throw new RangeError('at most two labels');
    this.#labelNames = labelNames;
    this.#make = make;
  }

  /** Every cell, in creation order. */
  get all(): readonly C[] {
    return this.#all;
  }

  /** The series with no labels at all: a family's total beside its labelled series. */
  unlabelled(): C {
    if (this.#unlabelled === undefined) {
      this.#unlabelled = this.#make({});
      this.#all.push(this.#unlabelled);
    }
    return this.#unlabelled;
  }

  /** The cell of these label values (as many as the family has label names). */
  at(a = '', b = ''): C {
    const names = this.#labelNames;
    if (names.length === 0) return this.unlabelled();
    let first = this.#root.get(a);
    if (names.length === 1) {
      if (first === undefined) this.#root.set(a, (first = this.#add({ [names[0] as string]: a })));
      return first as C;
    }
    if (first === undefined) this.#root.set(a, (first = new Map<string, C>()));
    const inner = first as Map<string, C>;
    let cell = inner.get(b);
    if (cell === undefined) inner.set(b, (cell = this.#add({ [names[0] as string]: a, [names[1] as string]: b })));
    return cell;
  }

  /** Forgets every cell. */
  clear(): void {
    this.#root.clear();
    this.#all.length = 0;
    this.#unlabelled = undefined;
  }

  #add(labels: Record<string, string>): C {
    const cell = this.#make(Object.freeze(labels));
    this.#all.push(cell);
    return cell;
  }
}

abstract class Family<C> {
  readonly name: string;
  readonly help: string;
  abstract readonly type: CollectedMetric['type'];
  protected readonly cells: CellIndex<C>;
  /** Runs before each scrape, to refresh values read from elsewhere. */
  collect: (() => void) | undefined;

  constructor(name: string, help: string, labelNames: readonly string[], make: (labels: Record<string, string>) => C) {
    this.name = name;
    this.help = help;
    this.cells = new CellIndex(labelNames, make);
  }

  /** The cell of these label values; keep it to skip the lookups on later updates. */
  at(a?: string, b?: string): C {
    return this.cells.at(a, b);
  }

  /** The family's unlabelled series. */
  unlabelled(): C {
    return this.cells.unlabelled();
  }

  /** The samples, for prom-client's registry. */
  get(): Promise<CollectedMetric> {
    this.collect?.();
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, values: this.samples(), aggregator: 'sum' });
  }

  /** prom-client's `registry.resetMetrics()` calls this. */
  reset(): void {
    this.cells.clear();
  }

  protected abstract samples(): Sample[];
}

function valueCell(labels: Record<string, string>): Cell {
  return { labels, value: 0 };
}

/** A counter family. */
export class CounterFamily extends Family<Cell> {
  readonly type = 'counter' as const;

  constructor(name: string, help: string, labelNames: readonly string[] = []) {
    super(name, help, labelNames, valueCell);
  }

  protected samples(): Sample[] {
    return this.cells.all.map((c) => ({ labels: c.labels, value: c.value }));
  }
}

/** A gauge family. */
export class GaugeFamily extends Family<Cell> {
  readonly type = 'gauge' as const;

  constructor(name: string, help: string, labelNames: readonly string[] = []) {
    super(name, help, labelNames, valueCell);
  }

  protected samples(): Sample[] {
    return this.cells.all.map((c) => ({ labels: c.labels, value: c.value }));
  }
}

/** A histogram family with fixed upper bounds, in the unit observed. */
export class HistogramFamily extends Family<HistogramCell> {
  readonly type = 'histogram' as const;
  readonly #bounds: Float64Array;
  readonly #le: string[];

  constructor(name: string, help: string, bounds: readonly number[], labelNames: readonly string[] = []) {
    const size = bounds.length + 1;
    super(name, help, labelNames, (labels) => ({ labels, counts: new Float64Array(size), sum: 0, count: 0 }));
    for (let i = 1; i < bounds.length; i++) {
      if (!((bounds[i] as number) > (bounds[i - 1] as number))) throw new RangeError(`${name}: bucket bounds must increase`);
    }
    this.#bounds = Float64Array.from(bounds);
    this.#le = [...bounds.map(String), '+Inf'];
  }

  /** Adds one observation to `cell`. Bounds are few and most values small, so a forward scan beats a search. */
  observe(cell: HistogramCell, value: number): void {
    const bounds = this.#bounds;
    let i = 0;
    while (i < bounds.length && value > (bounds[i] as number)) i++;
    cell.counts[i] = (cell.counts[i] as number) + 1;
    cell.sum += value;
    cell.count++;
  }

  protected samples(): Sample[] {
    const out: Sample[] = [];
    const bucket = `${this.name}_bucket`;
    for (const cell of this.cells.all) {
      let cumulative = 0;
      for (let i = 0; i < this.#le.length; i++) {
        cumulative += cell.counts[i] as number;
        out.push({ labels: { ...cell.labels, le: this.#le[i] as string }, value: cumulative, metricName: bucket });
      }
      out.push({ labels: cell.labels, value: cell.sum, metricName: `${this.name}_sum` });
      out.push({ labels: cell.labels, value: cell.count, metricName: `${this.name}_count` });
    }
    return out;
  }
}
