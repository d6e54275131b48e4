import { Inngest } from "inngest";

export const INNGEST_APP_ID = "churnguard";

const store = globalThis as typeof globalThis & { __churnguardInngest?: Inngest };

/**
 * The Inngest client. It reads INNGEST_EVENT_KEY / INNGEST_SIGNING_KEY / INNGEST_DEV from the
 * environment itself; code outside jobs/ never needs it (use sendEvent / cancelJob from jobs/dispatch).
 * Created on first use and kept on globalThis (one per process, not one per Next.js bundle).
 */
export function getInngest(): Inngest {
  store.__churnguardInngest ??= new Inngest({ id: INNGEST_APP_ID });
  return store.__churnguardInngest;
}
