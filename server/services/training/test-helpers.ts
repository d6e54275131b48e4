/**
 * Test helpers for the training pipeline: import a dataset, run queued training jobs through the
 * embedded runner until the run is over, and a step-counting wrapper of the durable function.
 */
import { eq } from "drizzle-orm";
import type { AnyDurableFunction } from "@/jobs/define";
import { trainModels } from "@/jobs/functions/train-models";
import { EmbeddedRunner, type EmbeddedRunnerOptions } from "@/jobs/runner";
import { syntheticChurnCsv } from "@/lib/ml/evaluate/synthetic-churn-table";
import { createRng } from "@/lib/ml/random";
import type { Database } from "../../db/client";
import { trainingRuns } from "../../db/schema";
import type { Actor } from "../audit";
import { importDatasetFromFile } from "../datasets";

export { TELCO_CSV, useTemporaryDataDir } from "../datasets/test-helpers";

export const quietLogger = {
  info: () => {},
  warn: () => {},
  error: (m: string, e?: unknown) => console.error(m, e),
};

export function testRunner(db: Database, options: Partial<EmbeddedRunnerOptions> = {}): EmbeddedRunner {
  return new EmbeddedRunner({
    db,
    functions: [trainModels],
    backoffMs: () => 0,
    logger: quietLogger,
    ...options,
  });
}

/** Drains the runner until the run is no longer queued or running (retries included). */
export async function runUntilFinished(runner: EmbeddedRunner, db: Database, runId: number, maxRounds = 20) {
  for (let round = 0; round < maxRounds; round++) {
    await runner.drain();
    const [run] = await db.select().from(trainingRuns).where(eq(trainingRuns.id, runId));
    if (run.status !== "queued" && run.status !== "running") return run;
  }
  throw new Error(`Run ${runId} did not finish after ${maxRounds} drains`);
}

/** A small Telco-like dataset (lib/ml's synthetic churn table), imported as a new dataset. */
export async function importSyntheticDataset(db: Database, actor: Actor, name: string, rows = 400) {
  return importDatasetFromFile(db, actor, {
    bytes: new TextEncoder().encode(syntheticChurnCsv(rows, 7)),
    name,
    fileName: "synthetic.csv",
  });
}

/**
 * A wide table whose logistic regression runs for minutes: `columns` categorical columns of 50
 * values (1,950 one-hot inputs for 39, just under the upload limit) and 3,000 customers.
 */
export function slowToTrainCsv(columns = 39, rows = 3000): string {
  const rng = createRng(1);
  const header = ["customerId", ...Array.from({ length: columns }, (_, j) => `c${j}`), "Churn"];
  const lines = [header.join(",")];
  for (let i = 0; i < rows; i++) {
    const cells = Array.from({ length: columns }, () => `v${rng.int(50)}`);
    lines.push([`C${i}`, ...cells, rng.next() < 0.3 ? "Yes" : "No"].join(","));
  }
  return `${lines.join("\n")}\n`;
}

/** The training function with every step's executions counted (and optionally intercepted). */
export function countingFunction(
  base: AnyDurableFunction = trainModels,
  intercept?: (stepId: string, execution: number) => Promise<unknown> | undefined,
): { fn: AnyDurableFunction; counts: Record<string, number> } {
  const counts: Record<string, number> = {};
  const fn: AnyDurableFunction = {
    ...base,
    steps: (data) =>
      base.steps(data).map((step) => ({
        ...step,
        run: async (ctx) => {
          counts[step.id] = (counts[step.id] ?? 0) + 1;
          const intercepted = intercept?.(step.id, counts[step.id]);
          if (intercepted) return (await intercepted) as never;
          return step.run(ctx);
        },
      })),
  };
  return { fn, counts };
}
