/** Defaults overridden by the keys the caller actually set (`{ C: undefined }` keeps the default). */
export function mergeOptions<T extends object>(defaults: Readonly<T>, options: Partial<T>): T {
  const merged = { ...defaults } as T;
  for (const key of Object.keys(options) as (keyof T)[]) {
    const value = options[key];
    if (value !== undefined) merged[key] = value as T[keyof T];
  }
  return merged;
}
