/**
 * The what-if form's values (text, as inputs hold them) ↔ the customer record sent to the model.
 * Column names are data (`constructor`, `__proto__`): values are own properties only (built with
 * Object.fromEntries or spread with computed keys, read with fieldOf), and the customer goes to
 * the server as [column, value] pairs, which superjson carries whatever the names.
 */
import { fieldOf } from "@/lib/column-record";
import type { PredictFormInput } from "@/server/services/retention";

export type FormValues = Readonly<Record<string, string>>;

export function initialValues(defaults: readonly (readonly [string, string | number])[]): FormValues {
  return Object.fromEntries(defaults.map(([name, value]) => [name, String(value)]));
}

/** The form with one field changed (a computed key is an own property, even "__proto__"). */
export function withValue(values: FormValues, name: string, value: string): FormValues {
  return { ...values, [name]: value };
}

/** A field's text; "" when the form has no such field. */
export function fieldText(values: FormValues, name: string): string {
  return fieldOf(values, name) ?? "";
}

function isNumberField(input: PredictFormInput): boolean {
  return input.kind === "numeric" && input.type !== "date";
}

/** Empty fields are left out (the model imputes them, with a warning); numbers are sent as numbers. */
export function customerOf(
  inputs: readonly PredictFormInput[],
  values: FormValues,
): [string, string | number][] {
  const out: [string, string | number][] = [];
  for (const input of inputs) {
    const raw = fieldText(values, input.name).trim();
    if (raw === "") continue;
    if (isNumberField(input)) {
      const n = Number(raw);
      if (Number.isFinite(n)) out.push([input.name, n]);
    } else out.push([input.name, raw]);
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
