/**
 * The customers list as CSV: the same scope, filters and order as the page, every matching
 * customer, written in chunks so a 100k-customer export never holds more than one chunk.
 */
import type { Database } from "../../db/client";
import { csvCell, driversText } from "../batch-scoring";
import { type ListCustomersInput, listCustomersInputSchema, selectRows, whereOf } from "./list";
import { resolveCustomerScope } from "./scope";

/** Rows per query: big enough that offsets stay few (50 for 100k), small enough for memory. */
const EXPORT_CHUNK = 2_000;

export const CUSTOMER_CSV_HEADER = [
  "customer_id",
  "risk_score",
  "risk_level",
  "top_drivers",
  "monthly_value",
  "revenue_at_risk",
] as const;

function line(cells: readonly (string | number | null)[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
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
  async function* body(): AsyncGenerator<string> {
    yield line(CUSTOMER_CSV_HEADER);
    if (!where) return;
    for (let offset = 0; ; offset += EXPORT_CHUNK) {
      const rows = await selectRows(db, where, query.sort, direction, EXPORT_CHUNK, offset);
      let text = "";
      for (const r of rows) {
        text += line([
          r.externalId,
          Math.round(r.riskScore * 1e6) / 1e6,
          r.riskLevel,
          driversText(r.drivers),
          r.monthlyValue,
          r.monthlyValue === null ? null : Math.round(r.monthlyValue * r.riskScore * 100) / 100,
        ]);
      }
      if (text) yield text;
      if (rows.length < EXPORT_CHUNK) return;
    }
  }
  return { fileName: `${safeName}-customers.csv`, body: body() };
}
