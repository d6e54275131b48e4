import { TRPCError } from "@trpc/server";
import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "@/lib/ml/data";
import { DEFAULT_PLAYBOOK, recommendedAction } from "@/lib/retention";
import type { DatabaseHandle } from "../../db/client";
import { customers, models, scores } from "../../db/schema";
import type { Actor } from "../../services/audit";
import { driversText } from "../../services/batch-scoring";
import { exportCustomersCsv } from "../../services/customers";
import { importDatasetFromFile } from "../../services/datasets";
import { useTemporaryDataDir } from "../../services/datasets/test-helpers";
import { promoteModel } from "../../services/models";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { callerFor, createUser } from "../../testing/factories";
import {
  createTrainedDataset,
  type TrainedDataset,
  telcoLikeCsv,
  trainVersion,
} from "../../testing/trained-dataset";

const MALICIOUS = "x'); drop table customers; --";

/** The champion's scores of one dataset version, straight from the tables (the reference). */
async function referenceOf(handle: DatabaseHandle, championId: number) {
  return (
    await handle.db
      .select({
        id: customers.id,
        externalId: customers.externalId,
        riskScore: scores.riskScore,
        riskLevel: scores.riskLevel,
        monthly: customers.monthlyValue,
        label: customers.label,
        features: customers.features,
      })
      .from(scores)
      .innerJoin(customers, eq(customers.id, scores.customerId))
      .where(eq(scores.modelId, championId))
  ).map((r) => ({ ...r, id: Number(r.id), monthly: r.monthly ?? Number.NaN, isLost: r.label === 1 }));
}
type Reference = Awaited<ReturnType<typeof referenceOf>>;

async function csvText(body: AsyncGenerator<string>): Promise<string> {
  let text = "";
  for await (const chunk of body) text += chunk;
  return text;
}

describe.each(testDatabaseKinds())("customers router on %s", (kind) => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  let trained: TrainedDataset;
  let viewer: Awaited<ReturnType<typeof createUser>>["user"];
  let actor: Actor;
  /** Every scored customer of the dataset under test (the second dataset of the database). */
  let reference: Reference;
  /** Those the list shows by default: the label does not say churned. */
  let active: Reference;
  let lost: Reference;

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    handle = await createTestDatabase(kind);
    const manager = (await createUser(handle.db, "manager")).user;
    actor = { id: manager.id, label: manager.email };
    viewer = (await createUser(handle.db, "viewer")).user;
    trained = await createTrainedDataset(handle.db, actor, { name: "Telco 600" });
    reference = await referenceOf(handle, trained.championId);
    active = reference.filter((r) => !r.isLost);
    lost = reference.filter((r) => r.isLost);
  }, 180_000);
  afterAll(async () => {
    await handle?.close();
    dataDir?.cleanup();
  });

  const api = () => callerFor(handle.db, viewer);

  it("lists the datasets with a champion, the most recently promoted first", async () => {
    // Other tests in this file add datasets of their own (in any order): look at these two only.
    const ours = new Set([trained.datasetId, trained.neighbour.latest.datasetId]);
    expect((await api().customers.datasets()).filter((d) => ours.has(d.id))).toEqual([
      expect.objectContaining({ id: trained.datasetId, name: "Telco 600", championId: trained.championId }),
      expect.objectContaining({
        id: trained.neighbour.latest.datasetId,
        name: "Telco 600 (neighbour)",
        championId: trained.neighbour.latest.championId,
      }),
    ]);
  });

  it("pages through every active customer with totals that match the scores table", async () => {
    expect(reference).toHaveLength(600);
    expect(active.length).toBeGreaterThan(0);
    expect(lost.length).toBeGreaterThan(0);
    const pageCount = Math.ceil(active.length / 50);
    const first = await api().customers.list({ datasetId: trained.datasetId, pageSize: 50 });
    expect(first).toMatchObject({
      dataset: { id: trained.datasetId, name: "Telco 600" },
      champion: { id: trained.championId },
      version: { id: trained.datasetVersionId, version: 2, isLatest: true },
      isScored: true,
      page: 1,
      pageSize: 50,
      pageCount,
    });
    expect(first.summary).toEqual({
      customers: active.length,
      highRisk: active.filter((r) => r.riskLevel === "high").length,
      revenueAtRisk: expect.closeTo(
        active.reduce((s, r) => s + r.monthly * r.riskScore, 0),
        0,
      ),
      monthlyValue: expect.closeTo(
        active.reduce((s, r) => s + r.monthly, 0),
        0,
      ),
      active: active.length,
      lost: lost.length,
      observedChurnRate: lost.length / reference.filter((r) => r.label !== null).length,
    });
    expect(first.rows).toHaveLength(50);
    const seen = new Set<number>();
    for (let page = 1; page <= pageCount; page++) {
      const { rows } = await api().customers.list({ datasetId: trained.datasetId, pageSize: 50, page });
      for (const r of rows) seen.add(r.id);
    }
    // Exactly this dataset's active customers: none of the neighbour's, none already lost.
    expect([...seen].sort()).toEqual(active.map((r) => r.id).sort());
    const beyond = await api().customers.list({ datasetId: trained.datasetId, pageSize: 100, page: 99 });
    expect(beyond.page).toBe(Math.ceil(active.length / 100));
    expect(beyond.rows).toHaveLength(active.length % 100 || 100);
    await expect(api().customers.list({ datasetId: trained.datasetId, pageSize: 30 })).rejects.toThrow(
      /25, 50 or 100/,
    );
  });

  it("lists lost customers apart, with the churn rate observed among them, and nothing at risk", async () => {
    const list = await api().customers.list({ datasetId: trained.datasetId, status: "lost", pageSize: 100 });
    expect(list.summary).toEqual({
      customers: lost.length,
      highRisk: lost.filter((r) => r.riskLevel === "high").length,
      revenueAtRisk: null,
      monthlyValue: expect.closeTo(
        lost.reduce((s, r) => s + r.monthly, 0),
        0,
      ),
      active: active.length,
      lost: lost.length,
      observedChurnRate: lost.length / reference.filter((r) => r.label !== null).length,
    });
    // Riskiest first, as the active list.
    const byRisk = [...lost].sort((a, b) => b.riskScore - a.riskScore || b.id - a.id);
    expect(list.rows.map((r) => r.id)).toEqual(byRisk.slice(0, 100).map((r) => r.id));
    expect(list.rows.every((r) => r.isLost && r.revenueAtRisk === null)).toBe(true);

    // Levels and the switch's counts agree: high-risk lost customers are not high-risk customers.
    const highLost = await api().customers.list({
      datasetId: trained.datasetId,
      status: "lost",
      levels: ["high"],
    });
    const highActive = await api().customers.list({ datasetId: trained.datasetId, levels: ["high"] });
    expect(highLost.summary).toMatchObject({
      customers: lost.filter((r) => r.riskLevel === "high").length,
      active: highActive.summary.customers,
      lost: highLost.summary.customers,
    });
    expect(highActive.summary.customers).toBe(active.filter((r) => r.riskLevel === "high").length);
    expect(highActive.rows.every((r) => !r.isLost && r.riskLevel === "high")).toBe(true);
  });

  it("shows risk, level, three drivers, monthly value and revenue at risk per row", async () => {
    const { rows } = await api().customers.list({ datasetId: trained.datasetId });
    const row = rows[0];
    const ref = active.find((r) => r.id === row.id);
    expect(row).toMatchObject({
      externalId: ref?.externalId,
      riskScore: ref?.riskScore,
      riskLevel: ref?.riskLevel,
      isLost: false,
    });
    expect(row.riskScore).toBe(Math.max(...active.map((r) => r.riskScore)));
    expect(row.drivers).toHaveLength(3);
    expect(row.drivers[0]).toEqual({
      column: expect.any(String),
      value: expect.anything(),
      contribution: expect.any(Number),
    });
    expect(row.revenueAtRisk).toBeCloseTo((row.monthlyValue ?? 0) * row.riskScore, 6);
  });

  it("sorts by risk, monthly value, revenue at risk and customer id, both ways", async () => {
    const list = (
      sort: "risk" | "monthlyValue" | "revenueAtRisk" | "customerId",
      direction: "asc" | "desc",
    ) =>
      api()
        .customers.list({ datasetId: trained.datasetId, sort, direction, pageSize: 100 })
        .then((r) => r.rows);
    const isOrdered = <T>(values: T[], direction: "asc" | "desc") =>
      values.every((v, i) => i === 0 || (direction === "asc" ? values[i - 1] <= v : values[i - 1] >= v));

    const riskDesc = await list("risk", "desc");
    expect(riskDesc[0].riskScore).toBe(Math.max(...active.map((r) => r.riskScore)));
    expect(
      isOrdered(
        riskDesc.map((r) => r.riskScore),
        "desc",
      ),
    ).toBe(true);
    const riskAsc = await list("risk", "asc");
    expect(riskAsc[0].riskScore).toBe(Math.min(...active.map((r) => r.riskScore)));
    expect(
      isOrdered(
        riskAsc.map((r) => r.riskScore),
        "asc",
      ),
    ).toBe(true);

    const valueDesc = await list("monthlyValue", "desc");
    expect(valueDesc[0].monthlyValue).toBeCloseTo(Math.max(...active.map((r) => r.monthly)), 4);
    expect(
      isOrdered(
        valueDesc.map((r) => r.monthlyValue ?? 0),
        "desc",
      ),
    ).toBe(true);
    expect(
      isOrdered(
        (await list("monthlyValue", "asc")).map((r) => r.monthlyValue ?? 0),
        "asc",
      ),
    ).toBe(true);

    const revenueDesc = await list("revenueAtRisk", "desc");
    const maxRevenue = Math.max(...active.map((r) => r.monthly * r.riskScore));
    expect(revenueDesc[0].revenueAtRisk).toBeCloseTo(maxRevenue, 2);
    expect(
      isOrdered(
        revenueDesc.map((r) => r.revenueAtRisk ?? 0),
        "desc",
      ),
    ).toBe(true);
    expect(
      isOrdered(
        (await list("revenueAtRisk", "asc")).map((r) => r.revenueAtRisk ?? 0),
        "asc",
      ),
    ).toBe(true);

    const idAsc = await list("customerId", "asc");
    const sortedIds = active.map((r) => r.externalId).sort();
    expect(idAsc.map((r) => r.externalId)).toEqual(sortedIds.slice(0, 100));
    const idDesc = await list("customerId", "desc");
    expect(idDesc.map((r) => r.externalId)).toEqual([...sortedIds].reverse().slice(0, 100));
  });

  it("filters by risk level", async () => {
    const expectedMedium = active.filter((r) => r.riskLevel === "medium").length;
    const expectedHigh = active.filter((r) => r.riskLevel === "high").length;
    expect(expectedMedium).toBeGreaterThan(0);
    const medium = await api().customers.list({
      datasetId: trained.datasetId,
      levels: ["medium"],
      pageSize: 100,
    });
    expect(medium.summary).toMatchObject({ customers: expectedMedium, highRisk: 0 });
    expect(medium.rows.length).toBe(Math.min(100, expectedMedium));
    expect(medium.rows.every((r) => r.riskLevel === "medium")).toBe(true);
    const lowOrHigh = await api().customers.list({ datasetId: trained.datasetId, levels: ["low", "high"] });
    expect(lowOrHigh.summary).toMatchObject({
      customers: active.length - expectedMedium,
      highRisk: expectedHigh,
    });
    expect(lowOrHigh.rows.every((r) => r.riskLevel !== "medium")).toBe(true);
  });

  it("offers categorical columns with their values and filters by them", async () => {
    const options = await api().customers.filterOptions({ datasetId: trained.datasetId });
    const names = options.columns.map((c) => c.name);
    expect(names).toContain("Contract");
    expect(names).toContain("PaymentMethod");
    // Numbers, the identifier and the target are not filters.
    expect(names).not.toContain("tenure");
    expect(names).not.toContain("customerID");
    expect(names).not.toContain("Churn");
    const contract = options.columns.find((c) => c.name === "Contract");
    const monthToMonth = contract?.values.find((v) => v.value === "Month-to-month");
    expect(monthToMonth?.count).toBeGreaterThan(0);

    // Every offered value matches exactly the customers the profile counted (booleans included):
    // the active ones are listed, the lost ones counted beside them.
    expect(options.columns.some((c) => c.type === "boolean")).toBe(true);
    for (const c of options.columns) {
      const [top] = c.values;
      const { summary } = await api().customers.list({
        datasetId: trained.datasetId,
        filters: [{ column: c.name, value: top.value }],
      });
      const matching = reference.filter((r) => String(r.features[c.name]) === top.value);
      expect({ column: c.name, customers: summary.customers, all: summary.active + summary.lost }).toEqual({
        column: c.name,
        customers: matching.filter((r) => !r.isLost).length,
        all: top.count,
      });
    }

    const filtered = await api().customers.list({
      datasetId: trained.datasetId,
      filters: [{ column: "Contract", value: "Month-to-month" }],
      pageSize: 100,
    });
    const monthly = active.filter((c) => c.features.Contract === "Month-to-month").map((c) => c.id);
    expect(filtered.summary.customers).toBe(monthly.length);
    expect(filtered.rows.every((r) => monthly.includes(r.id))).toBe(true);

    // Two values of one column: either; a second column: both.
    const either = await api().customers.list({
      datasetId: trained.datasetId,
      filters: [
        { column: "Contract", value: "Month-to-month" },
        { column: "Contract", value: "One year" },
      ],
    });
    expect(either.summary.customers).toBe(
      active.filter((c) => c.features.Contract === "Month-to-month" || c.features.Contract === "One year")
        .length,
    );
    const both = await api().customers.list({
      datasetId: trained.datasetId,
      levels: ["medium"],
      filters: [
        { column: "Contract", value: "Month-to-month" },
        { column: "PaymentMethod", value: "Electronic check" },
      ],
    });
    const expectedBoth = active.filter(
      (c) =>
        c.features.Contract === "Month-to-month" &&
        c.features.PaymentMethod === "Electronic check" &&
        c.riskLevel === "medium",
    ).length;
    expect(both.summary.customers).toBe(expectedBoth);
  });

  it("searches customer ids case-insensitively, by substring or prefix, with wildcards taken literally", async () => {
    const target = active[17].externalId;
    const middle = target.slice(2, 7).toLowerCase();
    const contains = await api().customers.list({ datasetId: trained.datasetId, search: middle });
    const expected = active.filter((r) => r.externalId.toLowerCase().includes(middle)).length;
    expect(contains.summary.customers).toBe(expected);
    expect(contains.rows.map((r) => r.externalId)).toContain(target);
    const prefix = await api().customers.list({
      datasetId: trained.datasetId,
      search: target.slice(0, 4).toLowerCase(),
      searchMode: "prefix",
    });
    expect(prefix.rows.length).toBeGreaterThan(0);
    expect(prefix.rows.every((r) => r.externalId.startsWith(target.slice(0, 4)))).toBe(true);
    const wildcard = await api().customers.list({ datasetId: trained.datasetId, search: "%" });
    expect(wildcard.summary.customers).toBe(0);
    expect(wildcard.rows).toEqual([]);
  });

  it("refuses a filter column that is not a categorical column of the dataset, even a malicious one", async () => {
    const [{ n: before }] = await handle.db.select({ n: count() }).from(customers);
    for (const column of ["NoSuchColumn", "tenure", "customerID", MALICIOUS]) {
      const attempt = api().customers.list({
        datasetId: trained.datasetId,
        filters: [{ column, value: "x" }],
      });
      await expect(attempt).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
    // A malicious value is just a value: bound as a parameter, it matches nobody.
    const value = await api().customers.list({
      datasetId: trained.datasetId,
      filters: [{ column: "Contract", value: MALICIOUS }],
      search: MALICIOUS,
    });
    expect(value.summary.customers).toBe(0);
    const [{ n }] = await handle.db.select({ n: count() }).from(customers);
    expect(n).toBe(before);
  });

  it("shows a customer's fields, champion score, history and an explanation that adds up to the risk", async () => {
    const { rows } = await api().customers.list({ datasetId: trained.datasetId });
    const detail = await api().customers.detail({ customerId: rows[0].id });
    expect(detail.customer.externalId).toBe(rows[0].externalId);
    expect(detail.customer.status).toBe("active");
    expect(detail.dataset).toEqual({ id: trained.datasetId, name: "Telco 600" });
    expect(detail.datasetVersion).toEqual({ id: trained.datasetVersionId, version: 2 });
    expect(detail.customer.fields.map((f) => f.name)).toContain("Contract");
    expect(detail.customer.fields[0]).toMatchObject({ name: "customerID", role: "identifier" });
    expect(detail.latest).toMatchObject({ modelId: trained.championId, riskScore: rows[0].riskScore });
    expect(detail.latest?.revenueAtRisk).toBeCloseTo(rows[0].revenueAtRisk ?? 0, 6);
    expect(detail.history).toEqual([
      expect.objectContaining({
        modelId: trained.championId,
        status: "champion",
        riskScore: rows[0].riskScore,
      }),
    ]);
    const insight = detail.insight;
    expect(insight).not.toBeNull();
    if (!insight) return;
    const prediction = insight.prediction;
    // The live explanation is the champion's stored score, and base + contributions = risk.
    expect(prediction.riskScore).toBeCloseTo(rows[0].riskScore, 5);
    const sum = prediction.base.probability + prediction.contributions.reduce((s, c) => s + c.probability, 0);
    expect(sum).toBeCloseTo(prediction.riskScore, 6);
    expect(prediction.contributions.map((c) => c.column)).not.toContain("Churn");
    // Reasons in words, and a next-best action that changes only actionable columns.
    expect(insight.reasons[0]).toMatchObject({
      column: prediction.contributions[0].column,
      text: expect.any(String),
    });
    expect(insight.reasons.reduce((s, r) => s + r.points, 0)).toBeCloseTo(
      prediction.contributions.slice(0, insight.reasons.length).reduce((s, c) => s + c.probability, 0),
      9,
    );
  });

  it("says a lost customer is lost, with a score but nothing at risk", async () => {
    const gone = lost[0];
    const detail = await api().customers.detail({ customerId: gone.id });
    expect(detail.customer).toMatchObject({ id: gone.id, label: 1, status: "lost" });
    expect(detail.latest).toMatchObject({
      modelId: trained.championId,
      riskScore: gone.riskScore,
      revenueAtRisk: null,
    });
  });

  it("exports the filtered list as CSV in the list's order, with the scored file's columns, and refuses a bad column before streaming", async () => {
    const filter = {
      datasetId: trained.datasetId,
      levels: ["medium" as const],
      sort: "revenueAtRisk" as const,
    };
    const list = await api().customers.list({ ...filter, pageSize: 100 });
    const csv = await exportCustomersCsv(handle.db, filter);
    const text = await csvText(csv.body);
    expect(text.slice(0, text.indexOf("\r\n"))).toBe(
      "customer_id,risk_score,risk_level,top_drivers,recommended_action,monthly_value,revenue_at_risk",
    );
    const { rows } = parseCsv(text);
    const medium = active.filter((r) => r.riskLevel === "medium");
    expect(rows).toHaveLength(medium.length);
    expect(rows.slice(0, 100).map((r) => r[0])).toEqual(list.rows.map((r) => r.externalId));
    const byExternalId = new Map(reference.map((r) => [r.externalId, r]));
    const [{ drivers: stored }] = await handle.db
      .select({ drivers: scores.drivers })
      .from(scores)
      .where(and(eq(scores.modelId, trained.championId), eq(scores.customerId, list.rows[0].id)));
    expect(rows[0][3]).toBe(driversText(stored));
    for (const [externalId, risk, level, drivers, action, monthly, atRisk] of rows) {
      const ref = byExternalId.get(externalId);
      if (!ref) throw new Error(`${externalId} is not a customer of this dataset`);
      expect(Number(risk)).toBeCloseTo(ref.riskScore, 4);
      expect(level).toBe("medium");
      expect(drivers).toMatch(
        /^[^=;]+=[^;]+ \(([+-]|±)[\d.]+ pts\)(; [^=;]+=[^;]+ \(([+-]|±)[\d.]+ pts\)){2}$/,
      );
      // The playbook's action for the customer's own stored drivers and fields.
      const stored = list.rows.find((r) => r.externalId === externalId)?.drivers;
      if (stored) expect(action).toBe(recommendedAction(stored, ref.features, DEFAULT_PLAYBOOK)?.title ?? "");
      expect(Number(monthly)).toBeCloseTo(ref.monthly, 2);
      expect(Number(atRisk)).toBeCloseTo(ref.monthly * ref.riskScore, 2);
    }
    expect(rows.filter((r) => r[4] !== "").length).toBeGreaterThan(medium.length / 2);
    expect(csv.fileName).toBe("Telco-600-customers.csv");
    await expect(
      exportCustomersCsv(handle.db, {
        datasetId: trained.datasetId,
        filters: [{ column: MALICIOUS, value: "x" }],
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("exports active customers by default and lost ones on request, without an action or revenue at risk", async () => {
    const exported = async (status?: "active" | "lost") => {
      const csv = await exportCustomersCsv(handle.db, { datasetId: trained.datasetId, status });
      return { fileName: csv.fileName, rows: parseCsv(await csvText(csv.body)).rows };
    };
    const activeCsv = await exported();
    expect(activeCsv.rows.map((r) => r[0]).sort()).toEqual(active.map((r) => r.externalId).sort());
    expect(activeCsv.rows.every((r) => r[6] !== "")).toBe(true);
    // An action for every customer with a risk-raising driver among the top three (none needed otherwise).
    const activeByExternalId = new Map(active.map((r) => [r.externalId, r]));
    const raising = (externalId: string) =>
      /\(\+[\d.]+ pts\)/.test(activeCsv.rows.find((r) => r[0] === externalId)?.[3] ?? "");
    expect(activeCsv.rows.filter((r) => r[4] !== "").map((r) => r[0])).toEqual(
      activeCsv.rows.map((r) => r[0]).filter((id) => activeByExternalId.has(id) && raising(id)),
    );
    const lostCsv = await exported("lost");
    expect(lostCsv.fileName).toBe("Telco-600-lost-customers.csv");
    expect(lostCsv.rows.map((r) => r[0]).sort()).toEqual(lost.map((r) => r.externalId).sort());
    expect(lostCsv.rows.every((r) => r[4] === "" && r[6] === "" && r[5] !== "")).toBe(true);
  });

  it("answers NOT_FOUND for an unknown customer or dataset", async () => {
    await expect(api().customers.detail({ customerId: 987_654_321 })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(api().customers.list({ datasetId: 987_654 })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("refuses callers who are not signed in", async () => {
    const anonymous = callerFor(handle.db, null);
    for (const call of [
      anonymous.customers.list({ datasetId: trained.datasetId }),
      anonymous.customers.filterOptions({ datasetId: trained.datasetId }),
      anonymous.customers.detail({ customerId: reference[0].id }),
      anonymous.customers.datasets(),
    ]) {
      await expect(call).rejects.toBeInstanceOf(TRPCError);
      await expect(call).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    }
  });

  it("counts customers without a known outcome as active, and leaves them out of the churn rate", async () => {
    // Ten customers whose churn cell is blank: current customers, not lost ones.
    const [header, ...lines] = telcoLikeCsv(150, 37).trimEnd().split("\n");
    const churn = header.split(",").indexOf("Churn");
    const blanked = lines.map((line, i) =>
      i % 15 === 0
        ? line
            .split(",")
            .map((cell, c) => (c === churn ? "" : cell))
            .join(",")
        : line,
    );
    const own = await trainVersion(handle.db, actor, {
      name: "Telco unknown outcomes",
      csv: `${[header, ...blanked].join("\n")}\n`,
      algorithms: ["logistic_regression"],
    });
    const scored = await referenceOf(handle, own.championId);
    expect(scored).toHaveLength(150);
    const unknown = scored.filter((r) => r.label === null).length;
    const churned = scored.filter((r) => r.label === 1).length;
    expect(unknown).toBe(10);
    const list = await api().customers.list({ datasetId: own.datasetId });
    expect(list.summary).toMatchObject({
      customers: 150 - churned,
      active: 150 - churned,
      lost: churned,
      observedChurnRate: churned / (150 - unknown),
    });
  });

  // Uploads and promotes on a dataset of its own, so the other tests' dataset never changes.
  it("keeps listing the scored version after a new upload, and lists nobody for an unscored champion", async () => {
    const csv = telcoLikeCsv(120, 29);
    const own = await trainVersion(handle.db, actor, { name: "Telco 120", csv });
    const scored = await referenceOf(handle, own.championId);
    const activeCount = scored.filter((r) => !r.isLost).length;
    const newer = await importDatasetFromFile(handle.db, actor, {
      bytes: new TextEncoder().encode(csv),
      name: "Telco 120",
      fileName: "telco-120-v2.csv",
    });
    expect(newer.version).toBe(2);
    const list = await api().customers.list({ datasetId: own.datasetId });
    expect(list).toMatchObject({
      version: { id: own.datasetVersionId, version: 1, isLatest: false },
      isScored: true,
      summary: { customers: activeCount, active: activeCount, lost: 120 - activeCount },
    });

    const [candidate] = await handle.db
      .select({ id: models.id })
      .from(models)
      .where(eq(models.runId, own.runId))
      .then((rows) => rows.filter((m) => m.id !== own.championId));
    await promoteModel(handle.db, actor, candidate.id);
    const unscored = await api().customers.list({ datasetId: own.datasetId });
    expect(unscored).toMatchObject({ champion: { id: candidate.id }, isScored: false, rows: [] });
    expect(unscored.summary.customers).toBe(0);
    // The detail still explains the customer live with the new champion; history keeps the old score.
    const detail = await api().customers.detail({ customerId: scored[0].id });
    expect(detail.champion?.modelId).toBe(candidate.id);
    expect(detail.latest).toBeNull();
    expect(detail.history).toEqual([
      expect.objectContaining({ modelId: own.championId, status: "archived" }),
    ]);
    expect(detail.insight?.prediction.riskScore).toBeGreaterThan(0);
    // The other dataset's list is as it was.
    expect((await api().customers.list({ datasetId: trained.datasetId })).summary.customers).toBe(
      active.length,
    );
  });
});
