/**
 * Drift between a model's training data (the reference) and new data: bins and counts per input
 * column fixed on the reference (bins.ts), the new rows counted into them in as many passes as the
 * caller likes (a large scored file is streamed), then PSI per column, of the predicted risk, and
 * the change in observed churn rate, summarised in words (summarizeDrift).
 *
 * Column names are data: everything column-keyed is an array of entries or a Map, never an object.
 */

import { cleanCell, parseNumber } from "../ml/data/values";
import { BinCounter, type Binning, binLabels, categoricalBinning, quantileEdges } from "./bins";

export interface DriftFeature {
  name: string;
  kind: "numeric" | "categorical";
  /** Numbers written with a decimal comma in the files ("29,85"). */
  decimalComma?: boolean;
}

/** Rows of raw cells in `columns` order (a parsed CSV, or stored customers printed back). */
export interface DriftTable {
  columns: readonly string[];
  rows: readonly (readonly string[])[];
}

export interface ReferenceColumn {
  feature: DriftFeature;
  binning: Binning;
  counts: number[];
  /** Every training level of a categorical column (tells rarer training values from new ones). */
  known: ReadonlySet<string>;
}

export interface DriftReference {
  rows: number;
  columns: ReferenceColumn[];
  /** The model's predicted risk on the reference rows, binned at its deciles. */
  risk: { binning: Binning; counts: number[] } | null;
  /** Churned and labelled reference rows. */
  churn: { positives: number; labelled: number } | null;
}

export interface BuildReferenceOptions {
  /** Predicted risk per reference row. */
  risk?: ArrayLike<number>;
  /** Per reference row: 1 churned, 0 stayed, anything else unknown. */
  labels?: ArrayLike<number>;
  binCount?: number;
}

function parseCellNumber(raw: string | undefined, decimalComma = false): number {
  const cell = cleanCell(raw);
  return cell === null ? Number.NaN : parseNumber(cell, decimalComma);
}

function labelCounts(labels: ArrayLike<number> | undefined): { positives: number; labelled: number } | null {
  if (!labels) return null;
  let positives = 0;
  let labelled = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === 1) positives++;
    if (labels[i] === 1 || labels[i] === 0) labelled++;
  }
  return labelled > 0 ? { positives, labelled } : null;
}

/** Bins every feature at the reference's quantiles / levels and counts the reference into them. */
export function buildDriftReference(
  table: DriftTable,
  features: readonly DriftFeature[],
  options: BuildReferenceOptions = {},
): DriftReference {
  const columns = features.map((feature): ReferenceColumn => {
    const at = table.columns.indexOf(feature.name);
    if (feature.kind === "numeric") {
      const values = Float64Array.from(table.rows, (row) =>
        at < 0 ? Number.NaN : parseCellNumber(row[at], feature.decimalComma),
      );
      const binning: Binning = { kind: "numeric", edges: quantileEdges(values, options.binCount) };
      const counter = new BinCounter(binning);
      for (const x of values) counter.addNumber(x);
      return { feature, binning, counts: counter.counts, known: new Set() };
    }
    const values = table.rows.map((row) => (at < 0 ? null : cleanCell(row[at])));
    const binning = categoricalBinning(values);
    const known = new Set<string>();
    for (const v of values) if (v !== null) known.add(v);
    const counter = new BinCounter(binning, known);
    for (const v of values) counter.addLevel(v);
    return { feature, binning, counts: counter.counts, known };
  });
  let risk: DriftReference["risk"] = null;
  if (options.risk && options.risk.length > 0) {
    const binning: Binning = { kind: "numeric", edges: quantileEdges(options.risk, options.binCount) };
    const counter = new BinCounter(binning);
    for (let i = 0; i < options.risk.length; i++) counter.addNumber(options.risk[i]);
    risk = { binning, counts: counter.counts };
  }
  return { rows: table.rows.length, columns, risk, churn: labelCounts(options.labels) };
}

/** Counts new rows into the reference's bins; call `add` once per part of the data. */
export class DriftAccumulator {
  rows = 0;
  private readonly counters: BinCounter[];
  private readonly absent: boolean[];
  private readonly seenTable: boolean[];
  private readonly riskCounter: BinCounter | null;
  private positives = 0;
  private labelled = 0;

  constructor(readonly reference: DriftReference) {
    this.counters = reference.columns.map((c) => new BinCounter(c.binning, c.known));
    this.absent = reference.columns.map(() => true);
    this.seenTable = reference.columns.map(() => false);
    this.riskCounter = reference.risk ? new BinCounter(reference.risk.binning) : null;
  }

  add(table: DriftTable, options: { risk?: ArrayLike<number>; labels?: ArrayLike<number> } = {}): void {
    this.reference.columns.forEach((ref, j) => {
      const counter = this.counters[j];
      const at = table.columns.indexOf(ref.feature.name);
      this.seenTable[j] = true;
      if (at >= 0) this.absent[j] = false;
      for (const row of table.rows) counter.addCell(at < 0 ? null : row[at], ref.feature.decimalComma);
    });
    if (this.riskCounter && options.risk) {
      for (let i = 0; i < options.risk.length; i++) this.riskCounter.addNumber(options.risk[i]);
    }
    const churn = labelCounts(options.labels);
    if (churn) {
      this.positives += churn.positives;
      this.labelled += churn.labelled;
    }
    this.rows += table.rows.length;
  }

  /** Counts per column (same order as the reference's), with whether the new data lacked it. */
  columnCounts(): { counts: number[]; isAbsent: boolean }[] {
    return this.counters.map((c, j) => ({ counts: c.counts, isAbsent: this.seenTable[j] && this.absent[j] }));
  }

  riskCounts(): number[] | null {
    return this.riskCounter?.counts ?? null;
  }

  churn(): { positives: number; labelled: number } | null {
    return this.labelled > 0 ? { positives: this.positives, labelled: this.labelled } : null;
  }
}

export interface DriftBin {
  label: string;
  /** Share of the reference (training) rows in this bin, 0..1. */
  expected: number;
  /** Share of the new rows, 0..1. */
  actual: number;
}

/** Shares per bin for the histograms (without PSI's epsilon: what the data says). */
export function driftBins(
  binning: Binning,
  expected: readonly number[],
  actual: readonly number[],
  format?: (x: number) => string,
): DriftBin[] {
  const e = expected.reduce((s, c) => s + c, 0);
  const a = actual.reduce((s, c) => s + c, 0);
  return binLabels(binning, format).map((label, i) => ({
    label,
    expected: e > 0 ? expected[i] / e : 0,
    actual: a > 0 ? actual[i] / a : 0,
  }));
}
