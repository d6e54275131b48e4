/** Next.js calls this once when a server process starts (never during `next build`). */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { onServerStart } = await import("./server/startup");
    await onServerStart();
  }
}
