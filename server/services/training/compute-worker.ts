/**
 * Entry of a training worker thread (started by compute-pool.ts). It receives tasks as messages,
 * runs them with compute.ts and posts the result or the error back. A dataset version's rows are
 * sent once per worker and kept (two tables at most), together with their prepared training set.
 */
import { parentPort } from "node:worker_threads";
import { withInterruptCheck } from "@/lib/ml/interrupt";
import {
  type ComputeTable,
  type ComputeTaskName,
  type PreparedData,
  prepareData,
  runComputeTask,
  type SplitParams,
} from "./compute";
import { type InterruptSpec, interruptCheck } from "./interrupt";
import { type PackedTable, unpackTable } from "./packed-rows";

export interface WorkerRequest {
  id: number;
  task: ComputeTaskName;
  /** 0 for a task without a table. */
  tableId: number;
  /** Sent only when this worker does not have the table yet (packed: one string per row). */
  table?: ComputeTable | PackedTable;
  split?: SplitParams;
  input: unknown;
  /** A shared stop flag and a time budget, checked by lib/ml between units of work. */
  interrupt?: InterruptSpec;
}

export type WorkerResponse =
  | { ready: true }
  | { id: number; ok: true; output: unknown }
  | { id: number; ok: false; error: { name: string; message: string; stack?: string } };

const MAX_TABLES = 2;
const tables = new Map<number, { table: ComputeTable; prepared: Map<string, PreparedData> }>();

function tableEntry(request: WorkerRequest) {
  let entry = tables.get(request.tableId);
  if (!entry) {
    if (!request.table) throw new Error(`Worker has no table ${request.tableId}`);
    const table = "packedRows" in request.table ? unpackTable(request.table) : request.table;
    entry = { table, prepared: new Map() };
    tables.set(request.tableId, entry);
    while (tables.size > MAX_TABLES) tables.delete(tables.keys().next().value as number);
  } else {
    // Most recently used last.
    tables.delete(request.tableId);
    tables.set(request.tableId, entry);
  }
  return entry;
}

parentPort?.on("message", (request: WorkerRequest) => {
  let response: WorkerResponse;
  try {
    const entry = request.tableId === 0 ? null : tableEntry(request);
    const output = withInterruptCheck(interruptCheck(request.interrupt), () =>
      runComputeTask(
        request.task,
        entry && request.split ? { table: entry.table, split: request.split } : null,
        request.input as never,
        (context) => {
          if (!entry) throw new Error("No table for a training task");
          const key = `${context.split.seed}:${context.split.testFraction}`;
          let prepared = entry.prepared.get(key);
          if (!prepared) {
            // One training set per table: every split of it shares the encoded frame.
            const training = entry.prepared.values().next().value?.training;
            prepared = prepareData(context.table, context.split, training);
            entry.prepared.set(key, prepared);
          }
          return prepared;
        },
      ),
    );
    response = { id: request.id, ok: true, output };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    response = { id: request.id, ok: false, error: { name: e.name, message: e.message, stack: e.stack } };
  }
  parentPort?.postMessage(response);
});

// The module (and lib/ml with it) loaded: the pool may rely on this thread.
parentPort?.postMessage({ ready: true } satisfies WorkerResponse);
