/**
 * The profile of a dataset version, computed over every imported row (the schema's statistics
 * may come from a sample): rows, churn rate, and per column missing share, distinct values, the
 * distribution (histogram bins for numbers and dates, top categories otherwise) and the churn
 * rate in each bin or category. Stored as JSON on dataset_versions.profile for the profile page.
 * Values of identifiers and personal data are never copied into it.
 */
import type {
  ColumnRole,
  ColumnType,
  DatasetSchema,
  ExclusionReason,
  Frame,
  PersonalDataKind,
} from "@/lib/ml/data";

export const PROFILE_FORMAT_VERSION = 1;
/** Categories shown before the rest is folded into "Other". */
const TOP_CATEGORIES = 12;
const HISTOGRAM_BINS = 10;
/** Integer columns with at most this many values get one bar per value (NumOfProducts 1-4). */
const DISCRETE_MAX_VALUES = 12;

export interface DistributionBucket {
  /** What the bar is labelled with: a category, a number, or a range ("18.3 – 27.6"). */
  label: string;
  /** Numeric bins: bounds (days since 1970-01-01 for dates); the last bin includes its upper bound. */
  lower?: number;
  upper?: number;
  /** Rows in the bucket. */
  count: number;
  /** Rows in the bucket with a known target; churnRate = positives / labelled. */
  labelled: number;
  positives: number;
  churnRate: number | null;
  /** The "Other" bucket folding rarer categories. */
  isOther?: boolean;
}

export interface NumericSummary {
  min: number;
  max: number;
  mean: number;
  std: number;
  median: number;
}

export interface ColumnProfile {
  name: string;
  type: ColumnType;
  role: ColumnRole;
  exclusionReason: ExclusionReason | null;
  personalData: PersonalDataKind | null;
  /** Non-missing rows. */
  count: number;
  missing: number;
  /** missing / rowCount, 0..1. */
  missingRate: number;
  /** Churn rate of the rows where this column is missing; null without target or missing rows. */
  missingChurnRate: number | null;
  distinct: number;
  numeric: NumericSummary | null;
  /** "bins" for numbers and dates, "categories" otherwise; null when values are hidden. */
  distributionKind: "bins" | "categories" | null;
  distribution: DistributionBucket[] | null;
  /** Why there is no distribution ("personal data", "identifier"), for the page. */
  hiddenReason: string | null;
}

export interface DatasetProfile {
  formatVersion: typeof PROFILE_FORMAT_VERSION;
  rowCount: number;
  target: string | null;
  positiveLabel: string | null;
  /** Rows with a known target value. */
  labelledRows: number;
  /** Rows whose target is the positive label (churned). */
  positives: number;
  /** positives / labelledRows, 0..1; null without a target. */
  churnRate: number | null;
  columns: ColumnProfile[];
}

/**
 * @param frame every column of the schema, all rows (createFrameBuilder over the file)
 * @param labels per row: 1 churned, 0 retained, -1 unknown (or null without a target)
 */
export function computeProfile(
  frame: Frame,
  schema: DatasetSchema,
  labels: Int8Array | null,
): DatasetProfile {
  const rowCount = frame.rowCount;
  let labelledRows = 0;
  let positives = 0;
  if (labels) {
    for (let r = 0; r < rowCount; r++) {
      if (labels[r] >= 0) labelledRows++;
      if (labels[r] === 1) positives++;
    }
  }
  const columns = schema.columns.map((column): ColumnProfile => {
    const data = frame.columns.find((c) => c.name === column.name);
    const hiddenReason =
      column.personalData !== null
        ? "Personal data: values are not profiled"
        : column.role === "identifier" || column.exclusionReason === "identifier"
          ? "Identifier: every value is different"
          : null;
    const base = {
      name: column.name,
      type: column.type,
      role: column.role,
      exclusionReason: column.exclusionReason,
      personalData: column.personalData,
      hiddenReason,
    };
    if (!data) {
      return {
        ...base,
        count: 0,
        missing: rowCount,
        missingRate: rowCount ? 1 : 0,
        missingChurnRate: null,
        distinct: 0,
        numeric: null,
        distributionKind: null,
        distribution: null,
      };
    }
    // Churn rates of a column against the target itself say nothing.
    const rowLabels = column.role === "target" ? null : labels;
    let missing = 0;
    let missingLabelled = 0;
    let missingPositives = 0;
    const isMissingAt =
      data.kind === "numeric"
        ? (r: number) => Number.isNaN(data.values[r])
        : (r: number) => data.codes[r] < 0;
    for (let r = 0; r < rowCount; r++) {
      if (!isMissingAt(r)) continue;
      missing++;
      if (rowLabels && rowLabels[r] >= 0) {
        missingLabelled++;
        if (rowLabels[r] === 1) missingPositives++;
      }
    }
    const common = {
      ...base,
      count: rowCount - missing,
      missing,
      missingRate: rowCount ? missing / rowCount : 0,
      missingChurnRate: missingLabelled ? missingPositives / missingLabelled : null,
    };
    if (data.kind === "numeric") {
      const present = new Float64Array(rowCount - missing);
      let k = 0;
      for (let r = 0; r < rowCount; r++) if (!Number.isNaN(data.values[r])) present[k++] = data.values[r];
      present.sort();
      const distinct = countDistinctSorted(present);
      const numeric = present.length && hiddenReason === null ? summarize(present) : null;
      const distribution =
        hiddenReason === null && present.length
          ? numericBuckets(data.values, present, distinct, rowLabels, column.type === "date")
          : null;
      return {
        ...common,
        distinct,
        numeric,
        distributionKind: distribution ? "bins" : null,
        distribution,
      };
    }
    const distribution = hiddenReason === null ? categoryBuckets(data.codes, data.levels, rowLabels) : null;
    return {
      ...common,
      distinct: data.levels.length,
      numeric: null,
      distributionKind: distribution ? "categories" : null,
      distribution,
    };
  });
  return {
    formatVersion: PROFILE_FORMAT_VERSION,
    rowCount,
    target: schema.target,
    positiveLabel: schema.positiveLabel,
    labelledRows,
    positives,
    churnRate: labels && labelledRows ? positives / labelledRows : null,
    columns,
  };
}

function countDistinctSorted(sorted: Float64Array): number {
  let n = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) n++;
  return n;
}

function summarize(sorted: Float64Array): NumericSummary {
  const n = sorted.length;
  let sum = 0;
  for (const v of sorted) sum += v;
  const mean = sum / n;
  let ss = 0;
  for (const v of sorted) ss += (v - mean) * (v - mean);
  const median = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return { min: sorted[0], max: sorted[n - 1], mean, std: Math.sqrt(ss / n), median };
}

function bucket(label: string, extra: Partial<DistributionBucket> = {}): DistributionBucket {
  return { label, count: 0, labelled: 0, positives: 0, churnRate: null, ...extra };
}

function finishRates(buckets: DistributionBucket[], hasLabels: boolean): DistributionBucket[] {
  for (const b of buckets) b.churnRate = hasLabels && b.labelled > 0 ? b.positives / b.labelled : null;
  return buckets;
}

function numericBuckets(
  values: Float64Array,
  sorted: Float64Array,
  distinct: number,
  labels: Int8Array | null,
  isDate: boolean,
): DistributionBucket[] {
  const min = sorted[0];
  const max = sorted[sorted.length - 1];
  const format = isDate ? formatDay : formatNumber;
  const add = (b: DistributionBucket, r: number) => {
    b.count++;
    if (labels && labels[r] >= 0) {
      b.labelled++;
      if (labels[r] === 1) b.positives++;
    }
  };
  const allIntegers = sorted.every((v) => Number.isInteger(v));
  if (distinct <= DISCRETE_MAX_VALUES && (allIntegers || distinct <= 2)) {
    const byValue = new Map<number, DistributionBucket>();
    for (let i = 0; i < sorted.length; i++) {
      if (i === 0 || sorted[i] !== sorted[i - 1])
        byValue.set(sorted[i], bucket(format(sorted[i]), { lower: sorted[i], upper: sorted[i] }));
    }
    for (let r = 0; r < values.length; r++) {
      const b = byValue.get(values[r]);
      if (b) add(b, r);
    }
    return finishRates([...byValue.values()], labels !== null);
  }
  const bins = min === max ? 1 : HISTOGRAM_BINS;
  const width = (max - min) / bins;
  const buckets = Array.from({ length: bins }, (_, b) => {
    const lower = min + b * width;
    const upper = b === bins - 1 ? max : min + (b + 1) * width;
    return bucket(bins === 1 ? format(lower) : `${format(lower)} – ${format(upper)}`, { lower, upper });
  });
  for (let r = 0; r < values.length; r++) {
    const v = values[r];
    if (Number.isNaN(v)) continue;
    add(buckets[width === 0 ? 0 : Math.min(bins - 1, Math.floor((v - min) / width))], r);
  }
  return finishRates(buckets, labels !== null);
}

function categoryBuckets(
  codes: Int32Array,
  levels: readonly string[],
  labels: Int8Array | null,
): DistributionBucket[] {
  const all = levels.map((level) => bucket(level));
  for (let r = 0; r < codes.length; r++) {
    const code = codes[r];
    if (code < 0) continue;
    const b = all[code];
    b.count++;
    if (labels && labels[r] >= 0) {
      b.labelled++;
      if (labels[r] === 1) b.positives++;
    }
  }
  all.sort((a, b) => b.count - a.count || (a.label < b.label ? -1 : 1));
  if (all.length <= TOP_CATEGORIES + 1) return finishRates(all, labels !== null);
  const top = all.slice(0, TOP_CATEGORIES);
  const rest = all.slice(TOP_CATEGORIES);
  const other = bucket(`Other (${rest.length.toLocaleString("en-US")} values)`, { isOther: true });
  for (const b of rest) {
    other.count += b.count;
    other.labelled += b.labelled;
    other.positives += b.positives;
  }
  return finishRates([...top, other], labels !== null);
}

/** Short numbers for axis labels: 3 significant digits, no trailing zeros. */
export function formatNumber(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e6) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${Number((value / 1e6).toPrecision(3))}M`;
  if (abs >= 1e4) return `${Number((value / 1e3).toPrecision(3))}k`;
  return String(Number(value.toPrecision(3)));
}

function formatDay(days: number): string {
  return new Date(Math.round(days * 86_400_000)).toISOString().slice(0, 10);
}
