/**
 * Active and lost customers, the rule every analytics number follows (issue 11): a customer whose
 * stored label says churned (customers.label = 1) is lost: it counts in observed churn and trains
 * the model, but it is not at risk. Everyone else (label 0, or no label) is active.
 * One predicate, so the lead can unify it with the customers service's after merging.
 */
import { type SQL, sql } from "drizzle-orm";
import { customers } from "../../db/schema";

/** True for an active customer; label null counts as active (a file of current customers). */
export function isActiveCustomer(): SQL {
  return sql`(${customers.label} is distinct from 1)`;
}

export function isLostCustomer(): SQL {
  return sql`(${customers.label} = 1)`;
}
