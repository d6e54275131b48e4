import { startEmbeddedRunner, stopEmbeddedRunner } from "./dispatch";

/** Starts the in-process job runner (a no-op under Inngest) and stops it cleanly on shutdown. */
export async function startJobRunner(): Promise<void> {
  await startEmbeddedRunner();
  process.once("SIGTERM", () => void stopEmbeddedRunner({ timeoutMs: 10_000 }));
}
