/**
 * The nightly clean-up's data retention with a fixed clock: only what finished before the cutoff
 * goes (files first, then rows), anything still running stays, "keep forever" keeps, and the
 * clean-up is audited only when it deleted something.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../db/client";
import {
  apiRequests,
  auditLog,
  datasets,
  datasetVersions,
  models,
  reports,
  scoreBatches,
  trainingRuns,
} from "../db/schema";
import { LocalFileStorage } from "../storage/local";
import { createTestDatabase, testDatabaseKinds } from "../testing/database";
import { callerFor, createUser } from "../testing/factories";
import { applyDataRetention } from "./data-retention";
import { DATA_RETENTION_SETTING, getSetting } from "./settings";

const NOW = new Date("2026-12-05T03:17:00Z");
const daysAgo = (days: number, extraMs = 0) => new Date(NOW.getTime() - days * 24 * 3600 * 1000 + extraMs);

describe.each(testDatabaseKinds())("data retention on %s", (kind) => {
  let handle: DatabaseHandle;
  let dir: string;
  let storage: LocalFileStorage;
  let datasetId: number;
  let modelId: number;

  beforeAll(async () => {
    handle = await createTestDatabase(kind);
    dir = mkdtempSync(path.join(os.tmpdir(), "churnguard-retention-"));
    storage = new LocalFileStorage(dir);
    const [dataset] = await handle.db.insert(datasets).values({ name: "retention" }).returning();
    datasetId = dataset.id;
    const [version] = await handle.db
      .insert(datasetVersions)
      .values({
        datasetId,
        version: 1,
        fileName: "a.csv",
        storageKey: "v1",
        sizeBytes: 1,
        sha256: "x",
        rowCount: 1,
        columnCount: 1,
        schema: {},
        profile: {},
      })
      .returning();
    const [run] = await handle.db
      .insert(trainingRuns)
      .values({ datasetId, datasetVersionId: version.id, status: "succeeded", params: {} })
      .returning();
    const [model] = await handle.db
      .insert(models)
      .values({
        runId: run.id,
        datasetId,
        datasetVersionId: version.id,
        algorithm: "svm",
        version: 1,
        params: {},
        metrics: {},
        curves: {},
        importance: [],
        threshold: 0.5,
        cvAuc: 0.8,
        cvAucStd: 0,
        f1Churn: 0.5,
        f1Weighted: 0.5,
        brier: 0.2,
        fitSeconds: 1,
        artifactKey: "m",
        artifactSha256: "x",
      })
      .returning();
    modelId = model.id;
  });
  afterAll(async () => {
    await handle?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function batch(key: string, finishedAt: Date | null, status: "succeeded" | "running" | "failed") {
    await storage.put(key, new TextEncoder().encode("id\n1\n"));
    const [row] = await handle.db
      .insert(scoreBatches)
      .values({
        datasetId,
        modelId,
        fileName: `${key}.csv`,
        storageKey: key,
        sha256: "x",
        sizeBytes: 5,
        rowCount: 1,
        status,
        finishedAt,
      })
      .returning();
    return row.id;
  }

  async function report(key: string, finishedAt: Date | null, status: "succeeded" | "running") {
    await storage.put(key, new TextEncoder().encode("%PDF"));
    const [row] = await handle.db
      .insert(reports)
      .values({ datasetId, title: key, status, storageKey: key, finishedAt })
      .returning();
    return row.id;
  }

  const exists = async (key: string) =>
    storage
      .getBytes(key)
      .then(() => true)
      .catch(() => false);

  it("deletes only what is older than each kind's retention, files included", async () => {
    const oldBatch = await batch("batches/old", daysAgo(91), "succeeded");
    const oldFailed = await batch("batches/old-failed", daysAgo(200), "failed");
    const recentBatch = await batch("batches/recent", daysAgo(89), "succeeded");
    const stillRunning = await batch("batches/running", null, "running");
    const oldReport = await report("reports/old", daysAgo(366), "succeeded");
    const youngReport = await report("reports/young", daysAgo(364), "succeeded");
    await handle.db.insert(apiRequests).values([
      { endpoint: "/api/v1/predict", status: 200, latencyMs: 1, createdAt: daysAgo(90, -1) },
      { endpoint: "/api/v1/predict", status: 200, latencyMs: 1, createdAt: daysAgo(90, 1) },
    ]);

    const audited = () =>
      handle.db.select().from(auditLog).where(eq(auditLog.action, "data_retention.applied"));
    const auditedBefore = (await audited()).length;
    const result = await applyDataRetention(handle.db, { now: NOW, storage });
    expect(result).toEqual({ scoredFiles: 2, reports: 1, apiCalls: 1 });

    const batchesLeft = await handle.db
      .select({ id: scoreBatches.id })
      .from(scoreBatches)
      .where(inArray(scoreBatches.id, [oldBatch, oldFailed, recentBatch, stillRunning]));
    expect(batchesLeft.map((b) => b.id).sort()).toEqual([recentBatch, stillRunning].sort());
    expect(await exists("batches/old")).toBe(false);
    expect(await exists("batches/old-failed")).toBe(false);
    expect(await exists("batches/recent")).toBe(true);
    expect(await exists("batches/running")).toBe(true);
    const reportsLeft = await handle.db.select({ id: reports.id }).from(reports);
    expect(reportsLeft.map((r) => r.id)).toEqual([youngReport]);
    expect(await exists("reports/old")).toBe(false);
    expect((await handle.db.select().from(apiRequests)).map((r) => r.createdAt)).toEqual([daysAgo(90, 1)]);
    expect(oldReport).toBeGreaterThan(0);

    const entries = await audited();
    expect(entries).toHaveLength(auditedBefore + 1);
    expect(entries.at(-1)).toMatchObject({
      actorLabel: "system",
      details: { scoredFiles: 2, reports: 1, apiCalls: 1 },
    });

    // Nothing else is old enough a day later at the same setting: nothing deleted, nothing audited.
    expect(await applyDataRetention(handle.db, { now: NOW, storage })).toEqual({
      scoredFiles: 0,
      reports: 0,
      apiCalls: 0,
    });
    expect(await audited()).toHaveLength(auditedBefore + 1);
  });

  it("follows the admin's setting, validated, and keeps forever what is set to null", async () => {
    const admin = (await createUser(handle.db, "admin")).user;
    const caller = callerFor(handle.db, admin);
    expect(await caller.settings.dataRetention()).toEqual({
      scoredFilesDays: 90,
      reportsDays: 365,
      apiLogsDays: 90,
    });
    await expect(
      caller.settings.setDataRetention({ scoredFilesDays: 0, reportsDays: 10, apiLogsDays: 10 }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      caller.settings.setDataRetention({ scoredFilesDays: 1.5, reportsDays: 10, apiLogsDays: 10 }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await caller.settings.setDataRetention({ scoredFilesDays: 30, reportsDays: null, apiLogsDays: 7 });
    try {
      expect(await getSetting(handle.db, DATA_RETENTION_SETTING, { fresh: true })).toEqual({
        scoredFilesDays: 30,
        reportsDays: null,
        apiLogsDays: 7,
      });
      const monthOld = await batch("batches/month-old", daysAgo(31), "succeeded");
      const weekOld = await batch("batches/week-old", daysAgo(7), "succeeded");
      const ancient = await report("reports/ancient", daysAgo(5000), "succeeded");
      await applyDataRetention(handle.db, { now: NOW, storage });
      const left = await handle.db
        .select({ id: scoreBatches.id })
        .from(scoreBatches)
        .where(inArray(scoreBatches.id, [monthOld, weekOld]));
      expect(left.map((b) => b.id)).toEqual([weekOld]);
      expect(await exists("reports/ancient")).toBe(true);
      await handle.db.delete(reports).where(eq(reports.id, ancient));
      await handle.db.delete(scoreBatches).where(eq(scoreBatches.id, weekOld));
    } finally {
      // The other test assumes the defaults, whatever the order.
      await caller.settings.setDataRetention({ scoredFilesDays: 90, reportsDays: 365, apiLogsDays: 90 });
    }
  });
});
