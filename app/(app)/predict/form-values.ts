/** The what-if form's values (text, as inputs hold them) ↔ the customer record sent to the model. */
import type { PredictFormInput } from "@/server/services/retention";

export type FormValues = Record<string, string>;

export function initialValues(defaults: Record<string, string | number>): FormValues {
  const out: FormValues = {};
  for (const [name, value] of Object.entries(defaults)) out[name] = String(value);
  return out;
}

function isNumberField(input: PredictFormInput): boolean {
  return input.kind === "numeric" && input.type !== "date";
}

/** Empty fields are left out (the model imputes them, with a warning); numbers are sent as numbers. */
export function customerOf(
  inputs: readonly PredictFormInput[],
  values: FormValues,
): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const input of inputs) {
    const raw = values[input.name]?.trim() ?? "";
    if (raw === "") continue;
    if (isNumberField(input)) {
      const n = Number(raw);
      if (Number.isFinite(n)) out[input.name] = n;
    } else out[input.name] = raw;
  }
  return out;
}

/** A hint when a number lies outside the training range (still scored: the model extrapolates). */
export function rangeWarning(input: PredictFormInput, raw: string | undefined): string | null {
  if (!isNumberField(input) || raw === undefined || raw.trim() === "") return null;
  const n = Number(raw);
  if (!Number.isFinite(n)) return "Enter a number";
  if (input.min !== undefined && n < input.min)
    return `Below the training range (${formatNumber(input.min)}–${formatNumber(input.max)}): the model extrapolates`;
  if (input.max !== undefined && n > input.max)
    return `Above the training range (${formatNumber(input.min)}–${formatNumber(input.max)}): the model extrapolates`;
  return null;
}

export function formatNumber(value: number | undefined): string {
  if (value === undefined) return "?";
  return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(2)));
}

export { isNumberField };
