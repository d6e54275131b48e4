/**
 * The customers list as CSV: the same scope, status, filters and order as the page, every matching
 * customer, written in chunks so a 100k-customer export never holds more than one chunk. Its
 * columns follow the scored-file download (risk_score, risk_level, top_drivers,
 * recommended_action) and share its cell writer, so both files read alike in a spreadsheet.
 */
import { inArray } from "drizzle-orm";
import { type Playbook, recommendedAction } from "@/lib/retention";
import type { Database } from "../../db/client";
import { customers } from "../../db/schema";
import { csvLine, driversText } from "../batch-scoring/csv-out";
import { getPlaybook } from "../retention";
import type { RiskDriver } from "../scoring/drivers";
import { type ListCustomersInput, listCustomersInputSchema, selectRows, whereOf } from "./list";
import { resolveCustomerScope } from "./scope";

/** Rows per query: big enough that offsets stay few (50 for 100k), small enough for memory. */
const EXPORT_CHUNK = 2_000;

/** Column names are data: a lookup in a plain {} would find Object.prototype's "constructor". */
const NO_FEATURES: Readonly<Record<string, string | number | null>> = Object.freeze(Object.create(null));

export const CUSTOMER_CSV_HEADER = [
  "customer_id",
  "risk_score",
  "risk_level",
  "top_drivers",
  "recommended_action",
  "monthly_value",
  "revenue_at_risk",
] as const;

/**
 * The playbook's action for a customer's stored top drivers. The scored-file download matches the
 * playbook against every column's contribution; the customers table keeps the top three, which
 * are the ones an action addresses first. Lost customers get none: there is nobody left to retain.
 */
export function customerAction(
  drivers: readonly RiskDriver[],
  features: Readonly<Record<string, string | number | null>>,
  isLost: boolean,
  playbook: Playbook,
): string | null {
  if (isLost) return null;
  return recommendedAction(drivers, features, playbook)?.title ?? null;
}

/**
 * Validates the input (BAD_REQUEST for an unknown filter column) before returning, so a route
 * handler can answer 400 instead of starting a broken download.
 */
export async function exportCustomersCsv(
  db: Database,
  input: Omit<ListCustomersInput, "page" | "pageSize">,
): Promise<{ fileName: string; body: AsyncGenerator<string> }> {
  const query = listCustomersInputSchema.parse({ ...input, page: 1, pageSize: 25 });
  const scope = await resolveCustomerScope(db, query.datasetId);
  const where = await whereOf(db, scope, query);
  const direction = query.direction ?? (query.sort === "customerId" ? "asc" : "desc");
  const safeName = scope.dataset.name.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "") || "dataset";
  const suffix = query.status === "lost" ? "lost-customers" : "customers";
  async function* body(): AsyncGenerator<string> {
    yield csvLine(CUSTOMER_CSV_HEADER);
    if (!where) return;
    const playbook = await getPlaybook(db);
    for (let offset = 0; ; offset += EXPORT_CHUNK) {
      const rows = await selectRows(db, where, query.sort, direction, EXPORT_CHUNK, offset);
      // The playbook's conditions may read any column, so the chunk's stored rows come along.
      const stored =
        rows.length === 0
          ? []
          : await db
              .select({ id: customers.id, features: customers.features })
              .from(customers)
              .where(
                inArray(
                  customers.id,
                  rows.map((r) => r.id),
                ),
              );
      const featuresOf = new Map(stored.map((s) => [Number(s.id), s.features]));
      let text = "";
      for (const r of rows) {
        text += csvLine([
          r.externalId,
          Number(r.riskScore.toFixed(4)),
          r.riskLevel,
          driversText(r.drivers),
          customerAction(r.drivers, featuresOf.get(Number(r.id)) ?? NO_FEATURES, r.isLost, playbook),
          r.monthlyValue,
          r.isLost || r.monthlyValue === null ? null : Math.round(r.monthlyValue * r.riskScore * 100) / 100,
        ]);
      }
      if (text) yield text;
      if (rows.length < EXPORT_CHUNK) return;
    }
  }
  return { fileName: `${safeName}-${suffix}.csv`, body: body() };
}
