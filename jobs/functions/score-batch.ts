import {
  BATCH_SCORING_REQUESTED,
  type BatchJobData,
  batchJobDataSchema,
  chunkCount,
  failBatch,
  finaliseBatchStep,
  loadBatchStep,
  scoreChunkStep,
} from "@/server/services/batch-scoring";
import { defineDurableFunction } from "../define";
import { isJobCancelled } from "../errors";
import type { DurableStep } from "../types";

export { BATCH_SCORING_REQUESTED };

/**
 * Scores an uploaded file with the model recorded on the batch: load (split the file into chunk
 * files) → one step per chunk of `chunkRows` rows (idempotent: a retried chunk replaces its own
 * rows) → finalise (summary, status). The step list depends only on the event data (row count and
 * chunk size are fixed when the batch starts), as both executors require.
 */
export const scoreBatch = defineDurableFunction<BatchJobData>({
  id: "score-batch",
  event: BATCH_SCORING_REQUESTED,
  parse: (data) => batchJobDataSchema.parse(data),
  steps: (data): DurableStep<BatchJobData>[] => {
    const chunks = chunkCount(data.rowCount, data.chunkRows);
    const steps: DurableStep<BatchJobData>[] = [
      {
        id: "load",
        label: "Reading the file",
        weight: 1,
        run: async ({ db }) => {
          const loaded = await loadBatchStep(db, data.batchId, data.chunkRows);
          if (loaded.chunks !== chunks) {
            throw new Error(`The file has ${loaded.rowCount} rows; the job was planned for ${data.rowCount}`);
          }
          return loaded;
        },
      },
    ];
    for (let n = 1; n <= chunks; n++) {
      const first = (n - 1) * data.chunkRows + 1;
      const last = Math.min(data.rowCount, n * data.chunkRows);
      steps.push({
        id: `score-chunk-${n}`,
        label: `Scoring rows ${first.toLocaleString("en")}–${last.toLocaleString("en")}`,
        weight: 3,
        run: ({ db }) => scoreChunkStep(db, data.batchId, n),
      });
    }
    steps.push({
      id: "finalise",
      label: "Summarising",
      weight: 1,
      run: async ({ db }) => ({ ...(await finaliseBatchStep(db, data.batchId, chunks)) }),
    });
    return steps;
  },
  onFailure: ({ db, data, error }) =>
    failBatch(db, data.batchId, error, {
      isCancelled: isJobCancelled(error),
      chunks: chunkCount(data.rowCount, data.chunkRows),
    }),
});
