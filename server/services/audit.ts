import { desc, eq, lt, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { auditLog } from "../db/schema";

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

export interface AuditQuery {
  limit: number;
  /** Entries older than this id (keyset pagination, stable while new entries arrive). */
  beforeId?: number;
  action?: string;
}

export async function listAudit(db: Database, query: AuditQuery) {
  const conditions = [];
  if (query.beforeId !== undefined) conditions.push(lt(auditLog.id, query.beforeId));
  if (query.action) conditions.push(eq(auditLog.action, query.action));
  const where = conditions.length ? sql.join(conditions, sql` and `) : undefined;
  const rows = await db
    .select()
    .from(auditLog)
    .where(where)
    .orderBy(desc(auditLog.id))
    .limit(query.limit + 1);
  const hasMore = rows.length > query.limit;
  const entries = hasMore ? rows.slice(0, query.limit) : rows;
  return { entries, nextBeforeId: hasMore ? entries[entries.length - 1].id : null };
}

export async function listAuditActions(db: Database): Promise<string[]> {
  const rows = await db.selectDistinct({ action: auditLog.action }).from(auditLog).orderBy(auditLog.action);
  return rows.map((r) => r.action);
}
