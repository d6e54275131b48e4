/**
 * How one raw CSV cell is read: missing-value tokens, numbers (with an optional decimal comma, as
 * European spreadsheets write them), dates and yes/no flags. Schema inference, the frame and the
 * feature pipeline (for REST records) all use these, so a value means the same thing everywhere.
 */

/** Tokens read as a missing value, compared after trimming and lower-casing. */
export const MISSING_TOKENS: ReadonlySet<string> = new Set(["", "na", "n/a", "#n/a", "null", "nan", "?"]);

export function isMissing(raw: string | null | undefined): boolean {
  if (raw === null || raw === undefined) return true;
  const length = raw.length;
  if (length === 0) return true;
  const first = raw.charCodeAt(0);
  if (first > 32 && raw.charCodeAt(length - 1) > 32) {
    // Hot path (every cell): a value without surrounding blanks is a token only if it is short
    // and starts like one (n, N, ?, #).
    if (length > 4) return false;
    if (first !== 110 && first !== 78 && first !== 63 && first !== 35) return false;
    return MISSING_TOKENS.has(raw.toLowerCase());
  }
  return MISSING_TOKENS.has(raw.trim().toLowerCase());
}

const NUMBER_DOT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NUMBER_COMMA = /^[+-]?(?:\d+,?\d*|,\d+)$/;

/** Parses a plain decimal number ("12", "-3.5", "1e3"); NaN when the text is not one. */
export function parseNumber(raw: string, decimalComma = false): number {
  const text = raw.trim();
  let value = Number.NaN;
  if (NUMBER_DOT.test(text)) value = Number(text);
  else if (decimalComma && NUMBER_COMMA.test(text)) value = Number(text.replace(",", "."));
  // "1e999" overflows to Infinity, which JSON (stored schemas, models) cannot carry.
  return Number.isFinite(value) ? value : Number.NaN;
}

export function isNumberText(text: string): boolean {
  return NUMBER_DOT.test(text) && Number.isFinite(Number(text));
}

export function isDecimalCommaText(text: string): boolean {
  return NUMBER_COMMA.test(text);
}

/** Day-first, month-first or year-first dates. */
export type DateFormat = "ymd" | "dmy" | "mdy";

// Groups: year, month, day, hours, minutes, seconds, then the offset: Z, or sign, hours, minutes.
const DATE_YMD =
  /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:(Z)|([+-])(\d{2}):?(\d{2}))?)?$/;
const DATE_XXY = /^(\d{1,2})([-/.])(\d{1,2})[-/.](\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

const MS_PER_DAY = 86_400_000;
const MS_PER_MINUTE = 60_000;

/** Milliseconds since 1970-01-01 of a wall-clock time read as UTC; NaN for an impossible date. */
function msFromParts(y: number, m: number, d: number, hh = 0, mm = 0, ss = 0): number {
  if (m < 1 || m > 12 || d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 59) return Number.NaN;
  const ms = Date.UTC(y, m - 1, d, hh, mm, ss);
  // Reject 31 February and friends: Date.UTC rolls them over into the next month.
  if (new Date(ms).getUTCDate() !== d) return Number.NaN;
  return ms;
}

/**
 * Days since 1970-01-01 (UTC, fractional with a time of day); NaN when not a date of `format`.
 * A time with an offset (`2020-02-29T23:00-08:00`) is converted to UTC, so the same instant
 * written in two zones is one value; a time without one is read as UTC, whatever the server's zone.
 */
export function parseDate(raw: string, format: DateFormat): number {
  const text = raw.trim();
  if (format === "ymd") {
    const m = DATE_YMD.exec(text);
    if (!m) return Number.NaN;
    const local = msFromParts(+m[1], +m[2], +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
    if (m[8] === undefined) return local / MS_PER_DAY;
    const offsetHours = +m[9];
    const offsetMinutes = +m[10];
    // Real offsets run from -12:00 to +14:00; anything else is not a time stamp.
    if (offsetHours > 14 || offsetMinutes > 59) return Number.NaN;
    const sign = m[8] === "-" ? -1 : 1;
    return (local - sign * (offsetHours * 60 + offsetMinutes) * MS_PER_MINUTE) / MS_PER_DAY;
  }
  const m = DATE_XXY.exec(text);
  if (!m) return Number.NaN;
  const [a, b] = [+m[1], +m[3]];
  const [day, month] = format === "dmy" ? [a, b] : [b, a];
  return msFromParts(+m[4], month, day, +(m[5] ?? 0), +(m[6] ?? 0), +(m[7] ?? 0)) / MS_PER_DAY;
}

/**
 * Which date format all of `texts` share, or null when they are not all dates. Ambiguous
 * day/month values (all parts <= 12) are read month-first with "/" and day-first with "." or "-".
 */
export function detectDateFormat(texts: readonly string[]): DateFormat | null {
  let ymd = 0;
  let xxy = 0;
  let firstOver12 = false;
  let secondOver12 = false;
  let dotOrDash = false;
  let total = 0;
  for (const raw of texts) {
    const text = raw.trim();
    total++;
    if (DATE_YMD.test(text)) {
      ymd++;
      continue;
    }
    const m = DATE_XXY.exec(text);
    if (!m) return null;
    xxy++;
    if (+m[1] > 12) firstOver12 = true;
    if (+m[3] > 12) secondOver12 = true;
    if (m[2] !== "/") dotOrDash = true;
  }
  if (total === 0) return null;
  if (ymd === total) return allValid(texts, "ymd") ? "ymd" : null;
  if (ymd > 0 || xxy !== total || (firstOver12 && secondOver12)) return null;
  const format: DateFormat = firstOver12 ? "dmy" : secondOver12 ? "mdy" : dotOrDash ? "dmy" : "mdy";
  return allValid(texts, format) ? format : null;
}

function allValid(texts: readonly string[], format: DateFormat): boolean {
  for (const t of texts) if (Number.isNaN(parseDate(t, format))) return false;
  return true;
}

/** Words read as a yes/no flag, lower-cased; the first of each pair is the "true" side. */
export const BOOLEAN_PAIRS: readonly (readonly [string, string])[] = [
  ["yes", "no"],
  ["y", "n"],
  ["true", "false"],
  ["t", "f"],
  ["1", "0"],
];

/** true/false for a yes/no-like token ("Yes", "TRUE", "1", "1.0"), null otherwise. */
export function parseBoolean(raw: string): boolean | null {
  const text = raw.trim().toLowerCase();
  for (const [yes, no] of BOOLEAN_PAIRS) {
    if (text === yes) return true;
    if (text === no) return false;
  }
  if (NUMBER_DOT.test(text)) {
    const n = Number(text);
    if (n === 1) return true;
    if (n === 0) return false;
  }
  return null;
}

/** Trimmed text of a cell, or null when it is missing. */
export function cleanCell(raw: string | null | undefined): string | null {
  if (isMissing(raw)) return null;
  return (raw as string).trim();
}
