import { describe, expect, it } from "vitest";
import { localDayRange, nextDay, parseDay, startOfLocalDay } from "./day-range";

describe("local days as UTC instants", () => {
  it("starts a day in Asia/Kolkata at 18:30 UTC the day before", () => {
    expect(startOfLocalDay("2026-12-05", "Asia/Kolkata").toISOString()).toBe("2026-12-04T18:30:00.000Z");
  });

  it("starts a day west of UTC later in UTC", () => {
    expect(startOfLocalDay("2026-12-05", "America/New_York").toISOString()).toBe("2026-12-05T05:00:00.000Z");
    expect(startOfLocalDay("2026-07-05", "America/New_York").toISOString()).toBe("2026-07-05T04:00:00.000Z");
  });

  it("makes the end exclusive: the start of the day after the last day", () => {
    const range = localDayRange({ fromDay: "2026-12-05", toDay: "2026-12-06" }, "Asia/Kolkata");
    expect(range.from?.toISOString()).toBe("2026-12-04T18:30:00.000Z");
    expect(range.to?.toISOString()).toBe("2026-12-06T18:30:00.000Z");
  });

  it("handles the 23-hour day of a daylight-saving change", () => {
    const from = startOfLocalDay("2026-03-29", "Europe/Berlin");
    const to = startOfLocalDay(nextDay("2026-03-29"), "Europe/Berlin");
    expect(from.toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(to.getTime() - from.getTime()).toBe(23 * 3600 * 1000);
  });

  it("leaves open ends open and refuses dates that do not exist", () => {
    expect(localDayRange({ toDay: "2026-01-31" }, "UTC")).toEqual({
      from: undefined,
      to: new Date("2026-02-01T00:00:00Z"),
    });
    expect(parseDay("2026-02-30")).toBeNull();
    expect(parseDay("5.12.2026")).toBeNull();
    expect(() => startOfLocalDay("2026-13-01", "UTC")).toThrow(RangeError);
    expect(nextDay("2026-12-31")).toBe("2027-01-01");
  });
});
