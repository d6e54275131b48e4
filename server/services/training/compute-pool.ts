/**
 * Runs the training pipeline's CPU-heavy work (compute.ts) on worker threads, so that in the
 * embedded mode, where training shares the process with the web server, requests keep being
 * served while models fit, and the four algorithms use both cores at once.
 *
 * - One worker per core (at most 2 by default; TRAINING_WORKER_THREADS overrides, 0 turns
 *   workers off). Workers start on first use and are unref'd while idle, so they never keep a
 *   script alive.
 * - A dataset version's rows are sent to a worker once and kept there (see compute-worker.ts).
 * - Where workers cannot start (no loader for the TypeScript entry, e.g. under vitest, or a
 *   platform without threads) every task runs in-process instead: same code, same results.
 * - A worker that dies mid-task fails that task (the step is retried by its executor) and is
 *   replaced on the next task.
 *
 * How a worker loads its TypeScript entry: see createWorker.
 */
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import {
  type ComputeTable,
  type ComputeTaskName,
  type ComputeTasks,
  type PreparedData,
  runComputeTask,
  type SplitParams,
} from "./compute";
import type { WorkerRequest, WorkerResponse } from "./compute-worker";

export interface ComputeRequest<K extends ComputeTaskName> {
  task: K;
  /** The training table and its split (training tasks; a worker keeps the table once sent). */
  table?: ComputeTable;
  split?: SplitParams;
  input: ComputeTasks[K]["input"];
  /** The caller's prepared data, used by the in-process path instead of preparing it again. */
  prepared?: PreparedData;
  /** Groups tasks (a run id) so that queued ones can be dropped together (discardQueued). */
  tag?: string;
}

export interface ComputePoolOptions {
  /** Worker threads; 0 runs every task in-process. */
  size: number;
  /** Passed to each Worker (tests add a TypeScript loader: ["--import", "tsx"]). */
  execArgv?: string[];
}

export class ComputeTaskDiscardedError extends Error {
  constructor() {
    super("The computation was discarded before it started");
    this.name = "ComputeTaskDiscardedError";
  }
}

interface QueuedTask {
  request: ComputeRequest<ComputeTaskName>;
  resolve(output: unknown): void;
  reject(error: Error): void;
}

interface PoolWorker {
  worker: Worker;
  /** Tables this worker holds, least recently used first (mirrors compute-worker.ts's cache). */
  tables: number[];
  task: (QueuedTask & { id: number }) | null;
  isReady: boolean;
}

const WORKER_TABLES = 2;
const tableIds = new WeakMap<object, number>();
let nextTableId = 1;
function tableIdOf(table: ComputeTable): number {
  let id = tableIds.get(table);
  if (id === undefined) {
    id = nextTableId++;
    tableIds.set(table, id);
  }
  return id;
}

function workerError(error: { name: string; message: string; stack?: string }): Error {
  const e = new Error(error.message);
  e.name = error.name;
  if (error.stack) e.stack = error.stack;
  return e;
}

export class ComputePool {
  private readonly size: number;
  private readonly execArgv: string[] | undefined;
  private readonly workers: PoolWorker[] = [];
  private readonly queue: QueuedTask[] = [];
  private nextId = 1;
  /** Set when a worker could not even start: everything runs in-process from then on. */
  private isBroken = false;
  private isClosed = false;

  constructor(options: ComputePoolOptions) {
    this.size = Math.max(0, Math.floor(options.size));
    this.execArgv = options.execArgv;
  }

  /** "workers" while tasks go to worker threads, "in-process" otherwise. */
  get mode(): "workers" | "in-process" {
    return this.size > 0 && !this.isBroken && !this.isClosed ? "workers" : "in-process";
  }

  run<K extends ComputeTaskName>(request: ComputeRequest<K>): Promise<ComputeTasks[K]["output"]> {
    if (this.mode === "in-process") return runInProcess(request);
    return new Promise((resolve, reject) => {
      this.queue.push({
        request: request as ComputeRequest<ComputeTaskName>,
        resolve: resolve as (output: unknown) => void,
        reject,
      });
      this.dispatch();
    });
  }

  /** Starts the workers ahead of the first task (they take a moment to load lib/ml). */
  warm(): void {
    if (this.mode !== "workers") return;
    while (this.workers.length < this.size) {
      const entry = this.spawn();
      if (!entry) break;
      entry.worker.unref();
    }
  }

  /** Drops queued (not started) tasks with this tag; they reject with ComputeTaskDiscardedError. */
  discardQueued(tag: string): number {
    let dropped = 0;
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (this.queue[i].request.tag !== tag) continue;
      const [task] = this.queue.splice(i, 1);
      task.reject(new ComputeTaskDiscardedError());
      dropped++;
    }
    return dropped;
  }

  async close(): Promise<void> {
    this.isClosed = true;
    const workers = this.workers.splice(0);
    for (const task of this.queue.splice(0)) task.reject(new ComputeTaskDiscardedError());
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      if (this.mode === "in-process") {
        // Workers broke while tasks waited: run them here.
        for (const task of this.queue.splice(0)) runInProcess(task.request).then(task.resolve, task.reject);
        return;
      }
      const idle = this.workers.find((w) => w.task === null) ?? this.spawn();
      if (!idle) {
        if (this.isBroken) continue; // workers could not start: the loop runs the queue here
        return;
      }
      const task = this.queue.shift() as QueuedTask;
      this.send(idle, task);
    }
  }

  private spawn(): PoolWorker | null {
    if (this.workers.length >= this.size) return null;
    let worker: Worker;
    try {
      worker = createWorker(this.execArgv);
    } catch (error) {
      this.isBroken = true;
      console.warn(
        `[churnguard:training] worker threads unavailable, computing in-process: ${(error as Error).message}`,
      );
      return null;
    }
    const entry: PoolWorker = { worker, tables: [], task: null, isReady: false };
    worker.on("message", (response: WorkerResponse) => {
      if ("ready" in response) {
        entry.isReady = true;
        return;
      }
      const task = entry.task;
      if (!task || task.id !== response.id) return;
      entry.task = null;
      worker.unref();
      if (response.ok) task.resolve(response.output);
      else task.reject(workerError(response.error));
      this.dispatch();
    });
    const lose = (error: Error) => {
      const at = this.workers.indexOf(entry);
      if (at < 0) return;
      this.workers.splice(at, 1);
      const task = entry.task;
      entry.task = null;
      if (!entry.isReady) {
        // The entry could not load (no TypeScript loader, bundling problem): stop using workers.
        this.isBroken = true;
        console.warn(
          `[churnguard:training] worker threads unavailable, computing in-process: ${error.message}`,
        );
        if (task) runInProcess(task.request).then(task.resolve, task.reject);
      } else if (task) {
        task.reject(error);
      }
      this.dispatch();
    };
    worker.on("error", lose);
    worker.on("exit", (code) => lose(new Error(`Training worker stopped (exit code ${code})`)));
    this.workers.push(entry);
    return entry;
  }

  private send(entry: PoolWorker, task: QueuedTask): void {
    const { request } = task;
    // 0: a task without a table (batch scoring).
    const tableId = request.table ? tableIdOf(request.table) : 0;
    const at = entry.tables.indexOf(tableId);
    const hasTable = tableId === 0 || at >= 0;
    if (tableId !== 0) {
      if (at >= 0) entry.tables.splice(at, 1);
      entry.tables.push(tableId);
      while (entry.tables.length > WORKER_TABLES) entry.tables.shift();
    }
    const id = this.nextId++;
    const message: WorkerRequest = {
      id,
      task: request.task,
      tableId,
      split: request.split,
      input: request.input,
    };
    if (!hasTable && request.table) {
      const { schema, columns, rows } = request.table;
      message.table = { schema, columns, rows };
    }
    entry.task = { ...task, id };
    entry.worker.ref();
    try {
      entry.worker.postMessage(message);
    } catch (error) {
      entry.task = null;
      entry.tables = entry.tables.filter((t) => t !== tableId);
      entry.worker.unref();
      task.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

/**
 * A worker running compute-worker.ts from the TypeScript sources through tsx's loader, which the
 * worker registers itself (Node 20 does not hand the parent's loader hooks to worker threads).
 * The same in every runtime: tsx scripts and vitest run the sources; the Next.js production
 * server runs from its checkout (`npm start` builds in place), whose sources sit under the working
 * directory. (Turbopack 16.4 copies a `new Worker(new URL("./x.ts", import.meta.url))` entry as a
 * static asset instead of bundling it, which Node 20 cannot run.) Without tsx, or without the
 * sources, the worker fails to load and the pool falls back to in-process computing.
 */
function createWorker(execArgv: string[] | undefined): Worker {
  const fromSources = import.meta.url.endsWith(".ts");
  const entry = fromSources
    ? import.meta.url.replace(/compute-pool\.ts$/, "compute-worker.ts")
    : pathToFileURL(path.join(process.cwd(), "server", "services", "training", "compute-worker.ts")).href;
  // A bare specifier in eval'd code resolves from the working directory: the project's tsx.
  const boot = `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { ...(execArgv ? { execArgv } : {}), eval: true });
}

async function runInProcess<K extends ComputeTaskName>(
  request: ComputeRequest<K>,
): Promise<ComputeTasks[K]["output"]> {
  // Asynchronous like the worker path: callers may start several tasks before awaiting any.
  await new Promise((resolve) => setImmediate(resolve));
  const { table, split, prepared } = request;
  return runComputeTask(request.task, table && split ? { table, split, prepared } : null, request.input);
}

/**
 * Worker threads for the process: TRAINING_WORKER_THREADS if set, else one per core up to 2.
 * Under vitest workers are off unless TRAINING_WORKER_THREADS is set (test files run TypeScript
 * through vite, which a worker thread does not have).
 */
export function defaultPoolSize(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const configured = env.TRAINING_WORKER_THREADS;
  if (configured !== undefined && configured.trim() !== "") {
    const n = Number(configured);
    return Number.isInteger(n) && n >= 0 ? Math.min(n, 8) : 0;
  }
  if (env.VITEST) return 0;
  return Math.min(2, Math.max(1, os.availableParallelism()));
}

// One pool per process, on globalThis because Next.js bundles are separate module graphs.
const store = globalThis as typeof globalThis & { __churnguardComputePool?: ComputePool };

export function getComputePool(): ComputePool {
  store.__churnguardComputePool ??= new ComputePool({ size: defaultPoolSize() });
  return store.__churnguardComputePool;
}

/** Replaces the process pool (tests); closes the previous one. */
export async function setComputePool(pool: ComputePool): Promise<void> {
  const previous = store.__churnguardComputePool;
  store.__churnguardComputePool = pool;
  if (previous && previous !== pool) await previous.close();
}

export function runCompute<K extends ComputeTaskName>(
  request: ComputeRequest<K>,
): Promise<ComputeTasks[K]["output"]> {
  return getComputePool().run(request);
}
