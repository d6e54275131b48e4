/**
 * Retraining schedules as people set them: a 5-field cron expression (minute hour day-of-month
 * month day-of-week) read in an IANA time zone, with presets, a description in words and the next
 * run times. Parsing and time-zone arithmetic (daylight saving included) are cron-parser's; the
 * words are cronstrue's. Pure: the caller passes "now".
 */
import { CronExpressionParser } from "cron-parser";
import cronstrue from "cronstrue";

export const SCHEDULE_PRESETS = {
  weekly: { label: "Weekly (Monday 06:00)", cron: "0 6 * * 1" },
  monthly: { label: "Monthly (1st at 06:00)", cron: "0 6 1 * *" },
} as const;
export type SchedulePreset = keyof typeof SCHEDULE_PRESETS;

export class ScheduleError extends Error {
  constructor(
    message: string,
    readonly field: "cron" | "timeZone",
  ) {
    super(message);
    this.name = "ScheduleError";
  }
}

/** True for a zone the runtime knows by its IANA name ("Europe/Berlin", "UTC"). */
export function isValidTimeZone(timeZone: string): boolean {
  if (!timeZone || timeZone.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

function normalise(cron: string): string {
  return cron.trim().split(/\s+/).join(" ");
}

/** Throws ScheduleError naming the field when the expression or the zone cannot be used. */
export function validateSchedule(cron: string, timeZone: string): string {
  if (!isValidTimeZone(timeZone)) {
    throw new ScheduleError(
      `"${timeZone.slice(0, 64)}" is not a known time zone (use a name like Europe/Berlin)`,
      "timeZone",
    );
  }
  const expression = normalise(cron);
  const fields = expression.split(" ").length;
  if (expression === "" || fields !== 5) {
    throw new ScheduleError(
      `A schedule has 5 fields (minute hour day-of-month month day-of-week); "${cron.slice(0, 80)}" has ${expression === "" ? 0 : fields}`,
      "cron",
    );
  }
  try {
    CronExpressionParser.parse(expression, { tz: timeZone, strict: false }).next();
  } catch (error) {
    throw new ScheduleError(`"${expression}" is not a valid schedule: ${(error as Error).message}`, "cron");
  }
  return expression;
}

/** The next `count` run times strictly after `after`. */
export function nextRunTimes(cron: string, timeZone: string, after: Date, count = 3): Date[] {
  const expression = validateSchedule(cron, timeZone);
  const parsed = CronExpressionParser.parse(expression, { tz: timeZone, currentDate: after });
  const out: Date[] = [];
  for (let i = 0; i < count; i++) out.push(parsed.next().toDate());
  return out;
}

export function nextRunTime(cron: string, timeZone: string, after: Date): Date {
  return nextRunTimes(cron, timeZone, after, 1)[0];
}

/** "At 06:00, only on Monday (Europe/Berlin)". */
export function describeSchedule(cron: string, timeZone: string): string {
  const expression = validateSchedule(cron, timeZone);
  const words = cronstrue.toString(expression, { use24HourTimeFormat: true, verbose: false });
  return `${words} (${timeZone})`;
}

/** The preset an expression is, if any (the form shows the preset rather than "custom"). */
export function presetOf(cron: string): SchedulePreset | "custom" {
  const expression = normalise(cron);
  for (const [name, preset] of Object.entries(SCHEDULE_PRESETS)) {
    if (preset.cron === expression) return name as SchedulePreset;
  }
  return "custom";
}

/**
 * Whether a schedule is due at `now`, and when it runs next. A schedule whose next run time
 * passed while nothing checked (the server was down over several slots) is due ONCE: the next
 * run time moves past `now`, not to the slot after the missed one.
 */
export function dueState(
  schedule: { cron: string; timeZone: string; nextRunAt: Date | null },
  now: Date,
): { isDue: boolean; nextRunAt: Date } {
  if (schedule.nextRunAt === null)
    return { isDue: false, nextRunAt: nextRunTime(schedule.cron, schedule.timeZone, now) };
  if (schedule.nextRunAt.getTime() > now.getTime()) return { isDue: false, nextRunAt: schedule.nextRunAt };
  return { isDue: true, nextRunAt: nextRunTime(schedule.cron, schedule.timeZone, now) };
}
