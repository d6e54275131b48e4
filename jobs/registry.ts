/**
 * Every durable function of the app, served to Inngest by app/api/inngest and run by the embedded
 * runner. To register one, export it from a file in jobs/functions/ and add one line to
 * jobs/functions/index.ts:  export { trainModels } from "./train-models";
 */
import { type AnyDurableFunction, isDurableFunction } from "./define";
import * as exported from "./functions";

function collect(): AnyDurableFunction[] {
  const list = Object.values(exported).filter(isDurableFunction);
  const seen = new Set<string>();
  for (const fn of list) {
    if (seen.has(fn.id)) throw new Error(`Two durable functions share the id "${fn.id}"`);
    seen.add(fn.id);
  }
  return list;
}

let cached: readonly AnyDurableFunction[] | undefined;

/**
 * Read on first call, not at import: services import jobs/dispatch, which reaches this module,
 * while the functions import those services, so at import time a function may not exist yet.
 */
export function getDurableFunctions(): readonly AnyDurableFunction[] {
  cached ??= collect();
  return cached;
}

export function functionsForEvent(
  eventName: string,
  functions: readonly AnyDurableFunction[] = getDurableFunctions(),
): AnyDurableFunction[] {
  return functions.filter((fn) => fn.event === eventName);
}
