/**
 * A process-wide cache for what every signed-in user shares (dashboard aggregates, filter
 * options): computing them once per scores generation instead of once per request is most of
 * what lets the pages serve hundreds of requests per second.
 *
 * Keyed by the scores generation (server/services/scoring/generation.ts): every write of scores
 * bumps it, in this process and (over the PostgreSQL process bus) in the other server processes,
 * so a new key is computed at once. The TTL (five minutes at most) bounds the age of anything a
 * process without the bus wrote. Callers put into the key whatever else identifies the answer
 * (the champion's id, the dataset version), so a promotion or a new version is a new key too.
 *
 * Not Next.js' data cache: the same services answer tRPC, route handlers, jobs and the tests, and
 * the generation that invalidates the entries lives in this process. Per database object, because
 * test files open several databases in one process. Never cache per-user data here.
 */
import type { Database } from "../db/client";
import { perDatabase } from "../process-wide";
import { scoresGeneration } from "../services/scoring/generation";

export const SHARED_CACHE_MAX_TTL_MS = 5 * 60_000;

interface Entry {
  value: Promise<unknown>;
  expiresAt: number;
}

export interface SharedCache {
  /**
   * The cached answer for `key` under the current scores generation, else `compute()`.
   * Concurrent callers share one computation (no stampede when a generation changes under load);
   * a failed computation is not kept.
   */
  get<T>(db: Database, key: readonly unknown[], compute: () => Promise<T>): Promise<T>;
  /** Forgets every entry (tests and benchmarks). */
  clear(): void;
}

export function sharedCache(
  name: string,
  options: { ttlMs?: number; maxEntries?: number } = {},
): SharedCache {
  const ttlMs = Math.min(options.ttlMs ?? SHARED_CACHE_MAX_TTL_MS, SHARED_CACHE_MAX_TTL_MS);
  const maxEntries = options.maxEntries ?? 200;
  const caches = perDatabase(`sharedCache.${name}`, () => new Map<string, Entry>());
  return {
    get<T>(db: Database, key: readonly unknown[], compute: () => Promise<T>): Promise<T> {
      const cache = caches.of(db);
      const fullKey = JSON.stringify([scoresGeneration(), ...key]);
      const now = Date.now();
      const hit = cache.get(fullKey);
      if (hit && hit.expiresAt > now) {
        cache.delete(fullKey);
        cache.set(fullKey, hit); // most recently used last
        return hit.value as Promise<T>;
      }
      const value = compute();
      cache.set(fullKey, { value, expiresAt: now + ttlMs });
      value.catch(() => {
        if (cache.get(fullKey)?.value === value) cache.delete(fullKey);
      });
      while (cache.size > maxEntries) cache.delete(cache.keys().next().value as string);
      return value;
    },
    clear: () => caches.reset(),
  };
}
