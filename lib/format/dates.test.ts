import { describe, expect, it } from "vitest";
import { formatDate, formatRelative, isValidTimeZone, zonedParts } from "./dates";

// 16:07:09 UTC on 5 December 2025: the previous evening in Los Angeles, past 21:30 in Kolkata.
const at = new Date("2025-12-05T16:07:09.000Z");

describe("formatDate", () => {
  it("formats each style in the zone it is given, not the runtime's", () => {
    expect(formatDate(at, "date", "UTC")).toBe("Dec 5, 2025");
    expect(formatDate(at, "monthDayTime", "UTC")).toBe("Dec 5, 4:07 PM");
    expect(formatDate(at, "dateTime", "UTC")).toBe("Dec 5, 2025, 4:07 PM");
    expect(formatDate(at, "dateTimeSeconds", "UTC")).toBe("Dec 5, 2025, 4:07:09 PM");
    expect(formatDate(at, "timestamp", "UTC")).toBe("2025-12-05 16:07:09");
    expect(formatDate(at, "dateTime", "America/Los_Angeles")).toBe("Dec 5, 2025, 8:07 AM");
    expect(formatDate(at, "timestamp", "Asia/Kolkata")).toBe("2025-12-05 21:37:09");
    expect(formatDate(new Date("2025-12-31T23:30:00Z"), "date", "Asia/Kolkata")).toBe("Jan 1, 2026");
  });

  it("uses only ASCII spaces, so text is the same whatever ICU version formats it", () => {
    for (const style of ["date", "monthDayTime", "dateTime", "dateTimeSeconds", "timestamp"] as const) {
      expect(formatDate(at, style, "Asia/Kolkata")).toMatch(/^[\x20-\x7e]+$/);
    }
  });

  it("shows midnight and noon on a 12-hour clock", () => {
    expect(formatDate(new Date("2025-03-01T00:05:00Z"), "monthDayTime", "UTC")).toBe("Mar 1, 12:05 AM");
    expect(formatDate(new Date("2025-03-01T12:05:00Z"), "monthDayTime", "UTC")).toBe("Mar 1, 12:05 PM");
    expect(zonedParts(new Date("2025-03-01T00:00:00Z"), "UTC")).toMatchObject({ hour: 0, minute: 0 });
  });

  it("defaults to UTC", () => {
    expect(formatDate(at, "timestamp")).toBe("2025-12-05 16:07:09");
  });
});

describe("formatRelative", () => {
  it("says how long ago (or until) in whole units, and 'just now' within 45 s", () => {
    const now = at.getTime();
    expect(formatRelative(new Date(now - 10_000), now)).toBe("just now");
    expect(formatRelative(new Date(now - 3 * 60_000 - 20_000), now)).toBe("3 minutes ago");
    expect(formatRelative(new Date(now - 2 * 3_600_000), new Date(now))).toBe("2 hours ago");
    expect(formatRelative(new Date(now - 3 * 86_400_000), now)).toBe("3 days ago");
    expect(formatRelative(new Date(now + 5 * 60_000), now)).toBe("in 5 minutes");
  });
});

describe("isValidTimeZone", () => {
  it("accepts IANA names and refuses anything else", () => {
    expect(isValidTimeZone("America/Los_Angeles")).toBe(true);
    expect(isValidTimeZone("Asia/Kolkata")).toBe(true);
    expect(isValidTimeZone("UTC")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(isValidTimeZone("")).toBe(false);
    expect(isValidTimeZone("Europe/Berlin; path=/")).toBe(false);
    expect(isValidTimeZone("A".repeat(200))).toBe(false);
    expect(isValidTimeZone(undefined)).toBe(false);
  });
});
