import { Inngest } from "inngest";
import { processWide } from "@/server/process-wide";

export const INNGEST_APP_ID = "churnguard";

/**
 * The Inngest client. It reads INNGEST_EVENT_KEY / INNGEST_SIGNING_KEY / INNGEST_DEV from the
 * environment itself; code outside jobs/ never needs it (use sendEvent / cancelJob from jobs/dispatch).
 * Created on first use and kept on globalThis (one per process, not one per Next.js bundle).
 */
export function getInngest(): Inngest {
  return processWide("inngest", () => new Inngest({ id: INNGEST_APP_ID, ...inngestRuntimeOptions() }));
}

/**
 * On Lambda the SDK's checkpointing runs steps back to back within one invocation; it must hand
 * over to Inngest (go async) before the function's timeout kills it mid-step. The Inngest function
 * has 15 minutes (sst.config.ts), so hand over after 12.
 */
export function inngestRuntimeOptions(raw: Readonly<Record<string, string | undefined>> = process.env): {
  checkpointing?: { maxRuntime: string };
} {
  return raw.AWS_LAMBDA_FUNCTION_NAME ? { checkpointing: { maxRuntime: "12m" } } : {};
}
