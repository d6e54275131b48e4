/**
 * Drift monitoring end to end on a real database: a trained dataset whose contract column is named
 * `__proto__`, a shifted new version (every customer month-to-month, new customer ids), an
 * unshifted one, a shifted scored file, "Check now" by role and twice at once, and a neighbour
 * dataset (its own champion, other ids) that must see none of it.
 */
import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTelcoLikeRows, toCsv } from "@/data/generate-sample";
import { driftCheck } from "@/jobs/functions/drift-check";
import { scoreBatch } from "@/jobs/functions/score-batch";
import type { DatabaseHandle } from "../../db/client";
import { auditLog, driftReports, jobs, scoreBatches } from "../../db/schema";
import { getStorage } from "../../storage";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { callerFor, createUser } from "../../testing/factories";
import { createTrainedDataset, type TrainedDataset } from "../../testing/trained-dataset";
import type { Actor } from "../audit";
import { getBatch, stageBatchUpload, startBatch } from "../batch-scoring";
import { importDatasetFromFile } from "../datasets";
import { useTemporaryDataDir } from "../datasets/test-helpers";
import { retryJob } from "../jobs";
import { testRunner } from "../training/test-helpers";
import { type DriftReportDetail, getDriftReport, requestDriftCheck } from ".";

const NAME = "Drift Telco";
const HOSTILE = "__proto__";

/** Generated Telco-like rows with Contract renamed `__proto__`; `shift` rewrites each data row. */
function telcoCsv(
  rows: number,
  seed: number,
  shift?: (row: string[], column: (name: string) => number) => void,
) {
  const table = generateTelcoLikeRows(rows, seed);
  const header = table[0];
  header[header.indexOf("Contract")] = HOSTILE;
  const column = (name: string) => header.indexOf(name);
  if (shift) for (const row of table.slice(1)) shift(row, column);
  return table;
}

const allMonthToMonth = (row: string[], column: (name: string) => number) => {
  row[column(HOSTILE)] = "Month-to-month";
};

async function* bodyOf(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

describe.each(testDatabaseKinds())("drift monitoring on %s", (kind) => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  let trained: TrainedDataset;
  let actor: Actor;
  let users: Record<"manager" | "viewer", Awaited<ReturnType<typeof createUser>>["user"]>;
  const reportOf = new Map<string, number>();
  /** Each report's trigger when it was first made ("Check now" later makes it "manual"). */
  const triggers = new Map<number, string>();

  const drain = async () => {
    const runner = testRunner(handle.db, { functions: [scoreBatch, driftCheck] });
    for (let round = 0; round < 5; round++) await runner.drain();
  };

  async function importVersion(csv: string, fileName: string) {
    const imported = await importDatasetFromFile(handle.db, actor, {
      bytes: new TextEncoder().encode(csv),
      name: NAME,
      fileName,
    });
    await drain();
    const [report] = await handle.db
      .select({ id: driftReports.id, trigger: driftReports.trigger })
      .from(driftReports)
      .where(
        and(
          eq(driftReports.datasetVersionId, imported.datasetVersionId),
          eq(driftReports.modelId, trained.championId),
        ),
      );
    triggers.set(report.id, report.trigger);
    return report.id;
  }

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    handle = await createTestDatabase(kind);
    users = {
      manager: (await createUser(handle.db, "manager")).user,
      viewer: (await createUser(handle.db, "viewer")).user,
    };
    actor = { id: users.manager.id, label: users.manager.email };
    trained = await createTrainedDataset(handle.db, actor, {
      name: NAME,
      csv: toCsv(telcoCsv(500, 11)),
      algorithms: ["logistic_regression"],
    });
    // New customers (another seed: other ids), every one of them on a month-to-month contract.
    reportOf.set("shifted", await importVersion(toCsv(telcoCsv(400, 12, allMonthToMonth)), "shifted.csv"));
    // The training file again: nothing moved.
    reportOf.set("same", await importVersion(toCsv(telcoCsv(500, 11)), "same.csv"));
  }, 300_000);
  afterAll(async () => {
    await handle?.close();
    dataDir?.cleanup();
  });

  const viewer = () => callerFor(handle.db, users.viewer);
  const columnOf = (report: DriftReportDetail, name: string) =>
    report.result?.columns.find((c) => c.column === name);

  it("finds significant drift in a shifted version, led by the shifted important column, with risk and churn", async () => {
    const report = await viewer().drift.report({ reportId: reportOf.get("shifted") as number });
    expect(report).toMatchObject({
      status: "succeeded",
      level: "significant",
      source: { kind: "version", label: "Version 3", version: 3 },
      model: { id: trained.championId },
      baselineVersion: 2,
      rows: 400,
    });
    expect(triggers.get(report.id)).toBe("upload");
    const result = report.result;
    if (!result) throw new Error("no result");
    const contract = columnOf(report, HOSTILE);
    expect(contract?.isImportant).toBe(true);
    expect(contract?.psi).toBeGreaterThan(0.2);
    expect(contract?.bins.find((b) => b.label === "Month-to-month")?.actual).toBe(1);
    expect(result.alertColumns).toContain(HOSTILE);
    // Sorted by PSI × importance: the shifted column leads.
    expect(result.columns[0].column).toBe(HOSTILE);
    expect(result.verdict).toMatch(/^Significant drift: .*“__proto__”/);
    // Month-to-month customers are riskier: the champion's predicted risk moves up.
    expect(result.risk?.psi).toBeGreaterThan(0.1);
    // Observed churn: the labelled share of each file (the shift rewrote contracts, not labels).
    const rate = (table: string[][]) => {
      const at = table[0].indexOf("Churn");
      return table.slice(1).filter((r) => r[at] === "Yes").length / (table.length - 1);
    };
    const baselineRate = rate(telcoCsv(500, 11));
    const currentRate = rate(telcoCsv(400, 12));
    expect(result.churn?.baselineRate).toBeCloseTo(baselineRate, 5);
    expect(result.churn?.currentRate).toBeCloseTo(currentRate, 5);
    expect(result.churn?.change).toBeCloseTo(currentRate - baselineRate, 5);
    // Columns the shift did not touch barely moved.
    expect(columnOf(report, "gender")?.level).toBe("stable");
  });

  it("calls an unshifted version stable", async () => {
    const report = await viewer().drift.report({ reportId: reportOf.get("same") as number });
    expect(report).toMatchObject({ status: "succeeded", level: "stable", alertColumns: [] });
    expect(report.result?.columns.every((c) => c.psi === 0)).toBe(true);
    expect(report.result?.risk?.psi).toBe(0);
    expect(report.result?.churn?.change).toBe(0);
    expect(report.result?.verdict).toMatch(/^Stable: /);
  });

  it("audits the alert once, on this dataset only, and lists it for the dashboard banner", async () => {
    const all = await handle.db.select().from(auditLog).where(eq(auditLog.action, "drift.alert"));
    expect(all.every((e) => e.targetId === String(trained.datasetId))).toBe(true);
    // Once per report, however often it is checked again.
    const entries = all.filter((e) => e.details.reportId === reportOf.get("shifted"));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actorLabel: "system",
      targetType: "dataset",
      targetId: String(trained.datasetId),
    });
    expect(entries[0].details).toMatchObject({
      reportId: reportOf.get("shifted"),
      columns: expect.arrayContaining([expect.objectContaining({ column: HOSTILE })]),
    });
    const alerts = await viewer().drift.alerts();
    expect(alerts.map((a) => a.datasetId)).toEqual([trained.datasetId]);
    expect(alerts[0]).toMatchObject({ datasetName: NAME, columns: expect.arrayContaining([HOSTILE]) });
    expect(alerts[0].sources).toContain("version 3");
  });

  it("shows the neighbour dataset none of this dataset's reports", async () => {
    const neighbourId = trained.neighbour.latest.datasetId;
    const overview = await viewer().drift.overview({ datasetId: neighbourId });
    expect(overview.champion?.modelId).toBe(trained.neighbour.latest.championId);
    expect(overview.reports).toEqual([]);
    const own = await viewer().drift.overview({ datasetId: trained.datasetId });
    expect(own.champion).toMatchObject({ modelId: trained.championId, baselineVersion: 2 });
    expect(own.reports.map((r) => r.source.label)).toEqual(
      expect.arrayContaining(["Version 3", "Version 4"]),
    );
    // The report against the earlier champion (queued when version 2 arrived) is not this champion's.
    expect(own.reports.every((r) => r.source.version !== 2)).toBe(true);
    await expect(viewer().drift.overview({ datasetId: 999_999 })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("compares a scored file, streamed from storage, when its scoring finishes", async () => {
    const table = telcoCsv(300, 31, allMonthToMonth);
    const churnAt = table[0].indexOf("Churn");
    const csv = toCsv(table.map((r) => r.filter((_, i) => i !== churnAt)));
    const preview = await stageBatchUpload(handle.db, bodyOf(new TextEncoder().encode(csv)), {
      datasetId: trained.datasetId,
      fileName: "march-customers.csv",
      actor,
      chunkRows: 100,
    });
    const batch = await startBatch(handle.db, actor, preview.uploadId, { functions: [scoreBatch] });
    await drain();
    expect((await getBatch(handle.db, batch.id)).status).toBe("succeeded");
    const [row] = await handle.db.select().from(driftReports).where(eq(driftReports.batchId, batch.id));
    const report = await getDriftReport(handle.db, row.id);
    expect(report).toMatchObject({
      status: "succeeded",
      trigger: "batch",
      level: "significant",
      rows: 300,
      source: { kind: "batch", label: "march-customers.csv", batchId: batch.id },
    });
    expect(report.result?.churn).toBeNull();
    expect(report.result?.alertColumns).toContain(HOSTILE);
  });

  it("fails a check whose scored file is gone with a readable error, never stuck checking", async () => {
    const table = telcoCsv(120, 41);
    const preview = await stageBatchUpload(handle.db, bodyOf(new TextEncoder().encode(toCsv(table))), {
      datasetId: trained.datasetId,
      fileName: "lost-file.csv",
      actor,
      chunkRows: 100,
    });
    const batch = await startBatch(handle.db, actor, preview.uploadId, { functions: [scoreBatch] });
    await drain();
    const [stored] = await handle.db.select().from(scoreBatches).where(eq(scoreBatches.id, batch.id));
    const parts: Uint8Array[] = [];
    for await (const part of getStorage().get(stored.storageKey)) parts.push(part);
    await getStorage().delete(stored.storageKey);
    const queued = await requestDriftCheck(handle.db, actor, {
      datasetId: trained.datasetId,
      source: { kind: "batch", batchId: batch.id },
      trigger: "manual",
    });
    expect(queued).toMatchObject({ status: "queued", isNew: true });
    await drain();
    const report = await getDriftReport(handle.db, queued?.id as number);
    expect(report).toMatchObject({ status: "failed", result: null });
    expect(report.error).toContain("“lost-file.csv” is no longer stored");

    // Admin → Jobs → Retry, once the file is back: the same report is reopened and finishes.
    await getStorage().put(stored.storageKey, Buffer.concat(parts));
    const [{ jobId }] = await handle.db
      .select({ jobId: driftReports.jobId })
      .from(driftReports)
      .where(eq(driftReports.id, report.id));
    await retryJob(handle.db, actor, jobId as string);
    expect(await getDriftReport(handle.db, report.id)).toMatchObject({ status: "queued", error: null });
    await drain();
    expect(await getDriftReport(handle.db, report.id)).toMatchObject({ status: "succeeded", error: null });
  });

  it("lets managers, not viewers, check now; a double click starts each check once", async () => {
    await expect(viewer().drift.checkNow({ datasetId: trained.datasetId })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const manager = callerFor(handle.db, users.manager);
    const before = await manager.drift.overview({ datasetId: trained.datasetId });
    const jobsBefore = await driftJobs();
    const [first, second] = await Promise.all([
      manager.drift.checkNow({ datasetId: trained.datasetId }),
      manager.drift.checkNow({ datasetId: trained.datasetId }),
    ]);
    const expected = before.newerVersions + Math.min(before.scoredFiles, 10);
    expect(first.reports).toHaveLength(expected);
    expect(second.reports.map((r) => r.id).sort()).toEqual(first.reports.map((r) => r.id).sort());
    // Each report was started by exactly one of the two clicks.
    const started = [...first.reports, ...second.reports].filter((r) => r.isNew).length;
    expect(started).toBe(expected);
    expect((await driftJobs()) - jobsBefore).toBe(expected);
    await drain();
    const after = await manager.drift.overview({ datasetId: trained.datasetId });
    // Nothing left checking or failed (another test loses a file, but puts it back before it ends).
    expect(
      after.reports.filter((r) => r.status !== "succeeded").map((r) => [r.status, r.source.label]),
    ).toEqual([]);
    const audited = await handle.db
      .select({ n: count() })
      .from(auditLog)
      .where(and(eq(auditLog.action, "drift.check"), eq(auditLog.targetId, String(trained.datasetId))));
    expect(audited[0].n).toBeGreaterThanOrEqual(2);
    // Nothing newer than the neighbour's champion: a clear refusal, nothing queued.
    await expect(
      manager.drift.checkNow({ datasetId: trained.neighbour.latest.datasetId }),
    ).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: expect.stringContaining("Nothing newer to compare"),
    });
  });

  async function driftJobs(): Promise<number> {
    const [row] = await handle.db.select({ n: count() }).from(jobs).where(eq(jobs.functionId, "drift-check"));
    return row.n;
  }
});
