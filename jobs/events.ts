/** Event conventions shared by dispatch, the Inngest adapter and the embedded runner. */

/**
 * Under Inngest, `sendEvent` adds the job id to the event data under this key (cancellation matches
 * on it); the adapter removes it again before `parse`, so functions never see it.
 */
export const JOB_ID_KEY = "_churnguardJobId";

/** Sent by `cancelJob` under Inngest; every adapted function has a matching `cancelOn`. */
export const CANCEL_EVENT = "churnguard/job.cancel-requested";

/** The data a cron-triggered function receives, in both executors: `{ scheduledFor: ISO-8601 UTC }`. */
export function cronEventData(slot: Date): { scheduledFor: string } {
  return { scheduledFor: slot.toISOString() };
}
