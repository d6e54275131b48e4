/**
 * Outcomes from live customer events: an event that says the customer left (its type is one of
 * LEAVING_EVENT_TYPES, e.g. "churn" or "subscription_cancelled") records "churned" on that
 * customer's open retention actions; any other event arriving after the campaign window ended
 * shows the customer stayed, so it records "retained" (the same rule as a newer dataset version).
 *
 * Runs inside the events' transaction, so the outcome is written with the event or not at all.
 * Idempotent: only open actions (not yet retained or churned) change, so a repeated event, or a
 * later one, leaves a recorded outcome alone. Actions are matched by dataset and customer id, not
 * by customer row: a campaign assigned on an older version still hears about its customers.
 */
import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { campaigns, retentionActions, retentionAssignments } from "../../db/schema";
import { type Actor, recordAudit } from "../audit";

/**
 * Event types that mean the customer left (compared case-insensitively, "-", "." and ":" read as
 * "_"). Kept explicit: a type is the sender's free word, so only these few are interpreted.
 */
export const LEAVING_EVENT_TYPES = [
  "churn",
  "churned",
  "cancel",
  "cancelled",
  "canceled",
  "cancellation",
  "subscription_cancelled",
  "subscription_canceled",
  "contract_cancelled",
  "contract_canceled",
  "account_closed",
  "customer_left",
] as const;

const LEAVING = new Set<string>(LEAVING_EVENT_TYPES);

export function isLeavingEventType(type: string): boolean {
  return LEAVING.has(type.toLowerCase().replace(/[-.:]/g, "_"));
}

export interface OutcomeEvent {
  datasetId: number;
  /** The customer's id in the dataset (customers.external_id). */
  externalId: string;
  type: string;
  at: Date;
}

export interface EventOutcome {
  campaignId: number;
  externalId: string;
  outcome: "churned" | "retained";
}

/**
 * Records the outcomes a batch of events shows and audits them, one entry per campaign touched.
 * `db` is the events' transaction.
 */
export async function recordOutcomesFromEvents(
  db: Database,
  actor: Actor,
  events: readonly OutcomeEvent[],
  context: { source: string; apiKeyId?: number | null },
): Promise<EventOutcome[]> {
  if (events.length === 0) return [];
  const json = JSON.stringify(
    events.map((e) => ({
      d: e.datasetId,
      e: e.externalId,
      t: e.at.toISOString(),
      l: isLeavingEventType(e.type),
    })),
  );
  // Per customer: when it first left (if any event says so) and its latest event. A customer who
  // left is churned whatever else the batch says; otherwise an event past the window retains.
  const result = await db.execute<{
    campaign_id: number;
    external_id: string;
    outcome: string;
    name: string;
  }>(sql`
    with ev as (
      select r.d, r.e, r.t, r.l from json_to_recordset(${json}::json) as r(d integer, e text, t timestamptz, l boolean)
    ), per_customer as (
      select d, e, min(t) filter (where l) as left_at, max(t) as last_at from ev group by d, e
    )
    update ${retentionActions} as a
    set outcome = case when p.left_at is not null then 'churned' else 'retained' end,
        outcome_at = coalesce(p.left_at, p.last_at),
        outcome_source = 'event',
        outcome_by_id = null
    from per_customer p, ${campaigns} c, ${retentionAssignments} s
    where c.id = a.campaign_id
      and s.campaign_id = a.campaign_id
      and c.dataset_id = p.d
      and a.external_id = p.e
      and a.outcome not in ('retained', 'churned')
      and (p.left_at is not null or p.last_at >= s.created_at + make_interval(days => s.window_days))
    returning a.campaign_id, a.external_id, a.outcome, c.name`);
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as {
    campaign_id: number;
    external_id: string;
    outcome: string;
    name: string;
  }[];
  const byCampaign = new Map<number, { name: string; churned: string[]; retained: string[] }>();
  for (const row of rows) {
    const id = Number(row.campaign_id);
    let entry = byCampaign.get(id);
    if (!entry) {
      entry = { name: row.name, churned: [], retained: [] };
      byCampaign.set(id, entry);
    }
    (row.outcome === "churned" ? entry.churned : entry.retained).push(row.external_id);
  }
  for (const [campaignId, entry] of [...byCampaign].sort((a, b) => a[0] - b[0])) {
    await recordAudit(db, actor, {
      action: "campaign.outcomes_from_events",
      targetType: "campaign",
      targetId: campaignId,
      details: {
        name: entry.name,
        churned: entry.churned.length,
        retained: entry.retained.length,
        // The first few customers, for the log; the actions themselves hold every outcome.
        customers: [...entry.churned, ...entry.retained].slice(0, 20),
        source: context.source,
        ...(context.apiKeyId ? { apiKeyId: context.apiKeyId } : {}),
      },
    });
  }
  return rows.map((r) => ({
    campaignId: Number(r.campaign_id),
    externalId: r.external_id,
    outcome: r.outcome as EventOutcome["outcome"],
  }));
}
