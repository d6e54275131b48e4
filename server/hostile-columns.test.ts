/**
 * Column names are data: a file whose header holds `__proto__`, `constructor`, `toString`,
 * `hasOwnProperty`, `prototype`, a zero-width space and a 200-character name uploads, trains,
 * scores every customer, predicts (tRPC and the REST API on both transports), explains, lists,
 * filters, exports and gives the API page its example, with every hostile column read as a value.
 *
 * tRPC callers skip serialisation, so every answer that crosses to the browser also goes through
 * superjson (what the HTTP handler does) and a check that each object is a plain one (what React
 * requires of props a server component hands a client component).
 */
import { and, count, eq } from "drizzle-orm";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { generateTelcoLikeRows, toCsv } from "@/data/generate-sample";
import { columnRecordOf, fieldOf } from "@/lib/column-record";

const state = vi.hoisted(() => ({ db: null as unknown }));
// Outside a Next.js request there is no after(); the REST API's log writes are buffered anyway.
vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/server")>()),
  after: (callback: () => unknown) => void callback(),
}));
vi.mock("@/server/db/client", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/server/db/client")>();
  return { ...original, getDb: async () => state.db };
});

const { TRANSPORTS, callPredict, startNodeServer } = await import("@/app/api/v1/predict/test-transports");
const { parseListState } = await import("@/app/(app)/customers/list-state");
const { customers, models, scores } = await import("./db/schema");
const { createApiKey } = await import("./services/api-keys");
const { exportCustomersCsv } = await import("./services/customers");
const { importDatasetFromFile } = await import("./services/datasets");
const { useTemporaryDataDir } = await import("./services/datasets/test-helpers");
const { startTraining } = await import("./services/training");
const { runUntilFinished, testRunner } = await import("./services/training/test-helpers");
const { loadPredictor } = await import("./services/predictions");
const { apiErrorSchema, batchPredictResponseSchema, predictResponseSchema, requestLogFor } = await import(
  "./services/rest-api"
);
const { createTestDatabase, testDatabaseKinds } = await import("./testing/database");
const { callerFor, createUser } = await import("./testing/factories");
const { createTrainedDataset } = await import("./testing/trained-dataset");
const { appRouter } = await import("./trpc/root");

type DatabaseHandle = Awaited<ReturnType<typeof createTestDatabase>>;

const LONG_NAME =
  `Average monthly data usage over the last twelve months ${"in gigabytes ".repeat(20)}`.slice(0, 200);
const ZERO_WIDTH = "\u200B";

/** Each hostile column copies a Telco column, so the model has a reason to use it. */
const HOSTILE_COLUMNS: readonly (readonly [name: string, copyOf: string | null])[] = [
  ["__proto__", "Contract"],
  ["constructor", "tenure"],
  ["toString", "PaymentMethod"],
  ["hasOwnProperty", "PaperlessBilling"],
  ["prototype", "MonthlyCharges"],
  [ZERO_WIDTH, "InternetService"],
  [LONG_NAME, null],
];
const HOSTILE_NAMES = HOSTILE_COLUMNS.map(([name]) => name);

function hostileCsv(rows: number): string {
  const table = generateTelcoLikeRows(rows, 11);
  const header = table[0];
  return toCsv(
    table.map((row, i) =>
      i === 0
        ? [...row, ...HOSTILE_NAMES]
        : [
            ...row,
            ...HOSTILE_COLUMNS.map(([, source]) => (source ? row[header.indexOf(source)] : String(i % 7))),
          ],
    ),
  );
}

/** Throws where the tRPC HTTP handler (superjson) or React's server-to-client props would. */
function overTheWire<T>(value: T): T {
  assertPlainObjects(value, "answer");
  return superjson.parse<T>(superjson.stringify(value));
}

function assertPlainObjects(value: unknown, path: string): void {
  if (typeof value !== "object" || value === null || value instanceof Date) return;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) assertPlainObjects(item, `${path}[${i}]`);
    return;
  }
  expect(Object.getPrototypeOf(value), `${path} must be a plain object`).toBe(Object.prototype);
  for (const [key, item] of Object.entries(value)) assertPlainObjects(item, `${path}.${key}`);
}

/** The error formatter's shape for a failed call, as the HTTP handler would serialise it. */
function formattedError(error: unknown, path: string) {
  const trpcError = error as import("@trpc/server").TRPCError;
  const shape = appRouter._def._config.errorFormatter({
    error: trpcError,
    type: "query",
    path,
    input: undefined,
    ctx: undefined,
    shape: {
      message: trpcError.message,
      code: -32600,
      data: { code: trpcError.code, httpStatus: 400, path },
    },
  }) as { message: string; data: { fieldErrors: [string, string[]][] | null } };
  return overTheWire(shape);
}

describe.each(testDatabaseKinds())("columns named __proto__, constructor, toString… on %s", (kind) => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  let admin: Awaited<ReturnType<typeof createUser>>["user"];
  let viewer: Awaited<ReturnType<typeof createUser>>["user"];
  let trained: Awaited<ReturnType<typeof createTrainedDataset>>;
  let apiKey: string;
  /** A customer's model inputs as the what-if form sends them, hostile columns included. */
  let customer: [string, string | number][];

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    handle = await createTestDatabase(kind);
    state.db = handle.db;
    admin = (await createUser(handle.db, "admin")).user;
    viewer = (await createUser(handle.db, "viewer")).user;
    const actor = { id: admin.id, label: admin.email };
    trained = await createTrainedDataset(handle.db, actor, {
      name: "Hostile headers",
      csv: hostileCsv(600),
      algorithms: ["gradient_boosting"],
    });
    apiKey = (await createApiKey(handle.db, actor, { name: "CRM", scopes: ["predict", "predict:batch"] }))
      .secret;
    const form = await callerFor(handle.db, viewer).predictions.form({ datasetId: trained.datasetId });
    customer = form.defaults;
  }, 300_000);
  afterAll(async () => {
    if (handle) await requestLogFor(handle.db).flush();
    await handle?.close();
    dataDir?.cleanup();
  });

  it("trains on every hostile column and scores every customer with the champion", async () => {
    const predictor = await loadPredictor(handle.db, trained.datasetId);
    expect(predictor.inputs.map((i) => i.name)).toEqual(expect.arrayContaining(HOSTILE_NAMES));
    const [customerCount] = await handle.db
      .select({ n: count() })
      .from(customers)
      .where(eq(customers.datasetVersionId, trained.datasetVersionId));
    const [scored] = await handle.db
      .select({ n: count() })
      .from(scores)
      .where(eq(scores.modelId, trained.championId));
    expect(scored.n).toBe(600);
    expect(customerCount.n).toBe(600);
    // The stored rows keep every column as its own key.
    const [stored] = await handle.db
      .select({ features: customers.features })
      .from(customers)
      .where(eq(customers.datasetVersionId, trained.datasetVersionId))
      .limit(1);
    for (const name of HOSTILE_NAMES) expect(Object.hasOwn(stored.features, name), name).toBe(true);
    expect(["Month-to-month", "One year", "Two year"]).toContain(fieldOf(stored.features, "__proto__"));

    const model = overTheWire(await callerFor(handle.db, viewer).models.get({ modelId: trained.championId }));
    expect(JSON.stringify(model)).toContain("__proto__");
  });

  it("builds the what-if form and scores it, reading the hostile columns as values", async () => {
    const caller = callerFor(handle.db, viewer);
    const form = overTheWire(await caller.predictions.form({ datasetId: trained.datasetId }));
    expect(form.defaults.map(([name]) => name)).toEqual(expect.arrayContaining(HOSTILE_NAMES));
    expect(form.inputs.find((i) => i.name === "constructor")).toMatchObject({ kind: "numeric" });

    const asked = (contract: string) =>
      caller.predictions.predict({
        datasetId: trained.datasetId,
        customer: [...customer.filter(([name]) => name !== "__proto__"), ["__proto__", contract]],
      });
    const monthly = overTheWire(await asked("Month-to-month"));
    const twoYear = overTheWire(await asked("Two year"));
    expect(monthly.prediction.warnings).toEqual([]);
    expect(monthly.prediction.contributions.find((c) => c.column === "__proto__")?.value).toBe(
      "Month-to-month",
    );
    expect(twoYear.prediction.contributions.find((c) => c.column === "__proto__")?.value).toBe("Two year");
    expect(monthly.prediction.riskScore).not.toBe(twoYear.prediction.riskScore);
    const columns = monthly.prediction.contributions.map((c) => c.column);
    expect(columns).toEqual(expect.arrayContaining(HOSTILE_NAMES));

    // A bad value in a hostile column: a field error the browser can receive and show by the field.
    const refused = await caller.predictions
      .predict({
        datasetId: trained.datasetId,
        customer: [...customer.filter(([name]) => name !== "__proto__"), ["__proto__", "Weekly"]],
      })
      .catch((error: unknown) => error);
    const shape = formattedError(refused, "predictions.predict");
    expect(shape.data.fieldErrors).toEqual([["__proto__", [expect.stringContaining('"Weekly"')]]]);
  });

  it("explains one customer live on the customer page and lists, filters and exports customers", async () => {
    const caller = callerFor(handle.db, viewer);
    const list = overTheWire(
      await caller.customers.list({
        datasetId: trained.datasetId,
        filters: [{ column: "__proto__", value: "Two year" }],
      }),
    );
    expect(list.rows.length).toBeGreaterThan(0);
    const options = overTheWire(await caller.customers.filterOptions({ datasetId: trained.datasetId }));
    expect(options.columns.map((c) => c.name)).toEqual(expect.arrayContaining(["__proto__", "toString"]));

    const detail = overTheWire(await caller.customers.detail({ customerId: list.rows[0].id }));
    expect(detail.customer.fields.find((f) => f.name === "__proto__")?.value).toBe("Two year");
    expect(detail.insightProblem).toBeNull();
    const live = detail.insight?.prediction.contributions.find((c) => c.column === "__proto__");
    expect(live?.value).toBe("Two year");
    expect(detail.insight?.prediction.riskScore).toBeCloseTo(detail.latest?.riskScore ?? -1, 5);

    // The export reads its filters from the page's URL, where the column name is data too.
    const url = new URLSearchParams({ dataset: String(trained.datasetId), "f.__proto__": "Two year" });
    const listState = parseListState(url);
    expect(listState.filters).toEqual([{ column: "__proto__", value: "Two year" }]);
    const csv = await exportCustomersCsv(handle.db, {
      datasetId: trained.datasetId,
      filters: listState.filters,
    });
    let text = "";
    for await (const part of csv.body) text += part;
    expect(text.trim().split("\r\n")).toHaveLength(list.summary.customers + 1);
  });

  it("gives the API page a working example, which the REST API scores without imputing anything", async () => {
    const examples = overTheWire(await callerFor(handle.db, viewer).apiKeys.examples());
    const example = examples.find((e) => e.datasetId === trained.datasetId);
    expect(example?.exampleCustomer.map(([name]) => name)).toEqual(expect.arrayContaining(HOSTILE_NAMES));
    // What the API page's curl command sends.
    const body = JSON.stringify({
      customer_data: columnRecordOf(example?.exampleCustomer ?? []),
      dataset_id: trained.datasetId,
    });
    expect(body).toContain('"__proto__":');
    const response = await callPredict("route handler", 0, null, { key: apiKey, raw: body });
    expect(response.status).toBe(200);
    expect(predictResponseSchema.parse(await response.json()).warnings).toEqual([]);
  });

  describe.each(TRANSPORTS)("the REST API through the %s", (transport) => {
    let port = 0;
    let close = async () => {};
    beforeAll(async () => {
      if (transport !== "node server") return;
      const started = await startNodeServer();
      port = started.port;
      close = () => new Promise((resolve) => started.server.close(() => resolve()));
    });
    afterAll(() => close());

    /** The JSON text a client writes: every column a key, `__proto__` included. */
    const bodyOf = (record: [string, string | number][], extra: Record<string, unknown> = {}) =>
      JSON.stringify({ customer_data: columnRecordOf(record), dataset_id: trained.datasetId, ...extra });

    it("scores a customer with SHAP values for every hostile column, as the predictor does", async () => {
      const response = await callPredict(transport, port, null, { key: apiKey, raw: bodyOf(customer) });
      expect(response.status).toBe(200);
      const text = await response.text();
      const body = predictResponseSchema.parse(JSON.parse(text));
      expect(body.warnings).toEqual([]);
      const shap = JSON.parse(text).shap_values as Record<string, number>;
      for (const name of HOSTILE_NAMES) expect(Object.hasOwn(shap, name), name).toBe(true);
      const [direct] = (await loadPredictor(handle.db, trained.datasetId)).predict([
        columnRecordOf(customer),
      ]);
      expect(body.risk_score).toBe(direct.riskScore);

      const twoYear = customer.map(([name, value]): [string, string | number] =>
        name === "__proto__" ? [name, "Two year"] : [name, value],
      );
      const changed = await callPredict(transport, port, null, { key: apiKey, raw: bodyOf(twoYear) });
      expect(predictResponseSchema.parse(await changed.json()).risk_score).not.toBe(body.risk_score);
    });

    it("scores a batch and names a hostile field in a refusal", async () => {
      const raw = `{"customers": [${bodyOf(customer).match(/"customer_data":(\{.*\}),"dataset_id"/)?.[1]}], "dataset_id": ${trained.datasetId}}`;
      const batch = await callPredict(transport, port, null, { key: apiKey, raw });
      expect(batch.status).toBe(200);
      expect(batchPredictResponseSchema.parse(await batch.json()).predictions[0].warnings).toEqual([]);

      const wrong = customer.map(([name, value]): [string, string | number] =>
        name === "constructor" ? [name, "abc"] : [name, value],
      );
      const refused = await callPredict(transport, port, null, { key: apiKey, raw: bodyOf(wrong) });
      expect(refused.status).toBe(400);
      expect(apiErrorSchema.parse(await refused.json()).error).toMatchObject({
        code: "wrong_type",
        field: "constructor",
        message: 'Field "constructor" must be a number (such as 12 or 12.5), got "abc"',
      });
    });
  });

  it("trains on a churn column called constructor, with customers identified by a __proto__ column", async () => {
    const actor = { id: admin.id, label: admin.email };
    const table = generateTelcoLikeRows(300, 5);
    const header = table[0];
    const renamed = { customerID: "__proto__", Churn: "constructor" } as Record<string, string>;
    const csv = toCsv([
      header.map((name) => (Object.hasOwn(renamed, name) ? renamed[name] : name)),
      ...table.slice(1),
    ]);
    const imported = await importDatasetFromFile(handle.db, actor, {
      bytes: new TextEncoder().encode(csv),
      name: "Hostile target",
      overrides: { target: "constructor", identifier: "__proto__" },
    });
    const run = await startTraining(handle.db, actor, {
      datasetVersionId: imported.datasetVersionId,
      algorithms: ["logistic_regression"],
      folds: 3,
    });
    expect((await runUntilFinished(testRunner(handle.db), handle.db, run.id)).status).toBe("succeeded");
    const predictor = await loadPredictor(handle.db, imported.datasetId);
    expect(predictor.targetColumn).toBe("constructor");
    expect(predictor.inputs.map((i) => i.name)).not.toContain("__proto__");

    // Every customer scored by the champion, known by the value of its __proto__ column. (The
    // customers list of a second dataset waits for the scope helper's resolveCustomerScope fix.)
    const [champion] = await handle.db
      .select({ id: models.id })
      .from(models)
      .where(and(eq(models.datasetId, imported.datasetId), eq(models.status, "champion")));
    const scored = await handle.db
      .select({ externalId: customers.externalId })
      .from(scores)
      .innerJoin(customers, eq(customers.id, scores.customerId))
      .where(eq(scores.modelId, champion.id));
    expect(new Set(scored.map((r) => r.externalId))).toEqual(
      new Set(table.slice(1).map((row) => row[header.indexOf("customerID")])),
    );

    // The target and the identifier sent to the API are known columns: ignored, with a warning.
    const form = await callerFor(handle.db, viewer).predictions.form({ datasetId: imported.datasetId });
    const response = await callPredict("route handler", 0, null, {
      key: apiKey,
      raw: JSON.stringify({
        customer_data: columnRecordOf([
          ...form.defaults,
          ["__proto__", "0001-ABCDE"],
          ["constructor", "Yes"],
        ]),
        dataset_id: imported.datasetId,
      }),
    });
    expect(response.status).toBe(200);
    expect(predictResponseSchema.parse(await response.json()).warnings).toEqual([
      expect.objectContaining({ field: "__proto__", code: "ignored" }),
      expect.objectContaining({ field: "constructor", code: "ignored" }),
    ]);
  });

  it("leaves the champion in place: exactly one, with its scores", async () => {
    const champions = await handle.db
      .select({ id: models.id })
      .from(models)
      .where(and(eq(models.datasetId, trained.datasetId), eq(models.status, "champion")));
    expect(champions).toEqual([{ id: trained.championId }]);
  });
});
