/**
 * The training pipeline's steps as plain service calls (the durable function in
 * jobs/functions/train-models.ts only sequences them). Each step:
 * - starts by checking the run (cancelled → stops with NonRetriableError) and publishing progress;
 * - recomputes the data it needs from the dataset version and the run's seed (run-data.ts);
 * - writes its outcome idempotently (models are upserted per run + algorithm at a fixed artifact
 *   key, scores per customer + model, the champion change is a no-op when already made);
 * - returns a small JSON summary, which the executor stores as the step's result.
 *
 * Nothing is ever fitted on held-out rows: the split is made before any fitting, each algorithm is
 * cross-validated and then fitted on the training part only (feature pipeline, balancing inside
 * each fold, classifier, threshold on out-of-fold predictions), and the held-out part is only
 * predicted, for the test metrics, the curves and the explanations.
 */
import { eq } from "drizzle-orm";
import { fieldOf } from "@/lib/column-record";
import {
  type ChurnModel,
  DatasetError,
  detectEngineeredFeatures,
  FeaturePipeline,
  featureColumns,
  type RecordExplanation,
  selectChampion,
  selectRows,
} from "@/lib/ml";
import { balancedClassWeights, balanceTrainingSet } from "@/lib/ml/balance";
import { assertTrainable } from "@/lib/ml/data";
import type { RawRecord } from "@/lib/ml/features";
import type { Algorithm } from "@/lib/ml/types";
import { serverEnv, usesInngest } from "@/server/env";
import type { Database } from "../../db/client";
import { models } from "../../db/schema";
import { NonRetriableError } from "../../durable/contract";
import { type FileStorage, getStorage } from "../../storage";
import { SYSTEM_ACTOR } from "../audit";
import { DatasetNotFoundError } from "../datasets";
import { ArtifactIntegrityError, artifactKey, sha256Hex } from "../models/artifacts";
import { setChampion, upsertCandidateModel } from "../models/registry";
import { decideChallenger, isChallengerRun } from "../retraining/challenger";
import { type CustomerTable, loadCurrentFeatures, overlayCurrentFeatures, scoreCustomers } from "../scoring";
import { getRiskBands } from "../settings";
import { SCORE_TASK_ROWS, type ScoreOutput, type TrainOutput } from "./compute";
import { getComputePool, runCompute } from "./compute-pool";
import { type CompletedEvent, type ModelEvent, TRAINING_EVENTS } from "./events";
import { formatDuration, isComputeBudgetExceeded, isComputeCancelled, trainingRunTag } from "./interrupt";
import { ALGORITHM_LABELS, ALGORITHMS } from "./params";
import { pipelineSteps, trainStepId } from "./plan";
import { publishRunEvent } from "./publish";
import { loadRunData, loadVersionData, type RunData } from "./run-data";
import {
  type ActiveRun,
  beginStep,
  finishStep,
  getRunRecord,
  markRunSucceeded,
  reportStepProgress,
  TrainingCancelledError,
} from "./run-state";

export interface StepOptions {
  storage?: FileStorage;
}

type StepResult = Record<string, unknown>;

const pct = (value: number) => `${(value * 100).toFixed(1)} %`;
const count = (value: number) => value.toLocaleString("en-US");

/** Errors about the data a person must fix: retrying cannot help. */
function asNonRetriable(error: unknown): never {
  if (error instanceof DatasetError || error instanceof DatasetNotFoundError) {
    throw new NonRetriableError(error.message);
  }
  throw error;
}

async function runData(db: Database, active: ActiveRun) {
  try {
    return await loadRunData(db, active.run.datasetVersionId, active.params);
  } catch (error) {
    asNonRetriable(error);
  }
}

// ─── load → validate → features → split → balance ─────────────────────────────────────────────

export async function loadStep(db: Database, runId: number): Promise<StepResult> {
  const active = await beginStep(db, runId, "load");
  // The training workers load while the data is read and checked.
  getComputePool().warm();
  let data: Awaited<ReturnType<typeof loadVersionData>>;
  try {
    data = await loadVersionData(db, active.run.datasetVersionId);
  } catch (error) {
    asNonRetriable(error);
  }
  const result = {
    datasetVersionId: data.table.datasetVersionId,
    version: data.table.version,
    rows: data.table.rows.length,
    columns: data.table.columns.length,
    labelledRows: data.training.labels.length,
  };
  await finishStep(active, db, "load", `${count(result.rows)} customers, ${result.columns} columns`);
  return result;
}

export async function validateStep(db: Database, runId: number): Promise<StepResult> {
  const active = await beginStep(db, runId, "validate");
  const data = await runData(db, active);
  try {
    assertTrainable(data.table.schema);
  } catch (error) {
    asNonRetriable(error);
  }
  const labels = data.training.labels;
  let churned = 0;
  for (const label of labels) churned += label;
  const retained = labels.length - churned;
  const { folds } = active.params;
  const trainChurned = count1(data.trainLabels);
  const trainRetained = data.trainLabels.length - trainChurned;
  if (Math.min(trainChurned, trainRetained) < folds) {
    throw new NonRetriableError(
      `The training part has only ${Math.min(trainChurned, trainRetained)} ${trainChurned < trainRetained ? "churned" : "retained"} customers; ${folds}-fold cross-validation needs at least ${folds}. Use fewer folds or more data.`,
    );
  }
  if (count1(data.testLabels) === 0 || count1(data.testLabels) === data.testLabels.length) {
    throw new NonRetriableError(
      "The held-out test part would contain only one class: the dataset is too small to evaluate.",
    );
  }
  const result = {
    labelledRows: labels.length,
    unlabelledRows: data.table.rows.length - labels.length,
    churned,
    retained,
    churnRate: labels.length ? churned / labels.length : 0,
    featureColumns: featureColumns(data.table.schema).length,
    warnings: data.table.schema.warnings.slice(0, 10),
  };
  await finishStep(
    active,
    db,
    "validate",
    `${count(labels.length)} labelled customers, ${pct(result.churnRate)} churned, ${result.featureColumns} feature columns`,
  );
  return result;
}

export async function featuresStep(db: Database, runId: number): Promise<StepResult> {
  const active = await beginStep(db, runId, "features");
  const data = await runData(db, active);
  const schema = data.table.schema;
  // Fitted on the training part only, to report what the models will see; each model fits its own.
  const pipeline = FeaturePipeline.fromSchema(schema).fit(data.training.frame, data.split.train);
  const engineered = detectEngineeredFeatures(schema).map((s) => ({
    name: s.name,
    description: s.description,
  }));
  const result = {
    inputColumns: featureColumns(schema).map((c) => c.name),
    engineered,
    encodedFeatures: pipeline.featureNames.length,
  };
  await finishStep(
    active,
    db,
    "features",
    `${result.inputColumns.length} columns and ${engineered.length} engineered features → ${result.encodedFeatures} model inputs`,
  );
  return result;
}

export async function splitStep(db: Database, runId: number): Promise<StepResult> {
  const active = await beginStep(db, runId, "split");
  const data = await runData(db, active);
  const result = {
    seed: active.params.seed,
    testFraction: active.params.testFraction,
    trainRows: data.split.train.length,
    testRows: data.split.validation.length,
    trainChurned: count1(data.trainLabels),
    testChurned: count1(data.testLabels),
  };
  await finishStep(
    active,
    db,
    "split",
    `${count(result.trainRows)} training rows, ${count(result.testRows)} held-out test rows (stratified, seed ${result.seed})`,
  );
  return result;
}

export async function balanceStep(db: Database, runId: number): Promise<StepResult> {
  const active = await beginStep(db, runId, "balance");
  const data = await runData(db, active);
  const strategy = active.params.balancing;
  const churned = count1(data.trainLabels);
  const before = { churned, retained: data.trainLabels.length - churned };
  let after = before;
  let classWeights: { churned: number; retained: number } | null = null;
  if (strategy === "class_weights") {
    const w = balancedClassWeights(data.trainLabels);
    classWeights = { churned: w.positive, retained: w.negative };
  } else if (strategy === "smote") {
    // What the final fit on the whole training part gets; each CV fold balances its own rows.
    const frame = selectRows(data.training.frame, data.split.train);
    const pipeline = FeaturePipeline.fromSchema(data.table.schema).fit(frame);
    const balanced = balanceTrainingSet(pipeline.transform(frame), data.trainLabels, {
      method: "smote",
      seed: active.params.seed,
      categoricalGroups: pipeline.categoricalGroups,
    });
    const balancedChurned = count1(balanced.y);
    after = { churned: balancedChurned, retained: balanced.y.length - balancedChurned };
  }
  const result = {
    strategy,
    appliedTo: "each cross-validation training fold and the final training part; never held-out rows",
    before,
    after,
    classWeights,
  };
  const summary =
    strategy === "none"
      ? `No resampling: ${count(before.churned)} churned / ${count(before.retained)} retained`
      : strategy === "smote"
        ? `SMOTE inside each training fold: ${count(before.churned)} → ${count(after.churned)} churned`
        : `Class weights ${classWeights?.churned.toFixed(2)} (churned) / ${classWeights?.retained.toFixed(2)} (retained)`;
  await finishStep(active, db, "balance", summary);
  return result;
}

// ─── one step per algorithm ────────────────────────────────────────────────────────────────────

/**
 * Training computations started ahead of their steps, per database and `${runId}:${algorithm}`.
 * In the embedded mode, with worker threads, the first algorithm step starts every algorithm of the
 * run that has not finished yet: they fit in parallel on the workers while the steps are still
 * recorded one by one, in order, each consuming its own result (a retry computes again). Under
 * Inngest a later step may run in another process, so nothing is started ahead there.
 */
const prefetched = new WeakMap<Database, Map<string, Promise<TrainOutput>>>();

function shouldPrefetch(): boolean {
  return !usesInngest() && getComputePool().mode === "workers";
}

/** Drops and stops computations started for a run (it failed or was cancelled). */
export function discardPrefetchedTraining(db: Database, runId: number): void {
  const cache = prefetched.get(db);
  if (cache) for (const key of [...cache.keys()]) if (key.startsWith(`${runId}:`)) cache.delete(key);
  getComputePool().interrupt(trainingRunTag(runId));
}

/** How often a step waiting for a computation looks for a cancellation made by another process. */
const CANCEL_POLL_MS = 1_000;

/** The most one computation of a step may run (TRAINING_STEP_MAX_MINUTES). */
function stepBudgetMs(): number {
  return serverEnv().TRAINING_STEP_MAX_MINUTES * 60_000;
}

/**
 * Waits for a step's computation while watching its run: a cancellation, made in this process
 * (cancelTraining interrupts at once) or another one (seen here within CANCEL_POLL_MS), stops the
 * run's computations, and the outcome becomes an error a person can act on: cancelled, or past the
 * step's time budget (the run fails instead of keeping a worker, and the queue, busy).
 */
async function awaitComputation<T>(
  db: Database,
  active: ActiveRun,
  stepId: string,
  size: { customers: number; columns: number },
  computation: Promise<T>,
): Promise<T> {
  const runId = active.run.id;
  let isSettled = false;
  const poll = setInterval(() => {
    getRunRecord(db, runId)
      .then((run) => {
        if (!isSettled && run?.cancelRequested) getComputePool().interrupt(trainingRunTag(runId));
      })
      .catch(() => {}); // the next poll, or the step's own checks, will see it
  }, CANCEL_POLL_MS);
  poll.unref();
  try {
    return await computation;
  } catch (error) {
    if (isComputeCancelled(error)) throw new TrainingCancelledError(runId);
    if (isComputeBudgetExceeded(error)) {
      const label = active.plan.find((s) => s.id === stepId)?.label ?? "A training step";
      throw new NonRetriableError(
        `${label} took longer than ${formatDuration(stepBudgetMs())}, the most one step may take, and was stopped. ` +
          `The dataset has ${count(size.customers)} customers and ${count(size.columns)} columns to learn from: ` +
          "exclude columns that do not describe customers, choose fewer algorithms or cross-validation folds, " +
          "or ask an admin to raise TRAINING_STEP_MAX_MINUTES.",
      );
    }
    throw error;
  } finally {
    isSettled = true;
    clearInterval(poll);
  }
}

function sizeOf(data: RunData) {
  return { customers: data.training.labels.length, columns: featureColumns(data.table.schema).length };
}

function startTraining(active: ActiveRun, data: RunData, algorithm: Algorithm): Promise<TrainOutput> {
  const { params, run } = active;
  const output = runCompute({
    task: "train",
    table: data.table,
    split: { seed: params.seed, testFraction: params.testFraction },
    prepared: data,
    tag: trainingRunTag(run.id),
    budgetMs: stepBudgetMs(),
    input: {
      algorithm,
      seed: params.seed,
      testFraction: params.testFraction,
      folds: params.folds,
      balancing: params.balancing,
      trainedAt: run.createdAt.toISOString(),
      tuning: params.tuning,
    },
  });
  output.catch(() => {}); // awaited (and reported) by its own step
  return output;
}

async function trainingOutput(
  db: Database,
  active: ActiveRun,
  data: RunData,
  algorithm: Algorithm,
  results: Readonly<Record<string, unknown>>,
): Promise<TrainOutput> {
  let cache = prefetched.get(db);
  if (!cache) {
    cache = new Map();
    prefetched.set(db, cache);
  }
  const runId = active.run.id;
  const own = cache.get(`${runId}:${algorithm}`) ?? startTraining(active, data, algorithm);
  cache.delete(`${runId}:${algorithm}`);
  if (shouldPrefetch()) {
    for (const other of active.params.algorithms) {
      if (other === algorithm || Object.hasOwn(results, trainStepId(other))) continue;
      if (!cache.has(`${runId}:${other}`)) cache.set(`${runId}:${other}`, startTraining(active, data, other));
    }
  }
  return own;
}

export async function trainAlgorithmStep(
  db: Database,
  runId: number,
  algorithm: Algorithm,
  options: StepOptions = {},
  results: Readonly<Record<string, unknown>> = {},
): Promise<StepResult> {
  const stepId = trainStepId(algorithm);
  const active = await beginStep(db, runId, stepId);
  if (!active.params.algorithms.includes(algorithm)) return { algorithm, skipped: true };
  const { params, run } = active;
  const data = await runData(db, active);
  const out = await awaitComputation(
    db,
    active,
    stepId,
    sizeOf(data),
    trainingOutput(db, active, data, algorithm, results),
  );

  const storage = options.storage ?? getStorage();
  const artifact = await saveArtifactJson(out.modelJson, artifactKey(run.id, algorithm), storage);
  // The out-of-fold predictions, for the blend step (kept beside the artifact, not in the database).
  await storage.put(oofKey(run.id, algorithm), new TextEncoder().encode(JSON.stringify(out.oof)));
  const s = out.cv;
  const test = out.test;
  const registered = await upsertCandidateModel(db, {
    runId: run.id,
    datasetId: run.datasetId,
    datasetVersionId: run.datasetVersionId,
    algorithm,
    params: {
      classifier: out.classifierParams,
      balancing: params.balancing,
      folds: params.folds,
      seed: params.seed,
      testFraction: params.testFraction,
      thresholdObjective: "max churn-class F1 on out-of-fold predictions",
      featurePipeline: out.featurePipelineOptions,
      tuning: out.tuning,
    },
    metrics: {
      cv: s,
      test,
      finalFitRows: out.finalFitRows,
      trainingRows: out.trainingRows,
      testRows: out.testRows,
      crossValidationRows: out.crossValidationRows,
      encodedFeatures: out.encodedFeatures,
      finalFitSeconds: out.finalFitSeconds,
      trainingSeconds: out.trainingSeconds,
      artifactBytes: artifact.sizeBytes,
    },
    curves: { test: out.curves, scoreHistogram: out.scoreHistogram },
    threshold: out.threshold,
    cvAuc: s.cvAuc,
    cvAucStd: s.cvAucStd,
    f1Churn: s.f1Churn,
    f1Weighted: s.f1Weighted,
    brier: s.brier,
    fitSeconds: out.finalFitSeconds,
    artifactKey: artifact.key,
    artifactSha256: artifact.sha256,
    trainedById: run.createdById,
  });

  const event: ModelEvent = {
    runId: run.id,
    modelId: registered.id,
    algorithm,
    version: registered.version,
    status: registered.status,
    cvAuc: s.cvAuc,
    cvAucStd: s.cvAucStd,
    f1Churn: s.f1Churn,
    f1Weighted: s.f1Weighted,
    brier: s.brier,
    testAuc: test.rocAuc,
    fitSeconds: out.finalFitSeconds,
  };
  await publishRunEvent(run.id, TRAINING_EVENTS.model, event);
  await finishStep(
    active,
    db,
    stepId,
    `${ALGORITHM_LABELS[algorithm]}: CV AUC ${s.cvAuc.toFixed(3)} ± ${s.cvAucStd.toFixed(3)}, test AUC ${test.rocAuc.toFixed(3)}`,
  );
  return {
    algorithm,
    modelId: registered.id,
    version: registered.version,
    cvAuc: s.cvAuc,
    cvAucStd: s.cvAucStd,
    testAuc: test.rocAuc,
    f1Churn: s.f1Churn,
    f1Weighted: s.f1Weighted,
    brier: s.brier,
    threshold: out.threshold,
    fitSeconds: out.finalFitSeconds,
    trainingSeconds: out.trainingSeconds,
    artifactSha256: artifact.sha256,
  };
}

/** Where a model's out-of-fold predictions of the training part are kept (JSON array). */
export function oofKey(runId: number, algorithm: Algorithm): string {
  return `models/run-${runId}/${algorithm}.oof.json`;
}

/**
 * The fifth candidate: a blend of the run's two best models by CV AUC, weighted on their out-of-fold
 * predictions. It is registered as a candidate like the others and becomes champion only when its
 * (cross-fitted) CV AUC beats every single model's.
 */
export async function blendStep(db: Database, runId: number, options: StepOptions = {}): Promise<StepResult> {
  const active = await beginStep(db, runId, "blend");
  const { params, run } = active;
  const rows = (await modelsOfRun(db, runId)).filter((m) =>
    params.algorithms.includes(m.algorithm as Algorithm),
  );
  if (rows.length < 2) {
    await finishStep(active, db, "blend", "One model only: nothing to blend");
    return { skipped: true };
  }
  const [first, second] = [...rows].sort((a, b) => b.cvAuc - a.cvAuc || a.fitSeconds - b.fitSeconds);
  const storage = options.storage ?? getStorage();
  const memberOf = async (row: (typeof rows)[number]) => {
    const algorithm = row.algorithm as Algorithm;
    const cv = (row.metrics as { cv?: { foldAucs?: number[] } }).cv;
    return {
      algorithm,
      modelJson: await readArtifactJson(row.artifactKey, row.artifactSha256, storage),
      oof: JSON.parse(new TextDecoder().decode(await storage.getBytes(oofKey(runId, algorithm)))) as number[],
      foldAucs: cv?.foldAucs ?? [],
      fitSeconds: row.fitSeconds,
    };
  };
  const data = await runData(db, active);
  const out = await awaitComputation(
    db,
    active,
    "blend",
    sizeOf(data),
    runCompute({
      task: "blend",
      table: data.table,
      split: { seed: params.seed, testFraction: params.testFraction },
      prepared: data,
      tag: trainingRunTag(runId),
      budgetMs: stepBudgetMs(),
      input: {
        members: [await memberOf(first), await memberOf(second)],
        seed: params.seed,
        folds: params.folds,
        trainedAt: run.createdAt.toISOString(),
      },
    }),
  );
  const artifact = await saveArtifactJson(out.modelJson, artifactKey(run.id, "blend"), storage);
  const s = out.cv;
  const registered = await upsertCandidateModel(db, {
    runId: run.id,
    datasetId: run.datasetId,
    datasetVersionId: run.datasetVersionId,
    algorithm: "blend",
    params: {
      classifier: out.classifierParams,
      blend: out.blend,
      balancing: params.balancing,
      folds: params.folds,
      seed: params.seed,
      testFraction: params.testFraction,
      thresholdObjective: "max churn-class F1 on out-of-fold predictions",
      featurePipeline: out.featurePipelineOptions,
    },
    metrics: {
      cv: s,
      test: out.test,
      trainingRows: out.trainingRows,
      testRows: out.testRows,
      crossValidationRows: out.crossValidationRows,
      encodedFeatures: out.encodedFeatures,
      finalFitSeconds: out.finalFitSeconds,
      trainingSeconds: out.trainingSeconds,
      artifactBytes: artifact.sizeBytes,
    },
    curves: { test: out.curves, scoreHistogram: out.scoreHistogram },
    threshold: out.threshold,
    cvAuc: s.cvAuc,
    cvAucStd: s.cvAucStd,
    f1Churn: s.f1Churn,
    f1Weighted: s.f1Weighted,
    brier: s.brier,
    fitSeconds: out.finalFitSeconds,
    artifactKey: artifact.key,
    artifactSha256: artifact.sha256,
    trainedById: run.createdById,
  });
  const event: ModelEvent = {
    runId: run.id,
    modelId: registered.id,
    algorithm: "blend",
    version: registered.version,
    status: registered.status,
    cvAuc: s.cvAuc,
    cvAucStd: s.cvAucStd,
    f1Churn: s.f1Churn,
    f1Weighted: s.f1Weighted,
    brier: s.brier,
    testAuc: out.test.rocAuc,
    fitSeconds: out.finalFitSeconds,
  };
  await publishRunEvent(run.id, TRAINING_EVENTS.model, event);
  const [a, b] = out.blend.members;
  await finishStep(
    active,
    db,
    "blend",
    `Blend of ${ALGORITHM_LABELS[a].toLowerCase()} (${out.blend.weight.toFixed(2)}) and ${ALGORITHM_LABELS[b].toLowerCase()}: CV AUC ${s.cvAuc.toFixed(3)} ± ${s.cvAucStd.toFixed(3)}`,
  );
  return {
    algorithm: "blend",
    modelId: registered.id,
    members: out.blend.members,
    weight: out.blend.weight,
    space: out.blend.space,
    cvAuc: s.cvAuc,
    testAuc: out.test.rocAuc,
    artifactSha256: artifact.sha256,
  };
}

/**
 * Writes a model's JSON as computed (the worker already checked it round-trips); the same bytes
 * and checksum saveModelArtifact would write, without deserialising the model on this thread.
 */
async function saveArtifactJson(json: string, key: string, storage: FileStorage) {
  const bytes = new TextEncoder().encode(json);
  await storage.put(key, bytes);
  return { key, sha256: sha256Hex(bytes), sizeBytes: bytes.length };
}

/** Reads a stored model's JSON and checks it against its recorded checksum. */
async function readArtifactJson(key: string, sha256: string, storage: FileStorage): Promise<string> {
  const bytes = await storage.getBytes(key);
  if (sha256Hex(bytes) !== sha256) throw new ArtifactIntegrityError(key);
  return new TextDecoder().decode(bytes);
}

// ─── evaluate → explain → score → register → notify ────────────────────────────────────────────

async function modelsOfRun(db: Database, runId: number) {
  return db
    .select({
      id: models.id,
      algorithm: models.algorithm,
      cvAuc: models.cvAuc,
      fitSeconds: models.fitSeconds,
      metrics: models.metrics,
      importance: models.importance,
      status: models.status,
      artifactKey: models.artifactKey,
      artifactSha256: models.artifactSha256,
    })
    .from(models)
    .where(eq(models.runId, runId))
    .orderBy(models.id);
}

export async function evaluateStep(db: Database, runId: number): Promise<StepResult> {
  const active = await beginStep(db, runId, "evaluate");
  const rows = await modelsOfRun(db, runId);
  const trained = rows.filter((m) => active.params.algorithms.includes(m.algorithm as Algorithm));
  if (trained.length !== active.params.algorithms.length) {
    throw new Error(`Expected ${active.params.algorithms.length} models, found ${trained.length}`);
  }
  const ranking = [...rows.filter((m) => m.algorithm === "blend"), ...trained]
    .sort((a, b) => b.cvAuc - a.cvAuc || a.fitSeconds - b.fitSeconds)
    .map((m) => ({
      modelId: m.id,
      algorithm: m.algorithm,
      cvAuc: m.cvAuc,
      testAuc: ((m.metrics as { test?: { rocAuc?: number } }).test?.rocAuc ?? null) as number | null,
    }));
  const best = ranking[0];
  await finishStep(
    active,
    db,
    "evaluate",
    `Best cross-validated: ${modelLabel(best.algorithm)} (AUC ${best.cvAuc.toFixed(3)})`,
  );
  return { ranking };
}

export async function explainStep(
  db: Database,
  runId: number,
  options: StepOptions = {},
): Promise<StepResult> {
  const active = await beginStep(db, runId, "explain");
  const data = await runData(db, active);
  const rows = await modelsOfRun(db, runId);
  const storage = options.storage ?? getStorage();
  let done = 0;
  // Every model at once: with worker threads they are explained in parallel.
  const computed = await Promise.all(
    rows.map(async (row) => {
      const modelJson = await readArtifactJson(row.artifactKey, row.artifactSha256, storage);
      const out = await awaitComputation(
        db,
        active,
        "explain",
        sizeOf(data),
        runCompute({
          task: "importance",
          table: data.table,
          split: { seed: active.params.seed, testFraction: active.params.testFraction },
          prepared: data,
          tag: trainingRunTag(runId),
          budgetMs: stepBudgetMs(),
          input: { modelJson, seed: active.params.seed },
        }),
      );
      await db.update(models).set({ importance: out.importance }).where(eq(models.id, row.id));
      done += 1;
      await reportStepProgress(active, db, "explain", done / rows.length);
      return { row, out };
    }),
  );
  const explained = computed.map(({ row, out }) => ({
    modelId: row.id,
    algorithm: row.algorithm,
    sampleRows: out.sampleRows,
    top: out.importance.slice(0, 3).map((c) => c.column),
  }));
  await finishStep(
    active,
    db,
    "explain",
    `Mean |SHAP| per column on up to ${Math.max(0, ...explained.map((e) => e.sampleRows))} held-out customers; top driver: ${explained[0]?.top[0] ?? "none"}`,
  );
  return { models: explained };
}

/**
 * Promotes the model the score step scored (the run's best by cross-validated AUC). It runs after
 * scoring, so a champion always has its customers' scores: when scoring fails, the run fails and
 * the previous champion stays.
 */
export async function registerStep(
  db: Database,
  runId: number,
  results: Readonly<Record<string, unknown>> = {},
): Promise<StepResult> {
  const active = await beginStep(db, runId, "register");
  const rows = await modelsOfRun(db, runId);
  if (rows.length === 0) throw new NonRetriableError("No model was trained in this run");
  const scored = results.score as { modelId?: number } | undefined;
  const best = rows.find((m) => m.id === scored?.modelId) ?? selectChampion(rows);
  if (isChallengerRun(active.run)) {
    // A scheduled run's best model is a challenger: the promotion rule (or a manager) decides.
    const decision = await decideChallenger(db, active.run, best.id);
    await finishStep(active, db, "register", decision.summary);
    return {
      championModelId: decision.championModelId ?? 0,
      algorithm: best.algorithm,
      challengerModelId: best.id,
      decisionId: decision.decisionId,
      outcome: decision.outcome,
      changed: decision.outcome === "promoted",
    };
  }
  const change = await setChampion(db, SYSTEM_ACTOR, best.id, {
    action: "model.champion_selected",
    details: { runId, reason: "best cross-validated ROC AUC of the run" },
  });
  await finishStep(
    active,
    db,
    "register",
    `Champion: ${modelLabel(best.algorithm)} (CV AUC ${best.cvAuc.toFixed(3)})`,
  );
  return {
    championModelId: best.id,
    algorithm: best.algorithm,
    previousChampionId: change.previousChampionId,
    changed: change.changed,
  };
}

/**
 * Scores every customer with the model the register step will promote (the run's best), before
 * it is champion: the lists and dashboards keep showing the current champion's scores meanwhile.
 */
export async function scoreStep(db: Database, runId: number, options: StepOptions = {}): Promise<StepResult> {
  const active = await beginStep(db, runId, "score");
  const runModels = await modelsOfRun(db, runId);
  if (runModels.length === 0) throw new NonRetriableError("No model was trained in this run");
  const best = selectChampion(runModels);
  if (isChallengerRun(active.run)) {
    // Not scored here: a challenger scores every customer only once it is promoted (score-champion).
    await finishStep(active, db, "score", "Challenger: customers are scored if it is promoted");
    return { modelId: best.id, customersScored: 0, skipped: "challenger" };
  }
  const data = await runData(db, active);
  const modelJson = await readArtifactJson(
    best.artifactKey,
    best.artifactSha256,
    options.storage ?? getStorage(),
  );
  // The explanations (the costly part) in chunks on the workers, in parallel; each chunk is
  // written (the usual batched upserts) as soon as it and the chunks before it are ready, so the
  // database writes overlap the explaining of the next chunks.
  // Scored from the customers' current features (what live events changed, over the upload
  // rows), so a retrain does not revert event-moved risk; training itself read the upload rows.
  // Without events this is the training table itself (the workers already hold it).
  const table = overlayCurrentFeatures(
    data.table,
    await loadCurrentFeatures(db, data.table.datasetVersionId),
  );
  const total = table.rows.length;
  const chunks: { start: number; end: number; output: Promise<ScoreOutput> }[] = [];
  for (let start = 0; start < total; start += SCORE_TASK_ROWS) {
    const end = Math.min(total, start + SCORE_TASK_ROWS);
    const output = runCompute({
      task: "score",
      table,
      split: { seed: active.params.seed, testFraction: active.params.testFraction },
      tag: trainingRunTag(runId),
      budgetMs: stepBudgetMs(),
      input: { modelJson, start, end },
    });
    output.catch(() => {}); // awaited below, in order
    chunks.push({ start, end, output });
  }
  const levels = { low: 0, medium: 0, high: 0 };
  let riskSum = 0;
  const bands = await getRiskBands(db);
  for (const { start, end, output } of chunks) {
    const part = {
      schema: table.schema,
      columns: table.columns,
      rows: table.rows.slice(start, end),
      customerIds: table.customerIds.slice(start, end),
    };
    const written = await scoreCustomers(db, {
      modelId: best.id,
      bands,
      model: precomputedExplanations(part, await awaitComputation(db, active, "score", sizeOf(data), output)),
      table: part,
      onBatch: (done) => reportStepProgress(active, db, "score", (start + done) / total),
    });
    for (const level of Object.keys(levels) as (keyof typeof levels)[])
      levels[level] += written.levels[level];
    riskSum += written.meanRiskScore * written.customersScored;
  }
  const summary = { customersScored: total, levels, meanRiskScore: total ? riskSum / total : 0 };
  await finishStep(
    active,
    db,
    "score",
    `${count(summary.customersScored)} customers scored: ${count(summary.levels.high)} high, ${count(summary.levels.medium)} medium, ${count(summary.levels.low)} low risk`,
  );
  return { modelId: best.id, ...summary };
}

/**
 * The model scoreCustomers explains with, answering from explanations computed elsewhere (the
 * workers). scoreCustomers asks for the table's rows in order, batch after batch; each batch is
 * checked against the rows the explanations were computed for, so a change of that order fails
 * loudly instead of scoring customers with someone else's numbers.
 */
function precomputedExplanations(table: CustomerTable, explained: ScoreOutput) {
  let next = 0;
  const explain = (records: readonly RawRecord[]) => {
    const out: Pick<RecordExplanation, "riskScore" | "columns">[] = [];
    for (let k = 0; k < records.length; k++) {
      const row = next + k;
      if (row >= explained.riskScores.length || !sameRecord(records[k], table.columns, table.rows[row])) {
        throw new Error(`Scoring asked for customers out of order (row ${row})`);
      }
      out.push({ riskScore: explained.riskScores[row], columns: explained.drivers[row] });
    }
    next += records.length;
    return out;
  };
  return { explain } as unknown as ChurnModel;
}

function sameRecord(record: RawRecord, columns: readonly string[], row: readonly string[]): boolean {
  for (let c = 0; c < columns.length; c++) if (fieldOf(record, columns[c]) !== row[c]) return false;
  return true;
}

export async function notifyStep(
  db: Database,
  runId: number,
  results: Readonly<Record<string, unknown>>,
): Promise<StepResult> {
  const active = await beginStep(db, runId, "notify");
  const run = await markRunSucceeded(db, runId);
  const registered = results.register as { championModelId: number; algorithm: Algorithm } | undefined;
  const scored = results.score as { customersScored?: number } | undefined;
  const durationSeconds =
    run.startedAt && run.finishedAt ? (run.finishedAt.getTime() - run.startedAt.getTime()) / 1000 : null;
  const event: CompletedEvent = {
    runId,
    championModelId: registered?.championModelId ?? 0,
    championAlgorithm: registered?.algorithm ?? active.params.algorithms[0],
    customersScored: scored?.customersScored ?? 0,
    durationSeconds,
  };
  await publishRunEvent(runId, TRAINING_EVENTS.completed, event);
  return { status: "succeeded", durationSeconds };
}

/** Runs one step of the pipeline by id (the durable function's steps call this). */
export function runTrainingStep(
  db: Database,
  runId: number,
  stepId: string,
  results: Readonly<Record<string, unknown>>,
  options: StepOptions = {},
): Promise<StepResult> {
  switch (stepId) {
    case "load":
      return loadStep(db, runId);
    case "validate":
      return validateStep(db, runId);
    case "features":
      return featuresStep(db, runId);
    case "split":
      return splitStep(db, runId);
    case "balance":
      return balanceStep(db, runId);
    case "blend":
      return blendStep(db, runId, options);
    case "evaluate":
      return evaluateStep(db, runId);
    case "explain":
      return explainStep(db, runId, options);
    case "score":
      return scoreStep(db, runId, options);
    case "register":
      return registerStep(db, runId, results);
    case "notify":
      return notifyStep(db, runId, results);
  }
  const algorithm = ALGORITHMS.find((a) => trainStepId(a) === stepId);
  if (algorithm) return trainAlgorithmStep(db, runId, algorithm, options, results);
  throw new NonRetriableError(`Unknown training step "${stepId}"`);
}

/** The step ids and labels the durable function runs, in order (one training step per algorithm). */
export const TRAINING_PIPELINE_STEPS = pipelineSteps();

function modelLabel(algorithm: string): string {
  return algorithm === "blend" ? "Blend" : (ALGORITHM_LABELS[algorithm as Algorithm] ?? algorithm);
}

function count1(labels: Uint8Array): number {
  let n = 0;
  for (const label of labels) n += label;
  return n;
}
