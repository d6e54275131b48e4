/**
 * Active and lost customers. A customer whose label says churned is *lost*: it trained the model
 * and counts in the observed churn rate, but a retention team cannot save it, so it is never "at
 * risk". Lists, risk levels, revenue at risk, dashboards and exports are about *active* customers:
 * label not churned, or no label at all (a file of current customers has no churn column).
 */
import { type SQL, sql } from "drizzle-orm";
import { customers } from "../../db/schema";

export const CUSTOMER_STATUSES = ["active", "lost"] as const;
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];

/** customers.label of a churned customer (1 = churned, 0 = stayed, null = unknown). */
export const CHURNED_LABEL = 1;

/** The WHERE condition of customers in `status` (an unknown label is active). */
export function customerStatusCondition(status: CustomerStatus): SQL {
  return status === "lost" ? sql`(${customers.label} = 1)` : sql`(${customers.label} is distinct from 1)`;
}

export function statusOfLabel(label: number | null): CustomerStatus {
  return label === CHURNED_LABEL ? "lost" : "active";
}
