import { serverEnv } from "@/server/env";
import type { AnyDurableFunction, DurableFunction } from "./types";

export type { AnyDurableFunction };

/**
 * Declares a durable function with its data type inferred from `parse` and `maxAttempts`
 * defaulting to JOB_MAX_ATTEMPTS. Export the result from a file in jobs/functions/ and add one line
 * to jobs/functions/index.ts; both executors (Inngest and the embedded runner) pick it up from there.
 */
export function defineDurableFunction<TData>(
  spec: Omit<DurableFunction<TData>, "maxAttempts"> & { maxAttempts?: number },
): DurableFunction<TData> {
  return { ...spec, maxAttempts: spec.maxAttempts ?? serverEnv().JOB_MAX_ATTEMPTS };
}

export function isDurableFunction(value: unknown): value is AnyDurableFunction {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Partial<AnyDurableFunction>;
  return (
    typeof v.id === "string" &&
    typeof v.event === "string" &&
    typeof v.parse === "function" &&
    typeof v.steps === "function"
  );
}
