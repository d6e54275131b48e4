/**
 * The campaign planner: rank the active customers the champion scored (optionally one segment),
 * value each one (monthly charge × months, × expected remaining lifetime, or a flat amount), and
 * scan "contact the top N" with lib/ml/metrics/threshold.ts's planContacts for the most profitable
 * N within the budget. Risks are the champion's probabilities; the calibration table it was judged
 * on (held-out customers) gives each risk a plausible range, carried through to the money.
 */
import { TRPCError } from "@trpc/server";
import { and, eq, type SQL, sql } from "drizzle-orm";
import { calibrationBounds, expectedCalibrationError } from "@/lib/analytics/calibration-band";
import { remainingLifetimeOf, remainingLifetimeTable } from "@/lib/analytics/kaplan-meier";
import { type ContactOutcome, type ContactPlan, planContacts } from "@/lib/ml/metrics/threshold";
import { withAnalyticalSettings } from "../../db/analytical";
import type { Database } from "../../db/client";
import { customers, scores } from "../../db/schema";
import { cachedAnalytics } from "../analytics/cache";
import { survivalCurveOf } from "../analytics/retention";
import { rowsOf } from "../analytics/rows";
import { type AnalyticsScope, resolveAnalyticsScope } from "../analytics/scope";
import { numericValue } from "../analytics/segment-key";
import { currentFeaturesContain } from "../customers/current-features";
import { customerStatusCondition } from "../customers/status";
import { getPlaybook } from "../retention";
import { getCurrency } from "../settings";
import { type CampaignInputs, type CampaignInputsInput, campaignInputsSchema } from "./inputs";
import { type TargetDetail, targetDetails } from "./targets";

export const PREVIEW_TARGETS = 20;

export interface PlanTarget extends TargetDetail {
  rank: number;
  riskScore: number;
  customerValue: number;
  expectedSavedValue: number;
}

export interface CampaignPlanView {
  datasetId: number;
  datasetName: string;
  championId: number;
  championVersion: number;
  currency: string;
  inputs: CampaignInputs;
  /** Active customers the plan chooses from (after the segment filter). */
  eligible: number;
  /** The most profitable N within the budget, and the N the plan contacts (the chosen count, or best). */
  best: ContactOutcome;
  chosen: ContactOutcome;
  maxContacts: number;
  curve: ContactOutcome[];
  /** How the value of a customer was computed, in words. */
  valueNote: string;
  /** Mean |predicted − observed| churn of the champion's held-out risk bins; null without a table. */
  calibrationError: number | null;
  preview: PlanTarget[];
}

/** The plan with the full contact order, for saving. */
export interface ComputedPlan {
  view: CampaignPlanView;
  plan: ContactPlan;
  customerIds: Float64Array;
  risks: Float64Array;
  values: Float64Array;
}

function badRequest(message: string): never {
  throw new TRPCError({ code: "BAD_REQUEST", message });
}

function filterConditions(scope: AnalyticsScope, filters: CampaignInputs["filters"]): SQL[] {
  const categorical = new Set(scope.segmentColumns.filter((c) => c.type !== "numeric").map((c) => c.name));
  const byColumn = new Map<string, Set<string>>();
  for (const f of filters) {
    if (!categorical.has(f.column)) {
      badRequest(
        `"${f.column.slice(0, 60)}" is not a categorical column of this dataset, so a campaign cannot target it.`,
      );
    }
    const values = byColumn.get(f.column) ?? new Set<string>();
    values.add(f.value);
    byColumn.set(f.column, values);
  }
  // Column and value inside one bound JSON parameter: no name from the file reaches the SQL text.
  // Judged on the customers' current values (what events changed), not the upload row.
  return [...byColumn].map(([column, values]) => {
    const alternatives = [...values].map((value) => currentFeaturesContain(column, value));
    return alternatives.length === 1 ? alternatives[0] : sql`(${sql.join(alternatives, sql` or `)})`;
  });
}

export async function computeCampaignPlan(db: Database, input: CampaignInputsInput): Promise<ComputedPlan> {
  const inputs = campaignInputsSchema.parse(input);
  const scope = await resolveAnalyticsScope(db, inputs.datasetId);
  const champion = scope.champion;
  if (!champion || !scope.version) {
    badRequest(`${scope.dataset.name} has no champion model yet: train models before planning a campaign.`);
  }
  const versionId = scope.version.id;
  const durationColumn = scope.duration.detected;
  if (inputs.value.source !== "flat" && !scope.monthlyValueColumn) {
    badRequest("This dataset has no monthly charges column: value customers with a flat amount instead.");
  }
  if (inputs.value.source === "lifetime" && !durationColumn) {
    badRequest(
      "This dataset has no tenure column for expected lifetimes: value customers by months instead.",
    );
  }
  const conditions = filterConditions(scope, inputs.filters);
  const [currency, remaining] = await Promise.all([
    getCurrency(db),
    inputs.value.source === "lifetime" && durationColumn
      ? cachedAnalytics(db, ["remaining-lifetime", versionId, durationColumn], async () =>
          remainingLifetimeTable(await survivalCurveOf(db, versionId, durationColumn)),
        )
      : Promise.resolve(null),
  ]);

  const {
    ids,
    riskColumn,
    monthlyColumn,
    durationColumn: durations,
  } = await withAnalyticalSettings(db, (tx) =>
    eligibleCustomers(tx, champion.id, versionId, durationColumn, conditions),
  );
  const n = ids.length;
  const customerIds = new Float64Array(n);
  const risks = new Float64Array(n);
  const values = new Float64Array(n);
  const bounds = calibrationBounds(champion.curves?.test?.calibration ?? []);
  const lower = new Float64Array(n);
  const upper = new Float64Array(n);
  const value = inputs.value;
  for (let i = 0; i < n; i++) {
    customerIds[i] = ids[i];
    const risk = riskColumn[i];
    risks[i] = risk;
    const monthly = monthlyColumn[i] ?? 0;
    const duration = durations[i];
    values[i] =
      value.source === "flat"
        ? value.amount
        : value.source === "monthly"
          ? monthly * value.months
          : monthly *
            (duration === null || remaining === null
              ? 0
              : remainingLifetimeOf(remaining, Math.floor(duration)));
    const b = bounds(risk);
    lower[i] = b.lower;
    upper[i] = b.upper;
  }
  const maxContacts =
    inputs.budget !== null && inputs.offerCost > 0 ? Math.floor(inputs.budget / inputs.offerCost) : undefined;
  const plan = planContacts(risks, values, inputs, {
    ranking: inputs.ranking,
    maxContacts,
    bounds: { lower, upper },
    maxCurvePoints: 120,
  });
  const chosen = inputs.contactCount === null ? plan.best : plan.outcomeAt(inputs.contactCount);
  const previewIndices = [...plan.order.slice(0, Math.min(PREVIEW_TARGETS, chosen.contacted))];
  const details = await targetDetails(
    db,
    champion.id,
    previewIndices.map((i) => customerIds[i]),
    await getPlaybook(db),
  );
  const detailById = new Map(details.map((d) => [d.customerId, d]));
  const preview: PlanTarget[] = previewIndices.flatMap((i, k) => {
    const detail = detailById.get(customerIds[i]);
    return detail
      ? [
          {
            ...detail,
            rank: k + 1,
            riskScore: risks[i],
            customerValue: values[i],
            expectedSavedValue: risks[i] * values[i] * inputs.acceptanceRate,
          },
        ]
      : [];
  });
  return {
    view: {
      datasetId: scope.dataset.id,
      datasetName: scope.dataset.name,
      championId: champion.id,
      championVersion: champion.version,
      currency,
      inputs,
      eligible: n,
      best: plan.best,
      chosen,
      maxContacts: plan.maxContacts,
      curve: plan.curve,
      valueNote: valueNote(inputs, scope.monthlyValueColumn, durationColumn),
      calibrationError: expectedCalibrationError(champion.curves?.test?.calibration ?? []),
      preview,
    },
    plan,
    customerIds,
    risks,
    values,
  };
}

interface EligibleColumns {
  ids: number[];
  riskColumn: number[];
  monthlyColumn: (number | null)[];
  durationColumn: (number | null)[];
}

/**
 * The active customers the champion scored (after the filters), as four parallel columns in ONE
 * row of JSON text: 100,000 rows as objects cost more in the driver and the row mapping than the
 * query itself. Filters and the duration are evaluated on the customers before the join, so the
 * join carries narrow rows instead of every customer's features.
 */
async function eligibleCustomers(
  db: Database,
  championId: number,
  versionId: number,
  durationColumn: string | null,
  conditions: SQL[],
): Promise<EligibleColumns> {
  const duration = durationColumn ? numericValue(durationColumn) : sql`null::float8`;
  const [row] = rowsOf<{ columns: string | null }>(
    await db.execute(sql`
      select json_build_array(json_agg(k.id), json_agg(s.risk_score), json_agg(k.monthly_value), json_agg(k.duration))::text as columns
      from ${scores} s inner join (
        select ${customers.id} as id, ${customers.monthlyValue} as monthly_value, ${duration} as duration
        from ${customers}
        where ${and(eq(customers.datasetVersionId, versionId), customerStatusCondition("active"), ...conditions)}
        offset 0
      ) k on k.id = s.customer_id
      where s.model_id = ${championId}`),
  );
  const [ids, riskColumn, monthlyColumn, durations] = JSON.parse(row?.columns ?? "[]") as (
    | (number | null)[]
    | null
  )[];
  return {
    ids: (ids ?? []) as number[],
    riskColumn: (riskColumn ?? []) as number[],
    monthlyColumn: monthlyColumn ?? [],
    durationColumn: durations ?? [],
  };
}

function valueNote(inputs: CampaignInputs, monthly: string | null, duration: string | null): string {
  switch (inputs.value.source) {
    case "flat":
      return "Every customer is worth the same amount.";
    case "monthly":
      return `${monthly} × ${inputs.value.months} months.`;
    case "lifetime":
      return `${monthly} × expected remaining months (from the retention curve over ${duration}).`;
  }
}

export async function previewCampaign(db: Database, input: CampaignInputsInput): Promise<CampaignPlanView> {
  return (await computeCampaignPlan(db, input)).view;
}
