/**
 * The customers list: every customer of a dataset version scored by the champion, with risk,
 * drivers and revenue at risk; paginated, sorted and filtered in the database.
 *
 * Column names from the file are data: a filter's column is checked against the version's schema
 * and then bound as a parameter (`features ->> $1`), never written into the SQL text.
 * Indexes used: scores_model_risk_idx / scores_model_level_risk_idx for the risk order and level
 * filter, customers_version_external_idx for the customer-id order, the primary keys for the join.
 */
import { TRPCError } from "@trpc/server";
import { and, asc, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "../../db/client";
import { customers, scores } from "../../db/schema";
import type { RiskDriver } from "../scoring/drivers";
import { RISK_LEVELS, type RiskLevel } from "../scoring/risk";
import { type CustomerScope, filterableColumns, resolveCustomerScope } from "./scope";

export const CUSTOMER_SORTS = ["risk", "monthlyValue", "revenueAtRisk", "customerId"] as const;
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];
export const PAGE_SIZES = [25, 50, 100] as const;
export const SEARCH_MODES = ["contains", "prefix"] as const;
export const MAX_FILTERS = 20;

export const customerFilterSchema = z.object({
  column: z.string().min(1).max(200),
  value: z.string().max(500),
});
export type CustomerFilter = z.infer<typeof customerFilterSchema>;

export const listCustomersInputSchema = z.object({
  datasetId: z.number().int().positive(),
  page: z.number().int().min(1).max(1_000_000).default(1),
  pageSize: z
    .number()
    .int()
    .refine((n) => (PAGE_SIZES as readonly number[]).includes(n), "Page size must be 25, 50 or 100")
    .default(25),
  sort: z.enum(CUSTOMER_SORTS).default("risk"),
  /** Default: descending, except ascending for the customer id. */
  direction: z.enum(["asc", "desc"]).optional(),
  levels: z.array(z.enum(RISK_LEVELS)).max(RISK_LEVELS.length).default([]),
  /** Same column twice = either value; different columns = all must match. */
  filters: z.array(customerFilterSchema).max(MAX_FILTERS).default([]),
  search: z.string().trim().max(100).default(""),
  searchMode: z.enum(SEARCH_MODES).default("contains"),
});
export type ListCustomersInput = z.input<typeof listCustomersInputSchema>;
type ParsedListInput = z.output<typeof listCustomersInputSchema>;

export interface CustomerRow {
  /** customers.id: the detail page's id. */
  id: number;
  externalId: string;
  riskScore: number;
  riskLevel: RiskLevel;
  drivers: RiskDriver[];
  monthlyValue: number | null;
  /** monthlyValue × riskScore; null without a monthly value. */
  revenueAtRisk: number | null;
}

export interface CustomerSummary {
  customers: number;
  highRisk: number;
  /** Sum of monthly value × risk score over the filtered customers; null when no value is known. */
  revenueAtRisk: number | null;
  monthlyValue: number | null;
}

export interface CustomerList extends CustomerScope {
  page: number;
  pageSize: number;
  pageCount: number;
  sort: CustomerSort;
  direction: "asc" | "desc";
  summary: CustomerSummary;
  rows: CustomerRow[];
}

const revenueAtRisk = sql`(${customers.monthlyValue} * ${scores.riskScore})`;

/** LIKE pattern for a literal search text (\ % _ escaped; backslash is Postgres' default escape). */
export function likePattern(search: string, mode: (typeof SEARCH_MODES)[number]): string {
  const literal = search.replace(/[\\%_]/g, (c) => `\\${c}`);
  return mode === "prefix" ? `${literal}%` : `%${literal}%`;
}

/** The filter's columns must be categorical/boolean feature columns of the version; BAD_REQUEST otherwise. */
async function filterConditions(db: Database, datasetVersionId: number, filters: CustomerFilter[]) {
  if (filters.length === 0) return [];
  const allowed = new Set((await filterableColumns(db, datasetVersionId)).map((c) => c.name));
  const byColumn = new Map<string, Set<string>>();
  for (const f of filters) {
    if (!allowed.has(f.column)) {
      throw new TRPCError({
        code: "BAD_REQUEST",
        message: `"${f.column.slice(0, 60)}" is not a categorical column of this dataset, so customers cannot be filtered by it.`,
      });
    }
    const values = byColumn.get(f.column) ?? new Set<string>();
    values.add(f.value);
    byColumn.set(f.column, values);
  }
  return [...byColumn].map(
    ([column, values]) =>
      sql`(${customers.features} ->> ${column}::text) in (${sql.join(
        [...values].map((v) => sql`${v}::text`),
        sql`, `,
      )})`,
  );
}

function orderOf(sort: CustomerSort, direction: "asc" | "desc"): SQL[] {
  const dir = direction === "asc" ? asc : desc;
  switch (sort) {
    case "risk":
      // Not null: the plain order lets the (model_id, risk_score) index deliver the rows in order.
      return [dir(scores.riskScore), dir(customers.id)];
    case "customerId":
      return [dir(customers.externalId), dir(customers.id)];
    case "monthlyValue":
      return [sql`${customers.monthlyValue} ${sql.raw(direction)} nulls last`, dir(customers.id)];
    case "revenueAtRisk":
      return [sql`${revenueAtRisk} ${sql.raw(direction)} nulls last`, dir(customers.id)];
  }
}

export async function listCustomers(db: Database, input: ListCustomersInput): Promise<CustomerList> {
  const query: ParsedListInput = listCustomersInputSchema.parse(input);
  const scope = await resolveCustomerScope(db, query.datasetId);
  const direction = query.direction ?? (query.sort === "customerId" ? "asc" : "desc");
  const empty: CustomerList = {
    ...scope,
    page: 1,
    pageSize: query.pageSize,
    pageCount: 0,
    sort: query.sort,
    direction,
    summary: { customers: 0, highRisk: 0, revenueAtRisk: null, monthlyValue: null },
    rows: [],
  };
  if (!scope.champion || !scope.version || !scope.isScored) {
    // Still validate the filters, so a bad column is refused the same way with or without scores.
    if (scope.version) await filterConditions(db, scope.version.id, query.filters);
    return empty;
  }
  const conditions: SQL[] = [
    eq(scores.modelId, scope.champion.id),
    eq(customers.datasetVersionId, scope.version.id),
    ...(await filterConditions(db, scope.version.id, query.filters)),
  ];
  if (query.levels.length > 0 && query.levels.length < RISK_LEVELS.length)
    conditions.push(inArray(scores.riskLevel, query.levels));
  if (query.search !== "")
    conditions.push(sql`${customers.externalId} ilike ${likePattern(query.search, query.searchMode)}`);
  const where = and(...conditions);

  const [totals] = await db
    .select({
      customers: sql<number>`count(*)::int`,
      highRisk: sql<number>`(count(*) filter (where ${scores.riskLevel} = 'high'))::int`,
      revenueAtRisk: sql<number | null>`sum(${revenueAtRisk})::float8`,
      monthlyValue: sql<number | null>`sum(${customers.monthlyValue})::float8`,
    })
    .from(scores)
    .innerJoin(customers, eq(customers.id, scores.customerId))
    .where(where);
  const total = Number(totals.customers);
  const pageCount = Math.ceil(total / query.pageSize);
  const page = Math.min(query.page, Math.max(1, pageCount));
  const rows =
    total === 0
      ? []
      : await db
          .select({
            id: customers.id,
            externalId: customers.externalId,
            riskScore: scores.riskScore,
            riskLevel: scores.riskLevel,
            drivers: scores.drivers,
            monthlyValue: customers.monthlyValue,
          })
          .from(scores)
          .innerJoin(customers, eq(customers.id, scores.customerId))
          .where(where)
          .orderBy(...orderOf(query.sort, direction))
          .limit(query.pageSize)
          .offset((page - 1) * query.pageSize);
  return {
    ...empty,
    page,
    pageCount,
    summary: {
      customers: total,
      highRisk: Number(totals.highRisk),
      revenueAtRisk: totals.revenueAtRisk === null ? null : Number(totals.revenueAtRisk),
      monthlyValue: totals.monthlyValue === null ? null : Number(totals.monthlyValue),
    },
    rows: rows.map((r) => ({
      id: Number(r.id),
      externalId: r.externalId,
      riskScore: r.riskScore,
      riskLevel: r.riskLevel as RiskLevel,
      drivers: r.drivers,
      monthlyValue: r.monthlyValue,
      revenueAtRisk: r.monthlyValue === null ? null : r.monthlyValue * r.riskScore,
    })),
  };
}

export async function customerFilterOptions(db: Database, datasetId: number) {
  const scope = await resolveCustomerScope(db, datasetId);
  const columns = scope.version ? await filterableColumns(db, scope.version.id) : [];
  return { ...scope, columns };
}
