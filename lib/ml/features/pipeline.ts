/**
 * The feature pipeline: turns a frame (training, validation, a whole data set) or raw records
 * (the REST predict API, the what-if form) into the numeric Matrix the estimators read, with the
 * same learned state every time. Fit it on training rows only; cross-validation fits one per fold.
 *
 * Per input column (the schema's features, then the engineered features that apply):
 * - date: the number of days before the schema's reference date (the training file's latest
 *   date): recency, as RFM analysis uses it, instead of an absolute day that drifts; then as numeric;
 * - numeric: median imputation, plus a "(missing)" indicator column when the training rows had
 *   missing values; optional standardisation (`standardize`, for logistic regression and SVM;
 *   trees do not need it) of the value column only, never of 0/1 columns;
 * - categorical / boolean / text: most-frequent imputation, then one column per training value
 *   ("Contract=Month-to-month"), at most `maxCategories` of them with rarer training values
 *   sharing "Name=(other)". A column with exactly two training values is one 0/1 column
 *   ("Partner=Yes"; the yes-like value for booleans, else the rarer value). A value never seen in
 *   training encodes as all zeros (0 for a two-valued column) and is counted, never thrown.
 *
 * Every encoded feature maps to one source (an original column or a named engineered feature)
 * through `featureSources`, so SHAP values can be folded per column; `categoricalGroups` lists
 * the 0/1 columns that belong together (for SMOTE-NC); `describeInputs()` gives each original
 * column's kind and training range or values (for the what-if form).
 */
import { z } from "zod";
import { quoteValue } from "../../quote-value";
import type { ColumnType, DatasetSchema } from "../data/dataset-schema";
import type { Frame } from "../data/frame";
import {
  type DateFormat,
  isMissing,
  isNumberText,
  isoDay,
  parseBoolean,
  parseDate,
  parseNumber,
} from "../data/values";
import type { Matrix } from "../types";
import {
  detectEngineeredFeatures,
  type EngineeredFeatureSpec,
  type EngineeredRecipe,
  engineeredValue,
  type SourceRow,
  tenureBinLevels,
} from "./engineered";

export interface FeaturePipelineOptions {
  /** Standardise numeric value columns to mean 0, standard deviation 1 (training rows). Default false. */
  standardize?: boolean;
  /** Add the engineered features whose source columns are features (engineered.ts). Default true. */
  engineered?: boolean;
  /** Most one-hot columns per categorical column; rarer training values share "(other)". Default 50. */
  maxCategories?: number;
}

/** A raw customer record as the REST API receives it; keys are column names. */
export type RawRecord = Record<string, string | number | boolean | null | undefined>;

export interface RecordWarning {
  /** Index of the record in the batch. */
  row: number;
  column: string;
  kind: "missing" | "unreadable" | "unseen_category";
  message: string;
}

export interface RecordTransformResult {
  matrix: Matrix;
  warnings: RecordWarning[];
}

export interface FrameTransformResult {
  matrix: Matrix;
  /** Per input, rows whose value was missing and imputed (column names are data: a Map, not an object). */
  imputed: Map<string, number>;
  /** Per categorical input, rows whose value was not seen in training (encoded as all zeros). */
  unseen: Map<string, number>;
}

/** 0/1 encoded columns that together represent one categorical value (or a missing flag). */
export interface CategoricalGroup {
  /** The source the group belongs to, e.g. "Contract" or "TotalCharges (missing)". */
  name: string;
  /** Encoded column indices; at most one is 1 in a training row. */
  columns: number[];
}

/** What the what-if form needs to know about one original column. */
export interface InputDescription {
  name: string;
  /** The schema type: numeric, categorical, boolean, date or text. */
  type: ColumnType;
  kind: "numeric" | "categorical";
  /** Numeric: training minimum, maximum, median, and whether every training value was whole. */
  min?: number;
  max?: number;
  median?: number;
  isInteger?: boolean;
  /** Categorical: training values by frequency (the first is the imputed default). */
  categories?: string[];
  /** The value used when the field is left empty. */
  defaultValue: number | string;
}

const FORMAT_VERSION = 1;

const sourceSpecSchema = z.object({
  name: z.string(),
  type: z.enum(["numeric", "categorical", "boolean", "date", "text"]),
  kind: z.enum(["numeric", "categorical"]),
  decimalComma: z.boolean(),
  dateFormat: z.enum(["ymd", "dmy", "mdy"]).nullable(),
  trueValue: z.string().nullable(),
  /** Date inputs: values are used as days before this day (days since 1970); absent = absolute days. */
  referenceDay: z.number().nullable().optional(),
  engineered: z.custom<EngineeredFeatureSpec>((v) => v === null || typeof v === "object").nullable(),
});
type InputSpec = z.infer<typeof sourceSpecSchema>;

const numericStateSchema = z.object({
  kind: z.literal("numeric"),
  median: z.number(),
  missingIndicator: z.boolean(),
  mean: z.number(),
  scale: z.number(),
  min: z.number(),
  max: z.number(),
  isInteger: z.boolean(),
});
const categoricalStateSchema = z.object({
  kind: z.literal("categorical"),
  /** Encoded values, most frequent first. */
  levels: z.array(z.string()),
  /** Training values folded into "(other)". */
  otherLevels: z.array(z.string()),
  mode: z.string(),
  /** Two-valued columns: the value encoded as 1 in their single column; null = one-hot. */
  binaryLevel: z.string().nullable(),
});
const inputStateSchema = z.discriminatedUnion("kind", [numericStateSchema, categoricalStateSchema]);
type NumericState = z.infer<typeof numericStateSchema>;
type CategoricalState = z.infer<typeof categoricalStateSchema>;
type InputState = z.infer<typeof inputStateSchema>;

export const featurePipelineJsonSchema = z.object({
  kind: z.literal("feature_pipeline"),
  formatVersion: z.literal(FORMAT_VERSION),
  options: z.object({
    standardize: z.boolean(),
    engineered: z.boolean(),
    maxCategories: z.number().int().positive(),
  }),
  inputs: z.array(sourceSpecSchema),
  state: z.array(inputStateSchema),
});
export type FeaturePipelineJson = z.infer<typeof featurePipelineJsonSchema>;

const OTHER = "(other)";

export class FeaturePipeline {
  readonly options: Required<FeaturePipelineOptions>;
  /** Inputs in encoding order: the schema's feature columns, then engineered features. */
  private readonly inputs: InputSpec[];
  private state: InputState[] | null = null;
  private layout: Layout | null = null;

  private constructor(inputs: InputSpec[], options: Required<FeaturePipelineOptions>) {
    this.inputs = inputs;
    this.options = options;
  }

  /** An unfitted pipeline over the schema's feature columns. */
  static fromSchema(schema: DatasetSchema, options: FeaturePipelineOptions = {}): FeaturePipeline {
    const resolved = {
      standardize: options.standardize ?? false,
      engineered: options.engineered ?? true,
      maxCategories: options.maxCategories ?? 50,
    };
    const inputs: InputSpec[] = schema.columns
      .filter((c) => c.role === "feature")
      .map((c) => ({
        name: c.name,
        type: c.type,
        kind: c.type === "numeric" || c.type === "date" ? "numeric" : "categorical",
        decimalComma: c.decimalComma,
        dateFormat: c.type === "date" ? c.dateFormat : null,
        trueValue: c.trueValue,
        ...(c.type === "date" && typeof schema.referenceDate === "number"
          ? { referenceDay: schema.referenceDate }
          : {}),
        engineered: null,
      }));
    if (resolved.engineered) {
      for (const spec of detectEngineeredFeatures(schema)) {
        inputs.push({
          name: spec.name,
          type: spec.kind === "numeric" ? "numeric" : "categorical",
          kind: spec.kind,
          decimalComma: false,
          dateFormat: null,
          trueValue: null,
          engineered: spec,
        });
      }
    }
    return new FeaturePipeline(inputs, resolved);
  }

  static fromJSON(json: unknown): FeaturePipeline {
    const parsed = featurePipelineJsonSchema.parse(typeof json === "string" ? JSON.parse(json) : json);
    if (parsed.inputs.length !== parsed.state.length)
      throw new Error("Feature pipeline JSON: inputs and state differ");
    const pipeline = new FeaturePipeline(parsed.inputs, parsed.options);
    pipeline.setState(parsed.state);
    return pipeline;
  }

  toJSON(): FeaturePipelineJson {
    return {
      kind: "feature_pipeline",
      formatVersion: FORMAT_VERSION,
      options: { ...this.options },
      inputs: this.inputs.map((i) => ({ ...i })),
      state: this.fitted().state.map((s) => ({ ...s })),
    };
  }

  get isFitted(): boolean {
    return this.state !== null;
  }

  /**
   * Learns imputation values, categories and scaling from the frame's `rows` (default: all).
   * Pass the training rows only: nothing of the other rows may shape the pipeline.
   */
  fit(frame: Frame, rows?: ArrayLike<number>): this {
    const rowList = rows ?? rangeOf(frame.rowCount);
    const columns = this.readInputs(frame, rowList);
    const state = this.inputs.map((input, j): InputState => {
      const column = columns[j];
      return column.kind === "numeric"
        ? fitNumeric(column.values, this.options.standardize)
        : fitCategorical(column.codes, column.levels, input, this.options.maxCategories);
    });
    this.setState(state);
    return this;
  }

  /** The matrix of the frame's `rows` (default: all). */
  transform(frame: Frame, rows?: ArrayLike<number>): Matrix {
    return this.transformDetailed(frame, rows).matrix;
  }

  /** transform, with counts of imputed values and unseen categories per input. */
  transformDetailed(frame: Frame, rows?: ArrayLike<number>): FrameTransformResult {
    const { state, layout } = this.fitted();
    const rowList = rows ?? rangeOf(frame.rowCount);
    const columns = this.readInputs(frame, rowList);
    const n = rowList.length;
    const data = new Float64Array(n * layout.width);
    const imputed = new Map<string, number>();
    const unseen = new Map<string, number>();
    this.inputs.forEach((input, j) => {
      const column = columns[j];
      const s = state[j];
      const offset = layout.offsets[j];
      if (column.kind === "numeric" && s.kind === "numeric") {
        let missing = 0;
        for (let i = 0; i < n; i++)
          missing += encodeNumeric(column.values[i], s, data, i * layout.width + offset);
        if (missing) imputed.set(input.name, missing);
      } else if (column.kind === "categorical" && s.kind === "categorical") {
        const slots = slotsFor(column.levels, s, input);
        let missing = 0;
        let unknown = 0;
        for (let i = 0; i < n; i++) {
          const code = column.codes[i];
          const slot = code < 0 ? slots.mode : slots.byCode[code];
          if (code < 0) missing++;
          else if (slot === UNSEEN) unknown++;
          encodeSlot(slot, s, data, i * layout.width + offset);
        }
        if (missing) imputed.set(input.name, missing);
        if (unknown) unseen.set(input.name, unknown);
      }
    });
    return { matrix: { data, rows: n, cols: layout.width }, imputed, unseen };
  }

  /**
   * Encodes raw records (REST API, what-if form). Field names match exactly, else ignoring case
   * and separators; values may be text or typed (numbers, booleans). Missing or unreadable
   * fields are imputed and reported in `warnings`; unknown extra fields are ignored.
   */
  transformRecords(records: readonly RawRecord[]): RecordTransformResult {
    const { state, layout } = this.fitted();
    const data = new Float64Array(records.length * layout.width);
    const warnings: RecordWarning[] = [];
    const originals = this.inputs.filter((i) => i.engineered === null);
    records.forEach((record, r) => {
      const lookup = recordLookup(record);
      const numbers = new Map<string, number>();
      const texts = new Map<string, string | null>();
      for (const input of originals) {
        const raw = lookup(input.name);
        if (input.kind === "numeric") {
          const value = recency(readRawNumber(raw, input), input);
          numbers.set(input.name, value);
          if (Number.isNaN(value)) {
            const unreadable =
              raw !== null && raw !== undefined && !(typeof raw === "string" && isMissing(raw));
            warnings.push({
              row: r,
              column: input.name,
              kind: unreadable ? "unreadable" : "missing",
              message: unreadable
                ? `"${input.name}" = ${quoteValue(raw)} is not a ${input.type === "date" ? "date" : "number"}; the training median was used.`
                : `"${input.name}" is missing; the training median was used.`,
            });
          }
        } else {
          const value = readRawText(raw, input, state[this.inputs.indexOf(input)] as CategoricalState);
          texts.set(input.name, value);
          if (value === null) {
            warnings.push({
              row: r,
              column: input.name,
              kind: "missing",
              message: `"${input.name}" is missing; the most frequent training value was used.`,
            });
          }
        }
      }
      const sourceRow: SourceRow = {
        number: (name) => numbers.get(name) ?? Number.NaN,
        text: (name) => texts.get(name) ?? null,
      };
      this.inputs.forEach((input, j) => {
        const s = state[j];
        const at = r * layout.width + layout.offsets[j];
        if (s.kind === "numeric") {
          const value = input.engineered
            ? (engineeredValue(input.engineered, sourceRow) as number)
            : (numbers.get(input.name) as number);
          encodeNumeric(value, s, data, at);
          return;
        }
        const text = input.engineered
          ? (engineeredValue(input.engineered, sourceRow) as string | null)
          : (texts.get(input.name) ?? null);
        const slot = text === null ? MODE : slotOfText(text, s, input);
        if (slot === UNSEEN) {
          warnings.push({
            row: r,
            column: input.name,
            kind: "unseen_category",
            message: `"${input.name}" = ${quoteValue(text)} was not seen in training; it adds nothing to the score.`,
          });
        }
        encodeSlot(slot === MODE ? slotOfText(s.mode, s, input) : slot, s, data, at);
      });
    });
    return { matrix: { data, rows: records.length, cols: layout.width }, warnings };
  }

  /** Names of the encoded features, e.g. "tenure", "TotalCharges (missing)", "Contract=Two year". */
  /**
   * Per encoded column, the standardisation applied: output = (value - mean) / scale (0 and 1 for
   * every column when `standardize` is off, and for one-hot and missing-indicator columns). Lets a
   * model fitted on this pipeline's output read another pipeline's output fitted on the same rows
   * (a blend of a tree model and a linear model shares one pipeline this way).
   */
  scaling(): { mean: Float64Array; scale: Float64Array } {
    const { state, layout } = this.fitted();
    const mean = new Float64Array(layout.width);
    const scale = new Float64Array(layout.width).fill(1);
    state.forEach((s, j) => {
      if (s.kind !== "numeric") return;
      mean[layout.offsets[j]] = s.mean;
      scale[layout.offsets[j]] = s.scale;
    });
    return { mean, scale };
  }

  get featureNames(): string[] {
    return [...this.fitted().layout.featureNames];
  }

  /** Sources in order: the schema's feature columns, then engineered features by name. */
  get sourceNames(): string[] {
    return this.inputs.map((i) => i.name);
  }

  /** Per encoded feature, the index of its source in `sourceNames`. */
  get featureSources(): number[] {
    return [...this.fitted().layout.featureSources];
  }

  /** Per encoded feature, its source name (an original column or an engineered feature). */
  get featureSourceNames(): string[] {
    const names = this.sourceNames;
    return this.featureSources.map((s) => names[s]);
  }

  /** The original columns each source reads: itself for a column, its inputs for an engineered feature. */
  get sourceColumns(): Map<string, string[]> {
    return new Map(this.inputs.map((i) => [i.name, i.engineered ? [...i.engineered.sources] : [i.name]]));
  }

  get engineeredFeatures(): EngineeredFeatureSpec[] {
    return this.inputs.flatMap((i) => (i.engineered ? [i.engineered] : []));
  }

  /** Encoded 0/1 columns that belong together (one-hot groups, two-valued columns, missing flags). */
  get categoricalGroups(): CategoricalGroup[] {
    return this.fitted().layout.groups.map((g) => ({ name: g.name, columns: [...g.columns] }));
  }

  /** Indices of the numeric value columns (everything that is not in a categorical group). */
  get numericFeatures(): number[] {
    const { layout } = this.fitted();
    const inGroup = new Set(layout.groups.flatMap((g) => g.columns));
    return layout.featureNames.map((_, i) => i).filter((i) => !inGroup.has(i));
  }

  /** The original feature columns with their training ranges or values, for the what-if form. */
  describeInputs(): InputDescription[] {
    const { state } = this.fitted();
    return this.inputs.flatMap((input, j): InputDescription[] => {
      if (input.engineered) return [];
      const s = state[j];
      if (s.kind === "numeric" && typeof input.referenceDay === "number") {
        // A date input is described in dates (days since 1970), as the form and the API take it.
        const ref = input.referenceDay;
        return [
          {
            name: input.name,
            type: input.type,
            kind: "numeric",
            min: ref - s.max,
            max: ref - s.min,
            median: ref - s.median,
            isInteger: s.isInteger,
            defaultValue: isoDay(Math.round(ref - s.median)),
          },
        ];
      }
      if (s.kind === "numeric") {
        return [
          {
            name: input.name,
            type: input.type,
            kind: "numeric",
            min: s.min,
            max: s.max,
            median: s.median,
            isInteger: s.isInteger,
            defaultValue: s.median,
          },
        ];
      }
      return [
        {
          name: input.name,
          type: input.type,
          kind: "categorical",
          categories: [...s.levels.filter((l) => l !== OTHER), ...s.otherLevels],
          defaultValue: s.mode,
        },
      ];
    });
  }

  private fitted(): { state: InputState[]; layout: Layout } {
    if (!this.state || !this.layout) throw new Error("The feature pipeline is not fitted: call fit() first");
    return { state: this.state, layout: this.layout };
  }

  private setState(state: InputState[]): void {
    this.state = state;
    this.layout = buildLayout(this.inputs, state);
  }

  /** The input columns for `rows`, original ones from the frame, engineered ones computed. */
  private readInputs(frame: Frame, rows: ArrayLike<number>): InputColumn[] {
    const byName = new Map(frame.columns.map((c) => [c.name, c]));
    const column = (name: string) => {
      const c = byName.get(name);
      if (!c) throw new Error(`The frame has no column "${name}" (a feature of the pipeline)`);
      return c;
    };
    const n = rows.length;
    return this.inputs.map((input): InputColumn => {
      if (!input.engineered) {
        const c = column(input.name);
        if (input.kind === "numeric") {
          if (c.kind !== "numeric") throw new Error(`Column "${input.name}" should be numeric in the frame`);
          const values = new Float64Array(n);
          for (let i = 0; i < n; i++) values[i] = c.values[rows[i]];
          const reference = input.referenceDay;
          if (typeof reference === "number") for (let i = 0; i < n; i++) values[i] = reference - values[i];
          return { kind: "numeric", values };
        }
        if (c.kind !== "categorical")
          throw new Error(`Column "${input.name}" should be categorical in the frame`);
        const codes = new Int32Array(n);
        for (let i = 0; i < n; i++) codes[i] = c.codes[rows[i]];
        return { kind: "categorical", codes, levels: c.levels };
      }
      const spec = input.engineered;
      let r = 0;
      const row: SourceRow = {
        number: (name) => {
          const c = column(name);
          return c.kind === "numeric" ? c.values[r] : Number.NaN;
        },
        text: (name) => {
          const c = column(name);
          if (c.kind === "numeric") return Number.isNaN(c.values[r]) ? null : String(c.values[r]);
          const code = c.codes[r];
          return code < 0 ? null : c.levels[code];
        },
      };
      if (spec.kind === "numeric") {
        const values = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          r = rows[i];
          values[i] = engineeredValue(spec, row) as number;
        }
        return { kind: "numeric", values };
      }
      const levels = engineeredLevels(spec.recipe);
      const index = new Map(levels.map((l, k) => [l, k]));
      const codes = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        r = rows[i];
        const value = engineeredValue(spec, row) as string | null;
        codes[i] = value === null ? -1 : (index.get(value) ?? -1);
      }
      return { kind: "categorical", codes, levels };
    });
  }
}

type InputColumn =
  | { kind: "numeric"; values: Float64Array }
  | { kind: "categorical"; codes: Int32Array; levels: readonly string[] };

interface Layout {
  width: number;
  /** First encoded column of each input. */
  offsets: number[];
  featureNames: string[];
  featureSources: number[];
  groups: CategoricalGroup[];
}

function engineeredLevels(recipe: EngineeredRecipe): string[] {
  return recipe.type === "tenure_bins" ? tenureBinLevels(recipe.edges) : [];
}

function rangeOf(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

function buildLayout(inputs: InputSpec[], state: InputState[]): Layout {
  const offsets: number[] = [];
  const featureNames: string[] = [];
  const featureSources: number[] = [];
  const groups: CategoricalGroup[] = [];
  inputs.forEach((input, j) => {
    const s = state[j];
    offsets.push(featureNames.length);
    const add = (name: string) => {
      featureNames.push(name);
      featureSources.push(j);
      return featureNames.length - 1;
    };
    if (s.kind === "numeric") {
      add(input.name);
      if (s.missingIndicator)
        groups.push({ name: `${input.name} (missing)`, columns: [add(`${input.name} (missing)`)] });
      return;
    }
    if (s.binaryLevel !== null) {
      groups.push({ name: input.name, columns: [add(`${input.name}=${s.binaryLevel}`)] });
      return;
    }
    if (s.levels.length)
      groups.push({ name: input.name, columns: s.levels.map((level) => add(`${input.name}=${level}`)) });
  });
  return { width: featureNames.length, offsets, featureNames, featureSources, groups };
}

function fitNumeric(values: Float64Array, standardize: boolean): NumericState {
  const present = values.filter((v) => !Number.isNaN(v)).sort();
  const n = present.length;
  const median = n === 0 ? 0 : n % 2 ? present[(n - 1) / 2] : (present[n / 2 - 1] + present[n / 2]) / 2;
  // Mean and spread of the imputed column, as the model sees it.
  let sum = 0;
  for (const v of values) sum += Number.isNaN(v) ? median : v;
  const mean = values.length ? sum / values.length : 0;
  let ss = 0;
  for (const v of values) {
    const d = (Number.isNaN(v) ? median : v) - mean;
    ss += d * d;
  }
  const std = values.length ? Math.sqrt(ss / values.length) : 0;
  return {
    kind: "numeric",
    median,
    missingIndicator: n < values.length,
    mean: standardize ? mean : 0,
    scale: standardize && std > 0 ? std : 1,
    min: n ? present[0] : 0,
    max: n ? present[n - 1] : 0,
    isInteger: present.every((v) => Number.isInteger(v)),
  };
}

function fitCategorical(
  codes: Int32Array,
  levels: readonly string[],
  input: InputSpec,
  maxCategories: number,
): CategoricalState {
  const counts = new Float64Array(levels.length);
  for (const c of codes) if (c >= 0) counts[c]++;
  const seen = levels
    .map((level, k) => ({ level, count: counts[k] }))
    .filter((l) => l.count > 0)
    .sort((a, b) => b.count - a.count || (a.level < b.level ? -1 : a.level > b.level ? 1 : 0));
  if (seen.length === 0) {
    // Nothing observed in training (all missing): the input encodes to no column at all.
    return { kind: "categorical", levels: [], otherLevels: [], mode: "", binaryLevel: null };
  }
  const mode = seen[0].level;
  if (seen.length === 2) {
    const yes = seen.find((l) =>
      input.trueValue !== null ? l.level === input.trueValue : parseBoolean(l.level) === true,
    );
    const binaryLevel = yes ? yes.level : seen[1].level;
    return { kind: "categorical", levels: seen.map((l) => l.level), otherLevels: [], mode, binaryLevel };
  }
  const kept = seen.slice(0, maxCategories).map((l) => l.level);
  const otherLevels = seen.slice(maxCategories).map((l) => l.level);
  return {
    kind: "categorical",
    levels: otherLevels.length ? [...kept, OTHER] : kept,
    otherLevels,
    mode,
    binaryLevel: null,
  };
}

/** Writes an imputed (and scaled) numeric value; returns 1 when it was missing. */
function encodeNumeric(value: number, s: NumericState, out: Float64Array, at: number): number {
  const missing = Number.isNaN(value);
  out[at] = ((missing ? s.median : value) - s.mean) / s.scale;
  if (s.missingIndicator) out[at + 1] = missing ? 1 : 0;
  return missing ? 1 : 0;
}

/** Slot = index into state.levels; UNSEEN encodes as zeros; MODE = impute. */
const UNSEEN = -1;
const MODE = -2;

function encodeSlot(slot: number, s: CategoricalState, out: Float64Array, at: number): void {
  if (slot < 0) return;
  if (s.binaryLevel !== null) {
    out[at] = s.levels[slot] === s.binaryLevel ? 1 : 0;
    return;
  }
  out[at + slot] = 1;
}

/** The slot of a training value: exact match, then ignoring case and spacing, then "1" = "1.0". */
function slotOfText(text: string, s: CategoricalState, input: InputSpec): number {
  const exact = s.levels.indexOf(text);
  if (exact >= 0 && (text !== OTHER || s.otherLevels.length === 0)) return exact;
  if (s.otherLevels.includes(text)) return s.levels.indexOf(OTHER);
  const loose = looseKey(text);
  for (let k = 0; k < s.levels.length; k++)
    if (s.levels[k] !== OTHER && looseKey(s.levels[k]) === loose) return k;
  for (const level of s.otherLevels) if (looseKey(level) === loose) return s.levels.indexOf(OTHER);
  if (isNumberText(text)) {
    const value = Number(text);
    for (let k = 0; k < s.levels.length; k++)
      if (isNumberText(s.levels[k]) && Number(s.levels[k]) === value) return k;
  }
  // Booleans written another way ("true" for a Yes/No column).
  const asBool = parseBoolean(text);
  if (asBool !== null && (input.type === "boolean" || s.binaryLevel !== null)) {
    for (let k = 0; k < s.levels.length; k++) if (parseBoolean(s.levels[k]) === asBool) return k;
  }
  return UNSEEN;
}

function looseKey(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, " ");
}

/** Slots for every level of a frame column, computed once per transform. */
function slotsFor(
  levels: readonly string[],
  s: CategoricalState,
  input: InputSpec,
): { byCode: Int32Array; mode: number } {
  const byCode = new Int32Array(levels.length);
  levels.forEach((level, k) => {
    byCode[k] = slotOfText(level, s, input);
  });
  return { byCode, mode: s.levels.length ? slotOfText(s.mode, s, input) : UNSEEN };
}

/**
 * Own properties only (a record is a parsed JSON body or a null-prototype object; `constructor` is
 * a column name like any other). Names without a letter or digit (a zero-width space) match exactly only.
 */
function recordLookup(record: RawRecord): (name: string) => RawRecord[string] {
  const loose = new Map<string, string>();
  for (const key of Object.keys(record)) {
    const compact = looseName(key);
    if (compact !== "") loose.set(compact, key);
  }
  return (name) => {
    if (Object.hasOwn(record, name)) return record[name];
    const compact = looseName(name);
    const key = compact === "" ? undefined : loose.get(compact);
    return key === undefined ? undefined : record[key];
  };
}

function looseName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** A date input's value as days before the reference day; other values unchanged. */
function recency(value: number, input: InputSpec): number {
  return typeof input.referenceDay === "number" ? input.referenceDay - value : value;
}

function readRawNumber(raw: RawRecord[string], input: InputSpec): number {
  if (raw === null || raw === undefined) return Number.NaN;
  if (typeof raw === "number") return Number.isFinite(raw) ? raw : Number.NaN;
  if (typeof raw === "boolean") return raw ? 1 : 0;
  if (isMissing(raw)) return Number.NaN;
  if (input.dateFormat) return parseDate(raw, input.dateFormat as DateFormat);
  const value = parseNumber(raw, input.decimalComma);
  return Number.isNaN(value) && !input.decimalComma ? parseNumber(raw, true) : value;
}

function readRawText(raw: RawRecord[string], input: InputSpec, s: CategoricalState): string | null {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === "boolean") {
    if (input.trueValue !== null && raw) return input.trueValue;
    const level = s.levels.find((l) => parseBoolean(l) === raw);
    return level ?? (raw ? "true" : "false");
  }
  const text = typeof raw === "number" ? String(raw) : raw;
  if (isMissing(text)) return null;
  return text.trim();
}
