/** The actions of one campaign (for its page) and the work queue of one owner ("My actions"). */
import { and, asc, count, desc, eq, inArray, not, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Database } from "../../db/client";
import { campaigns, retentionActions, users } from "../../db/schema";
import { listActionsSchema, myActionsSchema } from "./schemas";

const columns = {
  id: retentionActions.id,
  campaignId: retentionActions.campaignId,
  customerId: retentionActions.customerId,
  externalId: retentionActions.externalId,
  isHoldout: retentionActions.isHoldout,
  action: retentionActions.action,
  ownerId: retentionActions.ownerId,
  ownerName: users.name,
  dueDate: retentionActions.dueDate,
  riskScore: retentionActions.riskScore,
  riskDecile: retentionActions.riskDecile,
  customerValue: retentionActions.customerValue,
  outcome: retentionActions.outcome,
  outcomeAt: retentionActions.outcomeAt,
  outcomeSource: retentionActions.outcomeSource,
};

const open = not(inArray(retentionActions.outcome, ["retained", "churned"]));

export async function listActions(db: Database, input: z.input<typeof listActionsSchema>) {
  const { campaignId, filter, page, pageSize } = listActionsSchema.parse(input);
  const where = and(
    eq(retentionActions.campaignId, campaignId),
    filter === "all"
      ? undefined
      : filter === "open"
        ? and(open, eq(retentionActions.isHoldout, false))
        : filter === "holdout"
          ? eq(retentionActions.isHoldout, true)
          : eq(retentionActions.outcome, filter),
  );
  const [total] = await db.select({ n: count() }).from(retentionActions).where(where);
  const rows = await db
    .select(columns)
    .from(retentionActions)
    .leftJoin(users, eq(users.id, retentionActions.ownerId))
    .where(where)
    .orderBy(desc(retentionActions.riskScore), asc(retentionActions.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  return { rows, total: total.n, page, pageSize, pageCount: Math.ceil(total.n / pageSize) };
}

/** Open actions first by due date, then the riskiest: what to do next is at the top. */
export async function myActions(db: Database, userId: number, input: z.input<typeof myActionsSchema>) {
  const { status, page, pageSize } = myActionsSchema.parse(input);
  const where = and(
    eq(retentionActions.ownerId, userId),
    eq(retentionActions.isHoldout, false),
    status === "open" ? open : undefined,
  );
  const [total] = await db.select({ n: count() }).from(retentionActions).where(where);
  const rows = await db
    .select({ ...columns, campaignName: campaigns.name })
    .from(retentionActions)
    .innerJoin(campaigns, eq(campaigns.id, retentionActions.campaignId))
    .leftJoin(users, eq(users.id, retentionActions.ownerId))
    .where(where)
    .orderBy(
      sql`${retentionActions.dueDate} asc nulls last`,
      desc(retentionActions.riskScore),
      asc(retentionActions.id),
    )
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  return { rows, total: total.n, page, pageSize, pageCount: Math.ceil(total.n / pageSize) };
}
