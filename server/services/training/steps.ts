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
import { NonRetriableError } from "@/jobs/types";
import {
  ChurnModel,
  crossValidateAlgorithm,
  DatasetError,
  detectEngineeredFeatures,
  evaluateBinary,
  evaluationCurves,
  FeaturePipeline,
  featureColumns,
  RECOMMENDED_ALGORITHM_OPTIONS,
  selectChampion,
  selectRows,
  trainChurnModel,
} from "@/lib/ml";
import { balancedClassWeights, balanceTrainingSet } from "@/lib/ml/balance";
import { assertTrainable } from "@/lib/ml/data";
import type { Algorithm } from "@/lib/ml/types";
import type { Database } from "../../db/client";
import { models } from "../../db/schema";
import { type FileStorage, getStorage } from "../../storage";
import { SYSTEM_ACTOR } from "../audit";
import { DatasetNotFoundError } from "../datasets";
import { artifactKey, loadModel, rememberModel, saveModelArtifact } from "../models/artifacts";
import { setChampion, upsertCandidateModel } from "../models/registry";
import { scoreCustomers } from "../scoring";
import { type CompletedEvent, type ModelEvent, TRAINING_EVENTS } from "./events";
import { ALGORITHM_LABELS, ALGORITHMS } from "./params";
import { pipelineSteps, trainStepId } from "./plan";
import { publishRunEvent } from "./publish";
import { heldOutSample, loadRunData, loadVersionData } from "./run-data";
import { type ActiveRun, beginStep, finishStep, markRunSucceeded, reportStepProgress } from "./run-state";

/**
 * Held-out rows explained for each model's global importance. Exact explainers are cheap (linear
 * SHAP; TreeSHAP ~2 ms a row on Telco), the SVM's sampling Shapley is not (~25 ms a row plus
 * ~1 s of set-up, measured on this 2-core machine), and its column ranking was already the same
 * top four at 50, 100 and 200 rows.
 */
export const EXPLAIN_SAMPLE_ROWS: Readonly<Record<Algorithm, number>> = Object.freeze({
  logistic_regression: 200,
  random_forest: 200,
  gradient_boosting: 200,
  svm: 50,
});
/** Bins of the held-out score histogram behind the threshold slider (0.01 wide). */
export const SCORE_HISTOGRAM_BINS = 100;

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

export async function trainAlgorithmStep(
  db: Database,
  runId: number,
  algorithm: Algorithm,
  options: StepOptions = {},
): Promise<StepResult> {
  const stepId = trainStepId(algorithm);
  const active = await beginStep(db, runId, stepId);
  if (!active.params.algorithms.includes(algorithm)) return { algorithm, skipped: true };
  const { params, run } = active;
  const data = await runData(db, active);
  const schema = data.table.schema;
  const trainFrame = selectRows(data.training.frame, data.split.train);

  const started = performance.now();
  const evaluation = crossValidateAlgorithm(schema, trainFrame, data.trainLabels, algorithm, {
    algorithmOptions: RECOMMENDED_ALGORITHM_OPTIONS,
    balancing: params.balancing,
    folds: params.folds,
    seed: params.seed,
    threshold: { kind: "f1" },
  });
  // In embedded mode this runs on the web server's event loop: let waiting requests through
  // between the cross-validation and the final fit.
  await new Promise((resolve) => setImmediate(resolve));
  const fitStarted = performance.now();
  const fitted = trainChurnModel({
    schema,
    frame: trainFrame,
    labels: data.trainLabels,
    algorithm,
    algorithmOptions: RECOMMENDED_ALGORITHM_OPTIONS,
    balancing: params.balancing,
    // Chosen on the out-of-fold predictions above: the same rule trainChurnModel would apply,
    // without cross-validating a second time.
    threshold: evaluation.summary.threshold,
    folds: params.folds,
    seed: params.seed,
    trainedAt: run.createdAt.toISOString(),
    importanceRows: 0,
  });
  const finalFitSeconds = (performance.now() - fitStarted) / 1000;
  const trainingSeconds = (performance.now() - started) / 1000;
  const model = new ChurnModel({
    schema: fitted.schema,
    pipeline: fitted.pipeline,
    classifier: fitted.classifier,
    threshold: fitted.threshold,
    metadata: { ...fitted.metadata, thresholdObjective: "f1", crossValidation: evaluation.summary },
  });

  const storage = options.storage ?? getStorage();
  const artifact = await saveModelArtifact(model, artifactKey(run.id, algorithm), storage);
  // Test metrics of the model exactly as stored (what scoring and the API will load).
  const proba = artifact.stored.predictFrame(data.training.frame, data.split.validation);
  const test = evaluateBinary(data.testLabels, proba, artifact.stored.threshold);
  const curves = evaluationCurves(data.testLabels, proba);
  const s = evaluation.summary;
  const registered = await upsertCandidateModel(db, {
    runId: run.id,
    datasetId: run.datasetId,
    datasetVersionId: run.datasetVersionId,
    algorithm,
    params: {
      classifier: model.classifier.toJSON().params,
      balancing: params.balancing,
      folds: params.folds,
      seed: params.seed,
      testFraction: params.testFraction,
      thresholdObjective: "max churn-class F1 on out-of-fold predictions",
      featurePipeline: model.pipeline.toJSON().options,
    },
    metrics: {
      cv: { ...s, foldAucs: evaluation.result.folds.map((f) => f.auc) },
      test,
      trainingRows: data.split.train.length,
      testRows: data.split.validation.length,
      encodedFeatures: model.featureNames.length,
      finalFitSeconds,
      trainingSeconds,
      artifactBytes: artifact.sizeBytes,
    },
    curves: { test: curves, scoreHistogram: scoreHistogram(data.testLabels, proba) },
    threshold: artifact.stored.threshold,
    cvAuc: s.cvAuc,
    cvAucStd: s.cvAucStd,
    f1Churn: s.f1Churn,
    f1Weighted: s.f1Weighted,
    brier: s.brier,
    fitSeconds: finalFitSeconds,
    artifactKey: artifact.key,
    artifactSha256: artifact.sha256,
    trainedById: run.createdById,
  });
  rememberModel(registered.id, artifact.sha256, artifact.stored);

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
    fitSeconds: finalFitSeconds,
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
    threshold: artifact.stored.threshold,
    fitSeconds: finalFitSeconds,
    trainingSeconds,
    artifactSha256: artifact.sha256,
  };
}

/** Held-out scores bucketed by class in 0.01-wide bins: the confusion matrix at any 0.01 threshold. */
function scoreHistogram(y: Uint8Array, proba: ArrayLike<number>) {
  const churned = new Array<number>(SCORE_HISTOGRAM_BINS).fill(0);
  const retained = new Array<number>(SCORE_HISTOGRAM_BINS).fill(0);
  for (let i = 0; i < y.length; i++) {
    const bin = Math.min(SCORE_HISTOGRAM_BINS - 1, Math.max(0, Math.floor(proba[i] * SCORE_HISTOGRAM_BINS)));
    (y[i] === 1 ? churned : retained)[bin] += 1;
  }
  return { binWidth: 1 / SCORE_HISTOGRAM_BINS, churned, retained };
}

// ─── evaluate → explain → register → score → notify ────────────────────────────────────────────

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
  const ranking = [...trained]
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
    `Best cross-validated: ${ALGORITHM_LABELS[best.algorithm as Algorithm]} (AUC ${best.cvAuc.toFixed(3)})`,
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
  const explained: { modelId: number; algorithm: string; sampleRows: number; top: string[] }[] = [];
  for (const [index, row] of rows.entries()) {
    const model = await loadModel(db, row.id, options.storage);
    // Seeded: a retried step explains the same customers; a smaller sample is a subset of a larger one.
    const sample = heldOutSample(data.split, EXPLAIN_SAMPLE_ROWS[model.algorithm], active.params.seed);
    // Folded per original column ("split": engineered features share out to their sources), in
    // log-odds: the scale on which contributions of different columns add up.
    const importance = model
      .globalImportance(data.training.frame, sample, { engineered: "split" })
      .map((c) => ({ column: c.column, value: c.meanAbs }));
    await db.update(models).set({ importance }).where(eq(models.id, row.id));
    explained.push({
      modelId: row.id,
      algorithm: row.algorithm,
      sampleRows: sample.length,
      top: importance.slice(0, 3).map((c) => c.column),
    });
    await reportStepProgress(active, db, "explain", (index + 1) / rows.length);
  }
  await finishStep(
    active,
    db,
    "explain",
    `Mean |SHAP| per column on up to ${Math.max(0, ...explained.map((e) => e.sampleRows))} held-out customers; top driver: ${explained[0]?.top[0] ?? "none"}`,
  );
  return { models: explained };
}

export async function registerStep(db: Database, runId: number): Promise<StepResult> {
  const active = await beginStep(db, runId, "register");
  const rows = await modelsOfRun(db, runId);
  if (rows.length === 0) throw new NonRetriableError("No model was trained in this run");
  const best = selectChampion(rows);
  const change = await setChampion(db, SYSTEM_ACTOR, best.id, {
    action: "model.champion_selected",
    details: { runId, reason: "best cross-validated ROC AUC of the run" },
  });
  await finishStep(
    active,
    db,
    "register",
    `Champion: ${ALGORITHM_LABELS[best.algorithm as Algorithm]} (CV AUC ${best.cvAuc.toFixed(3)})`,
  );
  return {
    championModelId: best.id,
    algorithm: best.algorithm,
    previousChampionId: change.previousChampionId,
    changed: change.changed,
  };
}

export async function scoreStep(
  db: Database,
  runId: number,
  results: Readonly<Record<string, unknown>>,
  options: StepOptions = {},
): Promise<StepResult> {
  const active = await beginStep(db, runId, "score");
  const registered = results.register as { championModelId?: number } | undefined;
  let championId = registered?.championModelId;
  if (championId === undefined) {
    const [champion] = (await modelsOfRun(db, runId)).filter((m) => m.status === "champion");
    if (!champion) throw new NonRetriableError("The run has no champion to score with");
    championId = champion.id;
  }
  const data = await runData(db, active);
  const model = await loadModel(db, championId, options.storage);
  const summary = await scoreCustomers(db, {
    modelId: championId,
    model,
    table: data.table,
    onBatch: (done, total) => reportStepProgress(active, db, "score", done / total),
  });
  await finishStep(
    active,
    db,
    "score",
    `${count(summary.customersScored)} customers scored: ${count(summary.levels.high)} high, ${count(summary.levels.medium)} medium, ${count(summary.levels.low)} low risk`,
  );
  return { modelId: championId, ...summary };
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
    case "evaluate":
      return evaluateStep(db, runId);
    case "explain":
      return explainStep(db, runId, options);
    case "register":
      return registerStep(db, runId);
    case "score":
      return scoreStep(db, runId, results, options);
    case "notify":
      return notifyStep(db, runId, results);
  }
  const algorithm = ALGORITHMS.find((a) => trainStepId(a) === stepId);
  if (algorithm) return trainAlgorithmStep(db, runId, algorithm, options);
  throw new NonRetriableError(`Unknown training step "${stepId}"`);
}

/** The step ids and labels the durable function runs, in order (one training step per algorithm). */
export const TRAINING_PIPELINE_STEPS = pipelineSteps();

function count1(labels: Uint8Array): number {
  let n = 0;
  for (const label of labels) n += label;
  return n;
}
