/**
 * Retraining schedules per dataset: read (with the schedule in words and its next three runs),
 * list (admins: every dataset), and change (managers). Times are computed from the caller's "now"
 * so tests use a fake clock.
 */
import { randomBytes } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { asc, desc, eq, isNotNull } from "drizzle-orm";
import { z } from "zod";
import {
  describeSchedule,
  nextRunTime,
  nextRunTimes,
  presetOf,
  SCHEDULE_PRESETS,
  ScheduleError,
  validateSchedule,
} from "@/lib/schedules/cron-schedule";
import { PROMOTION_METRICS, PROMOTION_POLICIES } from "@/lib/schedules/promotion-rule";
import type { Database } from "../../db/client";
import { datasets, retrainingSchedules, users } from "../../db/schema";
import { type Actor, recordAudit } from "../audit";
import { DEFAULT_RULE } from "./rule";
import { webhookPolicy, webhookUrlProblem } from "./webhook-guard";

export const updateScheduleInputSchema = z.object({
  datasetId: z.number().int().positive(),
  isEnabled: z.boolean(),
  cron: z.string().trim().min(1, "Enter a schedule").max(120),
  timeZone: z.string().trim().min(1, "Choose a time zone").max(64),
  policy: z.enum(PROMOTION_POLICIES),
  metric: z.enum(PROMOTION_METRICS),
  /** AUC points (0.005) or a relative profit gain (0.02). */
  margin: z.number().min(0, "The margin cannot be negative").max(1, "At most 1"),
  calibrationBound: z.number().min(0, "The bound cannot be negative").max(1, "At most 1"),
  webhookUrl: z
    .string()
    .trim()
    .max(2000)
    .superRefine((url, context) => {
      // Checked again at send time, with the name resolved (webhook-guard.ts).
      const problem = url === "" ? null : webhookUrlProblem(url, webhookPolicy());
      if (problem) context.addIssue({ code: "custom", message: problem });
    })
    .transform((url) => (url === "" ? null : url))
    .nullable()
    .default(null),
});
export type UpdateScheduleInput = z.input<typeof updateScheduleInputSchema>;

type ScheduleRow = typeof retrainingSchedules.$inferSelect;

export interface ScheduleView {
  datasetId: number;
  datasetName: string;
  isConfigured: boolean;
  isEnabled: boolean;
  cron: string;
  preset: ReturnType<typeof presetOf>;
  timeZone: string;
  description: string;
  nextRuns: Date[];
  policy: (typeof PROMOTION_POLICIES)[number];
  metric: (typeof PROMOTION_METRICS)[number];
  margin: number;
  calibrationBound: number;
  webhookUrl: string | null;
  /** Shown to managers only (they configure the receiver); never to viewers. */
  webhookSecret: string | null;
  lastRunAt: Date | null;
  lastRunId: number | null;
  lastOutcome: string | null;
  lastError: string | null;
  failureNoticeAt: Date | null;
  updatedAt: Date | null;
  updatedByName: string | null;
}

function viewOf(
  datasetId: number,
  datasetName: string,
  row: (ScheduleRow & { updatedByName?: string | null }) | null,
  now: Date,
  options: { showSecret: boolean },
): ScheduleView {
  const cron = row?.cron ?? SCHEDULE_PRESETS.weekly.cron;
  const timeZone = row?.timeZone ?? "UTC";
  let description: string;
  let nextRuns: Date[] = [];
  try {
    description = describeSchedule(cron, timeZone);
    if (row?.isEnabled) nextRuns = nextRunTimes(cron, timeZone, now, 3);
  } catch {
    description = `Unreadable schedule "${cron}"`;
  }
  return {
    datasetId,
    datasetName,
    isConfigured: row !== null,
    isEnabled: row?.isEnabled ?? false,
    cron,
    preset: presetOf(cron),
    timeZone,
    description,
    nextRuns,
    policy: (row?.policy as ScheduleView["policy"]) ?? DEFAULT_RULE.policy,
    metric: (row?.metric as ScheduleView["metric"]) ?? DEFAULT_RULE.metric,
    margin: row?.margin ?? DEFAULT_RULE.margin,
    calibrationBound: row?.calibrationBound ?? DEFAULT_RULE.calibrationBound,
    webhookUrl: row?.webhookUrl ?? null,
    webhookSecret: options.showSecret ? (row?.webhookSecret ?? null) : null,
    lastRunAt: row?.lastRunAt ?? null,
    lastRunId: row?.lastRunId ?? null,
    lastOutcome: row?.lastOutcome ?? null,
    lastError: row?.lastError ?? null,
    failureNoticeAt: row?.failureNoticeAt ?? null,
    updatedAt: row?.updatedAt ?? null,
    updatedByName: row?.updatedByName ?? null,
  };
}

async function datasetName(db: Database, datasetId: number): Promise<string> {
  const [dataset] = await db.select({ name: datasets.name }).from(datasets).where(eq(datasets.id, datasetId));
  if (!dataset) {
    throw new TRPCError({
      code: "NOT_FOUND",
      message: `Dataset ${datasetId} does not exist (it may have been deleted).`,
    });
  }
  return dataset.name;
}

export async function getSchedule(
  db: Database,
  datasetId: number,
  options: { now?: Date; showSecret?: boolean } = {},
): Promise<ScheduleView> {
  const name = await datasetName(db, datasetId);
  const [row] = await db
    .select()
    .from(retrainingSchedules)
    .where(eq(retrainingSchedules.datasetId, datasetId));
  return viewOf(datasetId, name, row ?? null, options.now ?? new Date(), {
    showSecret: options.showSecret ?? false,
  });
}

/** Every dataset with its schedule (off when never configured), for the admin panel. */
export async function listSchedules(db: Database, options: { now?: Date } = {}): Promise<ScheduleView[]> {
  const rows = await db
    .select({
      dataset: { id: datasets.id, name: datasets.name },
      schedule: retrainingSchedules,
      updatedByName: users.name,
    })
    .from(datasets)
    .leftJoin(retrainingSchedules, eq(retrainingSchedules.datasetId, datasets.id))
    .leftJoin(users, eq(users.id, retrainingSchedules.updatedById))
    .orderBy(asc(datasets.name), asc(datasets.id));
  const now = options.now ?? new Date();
  return rows.map((r) =>
    viewOf(
      r.dataset.id,
      r.dataset.name,
      r.schedule ? { ...r.schedule, updatedByName: r.updatedByName } : null,
      now,
      {
        showSecret: false,
      },
    ),
  );
}

/** Saves a dataset's schedule; the next run is computed from `now` (a changed schedule starts afresh). */
export async function updateSchedule(
  db: Database,
  actor: Actor,
  input: UpdateScheduleInput,
  options: { now?: Date } = {},
): Promise<ScheduleView> {
  const parsed = updateScheduleInputSchema.parse(input);
  const now = options.now ?? new Date();
  let cron: string;
  try {
    cron = validateSchedule(parsed.cron, parsed.timeZone);
  } catch (error) {
    if (error instanceof ScheduleError) throw new TRPCError({ code: "BAD_REQUEST", message: error.message });
    throw error;
  }
  const name = await datasetName(db, parsed.datasetId);
  const nextRunAt = parsed.isEnabled ? nextRunTime(cron, parsed.timeZone, now) : null;
  const row = await db.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(retrainingSchedules)
      .where(eq(retrainingSchedules.datasetId, parsed.datasetId))
      .for("update");
    // A signing secret is made when a webhook is first set, and kept while it stays set.
    const webhookSecret = parsed.webhookUrl
      ? (current?.webhookSecret ?? `whsec_${randomBytes(24).toString("base64url")}`)
      : null;
    const values = {
      isEnabled: parsed.isEnabled,
      cron,
      timeZone: parsed.timeZone,
      policy: parsed.policy,
      metric: parsed.metric,
      margin: parsed.margin,
      calibrationBound: parsed.calibrationBound,
      webhookUrl: parsed.webhookUrl,
      webhookSecret,
      nextRunAt,
      updatedById: actor.id,
      updatedAt: now,
    };
    const [saved] = await tx
      .insert(retrainingSchedules)
      .values({ datasetId: parsed.datasetId, ...values })
      .onConflictDoUpdate({ target: retrainingSchedules.datasetId, set: values })
      .returning();
    await recordAudit(tx, actor, {
      action: "retraining.schedule_updated",
      targetType: "dataset",
      targetId: parsed.datasetId,
      details: {
        dataset: name,
        isEnabled: parsed.isEnabled,
        cron,
        timeZone: parsed.timeZone,
        policy: parsed.policy,
        metric: parsed.metric,
        margin: parsed.margin,
        calibrationBound: parsed.calibrationBound,
        hasWebhook: parsed.webhookUrl !== null,
      },
    });
    return saved;
  });
  return viewOf(parsed.datasetId, name, row, now, { showSecret: true });
}

/** A manager dismisses the failed-run banner of a dataset. */
export async function dismissFailureNotice(db: Database, actor: Actor, datasetId: number): Promise<void> {
  await db.transaction(async (tx) => {
    const [updated] = await tx
      .update(retrainingSchedules)
      .set({ failureNoticeAt: null })
      .where(eq(retrainingSchedules.datasetId, datasetId))
      .returning({ datasetId: retrainingSchedules.datasetId });
    if (!updated)
      throw new TRPCError({ code: "NOT_FOUND", message: `Dataset ${datasetId} has no retraining schedule.` });
    await recordAudit(tx, actor, {
      action: "retraining.failure_dismissed",
      targetType: "dataset",
      targetId: datasetId,
    });
  });
}

/** Failed scheduled runs not yet dismissed (the managers' banner). */
export async function listFailureNotices(db: Database) {
  return db
    .select({
      datasetId: retrainingSchedules.datasetId,
      datasetName: datasets.name,
      error: retrainingSchedules.lastError,
      runId: retrainingSchedules.lastRunId,
      failedAt: retrainingSchedules.failureNoticeAt,
    })
    .from(retrainingSchedules)
    .innerJoin(datasets, eq(datasets.id, retrainingSchedules.datasetId))
    .where(isNotNull(retrainingSchedules.failureNoticeAt))
    .orderBy(desc(retrainingSchedules.failureNoticeAt));
}
