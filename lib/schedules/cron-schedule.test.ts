import { describe, expect, it } from "vitest";
import {
  describeSchedule,
  dueState,
  isValidTimeZone,
  nextRunTimes,
  presetOf,
  SCHEDULE_PRESETS,
  ScheduleError,
  validateSchedule,
} from "./cron-schedule";

describe("retraining schedules", () => {
  it("gives the next three Monday 06:00 runs in Berlin, across the daylight-saving change", () => {
    const runs = nextRunTimes(
      SCHEDULE_PRESETS.weekly.cron,
      "Europe/Berlin",
      new Date("2026-03-20T12:00:00Z"),
    );
    // 23 March is still winter time (UTC+1); 30 March and 6 April are summer time (UTC+2).
    expect(runs.map((d) => d.toISOString())).toEqual([
      "2026-03-23T05:00:00.000Z",
      "2026-03-30T04:00:00.000Z",
      "2026-04-06T04:00:00.000Z",
    ]);
  });

  it("reads the expression in the schedule's zone, not the process's", () => {
    const [kolkata] = nextRunTimes("0 6 1 * *", "Asia/Kolkata", new Date("2026-12-05T00:00:00Z"), 1);
    expect(kolkata.toISOString()).toBe("2027-01-01T00:30:00.000Z");
  });

  it("describes a schedule in words with its zone", () => {
    expect(describeSchedule("0 6 * * 1", "Europe/Berlin")).toBe("At 06:00, only on Monday (Europe/Berlin)");
    expect(describeSchedule(" 0  6 1 * * ", "UTC")).toBe("At 06:00, on day 1 of the month (UTC)");
  });

  it("refuses bad expressions and unknown zones with the field to fix", () => {
    expect(() => validateSchedule("0 6 * *", "UTC")).toThrow(/5 fields/);
    expect(() => validateSchedule("0 0 6 * * 1", "UTC")).toThrow(/5 fields/);
    expect(() => validateSchedule("61 6 * * 1", "UTC")).toThrow(ScheduleError);
    expect(() => validateSchedule("0 6 * * 1", "Mars/Olympus")).toThrow(/not a known time zone/);
    try {
      validateSchedule("0 6 * * 1", "__proto__");
    } catch (error) {
      expect((error as ScheduleError).field).toBe("timeZone");
    }
    expect(isValidTimeZone("America/New_York")).toBe(true);
    expect(isValidTimeZone("")).toBe(false);
  });

  it("knows its presets", () => {
    expect(presetOf("0 6 * * 1")).toBe("weekly");
    expect(presetOf("0 6 1 * *")).toBe("monthly");
    expect(presetOf("*/5 * * * *")).toBe("custom");
  });

  it("is due once after missed slots, and then moves past now", () => {
    const schedule = {
      cron: "0 * * * *",
      timeZone: "UTC",
      nextRunAt: new Date("2026-12-01T10:00:00Z"),
    };
    // The server was down for four days: 96 hourly slots were missed.
    const now = new Date("2026-12-05T10:17:00Z");
    const first = dueState(schedule, now);
    expect(first).toEqual({ isDue: true, nextRunAt: new Date("2026-12-05T11:00:00Z") });
    const second = dueState({ ...schedule, nextRunAt: first.nextRunAt }, new Date("2026-12-05T10:20:00Z"));
    expect(second.isDue).toBe(false);
    expect(dueState({ ...schedule, nextRunAt: null }, now)).toEqual({
      isDue: false,
      nextRunAt: new Date("2026-12-05T11:00:00Z"),
    });
  });
});
