/**
 * A customer's event timeline for the customer page: newest first, each with what changed (and
 * from what) and the champion's risk before and after it.
 */
import { count, desc, eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { customerEvents, models } from "../../db/schema";
import type { RiskLevel } from "../scoring/risk";

export interface TimelineEvent {
  id: number;
  type: string;
  occurredAt: Date;
  receivedAt: Date;
  source: string;
  changes: { column: string; from: string | number | null; to: string | number | null }[];
  riskBefore: number | null;
  riskAfter: number | null;
  levelBefore: RiskLevel | null;
  levelAfter: RiskLevel | null;
  /** The model that scored it (null when that model was deleted since). */
  modelVersion: number | null;
}

export interface CustomerTimeline {
  events: TimelineEvent[];
  /** Events of this customer in all (the list shows the latest `limit`). */
  total: number;
}

export async function getCustomerTimeline(
  db: Database,
  customerId: number,
  options: { limit?: number } = {},
): Promise<CustomerTimeline> {
  const limit = options.limit ?? 50;
  const [rows, [{ total }]] = await Promise.all([
    db
      .select({
        id: customerEvents.id,
        type: customerEvents.type,
        occurredAt: customerEvents.occurredAt,
        receivedAt: customerEvents.receivedAt,
        source: customerEvents.source,
        changes: customerEvents.changes,
        previous: customerEvents.previous,
        riskBefore: customerEvents.riskBefore,
        riskAfter: customerEvents.riskAfter,
        levelBefore: customerEvents.levelBefore,
        levelAfter: customerEvents.levelAfter,
        modelVersion: models.version,
      })
      .from(customerEvents)
      .leftJoin(models, eq(models.id, customerEvents.modelId))
      .where(eq(customerEvents.customerId, customerId))
      .orderBy(desc(customerEvents.id))
      .limit(limit),
    db.select({ total: count() }).from(customerEvents).where(eq(customerEvents.customerId, customerId)),
  ]);
  return {
    total: Number(total),
    events: rows.map((r) => ({
      id: Number(r.id),
      type: r.type,
      occurredAt: r.occurredAt,
      receivedAt: r.receivedAt,
      source: r.source,
      changes: Object.keys(r.changes).map((column) => ({
        column,
        from: Object.hasOwn(r.previous, column) ? r.previous[column] : null,
        to: r.changes[column],
      })),
      riskBefore: r.riskBefore,
      riskAfter: r.riskAfter,
      levelBefore: r.levelBefore as RiskLevel | null,
      levelAfter: r.levelAfter as RiskLevel | null,
      modelVersion: r.modelVersion,
    })),
  };
}
