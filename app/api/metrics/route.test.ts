/**
 * GET /api/metrics, called as Next.js calls it, against a real database: refused without a key
 * (401) or with a key lacking metrics:read (403); for a metrics:read key, Prometheus text naming
 * the predict call, the job run, the queue and the tRPC request that happened before the scrape.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { AnyDurableFunction } from "@/jobs/define";
import { sendEvent } from "@/jobs/dispatch";
import { EmbeddedRunner } from "@/jobs/runner/runner";
import type { DatabaseHandle } from "@/server/db/client";
import { createRequestObserver, observedRoute, setNodeServerObserves } from "@/server/http/observe";
import { createRouteLabeler } from "@/server/metrics/routes";
import { createApiKey, revokeApiKey } from "@/server/services/api-keys";
import { requestLogFor } from "@/server/services/rest-api/request-log";
import { createTestDatabase, testDatabaseKinds } from "@/server/testing/database";
import { createUser } from "@/server/testing/factories";

const state = vi.hoisted(() => ({ db: null as unknown }));
vi.mock("@/server/db/client", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/server/db/client")>();
  return { ...original, getDb: async () => state.db };
});
const { GET } = await import("./route");
const { POST: predict } = await import("../v1/predict/route");

const scrape = (key: string | null) =>
  GET(
    new Request("http://localhost/api/metrics", { headers: key ? { authorization: `Bearer ${key}` } : {} }),
  );

/** The value of one series in the text format, or undefined. */
function seriesValue(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

let sequence = 0;

describe.each(testDatabaseKinds())("GET /api/metrics on %s", (kind) => {
  let handle: DatabaseHandle;
  let metricsKey: string;
  let predictKey: string;
  let actor: { id: number; label: string };

  beforeAll(async () => {
    handle = await createTestDatabase(kind);
    state.db = handle.db;
    const { user } = await createUser(handle.db, "admin");
    actor = { id: user.id, label: user.email };
    metricsKey = (await createApiKey(handle.db, actor, { name: "Prometheus", scopes: ["metrics:read"] }))
      .secret;
    predictKey = (await createApiKey(handle.db, actor, { name: "CRM", scopes: ["predict", "predict:batch"] }))
      .secret;
  });
  afterAll(async () => {
    if (handle) await requestLogFor(handle.db).flush();
    await handle?.close();
  });

  it("refuses a caller without a key, with a bad or revoked key, or with a key lacking metrics:read", async () => {
    const none = await scrape(null);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toContain("Bearer");
    expect((await none.json()).error.code).toBe("missing_api_key");
    expect((await scrape("cg_live_nope")).status).toBe(401);
    const wrongScope = await scrape(predictKey);
    expect(wrongScope.status).toBe(403);
    expect(await wrongScope.json()).toMatchObject({ error: { code: "insufficient_scope" } });

    const revoked = await createApiKey(handle.db, actor, { name: "Old scraper", scopes: ["metrics:read"] });
    expect((await scrape(revoked.secret)).status).toBe(200);
    await revokeApiKey(handle.db, actor, revoked.id);
    expect((await scrape(revoked.secret)).status).toBe(401);
  });

  it("counts a predict call, a job run and the waiting jobs, in Prometheus text", async () => {
    const before = await (await scrape(metricsKey)).text();
    const predictSeries = 'churnguard_predict_calls_total{endpoint="/api/v1/predict",status="404"}';
    const predictsBefore = seriesValue(before, predictSeries) ?? 0;

    const call = await predict(
      new Request("http://localhost/api/v1/predict", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${predictKey}` },
        body: JSON.stringify({ customer_data: { tenure: 3 }, dataset_id: 999_999 }),
      }),
    );
    expect(call.status).toBe(404);

    sequence += 1;
    const fn: AnyDurableFunction = {
      id: `metrics-test-${kind}-${sequence}`,
      event: `test/metrics-${kind}-${sequence}`,
      parse: (data) => data as Record<string, unknown>,
      steps: () => [{ id: "only", label: "Only", run: async () => ({ done: true }) }],
      maxAttempts: 1,
    };
    await sendEvent(handle.db, fn.event, {}, { functions: [fn] });
    const runner = new EmbeddedRunner({
      db: handle.db,
      functions: [fn],
      logger: { info: () => {}, warn: () => {}, error: () => {} },
    });
    expect(await runner.drain()).toBe(1);
    // A second job waits: the queue depth is read from the database when scraped.
    await sendEvent(handle.db, fn.event, {}, { functions: [fn] });

    const response = await scrape(metricsKey);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const text = await response.text();
    for (const name of [
      "churnguard_http_requests_total",
      "churnguard_http_request_duration_seconds",
      "churnguard_predict_calls_total",
      "churnguard_job_runs_total",
      "churnguard_job_run_duration_seconds",
      "churnguard_job_step_duration_seconds",
      "churnguard_job_queue_depth",
      "churnguard_training_duration_seconds",
      "churnguard_scoring_duration_seconds",
      "churnguard_process_resident_memory_bytes",
    ]) {
      expect(text, name).toContain(`# TYPE ${name} `);
    }
    expect(seriesValue(text, predictSeries)).toBe(predictsBefore + 1);
    expect(seriesValue(text, `churnguard_job_runs_total{function="${fn.id}",outcome="succeeded"}`)).toBe(1);
    expect(
      seriesValue(
        text,
        `churnguard_job_step_duration_seconds_count{function="${fn.id}",step="only",outcome="ok"}`,
      ),
    ).toBe(1);
    expect(seriesValue(text, `churnguard_job_queue_depth{function="${fn.id}",status="queued"}`)).toBe(1);
    // The keys that called are nowhere in the answer.
    expect(text).not.toContain(predictKey);
    expect(text).not.toContain("cg_live_");
  });

  it("records wrapped route handlers by pattern and status with a request id, unless the Node server counts them", async () => {
    const route = observedRoute("/api/things/[id]", async (_request, requestId) =>
      Response.json({ requestId }, { status: 418 }),
    );
    const series = 'churnguard_http_requests_total{method="GET",route="/api/things/[id]",status="418"}';
    const countNow = async () => seriesValue(await (await scrape(metricsKey)).text(), series) ?? 0;
    const start = await countNow();

    setNodeServerObserves(false);
    const sent = await route(
      new Request("http://localhost/api/things/5", { headers: { "x-request-id": "client-id-123" } }),
    );
    expect(sent.headers.get("x-request-id")).toBe("client-id-123");
    expect(await sent.json()).toEqual({ requestId: "client-id-123" });
    const fresh = await route(new Request("http://localhost/api/things/6"));
    expect(fresh.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(await countNow()).toBe(start + 2);

    setNodeServerObserves(true);
    try {
      await route(new Request("http://localhost/api/things/7"));
      expect(await countNow()).toBe(start + 2);
    } finally {
      setNodeServerObserves(false);
    }
  });

  it("labels the Node server's requests with the build's route patterns, never the raw path", async () => {
    const labeler = createRouteLabeler({
      staticRoutes: [{ page: "/dashboard", regex: "^/dashboard(?:/)?$" }],
      dynamicRoutes: [{ page: "/customers/[id]", regex: "^/customers/([^/]+?)(?:/)?$" }],
    });
    const observe = createRequestObserver(labeler);
    const server = http.createServer((request, response) => {
      observe(request, response);
      response.writeHead(request.url?.startsWith("/customers") ? 200 : 404).end("ok");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const ids: string[] = [];
      for (const path of ["/customers/7590-VHVEG?tab=x", "/customers/42", "/wp-login.php"]) {
        const response = await fetch(base + path);
        ids.push(response.headers.get("x-request-id") ?? "");
        await response.text();
      }
      expect(ids.every((id) => /^[0-9a-f-]{36}$/.test(id))).toBe(true);
      // "close" fires after the client has its answer.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const text = await (await scrape(metricsKey)).text();
      expect(
        seriesValue(
          text,
          'churnguard_http_requests_total{method="GET",route="/customers/[id]",status="200"}',
        ),
      ).toBeGreaterThanOrEqual(2);
      expect(
        seriesValue(text, 'churnguard_http_requests_total{method="GET",route="(unmatched)",status="404"}'),
      ).toBeGreaterThanOrEqual(1);
      expect(text).not.toContain("7590-VHVEG");
      expect(text).not.toContain("wp-login");
    } finally {
      setNodeServerObserves(false);
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("route labels without a build", () => {
  it("turns ids into [id] and stops adding labels past a bound", () => {
    const label = createRouteLabeler(null);
    expect(label("/customers/123")).toBe("/customers/[id]");
    expect(label("/api/jobs/3f2b8c1e-1111-2222-3333-444455556666/")).toBe("/api/jobs/[id]");
    expect(label("/_next/static/chunks/app.js")).toBe("/_next/*");
    for (let i = 0; i < 300; i++) label(`/scan-${i}`);
    expect(label("/scan-299")).toBe("(other)");
    expect(label("/customers/9")).toBe("/customers/[id]");
  });
});
