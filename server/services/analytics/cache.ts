/**
 * Analytics answers are cached for five minutes, keyed by the scores generation
 * (server/services/scoring/generation.ts): every write of scores in this process (training,
 * promoting, re-levelling) bumps it, so a new key is computed at once; the five minutes bound the
 * age of numbers written by another process (an Inngest worker), which cannot bump it here.
 *
 * A process-wide map rather than Next.js' data cache: the same services answer tRPC, route
 * handlers, the PDF job and the tests, and the generation that invalidates them lives in this
 * process anyway. Per database object, because test files open several databases in one process.
 */
import type { Database } from "../../db/client";
import { perDatabase } from "../../process-wide";
import { scoresGeneration } from "../scoring/generation";

export const ANALYTICS_TTL_MS = 5 * 60_000;
const MAX_ENTRIES = 300;

interface Entry {
  value: Promise<unknown>;
  expiresAt: number;
}

const caches = perDatabase("analytics.cache", () => new Map<string, Entry>());

/**
 * The cached answer for `key` under the current scores generation, else `compute()` (concurrent
 * callers share one computation; a failed one is not kept).
 */
export function cachedAnalytics<T>(
  db: Database,
  key: readonly unknown[],
  compute: () => Promise<T>,
): Promise<T> {
  const cache = caches.of(db);
  const fullKey = JSON.stringify([scoresGeneration(), ...key]);
  const hit = cache.get(fullKey);
  const now = Date.now();
  if (hit && hit.expiresAt > now) {
    cache.delete(fullKey);
    cache.set(fullKey, hit); // most recently used last
    return hit.value as Promise<T>;
  }
  const value = compute();
  cache.set(fullKey, { value, expiresAt: now + ANALYTICS_TTL_MS });
  value.catch(() => {
    if (cache.get(fullKey)?.value === value) cache.delete(fullKey);
  });
  while (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  return value;
}

/** Test and benchmark seam: forget every cached answer. */
export function clearAnalyticsCache(): void {
  caches.reset();
}
