import { and, desc, eq, gte, lt, type SQL, sql } from "drizzle-orm";
import { describeAuditEntry } from "@/lib/audit/sentences";
import type { Database } from "../db/client";
import { auditLog } from "../db/schema";
import { csvLine } from "./batch-scoring/csv-out";

export interface Actor {
  id: number | null;
  label: string;
  ip?: string | null;
}

export const SYSTEM_ACTOR: Actor = { id: null, label: "system" };

export interface AuditEntryInput {
  action: string;
  targetType?: string;
  targetId?: string | number;
  details?: Record<string, unknown>;
}

/** Writes one audit entry; pass the transaction of the change it records. */
export async function recordAudit(db: Database, actor: Actor, entry: AuditEntryInput): Promise<void> {
  await db.insert(auditLog).values({
    actorId: actor.id,
    actorLabel: actor.label,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId === undefined ? null : String(entry.targetId),
    details: entry.details ?? {},
    ip: actor.ip ?? null,
  });
}

/**
 * Filters of the audit page and its CSV export. Dates are instants: the page turns the reader's
 * local days into UTC instants (lib/format/day-range.ts), so the server never guesses a zone.
 */
export interface AuditFilter {
  action?: string;
  /** The actor as recorded (`actor_label`: an e-mail, "system", "api-key:3"). */
  actor?: string;
  targetType?: string;
  targetId?: string;
  /** Inclusive start. */
  from?: Date;
  /** Exclusive end. */
  to?: Date;
}

export interface AuditQuery extends AuditFilter {
  limit: number;
  /** Entries older than this id (keyset pagination, stable while new entries arrive). */
  beforeId?: number;
}

function conditionsOf(filter: AuditFilter): SQL | undefined {
  const conditions: SQL[] = [];
  if (filter.action) conditions.push(eq(auditLog.action, filter.action));
  if (filter.actor) conditions.push(eq(auditLog.actorLabel, filter.actor));
  if (filter.targetType) conditions.push(eq(auditLog.targetType, filter.targetType));
  if (filter.targetId) conditions.push(eq(auditLog.targetId, filter.targetId));
  if (filter.from) conditions.push(gte(auditLog.at, filter.from));
  if (filter.to) conditions.push(lt(auditLog.at, filter.to));
  return conditions.length ? and(...conditions) : undefined;
}

export type AuditRow = typeof auditLog.$inferSelect;
export type DescribedAuditRow = AuditRow & { description: string };

const withDescription = (row: AuditRow): DescribedAuditRow => ({
  ...row,
  description: describeAuditEntry(row),
});

export async function listAudit(db: Database, query: AuditQuery) {
  const filter = conditionsOf(query);
  const where = query.beforeId !== undefined ? and(filter, lt(auditLog.id, query.beforeId)) : filter;
  const rows = await db
    .select()
    .from(auditLog)
    .where(where)
    .orderBy(desc(auditLog.id))
    .limit(query.limit + 1);
  const hasMore = rows.length > query.limit;
  const entries = (hasMore ? rows.slice(0, query.limit) : rows).map(withDescription);
  return { entries, nextBeforeId: hasMore ? entries[entries.length - 1].id : null };
}

export async function listAuditActions(db: Database): Promise<string[]> {
  const rows = await db.selectDistinct({ action: auditLog.action }).from(auditLog).orderBy(auditLog.action);
  return rows.map((r) => r.action);
}

/** What the filters can choose from: actions, actors and target types that occur in the log. */
export async function listAuditFacets(db: Database) {
  const [actions, actors, targetTypes] = await Promise.all([
    listAuditActions(db),
    db
      .select({ actor: auditLog.actorLabel, entries: sql<number>`count(*)::int` })
      .from(auditLog)
      .groupBy(auditLog.actorLabel)
      .orderBy(auditLog.actorLabel)
      .limit(500),
    db
      .selectDistinct({ targetType: auditLog.targetType })
      .from(auditLog)
      .where(sql`${auditLog.targetType} is not null`)
      .orderBy(auditLog.targetType),
  ]);
  return {
    actions,
    actors: actors.map((a) => a.actor),
    targetTypes: targetTypes.map((t) => t.targetType as string),
  };
}

/** Most rows one export holds; a narrower date range gets the rest. */
export const AUDIT_EXPORT_MAX_ROWS = 100_000;
const EXPORT_PAGE = 2_000;

/**
 * The filtered log as CSV, newest first, every cell through csvCell (an e-mail or a dataset name
 * such as "=HYPERLINK(…)" reaches a spreadsheet as text). The export itself is audited first, with
 * its filters, so even a download that is cut off is on record.
 */
export async function exportAuditCsv(
  db: Database,
  actor: Actor,
  filter: AuditFilter,
): Promise<{ fileName: string; csv: string; entries: number }> {
  const where = conditionsOf(filter);
  const [{ total }] = await db.select({ total: sql<number>`count(*)::int` }).from(auditLog).where(where);
  const entries = Math.min(total, AUDIT_EXPORT_MAX_ROWS);
  await recordAudit(db, actor, {
    action: "audit.exported",
    targetType: "audit_log",
    details: {
      entries,
      filter: {
        action: filter.action ?? null,
        actor: filter.actor ?? null,
        targetType: filter.targetType ?? null,
        from: filter.from?.toISOString() ?? null,
        to: filter.to?.toISOString() ?? null,
      },
    },
  });
  let csv = `\ufeff${csvLine(["at_utc", "actor", "action", "description", "target_type", "target_id", "ip", "details"])}`;
  let beforeId: number | undefined;
  let written = 0;
  while (written < entries) {
    const page = await db
      .select()
      .from(auditLog)
      .where(beforeId === undefined ? where : and(where, lt(auditLog.id, beforeId)))
      .orderBy(desc(auditLog.id))
      .limit(Math.min(EXPORT_PAGE, entries - written));
    if (page.length === 0) break;
    for (const row of page) {
      csv += csvLine([
        row.at.toISOString(),
        row.actorLabel,
        row.action,
        `${row.actorLabel} ${describeAuditEntry(row)}`,
        row.targetType,
        row.targetId,
        row.ip,
        JSON.stringify(row.details ?? {}),
      ]);
    }
    written += page.length;
    beforeId = page[page.length - 1].id;
  }
  const day = new Date().toISOString().slice(0, 10);
  return { fileName: `churnguard-audit-${day}.csv`, csv, entries: written };
}
