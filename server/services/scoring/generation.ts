/**
 * A counter bumped whenever stored scores change (scoring, re-levelling after new risk bands), so
 * caches of numbers derived from scores (the customers summary) can key on it and never show
 * numbers older than the scores. Kept on globalThis because Next.js may load this module more than
 * once in one process (instrumentation, where the job runner lives, and the route bundles). Other
 * processes (Inngest workers) cannot bump it; caches bound their age with a short TTL for that.
 */
import { processWide } from "../../process-wide";

const generation = processWide("scoresGeneration", () => ({ value: 0 }));

export function scoresGeneration(): number {
  return generation.value;
}

export function bumpScoresGeneration(): void {
  generation.value += 1;
}
