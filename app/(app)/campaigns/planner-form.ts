/**
 * The planner's fields as typed (text) and the procedure input they make, with a message per field
 * a person can fix. Pure, so it is tested without a browser.
 */
import type { CampaignInputsInput } from "@/server/services/campaigns/inputs";

export interface PlannerForm {
  offerCost: string;
  acceptancePercent: string;
  valueSource: "monthly" | "lifetime" | "flat";
  months: string;
  flatAmount: string;
  budget: string;
  ranking: "risk" | "expected_value";
  filterColumn: string | null;
  filterValue: string | null;
  /** Empty: contact the most profitable number. */
  contactCount: string;
}

export const DEFAULT_FORM: PlannerForm = {
  offerCost: "20",
  acceptancePercent: "30",
  valueSource: "monthly",
  months: "12",
  flatAmount: "500",
  budget: "",
  ranking: "risk",
  filterColumn: null,
  filterValue: null,
  contactCount: "",
};

const NUMBER = /^\s*\d+([.,]\d+)?\s*$/;
const parse = (text: string) => Number(text.trim().replace(",", "."));

export type PlannerErrors = Partial<Record<keyof PlannerForm, string>>;

export function plannerInputsOf(
  datasetId: number,
  form: PlannerForm,
): { inputs: CampaignInputsInput; errors: null } | { inputs: null; errors: PlannerErrors } {
  const errors: PlannerErrors = {};
  if (!NUMBER.test(form.offerCost)) errors.offerCost = "Enter the cost of one offer, e.g. 20";
  const acceptance = parse(form.acceptancePercent);
  if (!NUMBER.test(form.acceptancePercent) || acceptance <= 0 || acceptance > 100)
    errors.acceptancePercent = "Enter a percentage above 0 and at most 100";
  const months = parse(form.months);
  if (form.valueSource === "monthly" && (!NUMBER.test(form.months) || months <= 0 || months > 600))
    errors.months = "Enter a number of months between 1 and 600";
  if (form.valueSource === "flat" && !NUMBER.test(form.flatAmount))
    errors.flatAmount = "Enter an amount, e.g. 500";
  const hasBudget = form.budget.trim() !== "";
  if (hasBudget && (!NUMBER.test(form.budget) || parse(form.budget) <= 0))
    errors.budget = "Enter a budget above 0, or leave it empty";
  const hasCount = form.contactCount.trim() !== "";
  if (hasCount && !/^\s*\d+\s*$/.test(form.contactCount))
    errors.contactCount = "Enter a whole number of customers";
  if (Object.keys(errors).length > 0) return { inputs: null, errors };
  return {
    errors: null,
    inputs: {
      datasetId,
      offerCost: parse(form.offerCost),
      acceptanceRate: acceptance / 100,
      value:
        form.valueSource === "monthly"
          ? { source: "monthly", months }
          : form.valueSource === "lifetime"
            ? { source: "lifetime" }
            : { source: "flat", amount: parse(form.flatAmount) },
      budget: hasBudget ? parse(form.budget) : null,
      ranking: form.ranking,
      filters:
        form.filterColumn && form.filterValue !== null
          ? [{ column: form.filterColumn, value: form.filterValue }]
          : [],
      contactCount: hasCount ? Number(form.contactCount.trim()) : null,
    },
  };
}
