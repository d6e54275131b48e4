import { describe, expect, it } from "vitest";
import { currencySymbol, formatMoney, isCurrencyCode } from "./money";

describe("money", () => {
  it("formats amounts in the chosen currency, whole units from 100 up", () => {
    expect(formatMoney(1234.5, "USD")).toBe("$1,235");
    expect(formatMoney(12.5, "USD")).toBe("$12.50");
    expect(formatMoney(1234.5, "EUR")).toBe("€1,235");
    expect(formatMoney(1_234_567, "GBP", { compact: true })).toBe("£1.2M");
    expect(formatMoney(-40, "USD", { digits: 0 })).toBe("-$40");
    expect(formatMoney(null, "USD")).toBe("—");
    expect(formatMoney(1500, "INR", { currencyDisplay: "code" })).toBe("INR\u00a01,500");
    expect(formatMoney(Number.NaN, "USD")).toBe("—");
  });
  it("knows ISO codes and falls back to dollars for anything else", () => {
    expect(isCurrencyCode("CHF")).toBe(true);
    expect(isCurrencyCode("chf")).toBe(false);
    expect(isCurrencyCode("ABC")).toBe(false);
    expect(formatMoney(500, "nope")).toBe("$500");
    expect(currencySymbol("EUR")).toBe("€");
    expect(currencySymbol("JPY")).toBe("¥");
  });
});
