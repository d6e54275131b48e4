/**
 * The batch-scoring function under Inngest (through the adapter, with @inngest/test): one Inngest
 * step per chunk between load and finalise, every step result plain JSON, and onFailure closing
 * the batch as failed or cancelled with its rows removed.
 */
import { InngestTestEngine } from "@inngest/test";
import { count, eq } from "drizzle-orm";
import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { generateTelcoLikeRows, toCsv } from "@/data/generate-sample";
import type { DatabaseHandle } from "@/server/db/client";
import { batchScores, scoreBatches } from "@/server/db/schema";
import type { Actor } from "@/server/services/audit";
import { getBatch, stageBatchUpload, startBatch } from "@/server/services/batch-scoring";
import { useTemporaryDataDir } from "@/server/services/datasets/test-helpers";
import { createTestDatabase } from "@/server/testing/database";
import { createUser } from "@/server/testing/factories";
import { createTrainedDataset, type TrainedDataset } from "@/server/testing/trained-dataset";
import { JobCancelledError } from "../errors";
import { toInngestFunctions } from "../inngest-adapter";
import { toStepResult } from "../json";
import { BATCH_SCORING_REQUESTED, scoreBatch } from "./score-batch";

describe("score-batch under Inngest", () => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  let actor: Actor;
  let trained: TrainedDataset;

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    handle = await createTestDatabase("pglite");
    const { user } = await createUser(handle.db, "manager");
    actor = { id: user.id, label: user.email };
    trained = await createTrainedDataset(handle.db, actor, { name: "Inngest batch" });
  }, 120_000);
  afterAll(async () => {
    await handle?.close();
    dataDir?.cleanup();
  });

  const engine = () => {
    const [main] = toInngestFunctions(scoreBatch, {
      client: new Inngest({ id: "churnguard" }),
      getDb: async () => handle.db,
    });
    return new InngestTestEngine({ function: main });
  };

  /** A queued batch of `rows` rows in chunks of 100 (its embedded job is never run here). */
  async function newBatch(rows: number) {
    const generated = generateTelcoLikeRows(rows, 61);
    const churnAt = generated[0].indexOf("Churn");
    const csv = toCsv(generated.map((r) => r.filter((_, i) => i !== churnAt)));
    async function* body() {
      yield new TextEncoder().encode(csv);
    }
    const preview = await stageBatchUpload(handle.db, body(), {
      datasetId: trained.datasetId,
      fileName: "inngest.csv",
      actor,
      chunkRows: 100,
    });
    return startBatch(handle.db, actor, preview.uploadId, { functions: [scoreBatch] });
  }

  it("runs load, one step per chunk and finalise as Inngest steps, and finishes the batch", async () => {
    const batch = await newBatch(250);
    const data = { batchId: batch.id, rowCount: 250, chunkRows: 100 };
    const { result, error, ctx } = await engine().execute({
      events: [{ name: BATCH_SCORING_REQUESTED, data: { ...data, _churnguardJobId: "job_inngest_batch" } }],
    });
    expect(error).toBeUndefined();
    const stepIds = ["load", "score-chunk-1", "score-chunk-2", "score-chunk-3", "finalise"];
    expect(result).toEqual({ jobId: "job_inngest_batch", steps: stepIds });
    stepIds.forEach((id, i) => {
      expect(ctx.step.run).toHaveBeenNthCalledWith(i + 1, id, expect.any(Function));
    });
    const calls = vi.mocked(ctx.step.run).mock;
    for (const [i, [id]] of calls.calls.entries()) {
      const output = await calls.results[i].value;
      expect(JSON.parse(JSON.stringify(output))).toEqual(output);
      expect(toStepResult(output, id as string)).toEqual(output);
    }
    expect(await calls.results[3].value).toMatchObject({ chunk: 3, rows: 50, firstRow: 201 });

    const done = await getBatch(handle.db, batch.id);
    expect(done).toMatchObject({ status: "succeeded", rowsScored: 250 });
    // finalise's summary is what the stored rows say: counts per level and the mean risk.
    const stored = await handle.db
      .select({ riskScore: batchScores.riskScore, riskLevel: batchScores.riskLevel })
      .from(batchScores)
      .where(eq(batchScores.batchId, batch.id));
    expect(stored).toHaveLength(250);
    const levels = { low: 0, medium: 0, high: 0 };
    for (const row of stored) levels[row.riskLevel as keyof typeof levels] += 1;
    expect(done.summary?.levels).toEqual(levels);
    expect(levels.low + levels.medium + levels.high).toBe(250);
    const mean = stored.reduce((sum, row) => sum + row.riskScore, 0) / stored.length;
    expect(done.summary?.meanRiskScore).toBeCloseTo(mean, 6);
    expect(done.summary).toMatchObject({
      missingColumns: [],
      ignoredColumns: ["customerID"],
      identifier: "customerID",
    });
  });

  it("onFailure marks the batch failed with a readable error, or cancelled, and removes its rows", async () => {
    const batch = await newBatch(120);
    const data = { batchId: batch.id, rowCount: 120, chunkRows: 100 };
    await handle.db.update(scoreBatches).set({ status: "running" }).where(eq(scoreBatches.id, batch.id));
    await handle.db.insert(batchScores).values({
      batchId: batch.id,
      rowNumber: 1,
      riskScore: 0.5,
      riskLevel: "medium",
      drivers: [],
    });
    await scoreBatch.onFailure?.({
      db: handle.db,
      data,
      error: new Error("Out of memory\n  at x"),
      jobId: "j1",
    });
    expect(await getBatch(handle.db, batch.id)).toMatchObject({
      status: "failed",
      error: "Scoring failed: Out of memory",
      rowsScored: 0,
    });
    const [{ n }] = await handle.db
      .select({ n: count() })
      .from(batchScores)
      .where(eq(batchScores.batchId, batch.id));
    expect(n).toBe(0);

    const other = await newBatch(120);
    await scoreBatch.onFailure?.({
      db: handle.db,
      data: { ...data, batchId: other.id },
      error: new JobCancelledError(),
      jobId: "j2",
    });
    expect(await getBatch(handle.db, other.id)).toMatchObject({ status: "cancelled", error: "Cancelled" });
  });

  it("rejects event data it cannot plan steps from", () => {
    expect(() => scoreBatch.parse({ batchId: 1 })).toThrow();
    expect(() => scoreBatch.parse({ batchId: 1, rowCount: 0, chunkRows: 100 })).toThrow();
    expect(scoreBatch.parse({ batchId: 1, rowCount: 5, chunkRows: 100 })).toEqual({
      batchId: 1,
      rowCount: 5,
      chunkRows: 100,
    });
    expect(scoreBatch.steps({ batchId: 1, rowCount: 20_001, chunkRows: 10_000 }).map((s) => s.id)).toEqual([
      "load",
      "score-chunk-1",
      "score-chunk-2",
      "score-chunk-3",
      "finalise",
    ]);
  });
});
