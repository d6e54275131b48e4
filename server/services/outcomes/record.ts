/**
 * Outcomes: by hand (the work queue), by CSV upload (all rows checked before any is written), and
 * from a later version of the dataset (a target that churned there is "churned"; one still active
 * there, once the campaign window has passed, is "retained").
 */
import { TRPCError } from "@trpc/server";
import { parse } from "csv-parse/sync";
import { and, asc, desc, eq, gt, lt, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Database } from "../../db/client";
import {
  campaigns,
  datasetVersions,
  OUTCOMES,
  type Outcome,
  retentionActions,
  retentionAssignments,
} from "../../db/schema";
import { type Actor, recordAudit } from "../audit";
import { importOutcomesSchema, recordOutcomeSchema, updateActionSchema } from "./schemas";

const DAY_MS = 86_400_000;
/** Outcomes a hold-out customer can have: nobody contacted them. */
const HOLDOUT_OUTCOMES: readonly Outcome[] = ["pending", "retained", "churned"];

function bad(message: string): never {
  throw new TRPCError({ code: "BAD_REQUEST", message });
}

async function actionById(db: Database, actionId: number) {
  const [row] = await db.select().from(retentionActions).where(eq(retentionActions.id, actionId));
  if (!row) throw new TRPCError({ code: "NOT_FOUND", message: `Action ${actionId} does not exist.` });
  return row;
}

export async function recordOutcome(db: Database, actor: Actor, input: z.input<typeof recordOutcomeSchema>) {
  const { actionId, outcome, at } = recordOutcomeSchema.parse(input);
  const row = await actionById(db, actionId);
  if (row.isHoldout && !HOLDOUT_OUTCOMES.includes(outcome))
    bad(
      `${row.externalId} is in the hold-out group: it was not contacted, so it can only be retained or churned.`,
    );
  const when = at ?? new Date();
  if (when.getTime() > Date.now() + DAY_MS) bad("The outcome date is in the future.");
  return db.transaction(async (tx) => {
    const t = tx as unknown as Database;
    const [updated] = await t
      .update(retentionActions)
      .set({
        outcome,
        outcomeAt: outcome === "pending" ? null : when,
        outcomeSource: outcome === "pending" ? null : "manual",
        outcomeById: actor.id,
      })
      .where(eq(retentionActions.id, actionId))
      .returning({
        id: retentionActions.id,
        outcome: retentionActions.outcome,
        outcomeAt: retentionActions.outcomeAt,
      });
    await recordAudit(t, actor, {
      action: "campaign.outcome_recorded",
      targetType: "campaign",
      targetId: row.campaignId,
      details: { customer: row.externalId, outcome, previous: row.outcome },
    });
    return updated;
  });
}

export async function updateAction(db: Database, actor: Actor, input: z.input<typeof updateActionSchema>) {
  const { actionId, action, ownerId, dueDate } = updateActionSchema.parse(input);
  const row = await actionById(db, actionId);
  if (row.isHoldout) bad(`${row.externalId} is in the hold-out group: it gets no action, owner or due date.`);
  if (ownerId) {
    const { actionOwners } = await import("./assign");
    const owners = await actionOwners(db);
    if (!owners.some((o) => o.id === ownerId))
      bad(`User ${ownerId} cannot own actions (managers and admins only).`);
  }
  return db.transaction(async (tx) => {
    const t = tx as unknown as Database;
    const [updated] = await t
      .update(retentionActions)
      .set({
        ...(action === undefined ? {} : { action }),
        ...(ownerId === undefined ? {} : { ownerId }),
        ...(dueDate === undefined ? {} : { dueDate }),
      })
      .where(eq(retentionActions.id, actionId))
      .returning();
    await recordAudit(t, actor, {
      action: "campaign.action_updated",
      targetType: "campaign",
      targetId: row.campaignId,
      details: {
        customer: row.externalId,
        action: updated.action,
        ownerId: updated.ownerId,
        dueDate: updated.dueDate ? updated.dueDate.toISOString().slice(0, 10) : null,
        previous: {
          action: row.action,
          ownerId: row.ownerId,
          dueDate: row.dueDate ? row.dueDate.toISOString().slice(0, 10) : null,
        },
      },
    });
    return { id: updated.id, action: updated.action, ownerId: updated.ownerId, dueDate: updated.dueDate };
  });
}

/** "Accepted offer", "accepted_offer", "ACCEPTED" → accepted. */
function outcomeOf(text: string): Outcome | null {
  const word = text
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, " ");
  if (word === "accepted offer" || word === "offer accepted") return "accepted";
  return (OUTCOMES as readonly string[]).includes(word) ? (word as Outcome) : null;
}

/** YYYY-MM-DD (midnight UTC) or a full ISO timestamp. */
function dateOf(text: string): Date | null {
  const trimmed = text.trim();
  if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(trimmed)) return null;
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? `${trimmed}T00:00:00Z` : trimmed);
  return Number.isNaN(date.getTime()) ? null : date;
}

const MAX_ERRORS = 20;
const HEADER = ["customer_id", "outcome", "date"] as const;

/**
 * Imports outcomes for one campaign. Every row is checked first — the customer is a target of
 * this campaign, the outcome is known and allowed for its group, the date is a real past date —
 * and any problem is reported by line and column with nothing written.
 */
export async function importOutcomesCsv(
  db: Database,
  actor: Actor,
  input: z.input<typeof importOutcomesSchema>,
) {
  const { campaignId, csv } = importOutcomesSchema.parse(input);
  const [campaign] = await db
    .select({ id: campaigns.id, name: campaigns.name })
    .from(campaigns)
    .where(eq(campaigns.id, campaignId));
  if (!campaign)
    throw new TRPCError({ code: "NOT_FOUND", message: `Campaign ${campaignId} does not exist.` });
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(csv.replace(/^\ufeff/, ""), {
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    bad(`The file is not valid CSV: ${(error as Error).message}`);
  }
  if (records.length === 0) bad("The file is empty.");
  const header = records[0].record.map((h) =>
    h
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, "_"),
  );
  const index = new Map<string, number>();
  for (const name of HEADER) {
    const at = header.indexOf(name);
    if (at < 0) bad(`Line 1: the header needs the columns ${HEADER.join(", ")}; "${name}" is missing.`);
    index.set(name, at);
  }
  const actions = await db
    .select({
      id: retentionActions.id,
      externalId: retentionActions.externalId,
      isHoldout: retentionActions.isHoldout,
    })
    .from(retentionActions)
    .where(eq(retentionActions.campaignId, campaignId));
  if (actions.length === 0)
    bad(`${campaign.name} has not been assigned yet: assign it before importing outcomes.`);
  const byExternal = new Map(actions.map((a) => [a.externalId, a]));
  const errors: string[] = [];
  const seen = new Map<string, number>();
  const updates: { id: number; outcome: Outcome; at: string }[] = [];
  const now = Date.now();
  for (const { record, info } of records.slice(1)) {
    if (errors.length >= MAX_ERRORS) break;
    const line = info.lines;
    const cell = (name: (typeof HEADER)[number]) => record[index.get(name) as number] ?? "";
    const customerId = cell("customer_id").trim();
    const action = byExternal.get(customerId);
    if (!customerId) {
      errors.push(`Line ${line}, column customer_id: empty (expected a customer id of this campaign).`);
      continue;
    }
    if (!action) {
      errors.push(
        `Line ${line}, column customer_id: "${customerId.slice(0, 80)}" is not a customer of this campaign.`,
      );
      continue;
    }
    const earlier = seen.get(customerId);
    if (earlier !== undefined) {
      errors.push(
        `Line ${line}, column customer_id: "${customerId.slice(0, 80)}" is already on line ${earlier}.`,
      );
      continue;
    }
    seen.set(customerId, line);
    const outcome = outcomeOf(cell("outcome"));
    if (!outcome) {
      errors.push(
        `Line ${line}, column outcome: "${cell("outcome").slice(0, 40)}" (expected one of ${OUTCOMES.join(", ")}).`,
      );
      continue;
    }
    if (action.isHoldout && !HOLDOUT_OUTCOMES.includes(outcome)) {
      errors.push(
        `Line ${line}, column outcome: ${customerId.slice(0, 80)} is in the hold-out group, so "${outcome}" is impossible (expected pending, retained or churned).`,
      );
      continue;
    }
    const dateText = cell("date");
    const at = dateText.trim() === "" ? new Date(now) : dateOf(dateText);
    if (!at) {
      errors.push(`Line ${line}, column date: "${dateText.slice(0, 40)}" (expected a date like 2026-03-31).`);
      continue;
    }
    if (at.getTime() > now + DAY_MS) {
      errors.push(`Line ${line}, column date: ${dateText.trim()} is in the future.`);
      continue;
    }
    updates.push({ id: action.id, outcome, at: at.toISOString() });
  }
  if (errors.length) {
    const more = errors.length >= MAX_ERRORS ? " (first 20 problems shown)" : "";
    bad(`Nothing was imported${more}. ${errors.join(" ")}`);
  }
  if (updates.length === 0) bad("The file has a header but no outcome rows.");
  await db.transaction(async (tx) => {
    const t = tx as unknown as Database;
    for (let start = 0; start < updates.length; start += 2_000) {
      const chunk = updates.slice(start, start + 2_000);
      await t.execute(sql`
        update ${retentionActions} as a
        set outcome = r.o,
            outcome_at = case when r.o = 'pending' then null else r.t end,
            outcome_source = case when r.o = 'pending' then null else 'csv' end,
            outcome_by_id = ${actor.id}
        from json_to_recordset(${JSON.stringify(chunk.map((u) => ({ i: u.id, o: u.outcome, t: u.at })))}::json)
          as r(i bigint, o text, t timestamptz)
        where a.id = r.i and a.campaign_id = ${campaignId}`);
    }
    await recordAudit(t, actor, {
      action: "campaign.outcomes_imported",
      targetType: "campaign",
      targetId: campaignId,
      details: { name: campaign.name, rows: updates.length },
    });
  });
  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, updates.filter((u) => u.outcome === o).length]));
  return { imported: updates.length, counts };
}

/**
 * Reads the newest later version of the campaign's dataset: open targets found there churned
 * become "churned"; those found active, when that version was uploaded after the campaign window
 * ended, become "retained". Targets missing from the new file stay as they are (no evidence).
 */
export async function resolveFromNewerData(db: Database, actor: Actor, campaignId: number) {
  const [row] = await db
    .select({
      name: campaigns.name,
      datasetId: campaigns.datasetId,
      versionId: campaigns.datasetVersionId,
      assignedAt: retentionAssignments.createdAt,
      windowDays: retentionAssignments.windowDays,
    })
    .from(campaigns)
    .innerJoin(retentionAssignments, eq(retentionAssignments.campaignId, campaigns.id))
    .where(eq(campaigns.id, campaignId));
  if (!row)
    throw new TRPCError({ code: "NOT_FOUND", message: `Campaign ${campaignId} has not been assigned.` });
  const [newer] = await db
    .select({
      id: datasetVersions.id,
      version: datasetVersions.version,
      createdAt: datasetVersions.createdAt,
    })
    .from(datasetVersions)
    .where(
      and(
        eq(datasetVersions.datasetId, row.datasetId),
        gt(datasetVersions.id, row.versionId),
        gt(datasetVersions.createdAt, row.assignedAt),
      ),
    )
    .orderBy(desc(datasetVersions.createdAt))
    .limit(1);
  if (!newer) return { version: null, churned: 0, retained: 0 };
  return db.transaction(async (tx) =>
    applyVersionOutcomes(tx as unknown as Database, actor, { id: campaignId, ...row }, newer),
  );
}

interface AssignedCampaign {
  id: number;
  name: string;
  assignedAt: Date;
  windowDays: number;
}

/**
 * Open targets of one campaign found churned in `newer` become "churned"; those found active
 * become "retained" once the campaign window has passed by that version's upload. Audited when
 * anything changed. `db` is a transaction.
 */
async function applyVersionOutcomes(
  db: Database,
  actor: Actor,
  campaign: AssignedCampaign,
  newer: { id: number; version: number; createdAt: Date },
  details: Record<string, unknown> = {},
) {
  const windowPassed =
    newer.createdAt.getTime() >= campaign.assignedAt.getTime() + campaign.windowDays * DAY_MS;
  // A customer id may repeat within a file; any churned row of it counts as churned.
  const result = await db.execute<{ outcome: string }>(sql`
    with seen as (
      select external_id, bool_or(label = 1) as churned
      from customers where dataset_version_id = ${newer.id} group by external_id
    )
    update ${retentionActions} as a
    set outcome = case when s.churned then 'churned' else 'retained' end,
        outcome_at = ${newer.createdAt.toISOString()}::timestamptz,
        outcome_source = 'dataset',
        outcome_by_id = null
    from seen s
    where a.campaign_id = ${campaign.id}
      and a.external_id = s.external_id
      and a.outcome not in ('retained', 'churned')
      and (s.churned or ${windowPassed})
    returning a.outcome`);
  const rows = (Array.isArray(result) ? result : (result as { rows: { outcome: string }[] }).rows) as {
    outcome: string;
  }[];
  const churned = rows.filter((r) => r.outcome === "churned").length;
  const retained = rows.length - churned;
  if (rows.length)
    await recordAudit(db, actor, {
      action: "campaign.outcomes_from_data",
      targetType: "campaign",
      targetId: campaign.id,
      details: { name: campaign.name, version: newer.version, churned, retained, ...details },
    });
  return { version: newer.version, churned, retained, windowPassed };
}

/**
 * Called by the dataset import, inside its transaction, once the new version's customers are
 * written: every campaign of the dataset assigned before this upload reads its outcomes from it
 * (what the "Read outcomes from newer data" button does), so nobody has to remember the button.
 * Idempotent like the button: recorded outcomes are left alone.
 */
export async function resolveOutcomesAfterImport(
  db: Database,
  actor: Actor,
  imported: { datasetId: number; datasetVersionId: number },
): Promise<{ campaignId: number; churned: number; retained: number }[]> {
  const [newer] = await db
    .select({
      id: datasetVersions.id,
      version: datasetVersions.version,
      createdAt: datasetVersions.createdAt,
    })
    .from(datasetVersions)
    .where(eq(datasetVersions.id, imported.datasetVersionId));
  if (!newer) return [];
  const assigned = await db
    .select({
      id: campaigns.id,
      name: campaigns.name,
      assignedAt: retentionAssignments.createdAt,
      windowDays: retentionAssignments.windowDays,
    })
    .from(campaigns)
    .innerJoin(retentionAssignments, eq(retentionAssignments.campaignId, campaigns.id))
    .where(
      and(
        eq(campaigns.datasetId, imported.datasetId),
        lt(campaigns.datasetVersionId, newer.id),
        lt(retentionAssignments.createdAt, newer.createdAt),
      ),
    )
    .orderBy(asc(campaigns.id));
  const results: { campaignId: number; churned: number; retained: number }[] = [];
  for (const campaign of assigned) {
    const applied = await applyVersionOutcomes(db, actor, campaign, newer, { automatic: true });
    if (applied.churned || applied.retained)
      results.push({ campaignId: campaign.id, churned: applied.churned, retained: applied.retained });
  }
  return results;
}
