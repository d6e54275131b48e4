/**
 * How one raw CSV cell is read: missing-value tokens, numbers (with an optional decimal comma, as
 * European spreadsheets write them), dates and yes/no flags. Schema inference, the frame and the
 * feature pipeline (for REST records) all use these, so a value means the same thing everywhere.
 */

/**
 * Tokens read as a missing value, compared after trimming and lower-casing: what pandas reads as
 * NaN by default (NA, N/A, #N/A, NULL, NaN, <NA>...), the dashes and "?" that reports print for
 * "no value", and Excel's error values (#DIV/0!, #VALUE!...), which are never a customer's data.
 * "None" is not among them: it is a real category in many tables (a plan, an add-on).
 */
export const MISSING_TOKENS: ReadonlySet<string> = new Set([
  "",
  "na",
  "n/a",
  "n.a.",
  "#n/a",
  "#na",
  "<na>",
  "null",
  "(null)",
  "(blank)",
  "nan",
  "?",
  "-",
  "--",
  "\u2013",
  "\u2014",
  "#value!",
  "#div/0!",
  "#ref!",
  "#name?",
  "#num!",
  "#null!",
]);

/** First characters of the tokens above (lower case), for the per-cell fast path. */
const MISSING_FIRST = new Set(["n", "N", "?", "#", "-", "<", "(", "\u2013", "\u2014"]);

export function isMissing(raw: string | null | undefined): boolean {
  if (raw === null || raw === undefined) return true;
  const length = raw.length;
  if (length === 0) return true;
  const first = raw.charCodeAt(0);
  if (first > 32 && raw.charCodeAt(length - 1) > 32) {
    // Hot path (every cell): a value without surrounding blanks is a token only if it is short
    // and starts like one.
    if (length > 7) return false;
    if (!MISSING_FIRST.has(raw[0])) return false;
    return MISSING_TOKENS.has(raw.toLowerCase());
  }
  return MISSING_TOKENS.has(raw.trim().toLowerCase());
}

const NUMBER_DOT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NUMBER_COMMA = /^[+-]?(?:\d+,?\d*|,\d+)$/;
/** Thousands grouped by commas, a dot for decimals: 1,234,567.89 */
const GROUPED_COMMA = /^\d{1,3}(?:,\d{3})+(?:\.\d*)?$/;
/** Thousands grouped by dots, a comma for decimals: 1.234,56 or 1.234.567 (two groups at least without decimals). */
const GROUPED_DOT = /^\d{1,3}(?:(?:\.\d{3})+,\d*|(?:\.\d{3}){2,})$/;
/** Thousands grouped by spaces or apostrophes (French, Swiss): 1 234 567,89 or 1'234.50 */
const GROUPED_SPACE = /^\d{1,3}(?:[ '\u00a0\u202f\u2019]\d{3})+(?:[.,]\d*)?$/;
/** Currency signs and codes accepted before or after an amount. */
const CURRENCY =
  /^(?:[$\u20ac\u00a3\u00a5\u20b9\u20a9\u20bd\u20ba\u20aa\u20b1\u0e3f]|US\$|R\$|A\$|C\$|CHF|EUR|USD|GBP|INR|JPY|CAD|AUD|kr|zł|Rs\.?)\s*|\s*(?:[$\u20ac\u00a3\u00a5\u20b9\u20a9\u20bd\u20ba\u20aa\u20b1\u0e3f]|CHF|EUR|USD|GBP|INR|JPY|CAD|AUD|kr|zł)$/g;

/** How a number was decorated in the file, for the profile's notes. */
export interface NumberDecorations {
  currency: boolean;
  percent: boolean;
  thousands: boolean;
  parentheses: boolean;
}

/**
 * Parses a number as spreadsheets and reports write it: plain decimals ("12", "-3.5", "1e3"), a
 * decimal comma when the column uses one ("29,85"), thousands separators ("1,234.50",
 * "1.234,50", "1 234", "1'234"), a currency sign or code ("$1,200", "12,50 \u20ac", "USD 40"), a
 * percent sign ("12.5%" reads 12.5: the number as written) and accounting negatives ("(42.00)").
 * NaN when the text is not a number. `decorations`, when given, records what was stripped.
 *
 * "1,234" is read as one thousand two hundred and thirty-four in a dot column and as 1.234 in a
 * decimal-comma column; "1.234" is always 1.234 (a stored number printed back with String() must
 * read as itself), so dot-grouped thousands need a decimal part or a second group ("1.234,5").
 */
export function parseNumber(raw: string, decimalComma = false, decorations?: NumberDecorations): number {
  const text = raw.trim();
  let value = Number.NaN;
  if (NUMBER_DOT.test(text)) value = Number(text);
  else if (decimalComma && NUMBER_COMMA.test(text)) value = Number(text.replace(",", "."));
  else value = parseDecorated(text, decimalComma, decorations);
  // "1e999" overflows to Infinity, which JSON (stored schemas, models) cannot carry.
  return Number.isFinite(value) ? value : Number.NaN;

  function parseDecorated(t: string, comma: boolean, seen: NumberDecorations | undefined): number {
    if (t.length === 0 || t.length > 40) return Number.NaN;
    let negative = false;
    if (t.startsWith("(") && t.endsWith(")")) {
      negative = true;
      t = t.slice(1, -1).trim();
      if (seen) seen.parentheses = true;
    }
    // A sign may stand before or after the currency sign: -$5, $-5, \u22125 (Unicode minus).
    const sign = /^[+\-\u2212]/;
    if (sign.test(t)) {
      negative = negative !== (t[0] !== "+");
      t = t.slice(1).trim();
    }
    const withoutCurrency = t.replace(CURRENCY, "");
    if (withoutCurrency !== t) {
      if (seen) seen.currency = true;
      t = withoutCurrency.trim();
      if (sign.test(t)) {
        negative = negative !== (t[0] !== "+");
        t = t.slice(1).trim();
      }
    }
    if (t.endsWith("%")) {
      t = t.slice(0, -1).trim();
      if (seen) seen.percent = true;
    }
    let n = Number.NaN;
    if (/^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(t)) n = Number(t);
    else if (comma && /^(?:\d+,?\d*|,\d+)$/.test(t)) n = Number(t.replace(",", "."));
    else if (!comma && GROUPED_COMMA.test(t)) {
      n = Number(t.replaceAll(",", ""));
      if (seen) seen.thousands = true;
    } else if (comma && GROUPED_DOT.test(t)) {
      n = Number(t.replaceAll(".", "").replace(",", "."));
      if (seen) seen.thousands = true;
    } else if (GROUPED_SPACE.test(t)) {
      const decimal = t.match(/[.,]\d*$/);
      if (decimal && decimal[0][0] !== (comma ? "," : ".")) return Number.NaN;
      n = Number(t.replace(/[ '\u00a0\u202f\u2019]/g, "").replace(",", "."));
      if (seen) seen.thousands = true;
    }
    return negative ? -n : n;
  }
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
// Day and month in either order, a four- or two-digit year, an optional time (Excel's 3/5/2024 14:05).
const DATE_XXY =
  /^(\d{1,2})([-/.])(\d{1,2})[-/.](\d{4}|\d{2})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp])[Mm])?)?$/;
// A month written as a word: 5 Mar 2024, 05-Mar-24, 5 March 2024 (day first) ...
const DATE_DAY_MONTH_NAME = /^(\d{1,2})(?:st|nd|rd|th)?[-\s./]+([A-Za-z]{3,9})\.?[-\s./,]+(\d{4}|\d{2})$/;
// ... and Mar 5, 2024, March 5th 2024, Mar-05-2024 (month first).
const DATE_MONTH_NAME_DAY = /^([A-Za-z]{3,9})\.?[-\s./]+(\d{1,2})(?:st|nd|rd|th)?,?[-\s./]+(\d{4})$/;

const MONTH_NAMES: ReadonlyMap<string, number> = new Map(
  [
    ["jan", "january"],
    ["feb", "february"],
    ["mar", "march"],
    ["apr", "april"],
    ["may", "may"],
    ["jun", "june"],
    ["jul", "july"],
    ["aug", "august"],
    ["sep", "september"],
    ["oct", "october"],
    ["nov", "november"],
    ["dec", "december"],
  ].flatMap(([short, long], i) => [
    [short, i + 1],
    [long, i + 1],
    ...(short === "sep" ? [["sept", 9] as [string, number]] : []),
  ]) as [string, number][],
);

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

/** A two-digit year as POSIX strptime reads it: 00-68 are 2000-2068, 69-99 are 1969-1999. */
function fullYear(text: string): number {
  const y = +text;
  if (text.length === 4) return y;
  return y <= 68 ? 2000 + y : 1900 + y;
}

/** Days since 1970 of an ISO date/time (with an optional offset); NaN when `text` is not one. */
function parseIsoDate(text: string): number {
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

/** Days since 1970 of a date whose month is a word (unambiguous in any format); NaN otherwise. */
function parseMonthNameDate(text: string): number {
  let m = DATE_DAY_MONTH_NAME.exec(text);
  if (m) {
    const month = MONTH_NAMES.get(m[2].toLowerCase());
    return month === undefined ? Number.NaN : msFromParts(fullYear(m[3]), month, +m[1]) / MS_PER_DAY;
  }
  m = DATE_MONTH_NAME_DAY.exec(text);
  if (m) {
    const month = MONTH_NAMES.get(m[1].toLowerCase());
    return month === undefined ? Number.NaN : msFromParts(+m[3], month, +m[2]) / MS_PER_DAY;
  }
  return Number.NaN;
}

/**
 * Days since 1970-01-01 (UTC, fractional with a time of day); NaN when not a date of `format`.
 * A time with an offset (`2020-02-29T23:00-08:00`) is converted to UTC, so the same instant
 * written in two zones is one value; a time without one is read as UTC, whatever the server's zone.
 * ISO dates and dates with a month name are unambiguous and read in every format; `format` decides
 * only how 04/05/2024 is read.
 */
export function parseDate(raw: string, format: DateFormat): number {
  const text = raw.trim();
  const first = text.charCodeAt(0);
  if (text.length >= 10 && text.charCodeAt(4) === 45 /* - */ && first >= 48 && first <= 57) {
    return parseIsoDate(text);
  }
  const iso = parseIsoDate(text);
  if (!Number.isNaN(iso)) return iso;
  const named = parseMonthNameDate(text);
  if (!Number.isNaN(named) || format === "ymd") return named;
  const m = DATE_XXY.exec(text);
  if (!m) return Number.NaN;
  const [a, b] = [+m[1], +m[3]];
  const [day, month] = format === "dmy" ? [a, b] : [b, a];
  let hours = +(m[5] ?? 0);
  if (m[8] !== undefined) {
    // 12-hour clock: 12:30 AM is 00:30, 12:30 PM is 12:30.
    if (hours < 1 || hours > 12) return Number.NaN;
    hours = (hours % 12) + (m[8].toLowerCase() === "p" ? 12 : 0);
  }
  return msFromParts(fullYear(m[4]), month, day, hours, +(m[6] ?? 0), +(m[7] ?? 0)) / MS_PER_DAY;
}

/** A column's date format and whether its day/month order had to be guessed. */
export interface DateFormatGuess {
  format: DateFormat;
  /** True when every day/month value had both parts <= 12 (04/05/2024): the order was guessed. */
  ambiguous: boolean;
}

/**
 * Which date format all of `texts` share, or null when they are not all dates. ISO dates and
 * month names may be mixed with one day/month order. Ambiguous day/month values (all parts <= 12)
 * are read month-first with "/" and day-first with "." or "-" (the conventions of US and European
 * exports); `hint` (another column's unambiguous order in the same file) wins over that guess.
 */
export function detectDateFormat(texts: readonly string[], hint?: DateFormat | null): DateFormat | null {
  return guessDateFormat(texts, hint)?.format ?? null;
}

export function guessDateFormat(texts: readonly string[], hint?: DateFormat | null): DateFormatGuess | null {
  let xxy = 0;
  let firstOver12 = false;
  let secondOver12 = false;
  let dotOrDash = false;
  let total = 0;
  for (const raw of texts) {
    const text = raw.trim();
    total++;
    if (DATE_YMD.test(text)) continue;
    const m = DATE_XXY.exec(text);
    if (!m) {
      if (Number.isNaN(parseMonthNameDate(text))) return null;
      continue;
    }
    xxy++;
    if (+m[1] > 12) firstOver12 = true;
    if (+m[3] > 12) secondOver12 = true;
    if (m[2] !== "/") dotOrDash = true;
  }
  if (total === 0) return null;
  if (xxy === 0) return allValid(texts, "ymd") ? { format: "ymd", ambiguous: false } : null;
  if (firstOver12 && secondOver12) return null;
  const ambiguous = !firstOver12 && !secondOver12;
  const format: DateFormat = firstOver12
    ? "dmy"
    : secondOver12
      ? "mdy"
      : hint && hint !== "ymd"
        ? hint
        : dotOrDash
          ? "dmy"
          : "mdy";
  return allValid(texts, format) ? { format, ambiguous } : null;
}

function allValid(texts: readonly string[], format: DateFormat): boolean {
  for (const t of texts) if (Number.isNaN(parseDate(t, format))) return false;
  return true;
}

/** Days since 1970 as an ISO date (YYYY-MM-DD, UTC). */
export function isoDay(days: number): string {
  return new Date(Math.round(days * MS_PER_DAY)).toISOString().slice(0, 10);
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

/**
 * The class a target value belongs to: yes/no-like values by meaning (TRUE, True, yes, Y, 1, 1.0
 * are one class), other words ignoring case and repeated spaces ("Attrited Customer" and
 * "attrited  customer" are one class).
 */
export function classKey(value: string): string {
  const asBoolean = parseBoolean(value);
  if (asBoolean !== null) return asBoolean ? "\u0000true" : "\u0000false";
  return value.trim().toLowerCase().replace(/\s+/g, " ");
}

/** Trimmed text of a cell, or null when it is missing. */
export function cleanCell(raw: string | null | undefined): string | null {
  if (isMissing(raw)) return null;
  return (raw as string).trim();
}
