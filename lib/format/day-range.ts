/**
 * Calendar days as the reader sees them, turned into UTC instants for a query: "Dec 5 to Dec 6 in
 * Asia/Kolkata" is [Dec 4 18:30Z, Dec 6 18:30Z). Days are "YYYY-MM-DD" strings (what a date input
 * gives), the zone an IANA name; the end is exclusive (the start of the day after `to`), so an
 * entry at 23:59:59.999 local time on the last day is inside. Daylight-saving days are 23 or 25
 * hours long and come out right because the offset is looked up at the instant itself.
 */
import { zonedParts } from "./dates";

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses "YYYY-MM-DD" into numbers; null when it is not a real calendar date. */
export function parseDay(day: string): { year: number; month: number; day: number } | null {
  const m = DAY.exec(day);
  if (!m) return null;
  const [year, month, date] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(year, month - 1, date));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== date)
    return null;
  return { year, month, day: date };
}

/** Offset of `timeZone` from UTC at `instant`, in ms (east positive). */
function offsetMs(instant: number, timeZone: string): number {
  const p = zonedParts(new Date(instant), timeZone);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - Math.floor(instant / 1000) * 1000;
}

/** The instant local midnight starts `day` in `timeZone`. */
export function startOfLocalDay(day: string, timeZone: string): Date {
  const parsed = parseDay(day);
  if (!parsed) throw new RangeError(`Not a calendar date: ${day}`);
  const wall = Date.UTC(parsed.year, parsed.month - 1, parsed.day);
  let guess = wall - offsetMs(wall, timeZone);
  // A second pass corrects a guess that fell on the other side of an offset change.
  guess = wall - offsetMs(guess, timeZone);
  return new Date(guess);
}

/** The day after "YYYY-MM-DD" (calendar arithmetic, no zone involved). */
export function nextDay(day: string): string {
  const parsed = parseDay(day);
  if (!parsed) throw new RangeError(`Not a calendar date: ${day}`);
  return new Date(Date.UTC(parsed.year, parsed.month - 1, parsed.day + 1)).toISOString().slice(0, 10);
}

/** [from, to) instants for the local days `fromDay` … `toDay` (either may be omitted). */
export function localDayRange(
  range: { fromDay?: string | null; toDay?: string | null },
  timeZone: string,
): { from?: Date; to?: Date } {
  return {
    from: range.fromDay ? startOfLocalDay(range.fromDay, timeZone) : undefined,
    to: range.toDay ? startOfLocalDay(nextDay(range.toDay), timeZone) : undefined,
  };
}
