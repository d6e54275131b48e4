#!/usr/bin/env node
/**
 * A stand-in for Inngest Cloud for the production-shape journey (e2e/production-shape.spec.ts): the
 * app's own `inngest` SDK talks to it exactly as it talks to Inngest, and every step of every job
 * runs in a request to the app's `/api/inngest` endpoint, so nothing runs unless that endpoint works.
 * It speaks the documented SDK protocol (the SDK's `InngestCommHandler` is the reference):
 *
 * - sync: the driver PUTs the app's `/api/inngest`; the SDK POSTs its function list to
 *   `/fn/register` here with `Authorization: Bearer <hashed signing key>` (checked);
 * - events: the SDK POSTs them to `/e/<event key>` (the key is checked: a wrong one is a 401);
 * - execution: for each function whose trigger matches, a run; the driver POSTs
 *   `{ event, events, steps, ctx }` to the function's URL (`?fnId=…&stepId=step`), signed with
 *   `X-Inngest-Signature: t=<unix s>&s=<HMAC-SHA256(body + t)>` under INNGEST_SIGNING_KEY, and
 *   follows the answer: 206 + ops (StepRun → memoise its data and call again; StepPlanned → call
 *   with that step id; StepError → retry the step; StepFailed → memoise the error), 200 or a
 *   RunComplete op → done, 500 → retry the run up to its attempts (not when
 *   `x-inngest-no-retry: true`), then `inngest/function.failed` for its onFailure handler;
 * - checkpointing (the SDK's default, `checkpointing.maxRuntime` on Lambda): steps the SDK ran
 *   back to back in one request arrive at `/v1/checkpoint/<run>/async` and are memoised;
 * - cancellation: an event matching a running function's `cancel` rule stops the run and sends
 *   `inngest/function.cancelled`.
 * Crons, sleeps and waits are not driven (the journey has none). `GET /_driver/runs` lists the runs
 * for the journey's assertions.
 *
 *   INNGEST_SIGNING_KEY=signkey-test-… INNGEST_EVENT_KEY=… node scripts/e2e/inngest-driver.mjs 3614
 */
import { createHash, createHmac, randomUUID } from "node:crypto";
import { createServer } from "node:http";

const port = Number(process.argv[2] ?? 3614);
const signingKey = process.env.INNGEST_SIGNING_KEY ?? "";
const eventKey = process.env.INNGEST_EVENT_KEY ?? "";
if (!signingKey || !eventKey) {
  console.error("inngest-driver: set INNGEST_SIGNING_KEY and INNGEST_EVENT_KEY");
  process.exit(2);
}
const RETRY_DELAY_MS = 300;

const rawKey = signingKey.replace(/^signkey-[\w]+-/, "");
const hashedKey = `${signingKey.match(/^signkey-[\w]+-/)?.[0] ?? ""}${createHash("sha256").update(Buffer.from(rawKey, "hex")).digest("hex")}`;

/** Sorted keys at every level: the body the SDK canonicalises is the body that was signed. */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => value[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

function sign(body) {
  const ts = String(Math.floor(Date.now() / 1000));
  const s = createHmac("sha256", rawKey).update(body).update(ts).digest("hex");
  return `t=${ts}&s=${s}`;
}

/** @type {Map<string, any>} function id → config from /fn/register */
const functions = new Map();
/** @type {any[]} */
const runs = [];
/** @type {any[]} events received before the app synced */
let pending = [];
let synced = false;
const log = (...args) => console.log("[inngest-driver]", ...args);

function matchesExpression(expression, event) {
  if (!expression) return true;
  const m = /^event\.data\.(\w+)\s*==\s*'([^']*)'$/.exec(expression.trim());
  if (!m) return false;
  return String(event.data?.[m[1]]) === m[2];
}

function dispatch(event) {
  if (!synced) {
    pending.push(event);
    return;
  }
  // Cancellation rules of running functions first.
  for (const run of runs) {
    if (run.status !== "running") continue;
    for (const rule of run.config.cancel ?? []) {
      if (rule.event !== event.name) continue;
      const m = /^async\.data\.(\w+)\s*==\s*event\.data\.(\w+)$/.exec(String(rule.if ?? "").trim());
      if (m && event.data?.[m[1]] !== undefined && event.data[m[1]] === run.event.data?.[m[2]]) {
        run.cancelRequested = true;
      }
    }
  }
  for (const config of functions.values()) {
    for (const trigger of config.triggers ?? []) {
      if (trigger.event === event.name && matchesExpression(trigger.expression, event)) {
        startRun(config, event);
      }
    }
  }
}

function startRun(config, event) {
  const step = Object.values(config.steps ?? {})[0];
  const run = {
    id: `01${randomUUID().replace(/-/g, "").slice(0, 24).toUpperCase()}`,
    functionId: config.id,
    internalId: randomUUID(),
    queueItemId: randomUUID(),
    url: step?.runtime?.url,
    maxAttempts: (step?.retries?.attempts ?? 3) + 1,
    event,
    config,
    status: "running",
    steps: {},
    stack: [],
    requests: 0,
    checkpoints: 0,
    stepsRun: 0,
    attempt: 0,
    version: -1,
    startedAt: Date.now(),
  };
  runs.push(run);
  log(`run ${run.id} of ${config.id} for ${event.name}`);
  execute(run).catch((error) => {
    run.status = "failed";
    run.error = String(error?.stack ?? error);
    log(`run ${run.id} crashed: ${run.error}`);
  });
}

function memoise(run, id, entry) {
  if (!(id in run.steps)) run.stack.push(id);
  run.steps[id] = entry;
  run.stepsRun++;
}

async function call(run, stepId) {
  const url = new URL(run.url);
  url.searchParams.set("stepId", stepId);
  const body = canonical({
    version: run.version,
    event: run.event,
    events: [run.event],
    steps: run.steps,
    ctx: {
      run_id: run.id,
      fn_id: run.internalId,
      qi_id: run.queueItemId,
      attempt: run.attempt,
      max_attempts: run.maxAttempts,
      disable_immediate_execution: false,
      use_api: false,
      stack: { stack: run.stack, current: run.stack.length },
    },
  });
  run.requests++;
  const response = await fetch(url, {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "x-inngest-signature": sign(body),
      "x-inngest-server-kind": "cloud",
      "x-inngest-req-version": String(run.version),
    },
  });
  const version = Number(response.headers.get("x-inngest-req-version"));
  if (Number.isInteger(version) && version > 0) run.version = version;
  const text = await response.text();
  let json;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  return { status: response.status, noRetry: response.headers.get("x-inngest-no-retry") === "true", json };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function execute(run) {
  const planned = [];
  for (;;) {
    if (run.cancelRequested) return finish(run, "cancelled");
    if (run.status !== "running") return;
    const stepId = planned.shift() ?? "step";
    const { status, noRetry, json } = await call(run, stepId);
    if (run.status !== "running") return; // completed by a checkpoint
    if (status === 200) return finish(run, "completed", { output: json });
    if (status === 206 && Array.isArray(json)) {
      for (const op of json) {
        switch (op.op) {
          case "StepRun":
          case "Step":
            memoise(run, op.id, { type: "data", data: op.data ?? null });
            run.attempt = 0;
            break;
          case "StepPlanned":
            planned.push(op.id);
            break;
          case "StepError":
            run.attempt++;
            if (run.attempt >= run.maxAttempts) {
              memoise(run, op.id, { type: "error", error: op.error });
              run.attempt = 0;
            } else {
              planned.push(op.id);
              await sleep(RETRY_DELAY_MS);
            }
            break;
          case "StepFailed":
            memoise(run, op.id, { type: "error", error: op.error });
            run.attempt = 0;
            break;
          case "RunComplete":
            return finish(run, "completed", { output: op.data });
          default:
            return finish(run, "failed", { error: `the driver does not drive "${op.op}" ops` });
        }
      }
      continue;
    }
    run.attempt++;
    run.lastError = json;
    if (noRetry || run.attempt >= run.maxAttempts) {
      return finish(run, "failed", { error: json });
    }
    await sleep(RETRY_DELAY_MS);
  }
}

function finish(run, status, extra = {}) {
  if (run.status !== "running") return;
  Object.assign(run, extra, { status, endedAt: Date.now() });
  log(`run ${run.id} of ${run.functionId}: ${status} after ${run.requests} request(s)`);
  if (run.event.name.startsWith("inngest/")) return;
  if (status === "failed") {
    dispatch({
      id: randomUUID(),
      name: "inngest/function.failed",
      ts: Date.now(),
      data: { function_id: run.functionId, run_id: run.id, error: run.error, event: run.event },
    });
  }
  if (status === "cancelled") {
    dispatch({
      id: randomUUID(),
      name: "inngest/function.cancelled",
      ts: Date.now(),
      data: { function_id: run.functionId, run_id: run.id, event: run.event },
    });
  }
}

function onCheckpoint(runId, steps) {
  const run = runs.find((r) => r.id === runId);
  if (!run) return false;
  run.checkpoints++;
  for (const op of steps ?? []) {
    if (op.op === "StepRun" || op.op === "Step") memoise(run, op.id, { type: "data", data: op.data ?? null });
    else if (op.op === "StepFailed") memoise(run, op.id, { type: "error", error: op.error });
    else if (op.op === "RunComplete") finish(run, "completed", { output: op.data });
  }
  return true;
}

async function readJson(request) {
  const parts = [];
  for await (const chunk of request) parts.push(chunk);
  const text = Buffer.concat(parts).toString("utf8");
  return text ? JSON.parse(text) : null;
}

function send(response, status, body) {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

const authorised = (request) => request.headers.authorization === `Bearer ${hashedKey}`;

const server = createServer(async (request, response) => {
  try {
    const url = new URL(request.url ?? "/", "http://driver");
    const path = url.pathname;
    if (request.method === "POST" && path.startsWith("/e/")) {
      if (decodeURIComponent(path.slice(3)) !== eventKey)
        return send(response, 401, { error: "Event key not found" });
      const body = await readJson(request);
      const events = (Array.isArray(body) ? body : [body]).map((e) => ({
        ...e,
        id: e.id ?? randomUUID(),
        ts: e.ts ?? Date.now(),
        data: e.data ?? {},
      }));
      for (const event of events) dispatch(event);
      return send(response, 200, { ids: events.map((e) => e.id), status: 200 });
    }
    if (request.method === "POST" && path === "/fn/register") {
      if (!authorised(request)) return send(response, 401, { error: "Unauthorized" });
      const body = await readJson(request);
      functions.clear();
      for (const fn of body.functions ?? []) functions.set(fn.id, fn);
      synced = true;
      log(`synced ${body.appName}: ${[...functions.keys()].join(", ")}`);
      const queued = pending;
      pending = [];
      for (const event of queued) dispatch(event);
      return send(response, 200, { status: 200, modified: true });
    }
    const checkpoint = /^\/v1\/checkpoint\/([^/]+)\/async$/.exec(path);
    if (request.method === "POST" && checkpoint) {
      if (!authorised(request)) return send(response, 401, { error: "Unauthorized" });
      const body = await readJson(request);
      return onCheckpoint(decodeURIComponent(checkpoint[1]), body?.steps)
        ? send(response, 200, {})
        : send(response, 404, { error: "run not found" });
    }
    if (request.method === "POST" && path === "/_driver/sync") {
      // Asks the app to sync, as `inngest` Cloud's "Sync app" button does.
      const target = url.searchParams.get("url") ?? "";
      const answer = await fetch(target, { method: "PUT" });
      return send(response, answer.ok ? 200 : 502, { status: answer.status, body: await answer.text() });
    }
    if (request.method === "GET" && path === "/_driver/runs") {
      return send(
        response,
        200,
        runs.map(({ config, steps, ...run }) => ({ ...run, stepIds: Object.keys(steps) })),
      );
    }
    if (request.method === "GET" && path === "/health") return send(response, 200, { synced });
    send(response, 404, { error: `no route for ${request.method} ${path}` });
  } catch (error) {
    send(response, 500, { error: String(error) });
  }
});
server.listen(port, "127.0.0.1", () => log(`listening on http://127.0.0.1:${port}`));
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));
