/**
 * Money as the organisation counts it: an ISO 4217 currency code from Admin → Settings, formatted
 * with Intl.NumberFormat. Pure, so pages, the PDF report and CSV headers format the same way.
 */

export const DEFAULT_CURRENCY = "USD";

/** Whether the runtime knows the code (Intl.supportedValuesOf where available, else a trial format). */
export function isCurrencyCode(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false;
  const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf;
  if (supported) return supported("currency").includes(code);
  try {
    new Intl.NumberFormat("en-US", { style: "currency", currency: code });
    return true;
  } catch {
    return false;
  }
}

export interface MoneyOptions {
  /** Digits after the decimal point; default 0 for amounts of 100 and more, else 2. */
  digits?: number;
  /** "1.2M" instead of "1,234,567". */
  compact?: boolean;
  locale?: string;
  /** "code" writes "INR 1,234" instead of "₹1,234" (for outputs whose font lacks the symbol). */
  currencyDisplay?: "symbol" | "code";
}

/** "$1,234", "€1,234", "CHF 1,234"; "—" for null or a non-finite number. */
export function formatMoney(
  value: number | null | undefined,
  currency: string,
  options: MoneyOptions = {},
): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  const digits = options.digits ?? (Math.abs(value) >= 100 ? 0 : 2);
  return new Intl.NumberFormat(options.locale ?? "en-US", {
    style: "currency",
    currency: isCurrencyCode(currency) ? currency : DEFAULT_CURRENCY,
    currencyDisplay: options.currencyDisplay ?? "symbol",
    notation: options.compact ? "compact" : "standard",
    minimumFractionDigits: options.compact ? 0 : digits,
    maximumFractionDigits: options.compact ? 1 : digits,
  }).format(value);
}

/** The currency's symbol alone ("$", "€"), for input adornments and axis labels. */
export function currencySymbol(currency: string, locale = "en-US"): string {
  const code = isCurrencyCode(currency) ? currency : DEFAULT_CURRENCY;
  const part = new Intl.NumberFormat(locale, { style: "currency", currency: code })
    .formatToParts(0)
    .find((p) => p.type === "currency");
  return part?.value ?? code;
}
