/**
 * The 5-field cron subset the embedded runner needs to fire `DurableFunction.cron` schedules
 * (minute hour day-of-month month day-of-week, in UTC like Inngest's default): `*`, numbers, ranges
 * `a-b`, steps `*\/n` and `a-b/n`, lists `a,b`, month and weekday names (JAN, MON), 7 = Sunday, and
 * the @hourly/@daily/@weekly/@monthly/@yearly macros. When both day fields are restricted a day
 * matches either, as in Vixie cron and Inngest. Written here rather than adding a dependency because
 * the app only defines a handful of schedules and needs one operation, "next time after t"; seconds
 * fields and `TZ=` prefixes are rejected with a message rather than half-supported.
 */

export interface CronSchedule {
  readonly expression: string;
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly daysOfMonth: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  /** 0 = Sunday … 6 = Saturday */
  readonly daysOfWeek: ReadonlySet<number>;
  readonly isDayOfMonthRestricted: boolean;
  readonly isDayOfWeekRestricted: boolean;
}

const MACROS: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};
const MONTH_NAMES = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
  namesStartAt?: number;
}
const FIELDS: FieldSpec[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTH_NAMES, namesStartAt: 1 },
  { name: "day of week", min: 0, max: 7, names: DAY_NAMES, namesStartAt: 0 },
];

function parseValue(text: string, spec: FieldSpec, expression: string): number {
  const upper = text.toUpperCase();
  const named = spec.names?.indexOf(upper) ?? -1;
  if (named >= 0) return named + (spec.namesStartAt ?? 0);
  if (!/^\d+$/.test(text))
    throw new Error(`Invalid cron expression "${expression}": bad ${spec.name} "${text}"`);
  const value = Number(text);
  if (value < spec.min || value > spec.max) {
    throw new Error(
      `Invalid cron expression "${expression}": ${spec.name} ${value} is outside ${spec.min}-${spec.max}`,
    );
  }
  return value;
}

function parseField(text: string, spec: FieldSpec, expression: string): Set<number> {
  const values = new Set<number>();
  for (const part of text.split(",")) {
    const [range, stepText, extra] = part.split("/");
    if (extra !== undefined || range === "") {
      throw new Error(`Invalid cron expression "${expression}": bad ${spec.name} "${part}"`);
    }
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) {
      throw new Error(`Invalid cron expression "${expression}": bad step "${stepText}" in ${spec.name}`);
    }
    let from: number;
    let to: number;
    if (range === "*") {
      from = spec.min;
      to = spec.max;
    } else if (range.includes("-")) {
      const [a, b] = range.split("-");
      from = parseValue(a, spec, expression);
      to = parseValue(b, spec, expression);
      if (from > to) throw new Error(`Invalid cron expression "${expression}": empty range "${range}"`);
    } else {
      from = parseValue(range, spec, expression);
      // "5/15" means every 15 starting at 5, up to the field's maximum.
      to = stepText === undefined ? from : spec.max;
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

export function parseCron(expression: string): CronSchedule {
  const trimmed = expression.trim();
  if (/^(TZ|CRON_TZ)=/i.test(trimmed)) {
    throw new Error(`Cron expression "${expression}": time zones are not supported; schedules run in UTC`);
  }
  const source = MACROS[trimmed.toLowerCase()] ?? trimmed;
  const parts = source.split(/\s+/);
  if (parts.length !== 5) {
    throw new Error(
      `Invalid cron expression "${expression}": expected 5 fields (minute hour day-of-month month day-of-week)`,
    );
  }
  const [minutes, hours, daysOfMonth, months, rawDaysOfWeek] = parts.map((p, i) =>
    parseField(p, FIELDS[i], expression),
  );
  const daysOfWeek = new Set([...rawDaysOfWeek].map((d) => d % 7));
  return {
    expression,
    minutes,
    hours,
    daysOfMonth,
    months,
    daysOfWeek,
    // Vixie cron: a day field starting with "*" (also "*/2") does not restrict the day.
    isDayOfMonthRestricted: !parts[2].startsWith("*"),
    isDayOfWeekRestricted: !parts[4].startsWith("*"),
  };
}

function dayMatches(schedule: CronSchedule, date: Date): boolean {
  const dom = schedule.daysOfMonth.has(date.getUTCDate());
  const dow = schedule.daysOfWeek.has(date.getUTCDay());
  if (schedule.isDayOfMonthRestricted && schedule.isDayOfWeekRestricted) return dom || dow;
  return dom && dow;
}

/** The first time strictly after `after` (to the minute, UTC) that the schedule fires. */
export function nextCronTime(schedule: CronSchedule | string, after: Date): Date {
  const s = typeof schedule === "string" ? parseCron(schedule) : schedule;
  const t = new Date(after.getTime());
  t.setUTCSeconds(0, 0);
  t.setUTCMinutes(t.getUTCMinutes() + 1);
  // Jumps field by field, so the loop runs at most a few hundred times even for "0 0 29 2 *".
  const limit = after.getTime() + 8 * 366 * 24 * 3600 * 1000;
  while (t.getTime() <= limit) {
    if (!s.months.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!dayMatches(s, t)) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!s.hours.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
      continue;
    }
    if (!s.minutes.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
      continue;
    }
    return t;
  }
  throw new Error(`Cron expression "${s.expression}" never fires`);
}

/** The latest fire time in (from, to], or null: the runner fires only the most recent missed slot. */
export function latestCronTimeBetween(schedule: CronSchedule, from: Date, to: Date): Date | null {
  let latest: Date | null = null;
  let t = nextCronTime(schedule, from);
  for (let i = 0; t.getTime() <= to.getTime() && i < 100_000; i++) {
    latest = t;
    t = nextCronTime(schedule, t);
  }
  return latest;
}
