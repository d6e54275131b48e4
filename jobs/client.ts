import { Inngest } from "inngest";
import { processWide } from "@/server/process-wide";

export const INNGEST_APP_ID = "churnguard";

/**
 * The Inngest client. It reads INNGEST_EVENT_KEY / INNGEST_SIGNING_KEY / INNGEST_DEV from the
 * environment itself; code outside jobs/ never needs it (use sendEvent / cancelJob from jobs/dispatch).
 * Created on first use and kept on globalThis (one per process, not one per Next.js bundle).
 */
export function getInngest(): Inngest {
  return processWide("inngest", () => new Inngest({ id: INNGEST_APP_ID }));
}
