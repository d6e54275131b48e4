/**
 * State that must exist once per process, not once per module copy.
 *
 * Next.js compiles instrumentation (where the job runner and the Node server's REST API fast path
 * live), route handlers and pages into separate module graphs, so a module-level `const cache`
 * exists several times in one server process. A cache that one copy clears (an admin revokes an
 * API key through tRPC) while another keeps serving it (the REST API) is a security bug, so shared
 * state is kept on globalThis under a registered symbol instead.
 */
import type { Database } from "./db/client";

type Store = Record<symbol, unknown>;

/** The process's one value under `name`, created on first use. */
export function processWide<T>(name: string, create: () => T): T {
  const store = globalThis as unknown as Store;
  const key = Symbol.for(`churnguard.${name}`);
  if (!(key in store)) store[key] = create();
  return store[key] as T;
}

export interface PerDatabase<T> {
  /** The value for this database object, created on first use. */
  of(db: Database): T;
  /** The value if one was created, without creating it. */
  peek(db: Database): T | undefined;
  /** Forgets every value (tests and benchmarks that share a process with several databases). */
  reset(): void;
}

/**
 * One value per database object and process: per database object so test files that open several
 * databases in one process never mix their caches, per process for the reason above.
 */
export function perDatabase<T>(name: string, create: (db: Database) => T): PerDatabase<T> {
  const holder = processWide(`perDatabase.${name}`, () => ({ values: new WeakMap<Database, T>() }));
  return {
    of(db) {
      let value = holder.values.get(db);
      if (value === undefined) {
        value = create(db);
        holder.values.set(db, value);
      }
      return value;
    },
    peek: (db) => holder.values.get(db),
    reset() {
      holder.values = new WeakMap();
    },
  };
}
