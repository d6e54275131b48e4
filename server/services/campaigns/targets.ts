/**
 * Why each target is on the list and what to offer them, from what scoring stored: the top
 * drivers that raise the risk in plain words, and the retention playbook's recommended action.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { describeDriver, type Playbook, recommendedAction } from "@/lib/retention";
import type { Database } from "../../db/client";
import { customerCurrentFeatures, customers, scores } from "../../db/schema";
import { currentFeatures } from "../customers/current-features";
import type { RiskDriver } from "../scoring/drivers";

export interface TargetDetail {
  customerId: number;
  externalId: string;
  riskLevel: string;
  drivers: RiskDriver[];
  reason: string;
  action: string | null;
}

const CHUNK = 1_000;

/** "Contract = Month-to-month raises risk by 18 points; tenure = 2 raises risk by 9 points". */
export function reasonOf(drivers: readonly RiskDriver[]): string {
  const raising = drivers.filter((d) => d.contribution > 0).slice(0, 2);
  if (raising.length === 0) return "No single factor stands out";
  return raising.map((d) => describeDriver(d.column, d.value, d.contribution)).join("; ");
}

/** Details of the given customers as scored by the model, in the order asked. */
export async function targetDetails(
  db: Database,
  modelId: number,
  customerIds: readonly number[],
  playbook: Playbook,
): Promise<TargetDetail[]> {
  const byId = new Map<number, TargetDetail>();
  for (let start = 0; start < customerIds.length; start += CHUNK) {
    const ids = customerIds.slice(start, start + CHUNK);
    const rows = await db
      .select({
        id: customers.id,
        externalId: customers.externalId,
        // The action fits the customer as events left it (a new contract changes the playbook's pick).
        features: sql<Record<string, string | number | null>>`${currentFeatures}`,
        riskLevel: scores.riskLevel,
        drivers: scores.drivers,
      })
      .from(scores)
      .innerJoin(customers, eq(customers.id, scores.customerId))
      .leftJoin(customerCurrentFeatures, eq(customerCurrentFeatures.customerId, customers.id))
      .where(and(eq(scores.modelId, modelId), inArray(scores.customerId, ids)));
    for (const r of rows) {
      const id = Number(r.id);
      byId.set(id, {
        customerId: id,
        externalId: r.externalId,
        riskLevel: r.riskLevel,
        drivers: r.drivers,
        reason: reasonOf(r.drivers),
        action: recommendedAction(r.drivers, r.features, playbook)?.title ?? null,
      });
    }
  }
  return customerIds.flatMap((id) => byId.get(id) ?? []);
}
