/**
 * The training function under Inngest (through the adapter, with @inngest/test), and the rules
 * both executors rely on: every step result survives a JSON round trip unchanged, and onFailure
 * closes the run as failed or cancelled.
 */
import { InngestTestEngine } from "@inngest/test";
import { eq } from "drizzle-orm";
import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@/server/db/client";
import { models, trainingRuns } from "@/server/db/schema";
import { type Actor, listAudit } from "@/server/services/audit";
import type { ImportResult } from "@/server/services/datasets";
import { startTraining } from "@/server/services/training";
import { pipelineSteps } from "@/server/services/training/plan";
import { importSyntheticDataset, useTemporaryDataDir } from "@/server/services/training/test-helpers";
import { createTestDatabase } from "@/server/testing/database";
import { createUser } from "@/server/testing/factories";
import { JobCancelledError } from "../errors";
import { toInngestFunctions } from "../inngest-adapter";
import { toStepResult } from "../json";
import { TRAINING_REQUESTED, trainModels } from "./train-models";

describe("train-models under Inngest", () => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  let actor: Actor;
  let dataset: ImportResult;

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    handle = await createTestDatabase("pglite");
    const { user } = await createUser(handle.db, "manager");
    actor = { id: user.id, label: user.email };
    dataset = await importSyntheticDataset(handle.db, actor, "Inngest", 300);
  });
  afterAll(async () => {
    await handle?.close();
    dataDir?.cleanup();
  });

  const engine = () => {
    const [main] = toInngestFunctions(trainModels, {
      client: new Inngest({ id: "churnguard" }),
      getDb: async () => handle.db,
    });
    return new InngestTestEngine({ function: main });
  };

  const newRun = (algorithms: ("logistic_regression" | "gradient_boosting")[]) =>
    startTraining(
      handle.db,
      actor,
      { datasetVersionId: dataset.datasetVersionId, algorithms, folds: 3 },
      { functions: [trainModels] },
    );

  it("runs every pipeline step as an Inngest step and finishes the run", async () => {
    const run = await newRun(["logistic_regression", "gradient_boosting"]);
    const { result, error, ctx } = await engine().execute({
      events: [{ name: TRAINING_REQUESTED, data: { runId: run.id, _churnguardJobId: "job_inngest_1" } }],
    });
    expect(error).toBeUndefined();
    const stepIds = pipelineSteps().map((s) => s.id);
    expect(result).toEqual({ jobId: "job_inngest_1", steps: stepIds });
    expect(ctx.step.run).toHaveBeenCalledTimes(stepIds.length);
    stepIds.forEach((id, i) => {
      expect(ctx.step.run).toHaveBeenNthCalledWith(i + 1, id, expect.any(Function));
    });

    // Every step's output is plain JSON: storing and reading it back changes nothing.
    const outputs: Record<string, unknown> = {};
    const calls = vi.mocked(ctx.step.run).mock;
    for (const [i, [id]] of calls.calls.entries()) outputs[id as string] = await calls.results[i].value;
    expect(Object.keys(outputs)).toEqual(stepIds);
    for (const id of stepIds) {
      expect(outputs[id]).not.toBeUndefined();
      expect(JSON.parse(JSON.stringify(outputs[id]))).toEqual(outputs[id]);
      expect(toStepResult(outputs[id], id)).toEqual(outputs[id]);
    }
    expect(outputs["train-svm"]).toEqual({ algorithm: "svm", skipped: true });
    expect(outputs["train-gradient_boosting"]).toMatchObject({
      algorithm: "gradient_boosting",
      cvAuc: expect.any(Number),
    });

    const [finished] = await handle.db.select().from(trainingRuns).where(eq(trainingRuns.id, run.id));
    expect(finished).toMatchObject({ status: "succeeded", progress: 1 });
    const registered = await handle.db.select().from(models).where(eq(models.runId, run.id));
    // The two algorithms and their blend (the fifth-candidate step).
    expect(registered.map((m) => m.algorithm).sort()).toEqual([
      "blend",
      "gradient_boosting",
      "logistic_regression",
    ]);
    expect(outputs.blend).toMatchObject({ algorithm: "blend", members: expect.any(Array) });
    expect(registered.filter((m) => m.status === "champion")).toHaveLength(1);
  });

  it("stops at the first step of a run cancelled before it started, with a non-retriable error", async () => {
    const run = await newRun(["logistic_regression"]);
    await handle.db.update(trainingRuns).set({ cancelRequested: true }).where(eq(trainingRuns.id, run.id));
    const { error, ctx } = await engine().execute({
      events: [{ name: TRAINING_REQUESTED, data: { runId: run.id } }],
    });
    expect(String((error as Error | undefined)?.message ?? error)).toMatch(/was cancelled/);
    expect(ctx.step.run).toHaveBeenCalledTimes(1);
    await handle.db.update(trainingRuns).set({ status: "cancelled" }).where(eq(trainingRuns.id, run.id));
  });

  it("onFailure closes the run as failed with a readable error, or as cancelled", async () => {
    const failing = await newRun(["logistic_regression"]);
    await handle.db
      .update(trainingRuns)
      .set({ status: "running", currentStep: "train-logistic_regression" })
      .where(eq(trainingRuns.id, failing.id));
    await trainModels.onFailure?.({
      db: handle.db,
      data: { runId: failing.id },
      error: new Error("Out of memory\n    at stack frame"),
      jobId: "job_x",
    });
    const [failed] = await handle.db.select().from(trainingRuns).where(eq(trainingRuns.id, failing.id));
    expect(failed).toMatchObject({
      status: "failed",
      error: "Training logistic regression failed: Out of memory",
    });
    expect(failed.finishedAt).toBeInstanceOf(Date);

    const cancelling = await newRun(["logistic_regression"]);
    await handle.db.update(trainingRuns).set({ status: "running" }).where(eq(trainingRuns.id, cancelling.id));
    await trainModels.onFailure?.({
      db: handle.db,
      data: { runId: cancelling.id },
      error: new JobCancelledError(),
      jobId: "job_y",
    });
    const [cancelled] = await handle.db.select().from(trainingRuns).where(eq(trainingRuns.id, cancelling.id));
    expect(cancelled).toMatchObject({ status: "cancelled", error: "Cancelled" });
    expect(
      (await listAudit(handle.db, { limit: 20, action: "training.started" })).entries.length,
    ).toBeGreaterThan(0);
  });

  it("rejects event data without a run id", () => {
    expect(() => trainModels.parse({})).toThrow();
    expect(() => trainModels.parse({ runId: "3" })).toThrow();
    expect(trainModels.parse({ runId: 3 })).toEqual({ runId: 3 });
  });
});
