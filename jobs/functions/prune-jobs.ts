import { z } from "zod";
import { defineDurableFunction } from "../define";
import { pruneFinishedJobs } from "../runner/store";

/** Finished jobs (and their step results, by cascade) are kept this long for inspection. */
export const JOB_RETENTION_DAYS = 30;

/**
 * Housekeeping for the embedded runner: the `jobs` / `job_steps` tables would otherwise grow by one
 * row per step of every run forever. Under Inngest the tables stay empty and this is a no-op.
 */
export const pruneJobs = defineDurableFunction({
  id: "prune-jobs",
  event: "churnguard/jobs.prune-requested",
  cron: "17 3 * * *",
  parse: (data) => z.object({ scheduledFor: z.string().optional() }).parse(data),
  steps: () => [
    {
      id: "delete-finished-jobs",
      label: "Deleting old finished jobs",
      run: async ({ db }) => {
        const cutoff = new Date(Date.now() - JOB_RETENTION_DAYS * 24 * 3600 * 1000);
        return { deleted: await pruneFinishedJobs(db, cutoff) };
      },
    },
  ],
});
