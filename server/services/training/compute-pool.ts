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
 * - Tasks can be stopped (interrupt.ts): `interrupt(tag)` raises the shared flag of a run's running
 *   tasks (lib/ml checks it between trees, rounds, folds) and drops its queued ones; a task given a
 *   `budgetMs` stops itself when the budget is spent. A worker that has not stopped HARD_STOP_GRACE_MS
 *   after either is terminated, so a computation never outlives its run or its budget by much.
 *
 * How a worker loads its TypeScript entry: see createWorker.
 */
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { withInterruptCheck } from "@/lib/ml/interrupt";
import { logger } from "../../log";
import {
  type ComputeTable,
  type ComputeTaskName,
  type ComputeTasks,
  type PreparedData,
  runComputeTask,
  type SplitParams,
} from "./compute";
import type { WorkerRequest, WorkerResponse } from "./compute-worker";
import {
  ComputeBudgetExceededError,
  ComputeCancelledError,
  createInterruptFlag,
  interruptCheck,
  raiseInterruptFlag,
} from "./interrupt";
import { packTable } from "./packed-rows";

export interface ComputeRequest<K extends ComputeTaskName> {
  task: K;
  /** The training table and its split (training tasks; a worker keeps the table once sent). */
  table?: ComputeTable;
  split?: SplitParams;
  input: ComputeTasks[K]["input"];
  /** The caller's prepared data, used by the in-process path instead of preparing it again. */
  prepared?: PreparedData;
  /** Groups tasks (a run id) so that they can be dropped or stopped together (discardQueued, interrupt). */
  tag?: string;
  /** The computation stops with ComputeBudgetExceededError once it has run this long. */
  budgetMs?: number;
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
  /** Shared with the computation: 1 = stop (interrupt.ts). */
  flag: Int32Array;
}

interface PoolWorker {
  worker: Worker;
  /** Tables this worker holds, least recently used first (mirrors compute-worker.ts's cache). */
  tables: number[];
  task: (QueuedTask & { id: number }) | null;
  isReady: boolean;
  /** Set when the pool terminates the worker to stop its task: the error that task fails with. */
  stoppedWith: Error | null;
  /** Terminates the worker if its task ignores a stop request or overruns its budget. */
  hardStop: NodeJS.Timeout | null;
  hardStopAt: number;
}

/** How long a worker may take to notice a stop request (or its spent budget) before it is terminated. */
export const HARD_STOP_GRACE_MS = 10_000;

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
  /** Tasks computing on this thread (no workers), by flag, so interrupt() can reach them too. */
  private readonly inProcess = new Set<QueuedTask>();

  constructor(options: ComputePoolOptions) {
    this.size = Math.max(0, Math.floor(options.size));
    this.execArgv = options.execArgv;
  }

  /** "workers" while tasks go to worker threads, "in-process" otherwise. */
  get mode(): "workers" | "in-process" {
    return this.size > 0 && !this.isBroken && !this.isClosed ? "workers" : "in-process";
  }

  run<K extends ComputeTaskName>(request: ComputeRequest<K>): Promise<ComputeTasks[K]["output"]> {
    return new Promise((resolve, reject) => {
      const task: QueuedTask = {
        request: request as ComputeRequest<ComputeTaskName>,
        resolve: resolve as (output: unknown) => void,
        reject,
        flag: createInterruptFlag(),
      };
      if (this.mode === "in-process") this.runHere(task);
      else {
        this.queue.push(task);
        this.dispatch();
      }
    });
  }

  /** Worker threads alive now (a worker terminated to stop its task is gone until the next task). */
  get workerCount(): number {
    return this.workers.length;
  }

  /** Whether a task with this tag is computing now (on a worker or this thread). */
  isRunning(tag: string): boolean {
    return (
      this.workers.some((w) => w.task?.request.tag === tag) ||
      [...this.inProcess].some((t) => t.request.tag === tag)
    );
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

  /**
   * Stops every task with this tag: queued ones reject at once, running ones at their next check
   * (lib/ml's checkInterrupt) with ComputeCancelledError; a worker that does not stop within
   * HARD_STOP_GRACE_MS is terminated. Returns how many tasks were reached.
   */
  interrupt(tag: string): number {
    let reached = 0;
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (this.queue[i].request.tag !== tag) continue;
      const [task] = this.queue.splice(i, 1);
      task.reject(new ComputeCancelledError());
      reached++;
    }
    for (const task of this.inProcess) {
      if (task.request.tag !== tag) continue;
      raiseInterruptFlag(task.flag);
      reached++;
    }
    for (const entry of this.workers) {
      const task = entry.task;
      if (!task || task.request.tag !== tag) continue;
      raiseInterruptFlag(task.flag);
      this.scheduleHardStop(entry, task.id, HARD_STOP_GRACE_MS, () => new ComputeCancelledError());
      reached++;
    }
    return reached;
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
        for (const task of this.queue.splice(0)) this.runHere(task);
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
      logger("training").warn({ err: error }, "worker threads unavailable, computing in-process");
      return null;
    }
    const entry: PoolWorker = {
      worker,
      tables: [],
      task: null,
      isReady: false,
      stoppedWith: null,
      hardStop: null,
      hardStopAt: 0,
    };
    worker.on("message", (response: WorkerResponse) => {
      if ("ready" in response) {
        entry.isReady = true;
        return;
      }
      const task = entry.task;
      if (!task || task.id !== response.id) return;
      entry.task = null;
      this.clearHardStop(entry);
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
      this.clearHardStop(entry);
      if (entry.stoppedWith && task) {
        task.reject(entry.stoppedWith);
      } else if (!entry.isReady) {
        // The entry could not load (no TypeScript loader, bundling problem): stop using workers.
        this.isBroken = true;
        logger("training").warn({ err: error }, "worker threads unavailable, computing in-process");
        if (task) this.runHere(task);
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
      interrupt: { flag: task.flag, budgetMs: request.budgetMs },
    };
    if (!hasTable && request.table) {
      const { schema, columns, rows } = request.table;
      message.table = packTable(request.table) ?? { schema, columns, rows };
    }
    entry.task = { ...task, id };
    entry.worker.ref();
    const { budgetMs } = request;
    if (budgetMs !== undefined) {
      this.scheduleHardStop(
        entry,
        id,
        budgetMs + HARD_STOP_GRACE_MS,
        () => new ComputeBudgetExceededError(budgetMs),
      );
    }
    try {
      entry.worker.postMessage(message);
    } catch (error) {
      entry.task = null;
      entry.tables = entry.tables.filter((t) => t !== tableId);
      entry.worker.unref();
      task.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** Runs a task on this thread (no workers), reachable by interrupt() until it starts and while it runs. */
  private runHere(task: QueuedTask): void {
    this.inProcess.add(task);
    runInProcess(task.request, task.flag)
      .then(task.resolve, task.reject)
      .finally(() => this.inProcess.delete(task));
  }

  /**
   * Terminates the worker after `ms` if it is still on task `taskId`; the task then fails with
   * `error()`. An earlier deadline already set for the task is kept.
   */
  private scheduleHardStop(entry: PoolWorker, taskId: number, ms: number, error: () => Error): void {
    const at = Date.now() + ms;
    if (entry.hardStop && entry.hardStopAt <= at) return;
    if (entry.hardStop) clearTimeout(entry.hardStop);
    entry.hardStopAt = at;
    entry.hardStop = setTimeout(() => {
      entry.hardStop = null;
      if (entry.task?.id !== taskId) return;
      entry.stoppedWith = error();
      void entry.worker.terminate();
    }, ms);
    entry.hardStop.unref();
  }

  private clearHardStop(entry: PoolWorker): void {
    if (entry.hardStop) clearTimeout(entry.hardStop);
    entry.hardStop = null;
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
  flag: Int32Array,
): Promise<ComputeTasks[K]["output"]> {
  // Asynchronous like the worker path: callers may start several tasks before awaiting any.
  await new Promise((resolve) => setImmediate(resolve));
  const { table, split, prepared } = request;
  // Only the budget and a flag raised before this point can stop it: the thread is busy until the end.
  return withInterruptCheck(interruptCheck({ flag, budgetMs: request.budgetMs }), () =>
    runComputeTask(request.task, table && split ? { table, split, prepared } : null, request.input),
  );
}

/**
 * Worker threads for the process: none on AWS Lambda; TRAINING_WORKER_THREADS if set, else one per
 * core up to 2.
 * Under vitest workers are off unless TRAINING_WORKER_THREADS is set (test files run TypeScript
 * through vite, which a worker thread does not have).
 */
export function defaultPoolSize(env: Readonly<Record<string, string | undefined>> = process.env): number {
  // Lambda: workers boot through tsx, which the deployed bundle does not ship, and a function's
  // vCPUs are better spent on the step itself; always on the main thread there.
  if (env.AWS_LAMBDA_FUNCTION_NAME) return 0;
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
