import { z } from "zod";
import { DEMO_EVENTS_TICK_EVENT, isDemoEnabled, runDemoTick } from "@/server/services/events/demo";
import { defineDurableFunction } from "../define";
import type { Json } from "../types";

/**
 * Every minute (Inngest's cron, or the embedded runner's): while the demo event generator is on,
 * sends that minute's events for the sample dataset, in bursts, until just before the next tick;
 * when it is off the tick returns at once. Turning the generator on also sends this event, so the
 * first events arrive without waiting for the minute. One tick never overlaps the next: the
 * embedded runner never runs one function twice at once, and a tick ends before the next slot.
 * While the generator is off the embedded runner records no tick at all (isCronDue), so an idle
 * demo adds no job row a minute.
 */
export const demoEvents = defineDurableFunction({
  id: "demo-events",
  event: DEMO_EVENTS_TICK_EVENT,
  cron: "* * * * *",
  isCronDue: ({ db }) => isDemoEnabled(db),
  parse: (data) => z.object({ scheduledFor: z.string().optional() }).parse(data),
  maxAttempts: 1,
  steps: () => [
    {
      id: "emit",
      label: "Sending demo events",
      run: async ({ db, data }): Promise<Json> => {
        const scheduledFor = data.scheduledFor ? new Date(data.scheduledFor) : new Date();
        const result = await runDemoTick(db, {
          scheduledFor: Number.isNaN(scheduledFor.getTime()) ? new Date() : scheduledFor,
        });
        return { ...result };
      },
    },
  ],
});
