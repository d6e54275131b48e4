/**
 * Batch scoring end to end on a trained dataset, through the embedded runner: upload checks (each
 * bad file names its problem and leaves nothing behind), scores equal to the predictor's, the
 * scored download, a failing chunk, resuming after a crash without redoing finished chunks, a
 * champion promoted mid-way, cancellation and roles. Every test sets up what it reads and leaves
 * no queued job, staged file or promoted model behind, so the tests pass alone and in any order.
 */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { and, count, eq, ne } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { generateTelcoLikeRows } from "@/data/generate-sample";
import { scoreBatch } from "@/jobs/functions/score-batch";
import { parseCsv } from "@/lib/ml/data";
import type { DatabaseHandle } from "../../db/client";
import { batchScores, jobSteps, models, scoreBatches } from "../../db/schema";
import { getStorage } from "../../storage";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { callerFor, createUser } from "../../testing/factories";
import { createTrainedDataset, type TrainedDataset } from "../../testing/trained-dataset";
import type { Actor } from "../audit";
import { deleteDataset } from "../datasets";
import { toCsvText, useTemporaryDataDir } from "../datasets/test-helpers";
import { promoteModel } from "../models";
import { loadPredictor } from "../predictions";
import { ComputePool, setComputePool } from "../training/compute-pool";
import { countingFunction, testRunner } from "../training/test-helpers";
import type { PublicUser } from "../users";
import {
  BatchFileError,
  type BatchUploadPreview,
  cancelBatch,
  getBatch,
  SCORE_COLUMNS,
  stageBatchUpload,
  startBatch,
  streamScoredCsv,
} from ".";

async function* bodyOf(bytes: Uint8Array, chunkBytes = 4096): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += chunkBytes) yield bytes.slice(i, i + chunkBytes);
}

const encode = (text: string) => new TextEncoder().encode(text);

/** `rows` generated customers without the Churn column, plus a free-text note column. */
function fileWithoutTarget(rows: number, seed = 23, note?: (i: number) => string) {
  const generated = generateTelcoLikeRows(rows, seed);
  const churnAt = generated[0].indexOf("Churn");
  const table = generated.map((r) => r.filter((_, i) => i !== churnAt));
  const header = [...table[0], "note"];
  const data = table.slice(1).map((r, i) => [...r, note ? note(i) : `row ${i + 1}`]);
  return { header, data, csv: toCsvText(header, data) };
}

async function storedKeys(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const file of getStorage().list(prefix)) keys.push(file.key);
  return keys;
}

async function collect(body: AsyncIterable<Uint8Array>): Promise<string> {
  // ignoreBOM keeps the byte order mark in the text, so the test can see it is there.
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  let text = "";
  for await (const chunk of body) text += decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

describe.each(testDatabaseKinds())("batch scoring on %s", (kind) => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  let manager: PublicUser;
  let actor: Actor;
  let trained: TrainedDataset;

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    handle = await createTestDatabase(kind);
    manager = (await createUser(handle.db, "manager")).user;
    actor = { id: manager.id, label: manager.email };
    trained = await createTrainedDataset(handle.db, actor, { name: "Batch scoring" });
  }, 120_000);
  afterAll(async () => {
    await handle?.close();
    dataDir?.cleanup();
  });

  /** Chunks of 100 rows, so a few hundred rows make several chunk steps. */
  const upload = (text: string | Uint8Array, options: { maxBytes?: number; fileName?: string } = {}) =>
    stageBatchUpload(handle.db, bodyOf(typeof text === "string" ? encode(text) : text), {
      datasetId: trained.datasetId,
      fileName: options.fileName ?? "to-score.csv",
      actor,
      maxBytes: options.maxBytes,
      chunkRows: 100,
    });

  const start = (preview: BatchUploadPreview, functions = [scoreBatch]) =>
    startBatch(handle.db, actor, preview.uploadId, { functions });

  async function runToEnd(batchId: number, runner = testRunner(handle.db, { functions: [scoreBatch] })) {
    for (let round = 0; round < 10; round++) {
      await runner.drain();
      const batch = await getBatch(handle.db, batchId);
      if (batch.status !== "queued" && batch.status !== "running") return batch;
    }
    throw new Error(`Batch ${batchId} did not finish`);
  }

  const rowsOf = async (batchId: number) =>
    (await handle.db.select({ n: count() }).from(batchScores).where(eq(batchScores.batchId, batchId)))[0].n;

  it("scores a file without the target exactly as the predictor scores each row, and downloads it", async () => {
    const file = fileWithoutTarget(250, 23, (i) =>
      i === 0 ? '=HYPERLINK("http://evil")' : i === 1 ? "+1+2" : i === 2 ? "@SUM(A1)" : `note, "${i}"`,
    );
    const preview = await upload(file.csv);
    expect(preview).toMatchObject({
      rowCount: 250,
      missing: [],
      ignored: ["customerID", "note"],
      target: null,
      identifier: "customerID",
      model: { modelId: trained.championId },
    });
    expect(preview.used).toContain("Contract");
    expect(preview.previewRows).toHaveLength(5);

    const started = await start(preview);
    expect(started).toMatchObject({ status: "queued", rowCount: 250, modelId: trained.championId });
    const done = await runToEnd(started.id);
    expect(done).toMatchObject({ status: "succeeded", rowsScored: 250, error: null });
    expect(done.summary?.levels).toBeDefined();
    const levels = done.summary?.levels ?? { low: 0, medium: 0, high: 0 };
    expect(levels.low + levels.medium + levels.high).toBe(250);
    expect(done.summary?.meanRiskScore).toBeGreaterThan(0);

    // One job step per chunk of 100 rows, between load and finalise.
    const [{ jobId }] = await handle.db
      .select({ jobId: scoreBatches.jobId })
      .from(scoreBatches)
      .where(eq(scoreBatches.id, started.id));
    const steps = await handle.db
      .select()
      .from(jobSteps)
      .where(eq(jobSteps.jobId, jobId as string));
    expect(steps.map((s) => s.stepId).sort()).toEqual([
      "finalise",
      "load",
      "score-chunk-1",
      "score-chunk-2",
      "score-chunk-3",
    ]);

    const predictor = await loadPredictor(handle.db, trained.datasetId);
    const stored = await handle.db
      .select()
      .from(batchScores)
      .where(eq(batchScores.batchId, started.id))
      .orderBy(batchScores.rowNumber);
    expect(stored.map((s) => s.rowNumber)).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
    for (const i of [0, 1, 99, 100, 187, 249]) {
      const record = Object.fromEntries(file.header.map((h, c) => [h, file.data[i][c]]));
      const { note: _, customerID: __, ...inputs } = record;
      const [expected] = predictor.predict([inputs], { strict: false });
      expect(stored[i].riskScore).toBeCloseTo(expected.riskScore, 6);
      expect(stored[i].riskLevel).toBe(expected.riskLevel);
      expect(stored[i].externalId).toBe(file.data[i][0]);
      expect(stored[i].drivers.map((d) => d.column)).toEqual(
        expected.contributions.slice(0, 3).map((c) => c.column),
      );
      expect(stored[i].drivers[0].contribution).toBeCloseTo(expected.contributions[0].probability, 5);
    }
    // The playbook recommends something for every customer at medium or high risk.
    const risky = stored.filter((s) => s.riskLevel !== "low");
    expect(risky.length).toBeGreaterThan(0);
    expect(risky.filter((s) => !s.action).map((s) => [s.riskScore, s.drivers])).toEqual([]);

    const csv = await streamScoredCsv(handle.db, started.id);
    const text = await collect(csv.body);
    expect(text.startsWith("\ufeff")).toBe(true);
    const parsed = parseCsv(text.slice(1));
    expect(parsed.columns).toEqual([...file.header, ...SCORE_COLUMNS]);
    expect(parsed.rows).toHaveLength(250);
    const width = file.header.length;
    parsed.rows.forEach((row, i) => {
      if (i > 2) expect(row.slice(0, width)).toEqual(file.data[i]);
      expect(Number(row[width])).toBeCloseTo(stored[i].riskScore, 3);
      expect(row[width + 1]).toBe(stored[i].riskLevel);
    });
    // Formula injection: cells a spreadsheet would run are prefixed with an apostrophe.
    expect(parsed.rows[0][width - 1]).toBe('\'=HYPERLINK("http://evil")');
    expect(parsed.rows[1][width - 1]).toBe("'+1+2");
    expect(parsed.rows[2][width - 1]).toBe("'@SUM(A1)");
    expect(parsed.rows[3][width - 1]).toBe('note, "3"');
    expect(parsed.rows[5][width + 2]).toMatch(
      /^[A-Za-z]+=.+ \([+-±][\d.]+ pts\)(; [A-Za-z]+=.+ \([+-±][\d.]+ pts\)){2}$/,
    );
  });

  it("imputes missing model columns, lists them, ignores the target and extra columns", async () => {
    const file = fileWithoutTarget(40, 5);
    const drop = new Set(["TotalCharges", "gender"]);
    const keep = file.header.map((h, i) => (drop.has(h) ? -1 : i)).filter((i) => i >= 0);
    const header = [...keep.map((i) => file.header[i]), "Churn"];
    const rows = file.data.map((r) => [...keep.map((i) => r[i]), "No"]);
    // A blank value in one row is that row's own warning.
    rows[3][header.indexOf("tenure")] = "";
    // Identifiers travel through the database writes unchanged, whatever their characters.
    const oddId = 'A\\B\t"C"\nD';
    rows[0][header.indexOf("customerID")] = oddId;
    const preview = await upload(toCsvText(header, rows));
    expect(preview.missing.sort()).toEqual(["TotalCharges", "gender"]);
    expect(preview.target).toBe("Churn");
    expect(preview.ignored).toEqual(["customerID", "note", "Churn"]);
    const done = await runToEnd((await start(preview)).id);
    expect(done.status).toBe("succeeded");
    expect(done.summary).toMatchObject({ missingColumns: ["gender", "TotalCharges"], rowsWithWarnings: 1 });
    const [row4] = await handle.db
      .select()
      .from(batchScores)
      .where(and(eq(batchScores.batchId, done.id), eq(batchScores.rowNumber, 4)));
    expect(row4.warnings).toEqual([{ field: "tenure", code: "missing" }]);
    const [row1] = await handle.db
      .select()
      .from(batchScores)
      .where(and(eq(batchScores.batchId, done.id), eq(batchScores.rowNumber, 1)));
    expect(row1.externalId).toBe(oddId);
    expect(row1.drivers).toHaveLength(3);
  });

  it("refuses bad files with the problem, its line and column, and leaves nothing behind", async () => {
    const header = "customerID,tenure,Contract,MonthlyCharges";
    const batchesBefore = await handle.db.select({ n: count() }).from(scoreBatches);
    const uploadsFolder = path.join(dataDir.dir, "files", "uploads");
    const uploadFolders = () => (existsSync(uploadsFolder) ? readdirSync(uploadsFolder) : []);
    const foldersBefore = uploadFolders();
    const attempt = async (body: string | Uint8Array, options: { maxBytes?: number } = {}) => {
      try {
        await upload(body, options);
      } catch (error) {
        return error as Error & { code?: string; line?: number; column?: number };
      }
      throw new Error("expected the upload to be refused");
    };
    expect(await attempt("")).toMatchObject({ code: "EMPTY_FILE" });
    expect(await attempt(`${header}\n`)).toMatchObject({ code: "HEADER_ONLY" });
    expect(await attempt(`${header}\nA-1,3,One year,50\nA-2,4,One year\n`)).toMatchObject({
      code: "RAGGED_ROW",
      line: 3,
    });
    const latin1 = new Uint8Array([...encode(`${header}\nA-1,3,`), 0xe9, 0xff, ...encode(",50\n")]);
    expect((await attempt(latin1)).code).toMatch(/INVALID_UTF8|UNSUPPORTED_ENCODING/);
    const binary = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0, 1, 2, 3, 0, 0, 0, 9, 9]);
    expect(await attempt(binary)).toMatchObject({ code: "BINARY_FILE" });
    const unrelated = await attempt("name,colour\nAnna,blue\nBen,green\n");
    expect(unrelated).toBeInstanceOf(BatchFileError);
    expect(unrelated).toMatchObject({ code: "NO_MODEL_INPUTS" });
    expect(unrelated.message).toMatch(/tenure|Contract/);
    const big = fileWithoutTarget(200).csv;
    expect((await attempt(big, { maxBytes: 2_000 })).name).toBe("UploadTooLargeError");

    expect(await storedKeys("uploads/")).toEqual([]);
    // Not even an empty uploads/<id>/ folder per refused file.
    expect(uploadFolders()).toEqual(foldersBefore);
    expect(await handle.db.select({ n: count() }).from(scoreBatches)).toEqual(batchesBefore);
  });

  it("marks the batch failed with a readable error and removes its rows when a chunk keeps failing", async () => {
    const preview = await upload(fileWithoutTarget(250, 31).csv);
    const { fn, counts } = countingFunction(scoreBatch, (stepId) =>
      stepId === "score-chunk-3" ? Promise.reject(new Error("disk full\n    at somewhere")) : undefined,
    );
    const started = await start(preview, [fn]);
    const done = await runToEnd(started.id, testRunner(handle.db, { functions: [fn] }));
    expect(done).toMatchObject({ status: "failed", rowsScored: 0, error: "Scoring failed: disk full" });
    expect(done.finishedAt).toBeInstanceOf(Date);
    expect(counts["score-chunk-1"]).toBe(1);
    expect(counts["score-chunk-3"]).toBe(3);
    expect(await rowsOf(started.id)).toBe(0);
    expect(
      (await storedKeys(`score-batches/${preview.uploadId}/`)).filter((k) => k.includes("chunk-")),
    ).toEqual([]);
    await expect(streamScoredCsv(handle.db, started.id)).rejects.toThrow(/failed/);
  });

  it("resumes an interrupted batch without redoing the chunks it had finished", async () => {
    const preview = await upload(fileWithoutTarget(250, 37).csv);
    let crashing: ReturnType<typeof testRunner> | null = null;
    const leaseMs = 60_000;
    // The first worker dies as chunk 2 starts: nothing more is written by it.
    const { fn, counts } = countingFunction(scoreBatch, (stepId, execution) => {
      if (stepId !== "score-chunk-2" || execution > 1) return undefined;
      crashing?.kill();
      return new Promise(() => {});
    });
    const started = await start(preview, [fn]);
    crashing = testRunner(handle.db, { functions: [fn], leaseMs });
    await crashing.drain();
    expect((await getBatch(handle.db, started.id)).status).toBe("running");
    expect(await rowsOf(started.id)).toBe(100);

    const resumed = testRunner(handle.db, {
      functions: [fn],
      leaseMs,
      now: () => new Date(Date.now() + 2 * leaseMs),
    });
    const done = await runToEnd(started.id, resumed);
    expect(done).toMatchObject({ status: "succeeded", rowsScored: 250 });
    expect(counts).toEqual({
      load: 1,
      "score-chunk-1": 1,
      "score-chunk-2": 2,
      "score-chunk-3": 1,
      finalise: 1,
    });
    expect(await rowsOf(started.id)).toBe(250);
  });

  it("splits the stored file again when its chunk files are gone, and scores the same", async () => {
    const preview = await upload(fileWithoutTarget(230, 53).csv);
    const started = await start(preview);
    const chunkFiles = (await storedKeys("score-batches/")).filter(
      (k) => k.includes(preview.uploadId) && k.includes("chunk-"),
    );
    expect(chunkFiles).toHaveLength(3);
    for (const key of chunkFiles) await getStorage().delete(key);
    const done = await runToEnd(started.id);
    expect(done).toMatchObject({ status: "succeeded", rowsScored: 230 });
    const ids = await handle.db
      .select({ e: batchScores.externalId })
      .from(batchScores)
      .where(eq(batchScores.batchId, started.id))
      .orderBy(batchScores.rowNumber);
    const file = fileWithoutTarget(230, 53);
    expect(ids.map((r) => r.e)).toEqual(file.data.map((r) => r[0]));
    // Finished batches keep only the uploaded file.
    expect((await storedKeys("score-batches/")).filter((k) => k.includes(preview.uploadId))).toEqual([
      `score-batches/${preview.uploadId}/input.csv`,
    ]);
  });

  it("keeps scoring with the model it started with when another model is promoted", async () => {
    const preview = await upload(fileWithoutTarget(120, 41).csv);
    const started = await start(preview);
    // Any other model of the dataset: after a promotion and its undoing it is archived, not a candidate.
    const [other] = await handle.db
      .select({ id: models.id })
      .from(models)
      .where(and(eq(models.datasetId, trained.datasetId), ne(models.id, trained.championId)));
    await promoteModel(handle.db, actor, other.id);
    try {
      const done = await runToEnd(started.id);
      expect(done).toMatchObject({ status: "succeeded", modelId: trained.championId });
      const newChampion = await loadPredictor(handle.db, trained.datasetId);
      expect(newChampion.model.modelId).toBe(other.id);
      const [first] = await handle.db
        .select()
        .from(batchScores)
        .where(and(eq(batchScores.batchId, started.id), eq(batchScores.rowNumber, 1)));
      const file = fileWithoutTarget(120, 41);
      const record = Object.fromEntries(file.header.map((h, c) => [h, file.data[0][c]]));
      const { note: _, customerID: __, ...inputs } = record;
      const byNew = newChampion.predict([inputs], { strict: false })[0].riskScore;
      expect(Math.abs(first.riskScore - byNew)).toBeGreaterThan(1e-6);
    } finally {
      await promoteModel(handle.db, actor, trained.championId);
    }
  });

  it("explains a tree-ensemble champion's rows on worker threads, exactly as in-process", async () => {
    const [boosting] = await handle.db
      .select({ id: models.id })
      .from(models)
      .where(and(eq(models.datasetId, trained.datasetId), eq(models.algorithm, "gradient_boosting")));
    await promoteModel(handle.db, actor, boosting.id);
    const scoredRows = async (batchId: number) =>
      (
        await handle.db
          .select()
          .from(batchScores)
          .where(eq(batchScores.batchId, batchId))
          .orderBy(batchScores.rowNumber)
      ).map(({ batchId: _, ...row }) => row);
    const file = fileWithoutTarget(250, 59).csv;
    try {
      // Under vitest the process pool computes in-process…
      const inProcess = await runToEnd((await start(await upload(file))).id);
      expect(inProcess).toMatchObject({ status: "succeeded", modelId: boosting.id });
      // …and a pool of real worker threads (vitest runs TypeScript; the worker registers tsx itself).
      const pool = new ComputePool({ size: 2 });
      const run = vi.spyOn(pool, "run");
      await setComputePool(pool);
      const onWorkers = await runToEnd((await start(await upload(file))).id);
      expect(onWorkers.status).toBe("succeeded");
      expect(pool.mode).toBe("workers");
      expect(run.mock.calls.map(([request]) => request.task)).toEqual([
        "scoreBatchPart",
        "scoreBatchPart",
        "scoreBatchPart",
      ]);
      const expected = await scoredRows(inProcess.id);
      expect(expected).toHaveLength(250);
      expect(await scoredRows(onWorkers.id)).toEqual(expected);
      expect(onWorkers.summary).toEqual(inProcess.summary);
    } finally {
      await setComputePool(new ComputePool({ size: 0 }));
      await promoteModel(handle.db, actor, trained.championId);
    }
  }, 120_000);

  it("cancels a queued batch: no rows, status cancelled, the job stops", async () => {
    const preview = await upload(fileWithoutTarget(150, 43).csv);
    const started = await start(preview);
    const cancelled = await cancelBatch(handle.db, actor, started.id);
    expect(cancelled).toMatchObject({ status: "cancelled", error: "Cancelled" });
    const done = await runToEnd(started.id);
    expect(done.status).toBe("cancelled");
    expect(await rowsOf(started.id)).toBe(0);
    await expect(cancelBatch(handle.db, actor, started.id)).rejects.toThrow(/already been cancelled/);
  });

  it("lets viewers list and read batches but not start, discard or cancel them", async () => {
    const { user: viewer } = await createUser(handle.db, "viewer");
    const asViewer = callerFor(handle.db, viewer);
    const scored = await runToEnd((await start(await upload(fileWithoutTarget(20, 47).csv))).id);
    expect(scored.status).toBe("succeeded");
    const list = await asViewer.batchScoring.list({ datasetId: trained.datasetId });
    expect(list.map((b) => b.id)).toContain(scored.id);
    await expect(asViewer.batchScoring.cancel({ batchId: scored.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    // Another test here trains a dataset of its own (and its neighbour) to delete it: look at ours.
    const ours = new Set([trained.datasetId, trained.neighbour.latest.datasetId]);
    expect((await asViewer.batchScoring.datasets()).filter((d) => ours.has(d.datasetId))).toEqual([
      expect.objectContaining({ datasetId: trained.datasetId, modelId: trained.championId }),
      expect.objectContaining({
        datasetId: trained.neighbour.latest.datasetId,
        modelId: trained.neighbour.latest.championId,
      }),
    ]);

    const preview = await upload(fileWithoutTarget(20, 47).csv);
    for (const refused of [
      asViewer.batchScoring.start({ uploadId: preview.uploadId }),
      asViewer.batchScoring.discard({ uploadId: preview.uploadId }),
    ])
      await expect(refused).rejects.toMatchObject({ code: "FORBIDDEN" });
    // Someone else's staged file is not theirs to start, even for a manager, and their discard
    // leaves it alone (discarding is idempotent, so it does not say whether the file exists).
    const other = callerFor(handle.db, (await createUser(handle.db, "manager")).user);
    await expect(other.batchScoring.start({ uploadId: preview.uploadId })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await other.batchScoring.discard({ uploadId: preview.uploadId });
    // Its owner discards it, and nothing of it is left.
    expect(await storedKeys(`uploads/${preview.uploadId}/`)).not.toEqual([]);
    await callerFor(handle.db, manager).batchScoring.discard({ uploadId: preview.uploadId });
    expect(await storedKeys(`uploads/${preview.uploadId}/`)).toEqual([]);
  });

  it("removes every scored file's upload and chunks when its dataset is deleted, and only those", async () => {
    // A dataset of its own: the other tests keep theirs.
    const doomed = await createTrainedDataset(handle.db, actor, {
      name: "Batch scoring, deleted",
      rows: 300,
      seed: 13,
      algorithms: ["logistic_regression"],
    });
    const stageFor = async (datasetId: number, seed: number) =>
      stageBatchUpload(handle.db, bodyOf(encode(fileWithoutTarget(150, seed).csv)), {
        datasetId,
        fileName: "to-score.csv",
        actor,
        chunkRows: 100,
      });
    const doomedBatch = await runToEnd((await start(await stageFor(doomed.datasetId, 53))).id);
    const keptBatch = await runToEnd((await start(await stageFor(trained.datasetId, 54))).id);
    expect([doomedBatch.status, keptBatch.status]).toEqual(["succeeded", "succeeded"]);
    const folderOf = async (batchId: number) => {
      const [{ key }] = await handle.db
        .select({ key: scoreBatches.storageKey })
        .from(scoreBatches)
        .where(eq(scoreBatches.id, batchId));
      return { key, folder: `${key.slice(0, key.lastIndexOf("/"))}/` };
    };
    const doomedFiles = await folderOf(doomedBatch.id);
    const keptFiles = await folderOf(keptBatch.id);
    expect(await storedKeys(doomedFiles.folder)).toContain(doomedFiles.key);

    await deleteDataset(handle.db, actor, doomed.datasetId);
    expect(await storedKeys(doomedFiles.folder)).toEqual([]);
    expect(
      await handle.db.select().from(scoreBatches).where(eq(scoreBatches.datasetId, doomed.datasetId)),
    ).toEqual([]);
    expect(await storedKeys(keptFiles.folder)).toEqual([keptFiles.key]);
    expect((await getBatch(handle.db, keptBatch.id)).status).toBe("succeeded");
  }, 120_000);
});
