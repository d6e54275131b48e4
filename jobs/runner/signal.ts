/**
 * In-process "a job was enqueued" signal, so the embedded runner starts a job at once instead of at
 * its next poll. Kept on globalThis because Next.js bundles instrumentation (where the runner starts)
 * and route handlers (where jobs are enqueued) separately: a module variable would exist twice.
 */
import { processWide } from "@/server/process-wide";

type Listener = () => void;

const listeners = processWide("jobSignal", () => new Set<Listener>());

export function onJobEnqueued(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function notifyJobEnqueued(): void {
  for (const listener of listeners) listener();
}
