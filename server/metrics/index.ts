/**
 * Prometheus metrics of this server process (prom-client), served at /api/metrics to a key with
 * the `metrics:read` scope. One registry per process (not per Next.js bundle: the REST fast path,
 * the job runner and the route handlers live in different module copies and must count into the
 * same series).
 *
 * Series (all prefixed churnguard_):
 *   http_requests_total / http_request_duration_seconds   {method, route, status}
 *   trpc_calls_total / trpc_call_duration_seconds          {procedure, type, outcome}
 *   predict_calls_total                                    {endpoint, status}
 *   predicted_customers_total                              {endpoint}
 *   job_runs_total / job_run_duration_seconds              {function, outcome}  queued → finished
 *   job_step_duration_seconds                              {function, step, outcome}
 *   job_queue_depth                                        {function, status}   read when scraped
 *   training_duration_seconds                              {outcome}            run started → closed
 *   scoring_duration_seconds                               {kind}               champion | batch
 * plus Node's process metrics (CPU, memory, event loop lag, GC).
 */
import { count, inArray } from "drizzle-orm";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Database } from "../db/client";
import { jobs } from "../db/schema";
import { processWide } from "../process-wide";

const PREFIX = "churnguard_";
/** Seconds: requests are milliseconds to seconds; pages under load reach several seconds. */
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Seconds: durable work runs from a second to tens of minutes. */
const WORK_BUCKETS = [0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600];

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: PREFIX });
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({
      name: `${PREFIX}http_requests_total`,
      help: "HTTP requests answered, by route pattern and status",
      labelNames: ["method", "route", "status"] as const,
      registers,
    }),
    httpDuration: new Histogram({
      name: `${PREFIX}http_request_duration_seconds`,
      help: "Time from receiving a request to the end of its answer",
      labelNames: ["method", "route", "status"] as const,
      buckets: REQUEST_BUCKETS,
      registers,
    }),
    trpcCalls: new Counter({
      name: `${PREFIX}trpc_calls_total`,
      help: "tRPC procedure calls, by procedure and outcome (ok or the error code)",
      labelNames: ["procedure", "type", "outcome"] as const,
      registers,
    }),
    trpcDuration: new Histogram({
      name: `${PREFIX}trpc_call_duration_seconds`,
      help: "Time spent in a tRPC procedure",
      labelNames: ["procedure", "type", "outcome"] as const,
      buckets: REQUEST_BUCKETS,
      registers,
    }),
    predictCalls: new Counter({
      name: `${PREFIX}predict_calls_total`,
      help: "REST predict API calls, by endpoint and status",
      labelNames: ["endpoint", "status"] as const,
      registers,
    }),
    predictedCustomers: new Counter({
      name: `${PREFIX}predicted_customers_total`,
      help: "Customers scored through the REST predict API",
      labelNames: ["endpoint"] as const,
      registers,
    }),
    jobRuns: new Counter({
      name: `${PREFIX}job_runs_total`,
      help: "Durable job runs finished, by function and outcome (succeeded, failed, cancelled)",
      labelNames: ["function", "outcome"] as const,
      registers,
    }),
    jobDuration: new Histogram({
      name: `${PREFIX}job_run_duration_seconds`,
      help: "Time from a job being queued to its end, retries and waits included",
      labelNames: ["function", "outcome"] as const,
      buckets: WORK_BUCKETS,
      registers,
    }),
    jobStepDuration: new Histogram({
      name: `${PREFIX}job_step_duration_seconds`,
      help: "Time one attempt of a durable step ran",
      labelNames: ["function", "step", "outcome"] as const,
      buckets: WORK_BUCKETS,
      registers,
    }),
    queueDepth: new Gauge({
      name: `${PREFIX}job_queue_depth`,
      help: "Jobs waiting (queued) or being worked on (running), by function, when scraped",
      labelNames: ["function", "status"] as const,
      registers,
    }),
    trainingDuration: new Histogram({
      name: `${PREFIX}training_duration_seconds`,
      help: "Training runs from start to finish",
      labelNames: ["outcome"] as const,
      buckets: WORK_BUCKETS,
      registers,
    }),
    scoringDuration: new Histogram({
      name: `${PREFIX}scoring_duration_seconds`,
      help: "Scoring every customer with a champion (champion) or an uploaded file (batch)",
      labelNames: ["kind"] as const,
      buckets: WORK_BUCKETS,
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

export function metrics(): Metrics {
  return processWide("metrics", createMetrics);
}

/** Metrics must never break the work they measure. */
function safely(record: () => void): void {
  try {
    record();
  } catch {
    // A label value prom-client refuses, or a registry reset by a test: the work goes on.
  }
}

export function observeHttpRequest(r: {
  method: string;
  route: string;
  status: number;
  seconds: number;
}): void {
  safely(() => {
    const labels = { method: r.method, route: r.route, status: String(r.status) };
    const m = metrics();
    m.httpRequests.inc(labels);
    m.httpDuration.observe(labels, r.seconds);
  });
}

export function observeTrpcCall(r: {
  procedure: string;
  type: string;
  outcome: string;
  seconds: number;
}): void {
  safely(() => {
    const labels = { procedure: r.procedure, type: r.type, outcome: r.outcome };
    const m = metrics();
    m.trpcCalls.inc(labels);
    m.trpcDuration.observe(labels, r.seconds);
  });
}

export function observePredictCall(r: { endpoint: string; status: number; customers: number }): void {
  safely(() => {
    const m = metrics();
    m.predictCalls.inc({ endpoint: r.endpoint, status: String(r.status) });
    if (r.customers > 0) m.predictedCustomers.inc({ endpoint: r.endpoint }, r.customers);
  });
}

export type JobOutcome = "succeeded" | "failed" | "cancelled";

export function observeJobRun(r: { functionId: string; outcome: JobOutcome; queuedAt?: Date | null }): void {
  safely(() => {
    const labels = { function: r.functionId, outcome: r.outcome };
    const m = metrics();
    m.jobRuns.inc(labels);
    if (r.queuedAt) m.jobDuration.observe(labels, Math.max(0, (Date.now() - r.queuedAt.getTime()) / 1000));
  });
}

export function observeJobStep(r: {
  functionId: string;
  step: string;
  outcome: string;
  seconds: number;
}): void {
  safely(() =>
    metrics().jobStepDuration.observe(
      { function: r.functionId, step: r.step, outcome: r.outcome },
      r.seconds,
    ),
  );
}

/** A training run that closed; without a start time (never started) nothing is observed. */
export function observeTrainingRun(run: {
  status: string;
  startedAt: Date | null;
  finishedAt: Date | null;
}): void {
  if (!run.startedAt) return;
  const end = run.finishedAt ?? new Date();
  safely(() =>
    metrics().trainingDuration.observe(
      { outcome: run.status },
      Math.max(0, (end.getTime() - run.startedAt!.getTime()) / 1000),
    ),
  );
}

export function observeScoring(kind: "champion" | "batch", seconds: number): void {
  safely(() => metrics().scoringDuration.observe({ kind }, seconds));
}

/** Reads the job queue into the queue-depth gauge (on each scrape, so it is never stale). */
export async function refreshQueueDepth(db: Database): Promise<void> {
  const rows = await db
    .select({ functionId: jobs.functionId, status: jobs.status, jobs: count() })
    .from(jobs)
    .where(inArray(jobs.status, ["queued", "running"]))
    .groupBy(jobs.functionId, jobs.status);
  const gauge = metrics().queueDepth;
  gauge.reset();
  for (const row of rows) gauge.set({ function: row.functionId, status: row.status }, Number(row.jobs));
}

/** The text exposition format, with its content type. */
export async function renderMetrics(): Promise<{ contentType: string; body: string }> {
  const registry = metrics().registry;
  return { contentType: registry.contentType, body: await registry.metrics() };
}
