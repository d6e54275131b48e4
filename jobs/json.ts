/**
 * Step results are stored as JSON (jsonb in `job_steps` for the embedded runner, Inngest's run state
 * in production) and later steps receive that stored JSON, never the live object. So both executors
 * pass every result through `toStepResult`, which makes the two modes behave identically:
 *
 * - rejected (NonRetriableError naming the path): Date, typed arrays / ArrayBuffer / DataView, Map,
 *   Set, bigint, functions, symbols, class instances other than plain objects, cycles, strings with
 *   U+0000 (PostgreSQL's jsonb cannot store it), and results over STEP_RESULT_MAX_BYTES. Silently
 *   converting these would hand the next step a different type than the one returned (a Date would
 *   come back as a string, a Float64Array as {"0": …}), a bug that only shows after a restart.
 * - converted, exactly as JSON.stringify does: NaN and ±Infinity become null (metrics such as F1 can
 *   be undefined on a degenerate fold; failing the whole run for that would be worse), `undefined`
 *   object properties are dropped, `undefined` array items and a step returning nothing become null.
 */

import type { Json } from "./types";
import { NonRetriableError } from "./types";

/** Inngest's limit for data returned by one step; the embedded runner enforces it too, for parity. */
export const STEP_RESULT_MAX_BYTES = 4 * 1024 * 1024;

class NotJsonError extends NonRetriableError {
  constructor(label: string, path: string, what: string, hint: string) {
    super(`${label} contains ${what} at ${path}: step results are stored as JSON; ${hint}`);
    this.name = "NonRetriableError";
  }
}

function typeName(value: object): string {
  const name = value.constructor?.name;
  return name ? `a ${name}` : "an object with a custom prototype";
}

function normalise(value: unknown, path: string, label: string, seen: Set<object>): Json {
  switch (typeof value) {
    case "undefined":
      return null;
    case "boolean":
      return value;
    case "string":
      if (value.includes("\u0000")) {
        throw new NotJsonError(label, path, "a NUL character (U+0000)", "remove it before returning");
      }
      return value;
    case "number":
      return Number.isFinite(value) ? value : null;
    case "bigint":
      throw new NotJsonError(label, path, "a bigint", "return it as a number or a string");
    case "function":
    case "symbol":
      throw new NotJsonError(label, path, `a ${typeof value}`, "return data only");
  }
  if (value === null) return null;
  const object = value as object;
  if (seen.has(object)) throw new NotJsonError(label, path, "a circular reference", "return a tree");
  if (object instanceof Date) {
    throw new NotJsonError(label, path, "a Date", "return date.toISOString() and parse it where needed");
  }
  if (ArrayBuffer.isView(object) || object instanceof ArrayBuffer) {
    throw new NotJsonError(label, path, typeName(object), "convert typed arrays with Array.from(…)");
  }
  if (object instanceof Map || object instanceof Set) {
    throw new NotJsonError(label, path, typeName(object), "convert it to an array or a plain object");
  }
  seen.add(object);
  try {
    if (Array.isArray(object)) {
      return object.map((item, i) => normalise(item, `${path}[${i}]`, label, seen));
    }
    const proto = Object.getPrototypeOf(object);
    if (proto !== Object.prototype && proto !== null) {
      throw new NotJsonError(label, path, typeName(object), "return a plain object (e.g. model.toJSON())");
    }
    const out: { [key: string]: Json } = {};
    for (const [key, item] of Object.entries(object)) {
      if (item === undefined) continue;
      if (key.includes("\u0000")) {
        throw new NotJsonError(label, path, "a key with a NUL character (U+0000)", "rename the key");
      }
      // defineProperty, not assignment: `out["__proto__"] = …` would set the prototype and lose
      // the entry (keys can be column names from a customer's file).
      Object.defineProperty(out, key, {
        value: normalise(item, `${path}.${key}`, label, seen),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  } finally {
    seen.delete(object);
  }
}

/**
 * Checks a step's return value and returns its JSON form (a fresh copy, never the live object).
 * Throws NonRetriableError when it cannot be stored faithfully (see the module comment).
 */
export function toStepResult(value: unknown, stepId: string): Json {
  const label = `The result of step "${stepId}"`;
  const json = normalise(value, "result", label, new Set());
  const bytes = Buffer.byteLength(JSON.stringify(json));
  if (bytes > STEP_RESULT_MAX_BYTES) {
    throw new NonRetriableError(
      `${label} is ${(bytes / 1024 / 1024).toFixed(1)} MB, over the ${STEP_RESULT_MAX_BYTES / 1024 / 1024} MB ` +
        "limit for a step result: store large data (models, matrices) in the database or storage and return its id",
    );
  }
  return json;
}

/** Event data must be a JSON object for the same reasons (it is stored in `jobs.event`). */
export function toEventData(value: unknown, eventName: string): { [key: string]: Json } {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new TypeError(`The data of event "${eventName}" must be a plain object`);
  }
  return normalise(value, "data", `The data of event "${eventName}"`, new Set()) as { [key: string]: Json };
}
