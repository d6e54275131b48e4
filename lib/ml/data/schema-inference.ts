/**
 * Schema inference: what each column of an uploaded table is (numeric, categorical, boolean, date,
 * free text) and what it is for (target, identifier, feature, or excluded: personal data,
 * constant, leakage, ...), with the per-column statistics of the profile page.
 *
 * Rules are deliberately simple and visible, because a user reviews them in the preview:
 * - target: a column named like churn / exited / attrition / label / target (first match in
 *   TARGET_NAMES order), else a two-valued column whose values read as churn (Churned / Stayed),
 *   else the last column when it is yes/no-like (with a warning that it was guessed);
 * - identifier: unique on every row and an id-like name (customerID, RowNumber), or unique text;
 * - personal data: e-mails, phone numbers, person names (Surname, FirstName, Name), addresses,
 *   birth dates and free text, detected by name and by values; never a feature by default, and
 *   their values are not copied into the statistics;
 * - constant / near-constant: one value (missing counts as a value) on >= 99 % of rows;
 * - leakage: a column alone reaches max(AUC, 1 - AUC) >= 0.98 against the target;
 * - dates become recency features: days before the file's latest date (absolute dates drift;
 *   "days since the last purchase" is the R of RFM), said in the warnings; high-cardinality text
 *   categories are excluded.
 *
 * Quirks of real exports are read, not refused: yes/no columns spelled several ways (TRUE, True,
 * yes, 1.0) are one boolean; numbers with currency signs, percent signs and thousands separators
 * are numbers; numeric codes with leading zeros (ids, zip codes) stay text; a day/month order that
 * one column leaves open is taken from another date column of the file; an identifier repeated
 * on identical rows (a duplicated line) is still the identifier, and the repeats are reported.
 */
import { capacityProblem } from "./capacity";
import { separation } from "./column-auc";
import { compactName, nameTokens } from "./column-names";
import {
  type ColumnSchema,
  type ColumnStats,
  type ColumnType,
  type DatasetProblem,
  type DatasetSchema,
  datasetSchemaSchema,
  type ExclusionReason,
  type HistogramBin,
  type PersonalDataKind,
  type SchemaOverrides,
  type ValueCount,
} from "./dataset-schema";
import { DatasetError } from "./errors";
import {
  BOOLEAN_PAIRS,
  classKey,
  type DateFormat,
  guessDateFormat,
  isMissing,
  isNumberText,
  isoDay,
  type NumberDecorations,
  parseBoolean,
  parseDate,
  parseNumber,
} from "./values";

/** Column names and rows as parsed (ParsedCsv satisfies it). */
export interface TabularData {
  columns: readonly string[];
  rows: readonly (readonly string[])[];
  /** The reader's notes on how the file was read (ParsedCsv.notes), shown first in the warnings. */
  notes?: readonly string[];
}

export interface SchemaOptions {
  /** Target column chosen by the user. Default: inferred. */
  target?: string;
  /** Target value meaning "churned". Default: inferred (Yes, True, 1, Churned, Exited, ...). */
  positiveLabel?: string;
  /** Identifier column; null = none. Default: inferred. */
  identifier?: string | null;
  /** Columns to exclude from the features. */
  exclude?: string[];
  /** Columns to use as features even if inference would exclude them. */
  include?: string[];
  /** Single-column max(AUC, 1 - AUC) at or above which a column is a leakage suspect. Default 0.98. */
  leakageAuc?: number;
  /** Share of rows holding one value from which a column is near-constant. Default 0.99. */
  nearConstantShare?: number;
  /** Fewest labelled rows to train on. Default 50. */
  minRows?: number;
  /** Fewest rows of each class to train on (stratified 5-fold CV and SMOTE need a few). Default 10. */
  minClassRows?: number;
}

const DEFAULTS = { leakageAuc: 0.98, nearConstantShare: 0.99, minRows: 50, minClassRows: 10 };

/** Target names, compacted (lower case, letters and digits), best first. */
export const TARGET_NAMES = [
  "churn",
  "churned",
  "ischurn",
  "ischurned",
  "haschurned",
  "churnflag",
  "churnlabel",
  "churnvalue",
  "churnstatus",
  "churner",
  "exited",
  "attrition",
  "attritionflag",
  "left",
  "hasleft",
  "cancelled",
  "canceled",
  "iscancelled",
  "iscanceled",
  "cancellation",
  "exit",
  "label",
  "target",
  "class",
  "outcome",
  "y",
];

/** Churn words in target values; the "churned" side of a target. */
const POSITIVE_VALUES = new Set([
  "yes",
  "y",
  "true",
  "t",
  "1",
  "churn",
  "churned",
  "exited",
  "exit",
  "left",
  "cancelled",
  "canceled",
  "attrited",
  "attrited customer",
  "lost",
  "closed",
  "inactive",
  "churner",
  "leaver",
  "terminated",
  "discontinued",
  "cancel",
]);
/** Values that only a churn target has (used to find a target by its values alone). */
const CHURN_VALUES = new Set([
  "churn",
  "churned",
  "not churned",
  "no churn",
  "exited",
  "stayed",
  "retained",
  "attrited customer",
  "existing customer",
  "attrited",
  "cancelled",
  "canceled",
  "churner",
  "non-churner",
  "leaver",
  "stayer",
]);

const PERSON_NAME_NAMES = new Set([
  "name",
  "surname",
  "lastname",
  "firstname",
  "givenname",
  "familyname",
  "fullname",
  "forename",
  "middlename",
  "maidenname",
  "nickname",
  "customername",
  "clientname",
  "contactname",
  "username",
  "accountholder",
]);
const PHONE_TOKENS = new Set(["phone", "telephone", "tel", "mobile", "cell", "cellphone", "msisdn", "fax"]);
const ADDRESS_TOKENS = new Set(["address", "street", "addr"]);
const BIRTH_TOKENS = new Set(["birth", "birthday", "birthdate", "dob"]);
const ID_LAST_TOKENS = new Set(["id", "uuid", "guid", "key"]);
const ID_NUMBER_TOKENS = new Set(["number", "no", "num", "nr"]);
const ID_OWNER_TOKENS = new Set([
  "row",
  "customer",
  "client",
  "account",
  "record",
  "member",
  "subscriber",
  "user",
  "contract",
  "policy",
  "index",
  "serial",
]);

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[\d\s().-]{7,22}$/;
const TOP_VALUES = 10;
const HISTOGRAM_BINS = 10;

interface ColumnScan {
  index: number;
  name: string;
  /** Trimmed non-missing value -> rows (booleans: by canonical spelling). */
  counts: Map<string, number>;
  /** Boolean columns: the spellings as written, before merging. */
  rawKeys: string[];
  missing: number;
  type: ColumnType;
  decimalComma: boolean;
  dateFormat: DateFormat | null;
  /** The day/month order of the dates was guessed (no day above 12). */
  dateAmbiguous: boolean;
  trueValue: string | null;
  falseValue: string | null;
  /** Boolean columns: a value's canonical spelling (trueValue / falseValue); null = as written. */
  canonical: ((value: string) => string) | null;
  /** Numeric columns: decorations seen in the values (currency, percent, thousands). */
  decorations: NumberDecorations | null;
  /** Integer codes with leading zeros (007, 02134) kept as text. */
  leadingZeros: boolean;
  /** Per row, for numeric and date columns (NaN = missing). */
  numbers: Float64Array | null;
  /** Non-missing values that could not be read as numbers / dates and were set missing. */
  unreadable: number;
  personalData: PersonalDataKind | null;
  autoRole: ColumnSchema["role"];
  autoReason: ExclusionReason | null;
  singleColumnAuc: number | null;
}

/**
 * Profiles a table: infers types, roles and statistics. Never throws for data problems that
 * inference can describe (no target, one class, too few rows...): they are listed in
 * `problems` so that the preview can still show the table. Throws a DatasetError only when an
 * option names a column that does not exist.
 */
export function profileDataset(data: TabularData, options: SchemaOptions = {}): DatasetSchema {
  const settings = { ...DEFAULTS, ...definedOnly(options) };
  const rowCount = data.rows.length;
  checkNamedColumns(data, options);
  const warnings: string[] = [...(data.notes ?? [])];
  const problems: DatasetProblem[] = [];
  let scans = data.columns.map((name, index) => scanColumn(data, name, index));
  // A day/month order that one column leaves open (no day above 12) is taken from the file's other
  // date columns when they agree: one export, one locale.
  const orders = new Map<DateFormat, string>();
  for (const scan of scans) {
    if (scan.type === "date" && !scan.dateAmbiguous && scan.dateFormat !== "ymd" && scan.dateFormat)
      orders.set(scan.dateFormat, scan.name);
  }
  const dateHint = orders.size === 1 ? ([...orders.entries()][0] as [DateFormat, string]) : null;
  if (dateHint) {
    scans = scans.map((scan) =>
      scan.type === "date" && scan.dateAmbiguous && scan.dateFormat !== dateHint[0]
        ? scanColumn(data, scan.name, scan.index, dateHint[0])
        : scan,
    );
  }
  for (const scan of scans) {
    if (scan.unreadable > 0) {
      const what = scan.type === "date" ? "dates" : "numbers";
      warnings.push(
        `Column "${scan.name}": ${scan.unreadable} value(s) that are not ${what} are treated as missing.`,
      );
    }
    const note = readingNote(scan, dateHint);
    if (note) warnings.push(note);
  }

  // Target and labels.
  const target = chooseTarget(scans, options, warnings, problems);
  let labels: Int8Array | null = null;
  let classCounts: DatasetSchema["classCounts"] = null;
  if (target) {
    labels = new Int8Array(rowCount).fill(-1);
    let positive = 0;
    let negative = 0;
    const col = target.scan.index;
    for (let r = 0; r < rowCount; r++) {
      const raw = data.rows[r][col];
      if (isMissing(raw)) continue;
      const isPositive = sameValue(raw.trim(), target.positiveLabel);
      labels[r] = isPositive ? 1 : 0;
      if (isPositive) positive++;
      else negative++;
    }
    classCounts = { positive, negative, missing: rowCount - positive - negative };
    if (classCounts.missing > 0) {
      warnings.push(
        `${classCounts.missing} row(s) have no value in "${target.scan.name}" and are left out of training.`,
      );
    }
    target.scan.autoRole = "target";
  }

  const repeats = assignAutoRoles(scans, data, settings.nearConstantShare, target?.scan ?? null);
  if (repeats) {
    warnings.push(
      `${repeats.count.toLocaleString("en-US")} row(s) repeat an earlier row exactly (same "${repeats.identifier}" and the same values), such as data row ${repeats.example}; each customer is imported once.`,
    );
  }
  if (target && labels) flagLeakage(scans, data, labels, settings.leakageAuc, warnings);
  const referenceDate = latestDate(scans);
  if (referenceDate !== null) {
    for (const scan of scans) {
      if (scan.type !== "date" || scan.autoRole !== "feature") continue;
      warnings.push(recencyNote(scan.name, referenceDate));
    }
  }

  // Problems that block training.
  const labelled = classCounts ? classCounts.positive + classCounts.negative : rowCount;
  if (target && classCounts) {
    const { positive, negative } = classCounts;
    if (positive === 0 || negative === 0) {
      const only = positive === 0 ? firstOtherValue(target.scan, target.positiveLabel) : target.positiveLabel;
      problems.push({
        code: "TARGET_ONE_CLASS",
        message: `Column "${target.scan.name}" has only one value: ${only}. The target needs both churned and retained customers.`,
      });
    } else if (Math.min(positive, negative) < settings.minClassRows) {
      const [fewer, label] =
        positive < negative ? [positive, target.positiveLabel] : [negative, `not ${target.positiveLabel}`];
      problems.push({
        code: "TARGET_TOO_RARE",
        message: `Only ${fewer} row(s) have "${target.scan.name}" = ${label}; at least ${settings.minClassRows} of each class are needed to train and validate a model.`,
      });
    }
  }
  if (labelled < settings.minRows) {
    problems.push({
      code: "TOO_FEW_ROWS",
      message: `The data set has ${labelled} ${target ? "labelled " : ""}row(s); at least ${settings.minRows} are needed to train a model.`,
    });
  }

  const columns = scans.map((scan) => toColumnSchema(scan, data, labels));
  const overrides: SchemaOverrides = {
    exclude: options.exclude ?? [],
    include: options.include ?? [],
    ...(options.identifier !== undefined ? { identifier: options.identifier } : {}),
  };
  const schema: DatasetSchema = {
    formatVersion: 1,
    rowCount,
    target: target?.scan.name ?? null,
    positiveLabel: target?.positiveLabel ?? null,
    classCounts,
    identifier: null,
    columns,
    overrides,
    warnings,
    problems,
    referenceDate,
  };
  return applyColumnOverrides(schema, overrides);
}

/** The warning saying which feature a date column became. */
export function recencyNote(column: string, referenceDate: number): string {
  return `Column "${column}" holds dates; it is used as the number of days before ${isoDay(referenceDate)}, the latest date in the file (recency), so the model stays valid as time passes.`;
}

/**
 * The schema with its reference date recomputed over every row of the file (the import reads all
 * rows; inference may have seen a sample): `latest` per date column, days since 1970.
 */
export function withReferenceDate(schema: DatasetSchema, latest: ReadonlyMap<string, number>): DatasetSchema {
  if (schema.referenceDate === undefined || schema.referenceDate === null) return schema;
  let max = Number.NEGATIVE_INFINITY;
  for (const column of schema.columns) {
    if (column.type !== "date" || column.personalData !== null) continue;
    const value = latest.get(column.name);
    if (value !== undefined && value > max) max = value;
  }
  if (!Number.isFinite(max) || max === schema.referenceDate) return schema;
  const before = schema.referenceDate;
  const warnings = schema.warnings.map((w) => {
    const column = schema.columns.find((c) => c.type === "date" && w === recencyNote(c.name, before));
    return column ? recencyNote(column.name, max) : w;
  });
  return { ...schema, referenceDate: max, warnings };
}

/** The latest date over the date columns that are not personal data (birth dates), or null. */
function latestDate(scans: readonly ColumnScan[]): number | null {
  let max = Number.NEGATIVE_INFINITY;
  for (const scan of scans) {
    if (scan.type !== "date" || scan.personalData !== null || !scan.numbers) continue;
    for (const v of scan.numbers) if (v > max) max = v;
  }
  return Number.isFinite(max) ? max : null;
}

const DATE_ORDER_NAMES: Record<DateFormat, string> = {
  ymd: "year-month-day",
  dmy: "day/month/year",
  mdy: "month/day/year",
};

/** How a column's values were read, when that is not plain: null for ordinary columns. */
function readingNote(scan: ColumnScan, dateHint: [DateFormat, string] | null): string | null {
  const name = `Column "${scan.name}"`;
  if (scan.type === "numeric" && scan.decorations) {
    const { currency, percent, thousands, parentheses } = scan.decorations;
    const parts = [
      currency ? "currency signs" : null,
      thousands ? "thousands separators" : null,
      percent ? "percent signs (12.5% reads as 12.5)" : null,
    ].filter((p): p is string => p !== null);
    if (parentheses) parts.push("parentheses around negative amounts ((42) reads as -42)");
    if (parts.length === 0) return null;
    const last = parts.pop() as string;
    const list = parts.length ? `${parts.join(", ")} and ${last}` : last;
    return `${name} is read as numbers${scan.decimalComma ? " with a decimal comma" : ""}: ${list} removed.`;
  }
  if (scan.type === "numeric" && scan.decimalComma)
    return `${name} is read as numbers with a decimal comma (29,85 = 29.85).`;
  if (scan.type === "boolean" && scan.canonical) {
    const spellings = [...scan.rawKeys].filter((k) => k !== scan.trueValue && k !== scan.falseValue);
    if (spellings.length === 0) return null;
    return `${name} is a yes/no column written several ways (${[...scan.rawKeys].slice(0, 8).join(", ")}); they are read as "${scan.trueValue}" and "${scan.falseValue}".`;
  }
  if (scan.leadingZeros) {
    return `${name} holds numbers with leading zeros (such as "${[...scan.counts.keys()].find((k) => /^0\d/.test(k))}"); they are kept as text, as codes and ids are.`;
  }
  if (scan.type === "date" && scan.dateFormat && scan.dateFormat !== "ymd") {
    const order = DATE_ORDER_NAMES[scan.dateFormat];
    if (!scan.dateAmbiguous) return null;
    return dateHint && dateHint[0] === scan.dateFormat && dateHint[1] !== scan.name
      ? `${name}: no day is above 12, so its dates are read as ${order} like column "${dateHint[1]}".`
      : `${name}: no day is above 12, so the day/month order cannot be told from the values; its dates are read as ${order}. If that is wrong, write them as year-month-day (2024-03-05).`;
  }
  return null;
}

/**
 * profileDataset, then throws the first problem as a DatasetError: the entry point for training
 * and the command line, where a data set that cannot be trained on is an error.
 */
export function inferSchema(data: TabularData, options: SchemaOptions = {}): DatasetSchema {
  const schema = profileDataset(data, options);
  assertTrainable(schema);
  return schema;
}

/**
 * Throws the schema's first problem (NO_TARGET, TARGET_ONE_CLASS, TOO_FEW_ROWS, ...) as a
 * DatasetError. The columns-per-customer limits are checked again (a version stored before they
 * existed has no such problem recorded).
 */
export function assertTrainable(schema: DatasetSchema): void {
  const problem = schema.problems[0] ?? capacityProblem(schema);
  if (problem) throw new DatasetError(problem.code, problem.message);
}

/**
 * Applies the user's column edits (identifier, excluded and included columns) to a schema
 * without the data. `overrides` is the complete set of edits: a column missing from both lists
 * returns to what inference decided. Changing the target needs the data: call profileDataset
 * again with `target`.
 */
export function applyColumnOverrides(schema: DatasetSchema, overrides: SchemaOverrides): DatasetSchema {
  const names = new Set(schema.columns.map((c) => c.name));
  for (const name of [...overrides.exclude, ...overrides.include, overrides.identifier ?? null]) {
    if (name !== null && !names.has(name)) throw columnNotFound(name, [...names]);
  }
  const exclude = new Set(overrides.exclude);
  const include = new Set(overrides.include);
  const autoIdentifier = schema.columns.find((c) => c.autoRole === "identifier")?.name ?? null;
  const identifier = overrides.identifier !== undefined ? overrides.identifier : autoIdentifier;
  const columns = schema.columns.map((c): ColumnSchema => {
    let role = c.autoRole;
    let reason = c.autoExclusionReason;
    if (role !== "target") {
      if (c.name === identifier) {
        role = "identifier";
        reason = "identifier";
      } else if (role === "identifier") {
        role = "excluded";
      }
      if (exclude.has(c.name)) {
        role = "excluded";
        reason = "user";
      } else if (include.has(c.name)) {
        role = "feature";
        reason = null;
      }
    }
    return { ...c, role, exclusionReason: role === "feature" || role === "target" ? null : reason };
  });
  const problems = schema.problems.filter((p) => p.code !== "NO_FEATURES" && p.code !== "TOO_MANY_FEATURES");
  if (schema.target !== null && !columns.some((c) => c.role === "feature")) {
    problems.push({
      code: "NO_FEATURES",
      message:
        "No column is left to learn from: every column is the target, an identifier, personal data, constant or excluded. Include at least one column.",
    });
  }
  const capacity = capacityProblem({ ...schema, columns });
  if (capacity) problems.push(capacity);
  return {
    ...schema,
    identifier: columns.find((c) => c.role === "identifier")?.name ?? null,
    columns,
    overrides: { ...overrides },
    problems,
  };
}

/** Validates a stored or user-edited schema (throws zod's error on a malformed one). */
export function parseDatasetSchema(json: unknown): DatasetSchema {
  return datasetSchemaSchema.parse(json);
}

/** 1 = churned, 0 = retained, null = missing, for a raw target cell. */
export function labelOf(
  raw: string | null | undefined,
  schema: Pick<DatasetSchema, "positiveLabel">,
): 0 | 1 | null {
  if (schema.positiveLabel === null) throw new Error("The schema has no target");
  if (raw === null || raw === undefined || isMissing(raw)) return null;
  return sameValue(raw.trim(), schema.positiveLabel) ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function columnNotFound(name: string, columns: readonly string[]): DatasetError {
  return new DatasetError(
    "COLUMN_NOT_FOUND",
    `There is no column named "${name}". Columns: ${columns.join(", ")}.`,
  );
}

function checkNamedColumns(data: TabularData, options: SchemaOptions): void {
  const names = new Set(data.columns);
  if (options.target !== undefined && !names.has(options.target)) {
    throw new DatasetError(
      "TARGET_NOT_FOUND",
      `There is no column named "${options.target}" to use as the target. Columns: ${data.columns.join(", ")}.`,
    );
  }
  for (const name of [...(options.exclude ?? []), ...(options.include ?? []), options.identifier ?? null]) {
    if (name !== null && !names.has(name)) throw columnNotFound(name, data.columns);
  }
}

/**
 * Equal as text, as numbers ("1" and "1.0"), as yes/no ("TRUE" and "yes"), or ignoring case and
 * repeated spaces ("Churned" and "churned"): one target class however the export spelled it.
 */
function sameValue(a: string, b: string): boolean {
  if (a === b) return true;
  if (isNumberText(a) && isNumberText(b)) return Number(a) === Number(b);
  return classKey(a) === classKey(b);
}

function scanColumn(data: TabularData, name: string, index: number, dateHint?: DateFormat): ColumnScan {
  const counts = new Map<string, number>();
  let missing = 0;
  for (const row of data.rows) {
    const raw = row[index];
    if (isMissing(raw)) {
      missing++;
      continue;
    }
    const value = raw.trim();
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  const scan: ColumnScan = {
    index,
    name,
    counts,
    rawKeys: [],
    missing,
    type: "categorical",
    decimalComma: false,
    dateFormat: null,
    dateAmbiguous: false,
    trueValue: null,
    falseValue: null,
    canonical: null,
    decorations: null,
    leadingZeros: false,
    numbers: null,
    unreadable: 0,
    personalData: null,
    autoRole: "feature",
    autoReason: null,
    singleColumnAuc: null,
  };
  inferType(scan, data.rows.length, dateHint);
  if (scan.type === "boolean") mergeBooleanSpellings(scan);
  if (scan.type === "numeric" || scan.type === "date") {
    const numbers = new Float64Array(data.rows.length);
    for (let r = 0; r < numbers.length; r++) {
      const raw = data.rows[r][index];
      numbers[r] = isMissing(raw)
        ? Number.NaN
        : scan.type === "date"
          ? parseDate(raw, scan.dateFormat as DateFormat)
          : parseNumber(raw, scan.decimalComma);
    }
    scan.numbers = numbers;
  }
  return scan;
}

/**
 * A boolean column's spellings (TRUE, True, yes, 1.0) counted as its two values: the most frequent
 * spelling of each side names it (trueValue / falseValue), as the frame will read them.
 */
function mergeBooleanSpellings(scan: ColumnScan): void {
  const sides = new Map<boolean, Map<string, number>>([
    [true, new Map()],
    [false, new Map()],
  ]);
  for (const [key, n] of scan.counts) {
    const side = parseBoolean(key);
    if (side === null) return;
    const spellings = sides.get(side) as Map<string, number>;
    spellings.set(key, n);
  }
  const name = (spellings: Map<string, number>) =>
    // Most frequent spelling; on a tie the first one in the file (the sort is stable).
    [...spellings.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  const trueValue = scan.trueValue ?? name(sides.get(true) as Map<string, number>);
  const falseValue = name(sides.get(false) as Map<string, number>);
  if (trueValue === null || falseValue === null) return;
  scan.trueValue = trueValue;
  scan.falseValue = falseValue;
  scan.rawKeys = [...scan.counts.keys()];
  if (scan.counts.size <= 2) return;
  const merged = new Map<string, number>();
  for (const [key, n] of scan.counts) {
    const canonical = parseBoolean(key) ? trueValue : falseValue;
    merged.set(canonical, (merged.get(canonical) ?? 0) + n);
  }
  scan.counts = merged;
  scan.canonical = (value) => {
    const side = parseBoolean(value);
    return side === null ? value : side ? trueValue : falseValue;
  };
}

/** The key a raw cell counts under in `scan.counts` (its canonical spelling for booleans). */
function countKey(scan: ColumnScan, raw: string): string {
  const value = raw.trim();
  return scan.canonical ? scan.canonical(value) : value;
}

/** Integer codes written with a leading zero: 007, 02134 (not 0, 0.5 or -0.5). */
const LEADING_ZERO = /^0\d+$/;

function inferType(scan: ColumnScan, rowCount: number, dateHint?: DateFormat): void {
  const keys = [...scan.counts.keys()];
  const nonMissing = rowCount - scan.missing;
  if (keys.length === 0) return;

  // Yes/no however spelled: TRUE/True/false, yes/no, y/n, 1/0, 1.0/0.0 (both sides present).
  let trueSeen = false;
  let falseSeen = false;
  let allBoolean = true;
  for (const key of keys) {
    const side = parseBoolean(key);
    if (side === null) {
      allBoolean = false;
      break;
    }
    if (side) trueSeen = true;
    else falseSeen = true;
  }
  if (allBoolean && trueSeen && falseSeen && keys.length <= 12) {
    scan.type = "boolean";
    return;
  }

  // Numbers, allowing a few stray words ("unknown") on at most 5 % of rows. Each value is read
  // both ways (decimal dot with comma thousands, decimal comma with dot thousands); the reading
  // that makes more rows numbers wins, and on a tie the one the values show (1,5 or 1.234,5 is
  // a decimal comma; 1.5 or 1,234.5 a decimal dot; 1,234 alone is a thousands separator).
  let dotRows = 0;
  let commaRows = 0;
  let commaEvidence = false;
  let dotEvidence = false;
  let strayKeys = 0;
  let leadingZeros = false;
  for (const key of keys) {
    const n = scan.counts.get(key) as number;
    const dot = !Number.isNaN(parseNumber(key, false));
    const comma = !Number.isNaN(parseNumber(key, true));
    if (dot) dotRows += n;
    if (comma) commaRows += n;
    if (!dot && !comma) strayKeys++;
    const digits = key.replace(/[^\d.,]/g, "");
    if (/,\d*$/.test(digits) && !/,\d{3}$/.test(digits)) commaEvidence = true;
    if (/\.\d{3},|\..*\./.test(digits)) commaEvidence = true;
    if (/\.\d*$/.test(digits) && !/\.\d{3}$/.test(digits)) dotEvidence = true;
    if (/,\d{3}\.|,.*,/.test(digits)) dotEvidence = true;
    if (LEADING_ZERO.test(key)) leadingZeros = true;
  }
  const useComma = commaRows > dotRows || (commaRows === dotRows && commaEvidence && !dotEvidence);
  const numberRows = useComma ? commaRows : dotRows;
  const strayRows = nonMissing - numberRows;
  const mostlyNumbers = strayKeys <= 3 && strayRows <= 0.05 * nonMissing && numberRows > 0;
  if (
    mostlyNumbers &&
    leadingZeros &&
    keys.every((k) => /^\d+$/.test(k) || Number.isNaN(parseNumber(k, useComma)))
  ) {
    // Codes, not quantities: 02134 must not become 2134 (ids, zip codes, phone prefixes).
    scan.leadingZeros = true;
  } else if (mostlyNumbers) {
    scan.decimalComma = useComma;
    scan.unreadable = strayRows;
    const decorations: NumberDecorations = {
      currency: false,
      percent: false,
      thousands: false,
      parentheses: false,
    };
    const distinctNumbers = new Set<number>();
    for (const key of keys) {
      const value = parseNumber(key, useComma, decorations);
      if (!Number.isNaN(value)) distinctNumbers.add(value);
    }
    if (
      distinctNumbers.size === 2 &&
      distinctNumbers.has(0) &&
      distinctNumbers.has(1) &&
      scan.unreadable === 0
    ) {
      scan.type = "boolean";
      scan.trueValue = keys.find((k) => parseNumber(k, useComma) === 1) ?? "1";
      return;
    }
    scan.type = "numeric";
    if (decorations.currency || decorations.percent || decorations.thousands || decorations.parentheses)
      scan.decorations = decorations;
    return;
  }

  const guess = guessDateFormat(keys, dateHint);
  if (guess) {
    scan.type = "date";
    scan.dateFormat = guess.format;
    scan.dateAmbiguous = guess.ambiguous;
    return;
  }

  // Free text: many distinct values made of several words (comments, notes, addresses). Only
  // words with a letter count, so formatted numbers ("+44 20 7946 0018") are not prose.
  let words = 0;
  let chars = 0;
  for (const [key, n] of scan.counts) {
    for (const word of key.split(/\s+/)) if (/\p{L}/u.test(word)) words += n;
    chars += n * key.length;
  }
  const distinctShare = keys.length / nonMissing;
  if (
    keys.length > 20 &&
    ((words / nonMissing >= 4 && distinctShare > 0.3) || (distinctShare > 0.9 && chars / nonMissing >= 30))
  ) {
    scan.type = "text";
  }
}

interface TargetChoice {
  scan: ColumnScan;
  positiveLabel: string;
}

function chooseTarget(
  scans: ColumnScan[],
  options: SchemaOptions,
  warnings: string[],
  problems: DatasetProblem[],
): TargetChoice | null {
  if (options.target !== undefined) {
    const scan = scans.find((s) => s.name === options.target) as ColumnScan;
    const choice = binaryTarget(scan, options.positiveLabel, warnings);
    if (typeof choice === "string") {
      problems.push({ code: "TARGET_NOT_BINARY", message: choice });
      return null;
    }
    return choice;
  }
  // 1. By name, in TARGET_NAMES order; then any name mentioning churn or attrition.
  const byName = scans
    .map((scan) => {
      const compact = compactName(scan.name);
      let rank = TARGET_NAMES.indexOf(compact);
      if (
        rank < 0 &&
        /churn|attrition/.test(compact) &&
        !/score|prob|risk|reason|date|category|month|rate/.test(compact)
      ) {
        rank = TARGET_NAMES.length;
      }
      return { scan, rank };
    })
    .filter((c) => c.rank >= 0 && c.scan.counts.size > 0)
    .sort((a, b) => a.rank - b.rank || a.scan.index - b.scan.index);
  let firstRejection: string | null = null;
  for (const { scan } of byName) {
    const choice = binaryTarget(scan, options.positiveLabel, warnings);
    if (typeof choice !== "string") return choice;
    firstRejection ??= choice;
  }
  // 2. By values that only a churn target has.
  for (const scan of scans) {
    if (scan.counts.size < 1 || scan.counts.size > 12 || targetLevels(scan).length > 3) continue;
    if (![...scan.counts.keys()].some((k) => CHURN_VALUES.has(k.toLowerCase()))) continue;
    const choice = binaryTarget(scan, options.positiveLabel, warnings);
    if (typeof choice !== "string") {
      warnings.push(
        `The target "${scan.name}" was recognised by its values; check that it is the churn column.`,
      );
      return choice;
    }
  }
  if (firstRejection) {
    problems.push({ code: "TARGET_NOT_BINARY", message: firstRejection });
    return null;
  }
  // 3. The last column, when it is a yes/no flag (the usual layout of churn exports).
  const last = scans[scans.length - 1];
  if (last && last.type === "boolean") {
    const choice = binaryTarget(last, options.positiveLabel, warnings);
    if (typeof choice !== "string") {
      warnings.push(
        `No column is named like a churn target; the last column "${last.name}" was taken as the target. Check it in the preview.`,
      );
      return choice;
    }
  }
  problems.push({
    code: "NO_TARGET",
    message:
      "No target column found: no column is named like churn, churned, exited, attrition, left, label or target " +
      "with two values (e.g. Yes/No). Rename the churn column or choose it as the target.",
  });
  return null;
}

/** A usable binary target from `scan`, or the reason it is not one. */
function binaryTarget(
  scan: ColumnScan,
  positiveOption: string | undefined,
  warnings: string[],
): TargetChoice | string {
  const levels = targetLevels(scan);
  if (levels.length === 0) return `Column "${scan.name}" has no values, so it cannot be the target.`;
  if (positiveOption !== undefined) {
    const positive = levels.find((l) => sameValue(l, positiveOption.trim()));
    if (positive === undefined) {
      throw new DatasetError(
        "POSITIVE_LABEL_NOT_FOUND",
        `Column "${scan.name}" has no value "${positiveOption}". Its values: ${levels.slice(0, 10).join(", ")}.`,
      );
    }
    if (levels.length > 2) warnMultiClass(scan, positive, levels, warnings);
    return { scan, positiveLabel: positive };
  }
  if (levels.length === 1) {
    // A one-class target is still the target; the TARGET_ONE_CLASS problem explains it.
    return { scan, positiveLabel: oneClassPositive(levels[0]) };
  }
  const positives = levels.filter(isPositiveValue);
  if (levels.length === 2) {
    if (positives.length === 1) return { scan, positiveLabel: positives[0] };
    const minority = levels[1];
    warnings.push(
      `Could not tell which value of "${scan.name}" means churn; the rarer value "${minority}" is used. Change it if that is wrong.`,
    );
    return { scan, positiveLabel: minority };
  }
  if (positives.length === 1 && levels.length <= 5) {
    warnMultiClass(scan, positives[0], levels, warnings);
    return { scan, positiveLabel: positives[0] };
  }
  return `Column "${scan.name}" has ${levels.length} different values; the target must have two (e.g. Yes/No).`;
}

/**
 * A target's classes, most frequent first, each named by its most frequent spelling: TRUE, True
 * and true are one class, as are "Churned" and "churned" (classKey).
 */
function targetLevels(scan: ColumnScan): string[] {
  const classes = new Map<string, { total: number; name: string; nameCount: number }>();
  for (const [value, n] of scan.counts) {
    const key = classKey(value);
    const c = classes.get(key);
    if (!c) classes.set(key, { total: n, name: value, nameCount: n });
    else {
      c.total += n;
      if (n > c.nameCount) {
        c.name = value;
        c.nameCount = n;
      }
    }
  }
  return [...classes.values()].sort((a, b) => b.total - a.total).map((c) => c.name);
}

function warnMultiClass(scan: ColumnScan, positive: string, levels: string[], warnings: string[]): void {
  const others = levels.filter((l) => l !== positive);
  warnings.push(
    `Column "${scan.name}" has ${levels.length} values; "${positive}" is treated as churn and the others (${others.join(", ")}) as retained.`,
  );
}

/** The churn value of a target that holds only `only`: itself, or its yes/no counterpart. */
function oneClassPositive(only: string): string {
  if (isPositiveValue(only)) return only;
  const lower = only.toLowerCase();
  const pair = BOOLEAN_PAIRS.find(([, no]) => no === lower);
  if (!pair) return only;
  const yes = pair[0];
  if (only === only.toUpperCase()) return yes.toUpperCase();
  if (only[0] === only[0].toUpperCase()) return yes[0].toUpperCase() + yes.slice(1);
  return yes;
}

function isPositiveValue(value: string): boolean {
  const lower = value.toLowerCase();
  if (POSITIVE_VALUES.has(lower)) return true;
  return isNumberText(lower) && Number(lower) === 1;
}

function firstOtherValue(scan: ColumnScan, positive: string): string {
  return [...scan.counts.keys()].find((k) => !sameValue(k, positive)) ?? "";
}

function isIdLikeName(tokens: string[]): boolean {
  if (tokens.length === 0) return false;
  const last = tokens[tokens.length - 1];
  if (ID_LAST_TOKENS.has(last)) return true;
  if (tokens.length === 1) return last === "index" || last === "idx";
  return ID_NUMBER_TOKENS.has(last) && ID_OWNER_TOKENS.has(tokens[0]);
}

function detectPersonalData(scan: ColumnScan, rowCount: number): PersonalDataKind | null {
  const tokens = nameTokens(scan.name);
  const compact = compactName(scan.name);
  const isTextual = scan.type === "categorical" || scan.type === "text";
  // Personal values are mostly distinct; a name hint on a low-cardinality column is a product
  // attribute (Telco's PhoneService is Yes/No), not a phone number.
  const nonMissing = rowCount - scan.missing;
  const mostlyDistinct = scan.counts.size > 20 && scan.counts.size >= 0.5 * nonMissing;
  if (mostlyDistinct) {
    if (compact.includes("email")) return "email";
    if (tokens.some((t) => PHONE_TOKENS.has(t))) return "phone";
    if (tokens.some((t) => ADDRESS_TOKENS.has(t))) return "address";
  }
  if (
    (scan.type === "date" || mostlyDistinct) &&
    (tokens.some((t) => BIRTH_TOKENS.has(t)) || compact.includes("dateofbirth"))
  ) {
    return "birth_date";
  }
  if (isTextual && PERSON_NAME_NAMES.has(compact)) return "person_name";
  if (!isTextual) return null;
  // By values: a sample of distinct values is enough to recognise e-mails and phone numbers.
  const sample = [...scan.counts.keys()].slice(0, 500);
  if (sample.length === 0) return scan.type === "text" ? "free_text" : null;
  const share = (test: (v: string) => boolean) => sample.filter(test).length / sample.length;
  if (share((v) => EMAIL.test(v)) >= 0.8) return "email";
  const looksLikePhone = (v: string) => {
    if (!PHONE.test(v)) return false;
    const digits = v.replace(/\D/g, "").length;
    // Formatting characters separate phone numbers from plain numeric codes.
    return digits >= 7 && digits <= 15 && /[\s().+-]/.test(v);
  };
  if (share(looksLikePhone) >= 0.8) return "phone";
  return scan.type === "text" ? "free_text" : null;
}

interface RepeatedRows {
  identifier: string;
  /** Rows that repeat an earlier row exactly. */
  count: number;
  /** 1-based data row of the first repeat. */
  example: number;
}

/** Rows that repeat an earlier row cell for cell (trimmed), and the first such row. */
function exactRepeats(data: TabularData): { count: number; example: number } {
  const seen = new Set<string>();
  let count = 0;
  let example = 0;
  data.rows.forEach((row, r) => {
    const key = row.map((v) => (isMissing(v) ? "" : v.trim())).join("\u0000");
    if (seen.has(key)) {
      count++;
      if (example === 0) example = r + 1;
    } else seen.add(key);
  });
  return { count, example };
}

/**
 * Sets each column's automatic role. Returns the exact repeats when the identifier is unique
 * only once repeated rows are set aside (a line duplicated by the export), else null.
 */
function assignAutoRoles(
  scans: ColumnScan[],
  data: TabularData,
  nearConstantShare: number,
  target: ColumnScan | null,
): RepeatedRows | null {
  const rowCount = data.rows.length;
  let repeats: { count: number; example: number } | null = null;
  const distinctRows = () => {
    repeats ??= exactRepeats(data);
    return rowCount - repeats.count;
  };
  // Identifier candidates: unique on every row (a duplicated line repeats its id: still unique
  // among the distinct rows).
  let best: { scan: ColumnScan; score: number } | null = null;
  let bestNeedsRepeats = false;
  for (const scan of scans) {
    if (scan === target) continue;
    scan.personalData = detectPersonalData(scan, rowCount);
    const tokens = nameTokens(scan.name);
    const idName = isIdLikeName(tokens);
    let unique = scan.missing === 0 && scan.counts.size === rowCount && rowCount > 1;
    let needsRepeats = false;
    if (
      !unique &&
      idName &&
      scan.missing === 0 &&
      rowCount > 1 &&
      scan.counts.size >= 0.5 * rowCount &&
      scan.counts.size === distinctRows()
    ) {
      unique = true;
      needsRepeats = true;
    }
    let score = 0;
    if (unique) {
      if (idName) score = tokens.some((t) => ID_OWNER_TOKENS.has(t) && t !== "row" && t !== "index") ? 4 : 3;
      else if (scan.personalData === null && (scan.type === "categorical" || scan.type === "text")) score = 2;
      else if (scan.type === "numeric" && isConsecutiveIntegers(scan)) score = 1;
    }
    if (score > 0) {
      scan.autoRole = "excluded";
      scan.autoReason = "identifier";
      if (!best || score > best.score) {
        best = { scan, score };
        bestNeedsRepeats = needsRepeats;
      }
      continue;
    }
    const distinct = scan.counts.size;
    const nonMissing = rowCount - scan.missing;
    if (idName && nonMissing > 0 && distinct >= 0.95 * nonMissing) {
      // An id column with a few repeats (customers listed twice) is still no feature.
      scan.autoRole = "excluded";
      scan.autoReason = "identifier";
      continue;
    }
    if (scan.personalData !== null) {
      scan.autoRole = "excluded";
      scan.autoReason = "personal_data";
      continue;
    }
    let top = scan.missing;
    for (const n of scan.counts.values()) if (n > top) top = n;
    if (distinct <= 1 || (rowCount > 0 && top >= nearConstantShare * rowCount)) {
      scan.autoRole = "excluded";
      scan.autoReason = distinct <= 1 ? "constant" : "near_constant";
      continue;
    }
    if (scan.type === "categorical" && distinct > 100 && distinct > 0.5 * nonMissing) {
      scan.autoRole = "excluded";
      scan.autoReason = "high_cardinality";
    }
  }
  if (!best) return null;
  best.scan.autoRole = "identifier";
  const found = repeats as { count: number; example: number } | null;
  return bestNeedsRepeats && found ? { identifier: best.scan.name, ...found } : null;
}

function isConsecutiveIntegers(scan: ColumnScan): boolean {
  const values = scan.numbers;
  if (!values || values.length === 0) return false;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (!Number.isInteger(v)) return false;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return max - min + 1 === values.length;
}

function flagLeakage(
  scans: ColumnScan[],
  data: TabularData,
  labels: Int8Array,
  threshold: number,
  warnings: string[],
): void {
  const labelledRows: number[] = [];
  for (let r = 0; r < labels.length; r++) if (labels[r] >= 0) labelledRows.push(r);
  const y = new Uint8Array(labelledRows.length);
  labelledRows.forEach((r, i) => {
    y[i] = labels[r];
  });
  const scores = new Float64Array(labelledRows.length);
  for (const scan of scans) {
    if (scan.autoRole !== "feature") continue;
    if (scan.numbers) {
      // Missing gets its own lowest score, so "only churners have a cancellation date" shows too.
      labelledRows.forEach((r, i) => {
        const v = (scan.numbers as Float64Array)[r];
        scores[i] = Number.isNaN(v) ? Number.NEGATIVE_INFINITY : v;
      });
    } else {
      // In-sample churn rate per value; with many rare values that overfits, so skip those.
      if (scan.counts.size > Math.max(2, Math.min(100, labelledRows.length / 20))) continue;
      const sums = new Map<string, [number, number]>();
      const keyOf = (r: number) => {
        const raw = data.rows[r][scan.index];
        return isMissing(raw) ? "\u0000missing" : countKey(scan, raw);
      };
      labelledRows.forEach((r, i) => {
        const key = keyOf(r);
        const s = sums.get(key) ?? [0, 0];
        s[0] += y[i];
        s[1] += 1;
        sums.set(key, s);
      });
      labelledRows.forEach((r, i) => {
        const [pos, n] = sums.get(keyOf(r)) as [number, number];
        scores[i] = pos / n;
      });
    }
    const auc = separation(scores, y);
    scan.singleColumnAuc = Math.round(auc * 10_000) / 10_000;
    if (auc >= threshold) {
      scan.autoRole = "excluded";
      scan.autoReason = "leakage";
      warnings.push(
        `Column "${scan.name}" predicts the target almost perfectly on its own (AUC ${auc.toFixed(3)}): it was probably ` +
          "recorded after the customer churned. It is excluded; include it only if it is known before churn.",
      );
    }
  }
}

function toColumnSchema(scan: ColumnScan, data: TabularData, labels: Int8Array | null): ColumnSchema {
  return {
    name: scan.name,
    index: scan.index,
    type: scan.type,
    role: scan.autoRole,
    exclusionReason: scan.autoReason,
    autoRole: scan.autoRole,
    autoExclusionReason: scan.autoReason,
    personalData: scan.personalData,
    singleColumnAuc: scan.singleColumnAuc,
    decimalComma: scan.decimalComma,
    dateFormat: scan.dateFormat,
    trueValue: scan.trueValue,
    ...(scan.type === "boolean" ? { falseValue: scan.falseValue } : {}),
    stats: columnStats(scan, data, labels),
  };
}

function columnStats(scan: ColumnScan, data: TabularData, labels: Int8Array | null): ColumnStats {
  const rowCount = data.rows.length;
  const stats: ColumnStats = {
    count: rowCount - scan.missing,
    missing: scan.missing,
    distinct: scan.counts.size,
    topValues: [],
  };
  if (labels) {
    let missingPositives = 0;
    for (let r = 0; r < rowCount; r++)
      if (labels[r] === 1 && isMissing(data.rows[r][scan.index])) missingPositives++;
    stats.missingPositives = missingPositives;
  }
  // Personal values are never copied into the stored schema; identifiers' values are all unique.
  if (scan.personalData === null && scan.autoReason !== "identifier") {
    const top = [...scan.counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, TOP_VALUES);
    const positives = new Map<string, number>();
    if (labels) {
      const wanted = new Set(top.map(([v]) => v));
      for (let r = 0; r < rowCount; r++) {
        if (labels[r] !== 1) continue;
        const raw = data.rows[r][scan.index];
        if (isMissing(raw)) continue;
        const v = countKey(scan, raw);
        if (wanted.has(v)) positives.set(v, (positives.get(v) ?? 0) + 1);
      }
    }
    stats.topValues = top.map(
      ([value, count]): ValueCount =>
        labels ? { value, count, positives: positives.get(value) ?? 0 } : { value, count },
    );
  }
  if (scan.numbers && scan.personalData === null) Object.assign(stats, numericStats(scan.numbers, labels));
  return stats;
}

function numericStats(values: Float64Array, labels: Int8Array | null): Partial<ColumnStats> {
  const present = values.filter((v) => !Number.isNaN(v)).sort();
  const n = present.length;
  if (n === 0) return {};
  let sum = 0;
  for (const v of present) sum += v;
  const mean = sum / n;
  let ss = 0;
  for (const v of present) ss += (v - mean) * (v - mean);
  const min = present[0];
  const max = present[n - 1];
  const median = n % 2 ? present[(n - 1) / 2] : (present[n / 2 - 1] + present[n / 2]) / 2;
  const bins = min === max ? 1 : HISTOGRAM_BINS;
  const width = (max - min) / bins;
  const histogram: HistogramBin[] = Array.from({ length: bins }, (_, b) => ({
    lower: min + b * width,
    upper: b === bins - 1 ? max : min + (b + 1) * width,
    count: 0,
    ...(labels ? { positives: 0 } : {}),
  }));
  for (let r = 0; r < values.length; r++) {
    const v = values[r];
    if (Number.isNaN(v)) continue;
    const b = width === 0 ? 0 : Math.min(bins - 1, Math.floor((v - min) / width));
    histogram[b].count++;
    if (labels && labels[r] === 1) (histogram[b] as { positives: number }).positives++;
  }
  return { min, max, mean, std: Math.sqrt(ss / n), median, histogram };
}
