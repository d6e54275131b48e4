import { z } from "zod";
import * as events from "../../services/events";
import { adminProcedure, router, viewerProcedure } from "../../trpc/init";

export const eventsRouter = router({
  /** A customer's events with the risk before and after each (the customer page). */
  timeline: viewerProcedure
    .input(
      z.object({
        customerId: z.number().int().positive(),
        limit: z.number().int().min(1).max(200).optional(),
      }),
    )
    .query(({ ctx, input }) => events.getCustomerTimeline(ctx.db, input.customerId, { limit: input.limit })),

  /** The demo event generator's setting and whether it can run. */
  demoStatus: adminProcedure.query(({ ctx }) => events.getDemoEventsStatus(ctx.db)),

  /** Turns the demo event generator on (for a while, at a bounded rate) or off. */
  configureDemo: adminProcedure
    .input(events.configureDemoInputSchema)
    .mutation(({ ctx, input }) => events.configureDemoEvents(ctx.db, ctx.actor, input)),
});
