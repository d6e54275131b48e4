/**
 * Plain-word insights for API answers, from a prediction's per-column contributions: the top
 * drivers that raise the risk ("Contract = Month-to-month raises the risk by 18 points") and a
 * generic retention pointer at the strongest one. Cheap (no model calls), so the batch form uses
 * it for every row.
 */
import type { CustomerPrediction } from "../predictions";
import type { ApiInsight } from "./schemas";

const TOP_DRIVERS = 3;
/** Contributions smaller than this (in probability, 0.005 = half a point) are not worth a sentence. */
const MIN_PROBABILITY = 0.005;

export function formatPoints(probability: number): number {
  return Math.round(probability * 1000) / 10;
}

function describeValue(value: CustomerPrediction["contributions"][number]["value"]): string {
  if (value === null) return "(missing, imputed)";
  return typeof value === "string" ? value : String(value);
}

export function driverInsights(prediction: CustomerPrediction, limit = TOP_DRIVERS): ApiInsight[] {
  const drivers = prediction.contributions
    .filter((c) => c.probability >= MIN_PROBABILITY)
    .slice(0, limit)
    .map(
      (c): ApiInsight => ({
        type: "driver",
        text: `${c.column} = ${describeValue(c.value)} raises the risk by ${formatPoints(c.probability)} points`,
        column: c.column,
        value: c.value,
        points: formatPoints(c.probability),
      }),
    );
  return drivers;
}

/** Drivers plus a generic action naming the top driver, for data sets without playbook rules. */
export function basicInsights(prediction: CustomerPrediction): ApiInsight[] {
  const drivers = driverInsights(prediction);
  if (!drivers.length) return drivers;
  const top = drivers[0];
  return [
    ...drivers,
    {
      type: "action",
      text: `Top driver: ${top.column} = ${describeValue(top.value ?? null)}. Review it with the customer before renewal.`,
      column: top.column,
    },
  ];
}
