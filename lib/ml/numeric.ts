import type { Matrix } from "./types";

/** Logistic function, computed without overflow for large |m|. */
export function sigmoid(m: number): number {
  if (m >= 0) return 1 / (1 + Math.exp(-m));
  const e = Math.exp(m);
  return e / (1 + e);
}

/** log(1 + e^m) without overflow. */
export function softplus(m: number): number {
  return m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m));
}

/** A fitted model refuses rows with a different number of encoded features. */
export function checkColumns(X: Matrix, expected: number): void {
  if (X.cols !== expected) throw new Error(`Model was fitted on ${expected} features, got ${X.cols}`);
}

/** Defaults overridden by the keys the caller actually set (`{ maxDepth: undefined }` keeps the default). */
export function mergeOptions<T extends object>(defaults: Readonly<T>, options: Partial<T>): T {
  const merged = { ...defaults } as T;
  for (const key of Object.keys(options) as (keyof T)[]) {
    const value = options[key];
    if (value !== undefined) merged[key] = value as T[keyof T];
  }
  return merged;
}
