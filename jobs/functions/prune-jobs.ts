import { z } from "zod";
import { applyDataRetention } from "@/server/services/data-retention";
import { pruneRateLimitCounts } from "@/server/services/rest-api/shared-rate-limit";
import { defineDurableFunction } from "../define";
import { pruneFinishedJobs } from "../runner/store";

/** Finished jobs (and their step results, by cascade) are kept this long for inspection. */
export const JOB_RETENTION_DAYS = 30;

/**
 * Housekeeping: the embedded runner's `jobs` / `job_steps` tables would otherwise grow by one row
 * per step of every run forever (under Inngest they stay empty), and the shared REST API rate
 * limit's per-minute counts are only needed for two minutes. It also enforces the admin's data
 * retention (Admin → Settings): scored files, reports and API call logs past their age go.
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
    {
      id: "delete-old-rate-limit-counts",
      label: "Deleting old REST API call counts",
      run: async ({ db }) => ({ deleted: await pruneRateLimitCounts(db) }),
    },
    {
      id: "apply-data-retention",
      label: "Deleting scored files, reports and API call logs past their retention",
      run: async ({ db }) => ({ ...(await applyDataRetention(db)) }),
    },
  ],
});
