/**
 * The customers as scoring sees them: the upload row with the customer's current features (what
 * live events left, `customer_current_features`) laid over it, column by column. Training never
 * reads this: it learns from the data as uploaded (labels and features together); only scoring,
 * which answers "how at risk is this customer now", must follow the events. Without this a
 * retrain or a promotion rescored everyone from the upload rows and event-moved risk reverted.
 */
import { eq } from "drizzle-orm";
import { fieldOf, hasField } from "@/lib/column-record";
import type { Database } from "../../db/client";
import { customerCurrentFeatures, customers } from "../../db/schema";
import { type DatasetVersionRows, loadDatasetVersionRows } from "../datasets/queries";
import type { CustomerTable } from "./score-customers";

type FeatureValues = Record<string, string | number | null>;

/** Current features of a version's customers that events changed, by customers.id. */
export async function loadCurrentFeatures(
  db: Database,
  datasetVersionId: number,
): Promise<Map<number, FeatureValues>> {
  const rows = await db
    .select({ id: customerCurrentFeatures.customerId, features: customerCurrentFeatures.features })
    .from(customerCurrentFeatures)
    .innerJoin(customers, eq(customers.id, customerCurrentFeatures.customerId))
    .where(eq(customers.datasetVersionId, datasetVersionId));
  return new Map(rows.map((r) => [Number(r.id), r.features]));
}

/** The value as loadDatasetVersionRows prints it: "" when missing, numbers with String(). */
function cellOf(features: FeatureValues, column: string, fallback: string): string {
  if (!hasField(features, column)) return fallback;
  const value = fieldOf(features, column);
  return value === null || value === undefined ? "" : String(value);
}

/**
 * The table's rows with current features laid over the upload values (a column the current
 * features do not hold keeps its uploaded value). Rows of customers without events are shared,
 * not copied.
 */
export function overlayCurrentFeatures<T extends CustomerTable>(
  table: T,
  current: Map<number, FeatureValues>,
): T {
  if (current.size === 0) return table;
  const rows = table.rows.map((row, i) => {
    const features = current.get(table.customerIds[i]);
    return features ? table.columns.map((column, c) => cellOf(features, column, row[c])) : row;
  });
  return { ...table, rows };
}

/** A version's customers for scoring: the upload rows with current features over them. */
export async function loadScoringRows(db: Database, datasetVersionId: number): Promise<DatasetVersionRows> {
  const [table, current] = await Promise.all([
    loadDatasetVersionRows(db, datasetVersionId),
    loadCurrentFeatures(db, datasetVersionId),
  ]);
  return overlayCurrentFeatures(table, current);
}
