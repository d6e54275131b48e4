/**
 * Dates as people read them, identical wherever they are computed. A page is rendered on the
 * server and then hydrated in the browser; if the two format a date differently (another time
 * zone, another ICU version's spacing before "PM") React throws hydration error #418. So the text
 * is assembled here from numeric parts only, in an explicit time zone, never from the runtime's
 * default zone or locale. `components/format/date-time.tsx` decides which zone and which "now".
 */
import { formatDistanceStrict } from "date-fns";

/** The zone used when the reader's is not known yet (first visit, server-side code). */
export const FALLBACK_TIME_ZONE = "UTC";
/** The browser reports its zone in this cookie so that the next server render uses it. */
export const TIME_ZONE_COOKIE = "churnguard-tz";

export type DateStyle =
  /** Dec 5, 2025 */
  | "date"
  /** Dec 5, 4:07 PM (this year's events in tables) */
  | "monthDayTime"
  /** Dec 5, 2025, 4:07 PM */
  | "dateTime"
  /** Dec 5, 2025, 4:07:09 PM */
  | "dateTimeSeconds"
  /** 2025-12-05 16:07:09 (logs: sortable, unambiguous) */
  | "timestamp";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const MAX_ZONE_LENGTH = 64;

interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const partFormatters = new Map<string, Intl.DateTimeFormat>();

function partFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = partFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    partFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The calendar date and wall-clock time of `date` in `timeZone` (numbers only: no ICU text). */
export function zonedParts(date: Date, timeZone: string): ZonedParts {
  const parts: ZonedParts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of partFormatter(timeZone).formatToParts(date)) {
    if (part.type in parts) parts[part.type as keyof ZonedParts] = Number(part.value);
  }
  // Some ICU versions render midnight as 24 even with h23.
  if (parts.hour === 24) parts.hour = 0;
  return parts;
}

/** True for an IANA zone name the runtime knows ("Asia/Kolkata", "UTC"); false for anything else. */
export function isValidTimeZone(value: unknown): value is string {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_ZONE_LENGTH) return false;
  if (!/^[A-Za-z0-9_+\-/]+$/.test(value)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const pad = (n: number) => String(n).padStart(2, "0");

function clock12(hour: number, minute: number, second?: number): string {
  const h = hour % 12 === 0 ? 12 : hour % 12;
  const s = second === undefined ? "" : `:${pad(second)}`;
  return `${h}:${pad(minute)}${s} ${hour < 12 ? "AM" : "PM"}`;
}

/** `date` in `timeZone`, in one of the app's few styles. */
export function formatDate(date: Date, style: DateStyle, timeZone: string = FALLBACK_TIME_ZONE): string {
  const p = zonedParts(date, timeZone);
  const monthDay = `${MONTHS[p.month - 1]} ${p.day}`;
  switch (style) {
    case "date":
      return `${monthDay}, ${p.year}`;
    case "monthDayTime":
      return `${monthDay}, ${clock12(p.hour, p.minute)}`;
    case "dateTime":
      return `${monthDay}, ${p.year}, ${clock12(p.hour, p.minute)}`;
    case "dateTimeSeconds":
      return `${monthDay}, ${p.year}, ${clock12(p.hour, p.minute, p.second)}`;
    case "timestamp":
      return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
  }
}

/**
 * "3 minutes ago", "in 2 hours", "just now": depends only on the two instants, not on any zone.
 * Strict rounding (no "about", "less than a minute") reads better in tables.
 */
export function formatRelative(date: Date, now: Date | number): string {
  const nowMs = typeof now === "number" ? now : now.getTime();
  if (Math.abs(nowMs - date.getTime()) < 45_000) return "just now";
  return formatDistanceStrict(date, nowMs, { addSuffix: true, roundingMethod: "floor" });
}
