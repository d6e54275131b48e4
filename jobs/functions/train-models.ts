import { z } from "zod";
import { notifyIfScheduledRunFailed } from "@/server/services/retraining/failures";
import { pipelineSteps } from "@/server/services/training/plan";
import { closeFailedRun } from "@/server/services/training/run-state";
import { discardPrefetchedTraining, runTrainingStep } from "@/server/services/training/steps";
import { defineDurableFunction } from "../define";
import { isJobCancelled } from "../errors";
import type { DurableStep, Json } from "../types";

export const TRAINING_REQUESTED = "churnguard/training.requested";

const dataSchema = z.object({ runId: z.number().int().positive() });
export type TrainModelsData = z.infer<typeof dataSchema>;

/**
 * The training pipeline: load → validate → features → split → balance → one step per algorithm →
 * evaluate → explain → score (with the run's best model) → register (promote it) → notify. Scoring
 * comes first so that a champion never exists without its scores. Each step is one idempotent service
 * call (server/services/training/steps.ts) that re-derives its data from the run's dataset version
 * and seed and returns a small JSON summary. The step list is fixed (it may not depend on the
 * database): steps of algorithms the run did not choose finish at once with { skipped: true }.
 */
export const trainModels = defineDurableFunction<TrainModelsData>({
  id: "train-models",
  event: TRAINING_REQUESTED,
  parse: (data) => dataSchema.parse(data),
  steps: (): DurableStep<TrainModelsData>[] =>
    pipelineSteps().map((step) => ({
      id: step.id,
      label: step.label,
      weight: step.weight,
      // Results are plain JSON-safe summaries; the executor checks that when storing them.
      run: async ({ db, data, results }) => (await runTrainingStep(db, data.runId, step.id, results)) as Json,
    })),
  onFailure: async ({ db, data, error }) => {
    // Models of this run started ahead on worker threads (embedded mode) are not needed any more.
    discardPrefetchedTraining(db, data.runId);
    await closeFailedRun(db, data.runId, error, { isCancelled: isJobCancelled(error) });
    // A scheduled run that failed: banner for managers, audit entry, signed webhook.
    await notifyIfScheduledRunFailed(db, data.runId);
  },
});
