import { z } from "zod";
import { runDueSchedules } from "@/server/services/retraining";
import { defineDurableFunction } from "../define";
import type { Json } from "../types";

export const RETRAINING_TICK_EVENT = "churnguard/retraining.tick";

/**
 * Every five minutes (Inngest's cron, or the embedded runner's): starts a challenger run for each
 * dataset whose retraining schedule is due. Schedules keep their own next run time in the database,
 * so a slot missed while the server was down runs once on the first tick after the start, and a
 * tick that fires twice (two processes, a retry) starts nothing twice.
 */
export const retrainingScheduler = defineDurableFunction({
  id: "retraining-scheduler",
  event: RETRAINING_TICK_EVENT,
  cron: "*/5 * * * *",
  parse: (data) => z.object({ scheduledFor: z.string().optional() }).parse(data),
  steps: () => [
    {
      id: "start-due-runs",
      label: "Starting due retraining runs",
      run: async ({ db }): Promise<Json> => {
        const started = await runDueSchedules(db);
        return { started: started.map((s) => ({ ...s })) } as unknown as Json;
      },
    },
  ],
});
