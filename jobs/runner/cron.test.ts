import { describe, expect, it } from "vitest";
import { latestCronTimeBetween, nextCronTime, parseCron } from "./cron";

const at = (iso: string) => new Date(iso);
const next = (expr: string, iso: string) => nextCronTime(expr, at(iso)).toISOString();

describe("cron", () => {
  it("finds the next fire time, strictly after the given time, in UTC", () => {
    expect(next("17 3 * * *", "2030-01-01T00:00:00Z")).toBe("2030-01-01T03:17:00.000Z");
    expect(next("17 3 * * *", "2030-01-01T03:17:00Z")).toBe("2030-01-02T03:17:00.000Z");
    expect(next("*/15 * * * *", "2030-01-01T10:07:30Z")).toBe("2030-01-01T10:15:00.000Z");
    expect(next("0 9-17/4 * * *", "2030-01-01T10:00:00Z")).toBe("2030-01-01T13:00:00.000Z");
    expect(next("0 0 1 * *", "2030-01-15T00:00:00Z")).toBe("2030-02-01T00:00:00.000Z");
    expect(next("0 0 29 2 *", "2030-03-01T00:00:00Z")).toBe("2032-02-29T00:00:00.000Z");
  });

  it("supports names, 7 as Sunday, lists and macros", () => {
    expect(next("0 8 * * MON-FRI", "2030-01-05T00:00:00Z")).toBe("2030-01-07T08:00:00.000Z"); // Sat → Mon
    expect(next("0 8 * * 7", "2030-01-01T00:00:00Z")).toBe("2030-01-06T08:00:00.000Z");
    expect(next("0 0 1 JAN,JUL *", "2030-02-01T00:00:00Z")).toBe("2030-07-01T00:00:00.000Z");
    expect(next("@daily", "2030-01-01T12:00:00Z")).toBe("2030-01-02T00:00:00.000Z");
    expect(next("@hourly", "2030-01-01T12:00:00Z")).toBe("2030-01-01T13:00:00.000Z");
  });

  it("matches either day field when both are restricted, as Vixie cron does", () => {
    // the 13th, or any Friday
    expect(next("0 0 13 * FRI", "2030-01-01T00:00:00Z")).toBe("2030-01-04T00:00:00.000Z");
    expect(next("0 0 13 * FRI", "2030-01-11T00:00:00Z")).toBe("2030-01-13T00:00:00.000Z");
  });

  it("rejects what it does not support, saying why", () => {
    expect(() => parseCron("0 0 * * * *")).toThrow(/expected 5 fields/);
    expect(() => parseCron("TZ=Europe/Paris 0 3 * * *")).toThrow(/UTC/);
    expect(() => parseCron("60 * * * *")).toThrow(/minute 60 is outside 0-59/);
    expect(() => parseCron("*/0 * * * *")).toThrow(/bad step/);
    expect(() => parseCron("5-1 * * * *")).toThrow(/empty range/);
  });

  it("gives the latest slot in a window (missed slots are not replayed one by one)", () => {
    const s = parseCron("*/5 * * * *");
    expect(latestCronTimeBetween(s, at("2030-01-01T10:01:00Z"), at("2030-01-01T10:04:59Z"))).toBeNull();
    expect(
      latestCronTimeBetween(s, at("2030-01-01T10:01:00Z"), at("2030-01-01T10:21:00Z"))?.toISOString(),
    ).toBe("2030-01-01T10:20:00.000Z");
  });
});
