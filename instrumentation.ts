/** Next.js calls this once when a server process starts (never during `next build`). */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Before start-up work: the demo seed queues a training run through the durable-work port.
  const { wireDurableWork } = await import("./jobs/wire");
  wireDurableWork();
  // `next start` gives route handlers no socket address; `npm start`'s server stamps it itself.
  const { installPeerAddressStamping } = await import("./server/auth/peer-address");
  installPeerAddressStamping();
  const { onServerStart } = await import("./server/startup");
  await onServerStart();
  // Durable jobs run in this process unless Inngest is configured.
  const { startJobRunner, stopJobRunner } = await import("./jobs/start");
  await startJobRunner();
  // Used by `npm start`'s Node server (scripts/serve.mjs); ignored under `next start` and Lambda.
  const { createNodeServerHooks, installNodeServerHooks } = await import("./server/http/node-server-hooks");
  installNodeServerHooks(createNodeServerHooks({ onShutdown: stopJobRunner }));
}
