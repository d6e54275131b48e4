/**
 * The `insights` of an API answer, from the retention service's customer insight (the same
 * reasons and playbook actions the app shows): the top drivers in plain words, the recommended
 * retention actions and, when a single-customer call asks for it, the next-best action with the
 * risk it predicts. That search scores ~1,000 variants of the customer (~15 ms with a logistic
 * regression champion, measured in bench:api's profile), which would cap a 2-core server near
 * 130 calls/s, so it is opt-in and the batch form never runs it.
 */
import type { CustomerInsight } from "../retention";
import type { ApiInsight } from "./schemas";

/** Drivers listed per customer (largest |points| first, raising or lowering the risk). */
export const API_DRIVER_COUNT = 3;
/** Playbook actions listed per customer. */
const API_ACTION_COUNT = 2;

/** Probability (0..1) → percentage points with one decimal: 0.1834 → 18.3. */
export function toPoints(probability: number): number {
  return Math.round(probability * 1000) / 10;
}

export function insightsOf(insight: CustomerInsight): ApiInsight[] {
  const out: ApiInsight[] = insight.reasons.slice(0, API_DRIVER_COUNT).map((reason) => ({
    type: "driver",
    text: reason.text,
    column: reason.column,
    value: reason.value,
    points: toPoints(reason.points),
    actionable: reason.kind === "actionable",
  }));
  for (const action of insight.actions.slice(0, API_ACTION_COUNT)) {
    out.push({ type: "action", text: action.title, rationale: action.rationale, column: action.column });
  }
  const next = insight.nextBestAction;
  if (next) {
    out.push({
      type: "next_best_action",
      text: `${next.title}: predicted risk ${Math.round(next.currentRisk * 100)} % → ${Math.round(next.newRisk * 100)} % (a model prediction, not a guarantee)`,
      column: next.changes[0]?.column,
      new_risk_score: next.newRisk,
    });
  }
  return out;
}
