/**
 * Customers' current feature values in SQL: what live events left (`customer_current_features`)
 * where an event changed the customer, the upload row otherwise. Lists, filters, segments and
 * campaign groupings use these, so a customer whose contract an event changed shows up under the
 * new contract; training, drift and survival curves keep the upload (the history as recorded).
 *
 * The events service writes a customer's whole feature object (the upload row with the changes
 * applied), so the current row replaces the upload row as a whole. Column names and values are
 * bound parameters only (inside one JSON object), never SQL text.
 */
import { type SQL, sql } from "drizzle-orm";
import { customerCurrentFeatures, customers } from "../../db/schema";

/** The customer's current features; needs `joinCurrentFeatures` in the query's FROM. */
export const currentFeatures: SQL = sql`coalesce(${customerCurrentFeatures.features}, ${customers.features})`;

/** `left join customer_current_features …` on the customers row (one hash join per query). */
export const joinCurrentFeatures: SQL = sql`left join ${customerCurrentFeatures} on ${customerCurrentFeatures.customerId} = ${customers.id}`;

/**
 * Whether the customer's current features contain `{column: value}` (one bound JSON), without a
 * join, so it drops into any query over `customers`: a customer an event touched is judged by its
 * current row, any other by its upload row. Both subqueries are uncorrelated, so PostgreSQL runs
 * each once as a hashed set; customers no event touched cost one hash probe.
 */
export function currentFeaturesContain(column: string, value: string): SQL {
  // fromEntries defines an own property, so a column named "__proto__" stays data.
  const json = JSON.stringify(Object.fromEntries([[column, value]]));
  return sql`((${customers.features} @> ${json}::jsonb and ${customers.id} not in (select ${customerCurrentFeatures.customerId} from ${customerCurrentFeatures}))
    or ${customers.id} in (select ${customerCurrentFeatures.customerId} from ${customerCurrentFeatures} where ${customerCurrentFeatures.features} @> ${json}::jsonb))`;
}
