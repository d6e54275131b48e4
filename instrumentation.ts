/** Next.js calls this once when a server process starts (never during `next build`). */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { onServerStart } = await import("./server/startup");
  await onServerStart();
  // Durable jobs run in this process unless Inngest is configured.
  const { startJobRunner } = await import("./jobs/start");
  await startJobRunner();
}
