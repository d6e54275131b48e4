/**
 * The REST predict API on both of its transports, against a real database holding a trained
 * champion: called as Next.js calls it (the exported POST of both routes with a real Request), and
 * over HTTP through the Node server's fast path (the hooks scripts/serve.mjs uses, on a real
 * node:http server). Only getDb is replaced (to hand both the test database).
 */
import type http from "node:http";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@/server/db/client";
import { apiKeys, apiRateLimits, apiRequests } from "@/server/db/schema";
import { resetServerEnvCache } from "@/server/env";
import { createApiKey, revokeApiKey } from "@/server/services/api-keys";
import type { Actor } from "@/server/services/audit";
import { importDatasetFromFile } from "@/server/services/datasets";
import { useTemporaryDataDir } from "@/server/services/datasets/test-helpers";
import { loadPredictor } from "@/server/services/predictions";
import {
  apiErrorSchema,
  batchPredictResponseSchema,
  DatabaseRateLimiter,
  predictResponseSchema,
  requestLogFor,
} from "@/server/services/rest-api";
import { createTestDatabase, testDatabaseKinds } from "@/server/testing/database";
import { createUser } from "@/server/testing/factories";
import {
  createTrainedDataset,
  TELCO_CHURNER,
  type TrainedDataset,
  telcoLikeCsv,
} from "@/server/testing/trained-dataset";

const state = vi.hoisted(() => ({ db: null as unknown, afterResponse: [] as (() => unknown)[] }));
// Outside a Next.js request there is no after(); collect the callbacks to run them "after the answer".
vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/server")>()),
  after: (callback: () => unknown) => state.afterResponse.push(callback),
}));
vi.mock("@/server/db/client", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/server/db/client")>();
  return { ...original, getDb: async () => state.db };
});

const { POST: postV1 } = await import("./route");
const { TRANSPORTS, callPredict, nodeRequest, startNodeServer } = await import("./test-transports");
type Transport = (typeof TRANSPORTS)[number];

const customer = TELCO_CHURNER;

let transport: Transport = "route handler";
let nodeServerPort = 0;

function call(
  body: unknown,
  options: { key?: string | null; path?: string; raw?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  return callPredict(transport, nodeServerPort, body, options);
}

async function errorOf(response: Response) {
  const body = await response.json();
  return apiErrorSchema.parse(body).error;
}

describe.each(testDatabaseKinds())("POST /api/v1/predict and /api/ml/predict/ on %s", (kind) => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  let actor: Actor;
  let trained: TrainedDataset;
  let fullKey: { id: number; secret: string };
  let singleOnlyKey: { id: number; secret: string };

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    handle = await createTestDatabase(kind);
    state.db = handle.db;
    const { user } = await createUser(handle.db, "admin");
    actor = { id: user.id, label: user.email };
    trained = await createTrainedDataset(handle.db, actor, { name: "REST API" });
    fullKey = await createApiKey(handle.db, actor, { name: "CRM", scopes: ["predict", "predict:batch"] });
    singleOnlyKey = await createApiKey(handle.db, actor, { name: "Widget", scopes: ["predict"] });
  }, 180_000);
  afterAll(async () => {
    await handle?.close();
    dataDir?.cleanup();
  });
  afterEach(() => {
    delete process.env.API_RATE_LIMIT_PER_MINUTE;
    resetServerEnvCache();
  });

  describe.each(TRANSPORTS)("through the %s", (through) => {
    let server: http.Server | undefined;
    beforeAll(async () => {
      transport = through;
      if (through === "node server") ({ server, port: nodeServerPort } = await startNodeServer());
    });
    afterAll(async () => {
      await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    });

    it("scores one customer with the same number as loadPredictor().predict, SHAP values adding up", async () => {
      const response = await call(
        { customer_data: customer, dataset_id: trained.datasetId },
        { key: fullKey.secret },
      );
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/application\/json/);
      expect(response.headers.get("x-ratelimit-limit")).toBe("600");
      expect(Number(response.headers.get("x-ratelimit-remaining"))).toBeGreaterThan(0);
      const body = predictResponseSchema.parse(await response.json());

      const [direct] = (await loadPredictor(handle.db, trained.datasetId)).predict([customer], {
        strict: true,
      });
      expect(body.risk_score).toBe(direct.riskScore);
      expect(body.risk_level).toBe(direct.riskLevel);
      expect(body.model_id).toBe(trained.championId);
      expect(body.dataset_id).toBe(trained.datasetId);
      expect(body.model_version).toBeGreaterThanOrEqual(1);
      expect(Object.keys(body.shap_values).sort()).toEqual(direct.contributions.map((c) => c.column).sort());
      const sum = Object.values(body.shap_values).reduce((s, v) => s + v, body.base_value);
      expect(sum).toBeCloseTo(body.risk_score, 9);
      expect(body.warnings).toEqual([]);
      // Insights: the top drivers in words, the playbook's action, the next-best action.
      const drivers = body.insights.filter((i) => i.type === "driver");
      expect(drivers).toHaveLength(3);
      expect(drivers.map((d) => d.column)).toEqual(direct.contributions.slice(0, 3).map((c) => c.column));
      expect(drivers[0].text).toMatch(/(raises|lowers) risk by/);
      expect(drivers[0].points).toBeCloseTo(direct.contributions[0].probability * 100, 1);
      const contract = body.insights.find((i) => i.type === "driver" && i.column === "Contract");
      if (contract) expect(contract.actionable).toBe(true);
      const actions = body.insights.filter((i) => i.type === "action");
      expect(actions.length).toBeGreaterThan(0);
      expect(actions[0].text.length).toBeGreaterThan(10);
      // The what-if search is opt-in (it costs ~15 ms).
      expect(body.insights.some((i) => i.type === "next_best_action")).toBe(false);
    });

    it("adds the next-best action when asked for, with a lower predicted risk", async () => {
      const response = await call(
        { customer_data: customer, dataset_id: trained.datasetId, next_best_action: true },
        { key: fullKey.secret },
      );
      expect(response.status).toBe(200);
      const body = predictResponseSchema.parse(await response.json());
      const next = body.insights.find((i) => i.type === "next_best_action");
      expect(next?.new_risk_score).toBeLessThan(body.risk_score);
      expect(next?.text).toMatch(/not a guarantee/);
      expect(next?.column).toBeTruthy();
    });

    it("answers the same on /api/ml/predict/ and /api/ml/predict", async () => {
      const v1 = predictResponseSchema.parse(
        await (
          await call({ customer_data: customer, dataset_id: trained.datasetId }, { key: fullKey.secret })
        ).json(),
      );
      for (const path of ["/api/ml/predict/", "/api/ml/predict"]) {
        const response = await call(
          { customer_data: customer, dataset_id: trained.datasetId },
          { key: fullKey.secret, path },
        );
        expect(response.status).toBe(200);
        expect(predictResponseSchema.parse(await response.json()).risk_score).toBe(v1.risk_score);
      }
    });

    it("scores a batch of 1,000 in request order and refuses 1,001 with 400", async () => {
      const customers = Array.from({ length: 1000 }, (_, i) => ({ ...customer, tenure: (i % 72) + 1 }));
      const response = await call({ customers, dataset_id: trained.datasetId }, { key: fullKey.secret });
      expect(response.status).toBe(200);
      const body = batchPredictResponseSchema.parse(await response.json());
      expect(body.predictions).toHaveLength(1000);
      const direct = (await loadPredictor(handle.db, trained.datasetId)).predict(customers.slice(0, 3));
      expect(body.predictions.slice(0, 3).map((p) => p.risk_score)).toEqual(direct.map((p) => p.riskScore));
      // The cheap per-row path: drivers and actions, no next-best-action search.
      expect(body.predictions[0].insights.some((i) => i.type === "driver")).toBe(true);
      expect(body.predictions.some((p) => p.insights.some((i) => i.type === "next_best_action"))).toBe(false);

      const tooMany = await call(
        { customers: [...customers, customer], dataset_id: trained.datasetId },
        { key: fullKey.secret },
      );
      expect(tooMany.status).toBe(400);
      expect(await errorOf(tooMany)).toMatchObject({ code: "too_many_customers", field: "customers" });
    });

    it("imputes a missing field and lists it in warnings", async () => {
      const { TotalCharges: _, ...partial } = customer;
      const response = await call(
        { customer_data: partial, dataset_id: trained.datasetId },
        { key: fullKey.secret },
      );
      expect(response.status).toBe(200);
      const body = predictResponseSchema.parse(await response.json());
      expect(body.warnings).toEqual([expect.objectContaining({ field: "TotalCharges", code: "missing" })]);
    });

    it("refuses unknown fields, wrong types and unknown categories with 400 naming the field", async () => {
      const cases = [
        [{ ...customer, FavouriteColour: "blue" }, "unknown_field", "FavouriteColour"],
        [{ ...customer, tenure: { months: 2 } }, "wrong_type", "tenure"],
        [{ ...customer, tenure: "two" }, "wrong_type", "tenure"],
        [{ ...customer, Contract: "Weekly" }, "unknown_category", "Contract"],
      ] as const;
      for (const [data, code, field] of cases) {
        const response = await call(
          { customer_data: data, dataset_id: trained.datasetId },
          { key: fullKey.secret },
        );
        expect(response.status, `${code} ${field}`).toBe(400);
        const error = await errorOf(response);
        expect(error).toMatchObject({ code, field });
        expect(error.message).toContain(field);
        expect(error.index).toBeUndefined();
      }
      const batch = await call(
        {
          customers: [customer, customer, { ...customer, Contract: "Weekly" }],
          dataset_id: trained.datasetId,
        },
        { key: fullKey.secret },
      );
      expect(batch.status).toBe(400);
      expect(await errorOf(batch)).toMatchObject({ code: "unknown_category", field: "Contract", index: 2 });
    });

    it("says what a refused value should have been, and never echoes more than 100 characters of it", async () => {
      let response = await call(
        { customer_data: { ...customer, tenure: "abc" }, dataset_id: trained.datasetId },
        { key: fullKey.secret },
      );
      expect(response.status).toBe(400);
      let error = await errorOf(response);
      expect(error).toMatchObject({ code: "wrong_type", field: "tenure" });
      expect(error.message).toBe('Field "tenure" must be a number (such as 12 or 12.5), got "abc"');

      response = await call(
        { customer_data: { ...customer, Contract: "Weekly" }, dataset_id: trained.datasetId },
        { key: fullKey.secret },
      );
      error = await errorOf(response);
      expect(error.message).toMatch(/^Field "Contract" has the value "Weekly", which the model never saw/);
      expect(error.message).toContain('send one of "Month-to-month"');
      expect(error.message).not.toMatch(/adds nothing to the score/);

      const huge = "x".repeat(4 * 1024 * 1024);
      for (const [data, field] of [
        [{ ...customer, Contract: huge }, "Contract"],
        [{ ...customer, tenure: huge }, "tenure"],
        [{ ...customer, [huge]: 1 }, `${"x".repeat(100)}…`],
      ] as const) {
        response = await call(
          { customer_data: data, dataset_id: trained.datasetId },
          { key: fullKey.secret },
        );
        expect(response.status).toBe(400);
        const text = await response.text();
        expect(text.length).toBeLessThan(2_000);
        error = apiErrorSchema.parse(JSON.parse(text)).error;
        expect(error.field).toBe(field);
        expect(error.message).toContain(`"${"x".repeat(100)}…"`);
      }
      response = await call(
        { customer_data: customer, dataset_id: trained.datasetId, [huge]: true },
        { key: fullKey.secret },
      );
      expect(response.status).toBe(400);
      expect((await response.text()).length).toBeLessThan(2_000);
    });

    it("refuses malformed JSON and wrong body shapes with 400 naming the field", async () => {
      let response = await call(null, { key: fullKey.secret, raw: '{"customer_data": {' });
      expect(response.status).toBe(400);
      expect((await errorOf(response)).code).toBe("invalid_json");

      response = await call({ customer_data: customer, dataset_id: "one" }, { key: fullKey.secret });
      expect(response.status).toBe(400);
      expect(await errorOf(response)).toMatchObject({ code: "invalid_body", field: "dataset_id" });

      response = await call({ customer_data: customer }, { key: fullKey.secret });
      expect(await errorOf(response)).toMatchObject({
        code: "invalid_body",
        field: "dataset_id",
        message: "dataset_id is required",
      });

      response = await call(
        { customer_data: customer, dataset_id: trained.datasetId, model: "v2" },
        { key: fullKey.secret },
      );
      expect(response.status).toBe(400);
      expect(await errorOf(response)).toMatchObject({ code: "invalid_body", field: "model" });

      response = await call(
        { customer_data: [customer], dataset_id: trained.datasetId },
        { key: fullKey.secret },
      );
      expect(await errorOf(response)).toMatchObject({ code: "invalid_body", field: "customer_data" });

      response = await call([customer], { key: fullKey.secret });
      expect((await errorOf(response)).code).toBe("invalid_body");
    });

    it("answers 401 with WWW-Authenticate for no key, a bad key and a revoked key", async () => {
      const revoked = await createApiKey(handle.db, actor, { name: "Old", scopes: ["predict"] });
      // Used once so it sits in the key cache: revoking must still take effect at once.
      expect(
        (await call({ customer_data: customer, dataset_id: trained.datasetId }, { key: revoked.secret }))
          .status,
      ).toBe(200);
      await revokeApiKey(handle.db, actor, revoked.id);
      const body = { customer_data: customer, dataset_id: trained.datasetId };
      const cases = [
        [null, "missing_api_key"],
        ["not-a-key", "invalid_api_key"],
        [`cg_live_${"A".repeat(43)}`, "invalid_api_key"],
        [revoked.secret, "revoked_api_key"],
      ] as const;
      for (const [key, code] of cases) {
        const response = await call(body, { key });
        expect(response.status, code).toBe(401);
        expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
        expect((await errorOf(response)).code).toBe(code);
      }
      const basic = await call(body, { headers: { authorization: `Basic ${btoa("a:b")}` } });
      expect(basic.status).toBe(401);
    });

    it("answers 403 when the key lacks the scope", async () => {
      const response = await call(
        { customers: [customer], dataset_id: trained.datasetId },
        { key: singleOnlyKey.secret },
      );
      expect(response.status).toBe(403);
      expect(await errorOf(response)).toMatchObject({ code: "insufficient_scope" });
      const batchOnly = await createApiKey(handle.db, actor, { name: "Batch", scopes: ["predict:batch"] });
      const single = await call(
        { customer_data: customer, dataset_id: trained.datasetId },
        { key: batchOnly.secret },
      );
      expect(single.status).toBe(403);
    });

    it("answers 404 for an unknown dataset and for one without a champion, saying which", async () => {
      let response = await call({ customer_data: customer, dataset_id: 987654 }, { key: fullKey.secret });
      expect(response.status).toBe(404);
      expect(await errorOf(response)).toMatchObject({ code: "dataset_not_found", field: "dataset_id" });

      const untrained = await importDatasetFromFile(handle.db, actor, {
        bytes: new TextEncoder().encode(telcoLikeCsv(80, 5)),
        name: "Untrained",
        fileName: "untrained.csv",
      });
      response = await call(
        { customer_data: customer, dataset_id: untrained.datasetId },
        { key: fullKey.secret },
      );
      expect(response.status).toBe(404);
      const error = await errorOf(response);
      expect(error.code).toBe("no_champion");
      expect(error.message).toMatch(/no champion/);
    });

    it("answers 429 with Retry-After and X-RateLimit headers past the key's limit", async () => {
      process.env.API_RATE_LIMIT_PER_MINUTE = "3";
      resetServerEnvCache();
      const key = await createApiKey(handle.db, actor, { name: "Limited", scopes: ["predict"] });
      const body = { customer_data: customer, dataset_id: trained.datasetId };
      const remaining: string[] = [];
      for (let i = 0; i < 3; i++) {
        const response = await call(body, { key: key.secret });
        expect(response.status).toBe(200);
        remaining.push(response.headers.get("x-ratelimit-remaining") ?? "");
      }
      expect(remaining).toEqual(["2", "1", "0"]);
      const limited = await call(body, { key: key.secret });
      expect(limited.status).toBe(429);
      const retryAfter = Number(limited.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(120);
      expect(limited.headers.get("x-ratelimit-limit")).toBe("3");
      expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
      expect((await errorOf(limited)).code).toBe("rate_limited");
      // Other keys have their own budget.
      expect((await call(body, { key: fullKey.secret })).status).toBe(200);
    });

    it("on Lambda, counts calls in the database, so every instance shares the key's limit", async () => {
      process.env.API_RATE_LIMIT_PER_MINUTE = "2";
      process.env.AWS_LAMBDA_FUNCTION_NAME = "churnguard-web"; // the store defaults to "database" there
      resetServerEnvCache();
      try {
        const key = await createApiKey(handle.db, actor, { name: "Shared limit", scopes: ["predict"] });
        const body = { customer_data: customer, dataset_id: trained.datasetId };
        expect((await call(body, { key: key.secret })).status).toBe(200);
        // Another instance took the key's second call of this minute.
        await new DatabaseRateLimiter(handle.db, 2).take(key.id);
        const limited = await call(body, { key: key.secret });
        expect(limited.status).toBe(429);
        expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
        const [count] = await handle.db
          .select()
          .from(apiRateLimits)
          .where(eq(apiRateLimits.apiKeyId, key.id));
        expect(count.calls).toBe(2); // the refused call is not counted
      } finally {
        delete process.env.AWS_LAMBDA_FUNCTION_NAME;
        state.afterResponse.length = 0;
      }
    });

    it("answers 413 for a body over the limit without reading it", async () => {
      const response = await call(null, {
        key: fullKey.secret,
        raw: "{}",
        headers: { "content-length": String(50 * 1024 * 1024) },
      });
      expect(response.status).toBe(413);
      expect((await errorOf(response)).code).toBe("payload_too_large");
    });

    it("answers 413 for a streamed body that grows past the limit, reading no further", async () => {
      const chunk = new TextEncoder().encode(" ".repeat(1024 * 1024));
      let pulled = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          pulled += 1;
          if (pulled > 20) controller.close();
          else controller.enqueue(chunk);
        },
      });
      const headers = { authorization: `Bearer ${fullKey.secret}`, "content-type": "application/json" };
      if (transport === "node server") {
        // 40 MB offered in 1 MB chunks: the answer arrives while the client is still sending.
        const chunks = Array.from({ length: 40 }, () => chunk);
        const { response, written } = await nodeRequest(nodeServerPort, "/api/v1/predict", headers, {
          chunks,
        });
        expect(response.status).toBe(413);
        expect((await errorOf(response)).code).toBe("payload_too_large");
        expect(written).toBeLessThan(40);
        return;
      }
      const request = new Request("http://localhost/api/v1/predict", {
        method: "POST",
        headers,
        body,
        duplex: "half",
      } as RequestInit);
      const response = await postV1(request);
      expect(response.status).toBe(413);
      expect((await errorOf(response)).code).toBe("payload_too_large");
      expect(pulled).toBeLessThan(10);
    });

    it("on Lambda, writes the call's log row once the answer is out instead of buffering it", async () => {
      if (transport !== "route handler") return; // Lambda runs the route handlers
      const key = await createApiKey(handle.db, actor, { name: "Lambda", scopes: ["predict"] });
      await requestLogFor(handle.db).flush();
      state.afterResponse.length = 0;
      process.env.AWS_LAMBDA_FUNCTION_NAME = "churnguard-web";
      try {
        const response = await call(
          { customer_data: customer, dataset_id: trained.datasetId },
          { key: key.secret },
        );
        expect(response.status).toBe(200);
      } finally {
        delete process.env.AWS_LAMBDA_FUNCTION_NAME;
      }
      expect(state.afterResponse).toHaveLength(1);
      await Promise.all(state.afterResponse.map((callback) => callback()));
      expect(requestLogFor(handle.db).pending).toBe(0);
      const rows = await handle.db.select().from(apiRequests).where(eq(apiRequests.apiKeyId, key.id));
      expect(rows.map((r) => r.status)).toEqual([200]);
      // Elsewhere nothing is scheduled: the buffer writes in batches.
      await call({ customer_data: customer, dataset_id: trained.datasetId }, { key: key.secret });
      expect(state.afterResponse).toHaveLength(1);
    });

    it("logs every call to api_requests without customer data, and records the key's last use", async () => {
      const key = await createApiKey(handle.db, actor, {
        name: "Logged",
        scopes: ["predict", "predict:batch"],
      });
      // A timer left by an earlier test's calls would flush these mid-test: start from an empty buffer.
      await requestLogFor(handle.db).flush();
      await call({ customer_data: customer, dataset_id: trained.datasetId }, { key: key.secret });
      await call(
        { customers: [customer, customer], dataset_id: trained.datasetId },
        { key: key.secret, path: "/api/ml/predict/" },
      );
      await call(
        { customer_data: { ...customer, Contract: "Weekly" }, dataset_id: trained.datasetId },
        { key: key.secret },
      );
      await call({ customer_data: customer, dataset_id: trained.datasetId }, { key: null });
      // Buffered: nothing is written on the request path.
      expect(requestLogFor(handle.db).pending).toBeGreaterThanOrEqual(4);
      await requestLogFor(handle.db).flush();

      const rows = await handle.db
        .select()
        .from(apiRequests)
        .where(eq(apiRequests.apiKeyId, key.id))
        .orderBy(apiRequests.id);
      expect(rows.map((r) => [r.endpoint, r.status, r.errorCode, r.customers])).toEqual([
        ["/api/v1/predict", 200, null, 1],
        ["/api/ml/predict", 200, null, 2],
        ["/api/v1/predict", 400, "unknown_category", 1],
      ]);
      for (const row of rows) {
        expect(row).toMatchObject({ datasetId: trained.datasetId, modelId: trained.championId });
        expect(row.modelVersion).toBeGreaterThanOrEqual(1);
        expect(row.latencyMs).toBeGreaterThan(0);
      }
      const anonymous = await handle.db
        .select()
        .from(apiRequests)
        .where(eq(apiRequests.errorCode, "missing_api_key"));
      expect(anonymous.length).toBeGreaterThanOrEqual(1);
      const everything = JSON.stringify(await handle.db.select().from(apiRequests));
      for (const value of ["Month-to-month", "Fiber optic", "Electronic check", "Weekly", "95.5"])
        expect(everything).not.toContain(value);

      // The key's last use is written after the answer, without holding the call up: wait for it.
      await expect
        .poll(
          async () => (await handle.db.select().from(apiKeys).where(eq(apiKeys.id, key.id)))[0].lastUsedAt,
        )
        .toBeInstanceOf(Date);
    });
  });
});
