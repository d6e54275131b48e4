/**
 * The training pipeline end to end through the embedded runner: every step, the registry, the
 * champion, scoring, cancellation, failures, and resuming an interrupted run without redoing the
 * steps it had finished.
 */
import { and, asc, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trainModels } from "@/jobs/functions/train-models";
import type { RawRecord } from "@/lib/ml/features";
import type { DatabaseHandle } from "../../db/client";
import { customers, jobSteps, jobs, models, scores, trainingRuns } from "../../db/schema";
import { resetServerEnvCache } from "../../env";
import { getStorage } from "../../storage";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { createUser } from "../../testing/factories";
import { type Actor, listAudit } from "../audit";
import { importDatasetFromFile } from "../datasets";
import { churnCsv } from "../datasets/test-helpers";
import { loadModel, sha256Hex } from "../models/artifacts";
import { type RiskDriver, topDrivers } from "../scoring";
import { ComputePool, setComputePool } from "./compute-pool";
import { trainingRunTag } from "./interrupt";
import { pipelineSteps } from "./plan";
import { beginStep } from "./run-state";
import { cancelTraining, getRun, startTraining } from "./runs";
import {
  countingFunction,
  importSyntheticDataset,
  runUntilFinished,
  slowToTrainCsv,
  testRunner,
  useTemporaryDataDir,
} from "./test-helpers";

describe.each(testDatabaseKinds())("training pipeline on %s", (kind) => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  let actor: Actor;

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    handle = await createTestDatabase(kind);
    const { user } = await createUser(handle.db, "manager");
    actor = { id: user.id, label: user.email };
  });
  afterAll(async () => {
    await handle?.close();
    dataDir?.cleanup();
  });

  it("runs every step, registers the models, picks a champion and scores every customer", async () => {
    const db = handle.db;
    const dataset = await importSyntheticDataset(db, actor, "Synthetic full run", 400);
    const run = await startTraining(
      db,
      actor,
      { datasetVersionId: dataset.datasetVersionId },
      { functions: [trainModels] },
    );
    expect(run).toMatchObject({ status: "queued", jobId: expect.any(String) });

    const finished = await runUntilFinished(testRunner(db), db, run.id);
    expect(finished).toMatchObject({ status: "succeeded", progress: 1, error: null });
    expect(finished.startedAt).toBeInstanceOf(Date);
    expect(finished.finishedAt).toBeInstanceOf(Date);

    const steps = await db
      .select()
      .from(jobSteps)
      .where(eq(jobSteps.jobId, run.jobId as string));
    expect(steps.map((s) => s.stepId).sort()).toEqual(
      pipelineSteps()
        .map((s) => s.id)
        .sort(),
    );
    for (const step of steps) expect(JSON.parse(JSON.stringify(step.result))).toEqual(step.result);

    const registered = await db.select().from(models).where(eq(models.runId, run.id)).orderBy(asc(models.id));
    expect(registered.map((m) => m.algorithm).sort()).toEqual([
      "blend",
      "gradient_boosting",
      "logistic_regression",
      "random_forest",
      "svm",
    ]);
    expect(registered.filter((m) => m.status === "champion")).toHaveLength(1);
    // The fifth candidate blends the two best single models; each single model records its search.
    const singles = registered.filter((m) => m.algorithm !== "blend").sort((a, b) => b.cvAuc - a.cvAuc);
    const blend = registered.find((m) => m.algorithm === "blend");
    const blendParams = blend?.params as { blend: { members: string[]; weight: number } };
    expect(blendParams.blend.members).toEqual([singles[0].algorithm, singles[1].algorithm]);
    expect(blendParams.blend.weight).toBeGreaterThanOrEqual(0);
    for (const single of singles) {
      const params = single.params as {
        folds: number;
        tuning: { budget: string; perFold: unknown[]; candidates: number };
      };
      expect(params.tuning.budget).toBe("quick");
      // One search per training fold; quick compares 3 settings for the trees, keeps the linear models'.
      expect(params.tuning.perFold).toHaveLength(params.folds);
      const isTree = single.algorithm === "random_forest" || single.algorithm === "gradient_boosting";
      expect(params.tuning.candidates).toBe(isTree ? 3 : 0);
    }
    for (const model of registered) {
      expect(model.cvAuc).toBeGreaterThan(0.6);
      expect(model.importance.length).toBeGreaterThan(0);
      expect(model.artifactKey).toBe(`models/run-${run.id}/${model.algorithm}.json`);
      expect(sha256Hex(await getStorage().getBytes(model.artifactKey))).toBe(model.artifactSha256);
      const curves = model.curves as { test: { roc: unknown[] }; scoreHistogram: { churned: number[] } };
      expect(curves.test.roc.length).toBeGreaterThan(2);
      expect(curves.scoreHistogram.churned).toHaveLength(100);
    }
    const champion = registered.find((m) => m.status === "champion");
    expect(champion?.cvAuc).toBe(Math.max(...registered.map((m) => m.cvAuc)));

    const [{ n: customerCount }] = await db
      .select({ n: count() })
      .from(customers)
      .where(eq(customers.datasetVersionId, dataset.datasetVersionId));
    const scored = await db
      .select()
      .from(scores)
      .where(eq(scores.modelId, champion?.id as number));
    expect(scored).toHaveLength(customerCount);
    for (const score of scored.slice(0, 20)) {
      expect(score.riskScore).toBeGreaterThanOrEqual(0);
      expect(score.riskScore).toBeLessThanOrEqual(1);
      expect(score.riskLevel).toBe(
        score.riskScore >= 0.6 ? "high" : score.riskScore >= 0.3 ? "medium" : "low",
      );
      expect(score.drivers).toHaveLength(3);
    }

    const detail = await getRun(db, run.id);
    expect(detail.steps.every((s) => s.state === "done")).toBe(true);
    expect(detail.models).toHaveLength(5);
    const { entries } = await listAudit(db, { limit: 10, action: "model.champion_selected" });
    expect(entries[0]).toMatchObject({ actorLabel: "system", targetId: String(champion?.id) });
  });

  it("on worker threads, fits the algorithms ahead in parallel and scores as the model explains", async () => {
    const db = handle.db;
    const pool = new ComputePool({ size: 2 });
    const submitted: { task: string; algorithm?: string; at: number }[] = [];
    const run = pool.run.bind(pool);
    pool.run = ((request: Parameters<typeof pool.run>[0]) => {
      const input = request.input as { algorithm?: string };
      submitted.push({ task: request.task, algorithm: input.algorithm, at: Date.now() });
      return run(request);
    }) as typeof pool.run;
    await setComputePool(pool);
    try {
      const dataset = await importSyntheticDataset(db, actor, "Synthetic worker run", 400);
      const started = await startTraining(
        db,
        actor,
        { datasetVersionId: dataset.datasetVersionId },
        { functions: [trainModels] },
      );
      const finished = await runUntilFinished(testRunner(db), db, started.id);
      expect(finished.status).toBe("succeeded");
      expect(pool.mode).toBe("workers");

      // Each algorithm trained once, all four submitted before the first algorithm step finished.
      const trainTasks = submitted.filter((s) => s.task === "train");
      expect(trainTasks.map((s) => s.algorithm).sort()).toEqual([
        "gradient_boosting",
        "logistic_regression",
        "random_forest",
        "svm",
      ]);
      const [firstTrainStep] = await db
        .select()
        .from(jobSteps)
        .where(
          and(eq(jobSteps.jobId, started.jobId as string), eq(jobSteps.stepId, "train-logistic_regression")),
        );
      for (const task of trainTasks) expect(task.at).toBeLessThanOrEqual(firstTrainStep.finishedAt.getTime());

      // Scores and drivers computed on the workers are the stored champion's own explanations.
      const [champion] = await db
        .select()
        .from(models)
        .where(and(eq(models.runId, started.id), eq(models.status, "champion")));
      const model = await loadModel(db, champion.id);
      const rows = await db
        .select({ features: customers.features, riskScore: scores.riskScore, drivers: scores.drivers })
        .from(scores)
        .innerJoin(customers, eq(customers.id, scores.customerId))
        .where(eq(scores.modelId, champion.id))
        .orderBy(asc(customers.id))
        .limit(25);
      expect(rows).toHaveLength(25);
      for (const row of rows) {
        const record = row.features as RawRecord;
        const [explained] = model.explain([record], { engineered: "split" });
        expect(row.riskScore).toBeCloseTo(explained.riskScore, 6);
        expect((row.drivers as RiskDriver[]).map((d) => [d.column, d.contribution])).toEqual(
          topDrivers(explained, record).map((d) => [d.column, d.contribution]),
        );
      }
    } finally {
      await setComputePool(new ComputePool({ size: 0 }));
    }
  }, 180_000);

  it("trains only the chosen algorithms and archives the previous champion", async () => {
    const db = handle.db;
    const dataset = await importSyntheticDataset(db, actor, "Synthetic two runs", 300);
    const first = await startTraining(
      db,
      actor,
      { datasetVersionId: dataset.datasetVersionId, algorithms: ["logistic_regression"] },
      { functions: [trainModels] },
    );
    await runUntilFinished(testRunner(db), db, first.id);
    const second = await startTraining(
      db,
      actor,
      {
        datasetVersionId: dataset.datasetVersionId,
        algorithms: ["gradient_boosting"],
        balancing: "smote",
        folds: 3,
      },
      { functions: [trainModels] },
    );
    const done = await runUntilFinished(testRunner(db), db, second.id);
    expect(done.status).toBe("succeeded");
    const all = await db
      .select()
      .from(models)
      .where(eq(models.datasetId, dataset.datasetId))
      .orderBy(asc(models.id));
    expect(all.map((m) => [m.algorithm, m.version, m.status])).toEqual([
      ["logistic_regression", 1, "archived"],
      ["gradient_boosting", 2, "champion"],
    ]);
    const balance = await db
      .select({ result: jobSteps.result })
      .from(jobSteps)
      .where(and(eq(jobSteps.jobId, second.jobId as string), eq(jobSteps.stepId, "balance")));
    expect(balance[0].result).toMatchObject({ strategy: "smote" });
    const after = (balance[0].result as { after: { churned: number; retained: number } }).after;
    expect(after.churned).toBe(after.retained);
  });

  it("never leaves a champion without scores: a run whose scoring fails promotes nothing", async () => {
    const db = handle.db;
    const dataset = await importSyntheticDataset(db, actor, "Synthetic scoring fails", 300);
    const championOf = () =>
      db
        .select({ id: models.id, runId: models.runId })
        .from(models)
        .where(and(eq(models.datasetId, dataset.datasetId), eq(models.status, "champion")));
    const scoresOf = async (modelId: number) =>
      (await db.select({ n: count() }).from(scores).where(eq(scores.modelId, modelId)))[0].n;
    let scoringAttempts = 0;
    /** Trains logistic regression; with `failScoring`, every attempt at the score step throws. */
    const train = async (failScoring: boolean) => {
      const run = await startTraining(
        db,
        actor,
        { datasetVersionId: dataset.datasetVersionId, algorithms: ["logistic_regression"] },
        { functions: [trainModels] },
      );
      const { fn } = countingFunction(trainModels, (stepId) => {
        if (!failScoring || stepId !== "score") return undefined;
        return (async () => {
          scoringAttempts += 1;
          await beginStep(db, run.id, "score");
          throw new Error("The database went away while scoring");
        })();
      });
      return runUntilFinished(testRunner(db, { functions: [fn] }), db, run.id);
    };

    // The first run fails to score: the dataset has no champion rather than one with 0 scores.
    const first = await train(true);
    expect(first.status).toBe("failed");
    expect(first.error).toMatch(/^Scoring every customer.* failed: The database went away/);
    expect(scoringAttempts).toBe(3); // every attempt failed
    expect(await championOf()).toEqual([]);
    const firstModels = await db
      .select({ status: models.status })
      .from(models)
      .where(eq(models.runId, first.id));
    expect(firstModels).toEqual([{ status: "candidate" }]);

    const second = await train(false);
    expect(second.status).toBe("succeeded");
    const [champion] = await championOf();
    expect(champion.runId).toBe(second.id);
    expect(await scoresOf(champion.id)).toBe(300);

    // A later run that fails to score leaves that champion, and its scores, in place.
    const third = await train(true);
    expect(third.status).toBe("failed");
    expect(await championOf()).toEqual([champion]);
    expect(await scoresOf(champion.id)).toBe(300);
    const thirdModels = await db
      .select({ status: models.status })
      .from(models)
      .where(eq(models.runId, third.id));
    expect(thirdModels).toEqual([{ status: "candidate" }]);
  });

  it("fails a step past its time budget with a message naming it, and the queue moves on", async () => {
    const db = handle.db;
    const slow = await importDatasetFromFile(db, actor, {
      bytes: new TextEncoder().encode(slowToTrainCsv()),
      name: "Wide and slow",
    });
    const small = await importSyntheticDataset(db, actor, "Synthetic after a slow run", 300);
    process.env.TRAINING_STEP_MAX_MINUTES = "0.05"; // 3 seconds
    resetServerEnvCache();
    try {
      const runs = [];
      for (const dataset of [slow, small]) {
        runs.push(
          await startTraining(
            db,
            actor,
            { datasetVersionId: dataset.datasetVersionId, algorithms: ["logistic_regression"] },
            { functions: [trainModels] },
          ),
        );
      }
      await testRunner(db).drain();
      const [failed, next] = await Promise.all(runs.map((r) => getRun(db, r.id)));
      expect(failed.status).toBe("failed");
      expect(failed.error).toBe(
        "Training logistic regression took longer than 3 seconds, the most one step may take, and was stopped. " +
          "The dataset has 3,000 customers and 39 columns to learn from: exclude columns that do not describe " +
          "customers, choose fewer algorithms or cross-validation folds, or ask an admin to raise TRAINING_STEP_MAX_MINUTES.",
      );
      const [job] = await db
        .select()
        .from(jobs)
        .where(eq(jobs.id, runs[0].jobId as string));
      expect(job.status).toBe("failed");
      expect(job.finishedAt).toBeInstanceOf(Date);
      expect(next.status).toBe("succeeded");
    } finally {
      delete process.env.TRAINING_STEP_MAX_MINUTES;
      resetServerEnvCache();
    }
  }, 180_000);

  it("on worker threads, a cancelled run stops inside its training step instead of finishing it", async () => {
    const db = handle.db;
    const pool = new ComputePool({ size: 1 });
    await setComputePool(pool);
    try {
      const dataset = await importDatasetFromFile(db, actor, {
        bytes: new TextEncoder().encode(slowToTrainCsv()),
        name: "Wide and cancelled",
      });
      const run = await startTraining(
        db,
        actor,
        { datasetVersionId: dataset.datasetVersionId, algorithms: ["logistic_regression"] },
        { functions: [trainModels] },
      );
      const draining = runUntilFinished(testRunner(db), db, run.id);
      while (!pool.isRunning(trainingRunTag(run.id))) await new Promise((r) => setTimeout(r, 50));
      await cancelTraining(db, actor, run.id);
      const done = await draining;
      expect(done).toMatchObject({ status: "cancelled", error: "Cancelled" });
      expect(await db.select().from(models).where(eq(models.runId, run.id))).toEqual([]);
      const finishedSteps = await db
        .select({ stepId: jobSteps.stepId })
        .from(jobSteps)
        .where(eq(jobSteps.jobId, run.jobId as string));
      expect(finishedSteps.map((s) => s.stepId)).not.toContain("train-logistic_regression");
      expect(pool.workerCount).toBe(1); // stopped by its own check, not by terminating the worker
    } finally {
      await setComputePool(new ComputePool({ size: 0 }));
    }
  }, 180_000);

  it("resumes a run interrupted after its third step without redoing steps 1-3", async () => {
    const db = handle.db;
    const dataset = await importSyntheticDataset(db, actor, "Synthetic resume", 300);
    const run = await startTraining(
      db,
      actor,
      {
        datasetVersionId: dataset.datasetVersionId,
        algorithms: ["logistic_regression", "gradient_boosting"],
      },
      { functions: [trainModels] },
    );
    const leaseMs = 60_000;
    let crashing: ReturnType<typeof testRunner> | null = null;
    // The first worker dies as its fourth step ("split") starts: nothing more is written by it.
    const { fn, counts } = countingFunction(trainModels, (stepId, execution) => {
      if (stepId !== "split" || execution > 1) return undefined;
      crashing?.kill();
      return new Promise(() => {});
    });
    crashing = testRunner(db, { functions: [fn], leaseMs });
    await crashing.drain();
    const [interrupted] = await db.select().from(trainingRuns).where(eq(trainingRuns.id, run.id));
    expect(interrupted.status).toBe("running");
    const before = await db
      .select()
      .from(jobSteps)
      .where(eq(jobSteps.jobId, run.jobId as string));
    expect(before.map((s) => s.stepId).sort()).toEqual(["features", "load", "validate"]);
    const resumedAt = new Date();

    // A new worker after the dead one's lease expired (its clock is past the lease).
    const resumed = testRunner(db, {
      functions: [fn],
      leaseMs,
      now: () => new Date(Date.now() + 2 * leaseMs),
    });
    const done = await runUntilFinished(resumed, db, run.id);
    expect(done.status).toBe("succeeded");
    expect(counts).toMatchObject({
      load: 1,
      validate: 1,
      features: 1,
      split: 2,
      balance: 1,
      score: 1,
      notify: 1,
    });
    const after = await db
      .select()
      .from(jobSteps)
      .where(eq(jobSteps.jobId, run.jobId as string));
    for (const step of after) {
      const original = before.find((b) => b.stepId === step.stepId);
      if (original) expect(step.finishedAt).toEqual(original.finishedAt);
      else expect(step.finishedAt.getTime()).toBeGreaterThanOrEqual(resumedAt.getTime());
    }
  });

  it("stops a cancelled run before its next step and marks it cancelled", async () => {
    const db = handle.db;
    const dataset = await importSyntheticDataset(db, actor, "Synthetic cancel", 300);
    const run = await startTraining(
      db,
      actor,
      { datasetVersionId: dataset.datasetVersionId },
      { functions: [trainModels] },
    );
    const { fn, counts } = countingFunction(trainModels, (stepId) => {
      if (stepId !== "features") return undefined;
      return (async () => {
        await cancelTraining(db, actor, run.id);
        return { cancelledDuringStep: true };
      })();
    });
    const done = await runUntilFinished(testRunner(db, { functions: [fn] }), db, run.id);
    expect(done).toMatchObject({ status: "cancelled", cancelRequested: true, error: "Cancelled" });
    expect(done.finishedAt).toBeInstanceOf(Date);
    expect(counts.split ?? 0).toBe(0);
    expect(await db.select().from(models).where(eq(models.runId, run.id))).toHaveLength(0);
    const detail = await getRun(db, run.id);
    expect(detail.steps.find((s) => s.id === "split")?.state).not.toBe("done");
  });

  it("fails a run with a readable error instead of leaving it running", async () => {
    const db = handle.db;
    // 11 churners: 9 in the training part, too few for 10-fold cross-validation.
    const imported = await importDatasetFromFile(db, actor, {
      bytes: new TextEncoder().encode(churnCsv(80, { churn: (i) => (i < 11 ? "Yes" : "No") })),
      name: "Too few churners",
    });
    const run = await startTraining(
      db,
      actor,
      { datasetVersionId: imported.datasetVersionId, folds: 10 },
      { functions: [trainModels] },
    );
    const done = await runUntilFinished(testRunner(db), db, run.id);
    expect(done.status).toBe("failed");
    expect(done.error).toMatch(/^Validating the data failed: The training part has only 9 churned customers/);
    // The dataset is free again for a new run.
    const retry = await startTraining(
      db,
      actor,
      { datasetVersionId: imported.datasetVersionId, folds: 3, algorithms: ["logistic_regression"] },
      { functions: [trainModels] },
    );
    expect(retry.status).toBe("queued");
    await runUntilFinished(testRunner(db), db, retry.id);
  });
});
