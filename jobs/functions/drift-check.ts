import { z } from "zod";
import { DRIFT_CHECK_REQUESTED, failDriftCheck, runDriftCheckStep } from "@/server/services/drift";
import { defineDurableFunction } from "../define";

export { DRIFT_CHECK_REQUESTED };

/**
 * One drift report: bin the champion's training data, count the compared version or scored file
 * into the same bins, PSI per column and of the predicted risk (server/services/drift/compute.ts).
 * One step: its inputs are immutable, so a retry simply recomputes and overwrites the result.
 */
export const driftCheck = defineDurableFunction({
  id: "drift-check",
  event: DRIFT_CHECK_REQUESTED,
  parse: (data) => z.object({ reportId: z.number().int().positive() }).parse(data),
  steps: () => [
    {
      id: "compute",
      label: "Comparing with the training data",
      run: async ({ db, data }) => ({ ...(await runDriftCheckStep(db, data.reportId)) }),
    },
  ],
  onFailure: ({ db, data, error }) => failDriftCheck(db, data.reportId, error),
});
