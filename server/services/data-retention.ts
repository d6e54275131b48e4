/**
 * Data retention: scored files (batch scoring uploads and their scored rows), generated reports
 * and REST API call logs older than the admin's setting are deleted by the nightly clean-up
 * (jobs/functions/prune-jobs.ts). Age is counted from when the work finished (a batch or report
 * still running is never touched) or, for API calls, from the call. Files go first and their rows
 * after, so a crash in between leaves a row whose file is missing (its download answers "gone"),
 * never an orphan file nobody can find; the next night finishes the job.
 */
import { and, inArray, isNotNull, lt, notInArray } from "drizzle-orm";
import type { Database } from "../db/client";
import { apiRequests, reports, scoreBatches } from "../db/schema";
import { getStorage } from "../storage";
import type { FileStorage } from "../storage/types";
import { recordAudit, SYSTEM_ACTOR } from "./audit";
import { DATA_RETENTION_SETTING, type DataRetention, getSetting } from "./settings";

const DAY_MS = 24 * 3600 * 1000;
const ACTIVE = ["queued", "running"] as const;
/** Rows deleted per statement, so one night's backlog never holds a huge transaction. */
const BATCH = 500;

export interface RetentionResult {
  scoredFiles: number;
  reports: number;
  apiCalls: number;
}

const cutoffOf = (now: Date, days: number | null) =>
  days === null ? null : new Date(now.getTime() - days * DAY_MS);

/** Deletes what the retention setting says is too old at `now`; audited when anything went. */
export async function applyDataRetention(
  db: Database,
  options: { now?: Date; storage?: FileStorage; retention?: DataRetention } = {},
): Promise<RetentionResult> {
  const now = options.now ?? new Date();
  const storage = options.storage ?? getStorage();
  const retention = options.retention ?? (await getSetting(db, DATA_RETENTION_SETTING, { fresh: true }));
  const result: RetentionResult = { scoredFiles: 0, reports: 0, apiCalls: 0 };

  const filesBefore = cutoffOf(now, retention.scoredFilesDays);
  if (filesBefore) {
    for (;;) {
      const old = await db
        .select({ id: scoreBatches.id, storageKey: scoreBatches.storageKey })
        .from(scoreBatches)
        .where(
          and(
            notInArray(scoreBatches.status, [...ACTIVE]),
            isNotNull(scoreBatches.finishedAt),
            lt(scoreBatches.finishedAt, filesBefore),
          ),
        )
        .limit(BATCH);
      if (old.length === 0) break;
      for (const batch of old) await storage.delete(batch.storageKey);
      await db.delete(scoreBatches).where(
        inArray(
          scoreBatches.id,
          old.map((b) => b.id),
        ),
      );
      result.scoredFiles += old.length;
      if (old.length < BATCH) break;
    }
  }

  const reportsBefore = cutoffOf(now, retention.reportsDays);
  if (reportsBefore) {
    for (;;) {
      const old = await db
        .select({ id: reports.id, storageKey: reports.storageKey })
        .from(reports)
        .where(
          and(
            notInArray(reports.status, [...ACTIVE]),
            isNotNull(reports.finishedAt),
            lt(reports.finishedAt, reportsBefore),
          ),
        )
        .limit(BATCH);
      if (old.length === 0) break;
      for (const report of old) if (report.storageKey) await storage.delete(report.storageKey);
      await db.delete(reports).where(
        inArray(
          reports.id,
          old.map((r) => r.id),
        ),
      );
      result.reports += old.length;
      if (old.length < BATCH) break;
    }
  }

  const callsBefore = cutoffOf(now, retention.apiLogsDays);
  if (callsBefore) {
    const deleted = await db
      .delete(apiRequests)
      .where(lt(apiRequests.createdAt, callsBefore))
      .returning({ id: apiRequests.id });
    result.apiCalls = deleted.length;
  }

  if (result.scoredFiles + result.reports + result.apiCalls > 0) {
    await recordAudit(db, SYSTEM_ACTOR, {
      action: "data_retention.applied",
      targetType: "setting",
      targetId: DATA_RETENTION_SETTING.key,
      details: { ...result, retention },
    });
  }
  return result;
}
