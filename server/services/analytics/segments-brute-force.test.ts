/**
 * The segment explorer's single statement (segmentAggregates: keys extracted before the join,
 * drivers summed per tuple of driver columns through the generated scores.driver_columns /
 * driver_points) against a brute-force computation over every customer in JavaScript, on a small
 * dataset whose scores are written by hand: drivers vary in number (0 to STORED_DRIVER_COUNT),
 * order, sign and columns, some customers are lost, some have no monthly value.
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTelcoLikeRows, toCsv } from "../../../data/generate-sample";
import type { DatabaseHandle } from "../../db/client";
import { customers, GENERATED_DRIVER_POSITIONS, models, scores, trainingRuns } from "../../db/schema";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { SYSTEM_ACTOR } from "../audit";
import { importDatasetFromFile } from "../datasets";
import { useTemporaryDataDir } from "../datasets/test-helpers";
import { STORED_DRIVER_COUNT } from "../scoring/drivers";
import { bumpScoresGeneration } from "../scoring/generation";
import { clearAnalyticsCache, exploreSegments } from ".";
import { rowsOf } from "./rows";

const DRIVER_COLUMNS = ["Contract", "tenure", "PaymentMethod", "InternetService", "MonthlyCharges"];

/** Deterministic PRNG (mulberry32): the same drivers on every run. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Row {
  id: number;
  features: Record<string, string | number | null>;
  label: number | null;
  value: number | null;
  risk: number;
  level: string;
  drivers: { column: string; value: null; contribution: number }[];
}

describe.each(testDatabaseKinds())("segment explorer against brute force on %s", (kind) => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  let datasetId: number;
  let modelId: number;
  let rows: Row[];

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    handle = await createTestDatabase(kind);
    const { db } = handle;
    const imported = await importDatasetFromFile(db, SYSTEM_ACTOR, {
      bytes: new TextEncoder().encode(toCsv(generateTelcoLikeRows(400, 7))),
      name: "Brute force",
      fileName: "brute.csv",
    });
    datasetId = imported.datasetId;
    const [run] = await db
      .insert(trainingRuns)
      .values({
        datasetId,
        datasetVersionId: imported.datasetVersionId,
        status: "succeeded",
        params: {},
        progress: 1,
      })
      .returning({ id: trainingRuns.id });
    const [model] = await db
      .insert(models)
      .values({
        runId: run.id,
        datasetId,
        datasetVersionId: imported.datasetVersionId,
        algorithm: "logistic_regression",
        version: 1,
        status: "champion",
        params: {},
        metrics: {},
        curves: {},
        importance: [],
        threshold: 0.5,
        cvAuc: 0.8,
        cvAucStd: 0,
        f1Churn: 0.6,
        f1Weighted: 0.7,
        brier: 0.1,
        fitSeconds: 1,
        artifactKey: "test/none",
        artifactSha256: "0".repeat(64),
        promotedAt: new Date(),
      })
      .returning({ id: models.id });
    modelId = model.id;
    const imports = await db
      .select({
        id: customers.id,
        features: customers.features,
        label: customers.label,
        value: customers.monthlyValue,
      })
      .from(customers)
      .where(eq(customers.datasetVersionId, imported.datasetVersionId))
      .orderBy(customers.id);
    const random = prng(12);
    rows = imports.map((c, i) => {
      // Rounded as the real column stores it, so JavaScript and SQL multiply the same numbers.
      const risk = Math.fround(Math.round(random() * 1e4) / 1e4);
      const count = Math.floor(random() * (STORED_DRIVER_COUNT + 1));
      const columns = [...DRIVER_COLUMNS].sort(() => random() - 0.5).slice(0, count);
      return {
        ...c,
        // Some customers without a monthly value: revenue sums must skip them, not count 0 rows.
        value: i % 17 === 0 ? null : c.value,
        risk,
        level: risk >= 0.6 ? "high" : risk >= 0.3 ? "medium" : "low",
        drivers: columns.map((column) => ({
          column,
          value: null,
          contribution: Math.round((random() * 0.5 - 0.2) * 1e6) / 1e6,
        })),
      };
    });
    expect(rows.some((r) => r.label === 1)).toBe(true);
    for (const r of rows.filter((r) => r.value === null)) {
      await db.update(customers).set({ monthlyValue: null }).where(eq(customers.id, r.id));
    }
    await db.insert(scores).values(
      rows.map((r) => ({
        customerId: r.id,
        modelId,
        riskScore: r.risk,
        riskLevel: r.level,
        drivers: r.drivers,
      })),
    );
    clearAnalyticsCache();
    bumpScoresGeneration();
  }, 120_000);

  afterAll(async () => {
    await handle?.close();
    dataDir?.cleanup();
  });

  it("stores every driver position scoring writes in the generated arrays, and keeps them in step", async () => {
    expect(STORED_DRIVER_COUNT).toBeLessThanOrEqual(GENERATED_DRIVER_POSITIONS);
    const target = rows.find((r) => r.drivers.length === STORED_DRIVER_COUNT) as Row;
    // As JSON text: drivers differ in how they hand back arrays with NULL elements.
    const read = async () => {
      const [row] = rowsOf<{ columns: string; points: string }>(
        await handle.db.execute(sql`
          select array_to_json(${scores.driverColumns})::text as columns,
            array_to_json(${scores.driverPoints})::text as points
          from ${scores} where ${scores.customerId} = ${target.id} and ${scores.modelId} = ${modelId}`),
      );
      return { columns: JSON.parse(row.columns), points: JSON.parse(row.points) };
    };
    const pad = <T>(values: T[]) => [
      ...values,
      ...Array<null>(GENERATED_DRIVER_POSITIONS - values.length).fill(null),
    ];
    expect(await read()).toEqual({
      columns: pad(target.drivers.map((d) => d.column)),
      points: pad(target.drivers.map((d) => d.contribution)),
    });
    // An update of drivers (as rescoring one customer after an event does) rewrites the arrays.
    const changed = [{ column: "gender", value: "Male", contribution: 0.25 }];
    await handle.db
      .update(scores)
      .set({ drivers: changed })
      .where(sql`${scores.customerId} = ${target.id} and ${scores.modelId} = ${modelId}`);
    expect(await read()).toEqual({ columns: pad(["gender"]), points: pad([0.25]) });
    await handle.db
      .update(scores)
      .set({ drivers: target.drivers })
      .where(sql`${scores.customerId} = ${target.id} and ${scores.modelId} = ${modelId}`);
  });

  it("gives every segment, its totals and its top drivers exactly as a loop over the customers does", async () => {
    clearAnalyticsCache();
    bumpScoresGeneration();
    const explorer = await exploreSegments(handle.db, {
      datasetId,
      columns: ["Contract", "PaymentMethod"],
    });
    const active = rows.filter((r) => r.label !== 1);
    const sumBy = (list: Row[], column: string) =>
      list.reduce((s, r) => s + (r.drivers.find((d) => d.column === column)?.contribution ?? 0), 0);
    const overall = (column: string) => sumBy(active, column) / active.length;
    const groups = new Map<string, Row[]>();
    for (const r of rows) {
      const id = JSON.stringify([r.features.Contract, r.features.PaymentMethod]);
      groups.set(id, [...(groups.get(id) ?? []), r]);
    }
    expect(explorer.rows).toHaveLength(groups.size);
    expect(explorer.omitted).toBe(0);
    for (const segment of explorer.rows) {
      const members = groups.get(JSON.stringify(segment.key.map((k) => k.value))) as Row[];
      expect(members).toBeDefined();
      const alive = members.filter((r) => r.label !== 1);
      const lost = members.filter((r) => r.label === 1);
      const labelled = members.filter((r) => r.label !== null);
      expect(segment.customers).toBe(members.length);
      expect(segment.active).toBe(alive.length);
      expect(segment.lost).toBe(lost.length);
      expect(segment.observedChurnRate).toBeCloseTo(lost.length / labelled.length, 12);
      expect(segment.highRisk).toBe(alive.filter((r) => r.level === "high").length);
      if (alive.length === 0) expect(segment.meanRisk).toBeNull();
      else expect(segment.meanRisk).toBeCloseTo(alive.reduce((s, r) => s + r.risk, 0) / alive.length, 6);
      expect(segment.revenueAtRisk).toBeCloseTo(
        alive.reduce((s, r) => s + (r.value ?? 0) * r.risk, 0),
        3,
      );
      // Top drivers: every column in the segment's active drivers, mean inside the segment against
      // the overall mean, positive means only, largest excess first, three at most.
      const columns = [...new Set(alive.flatMap((r) => r.drivers.map((d) => d.column)))];
      const expected = columns
        .map((column) => ({
          column,
          segmentPoints: sumBy(alive, column) / alive.length,
          overallPoints: overall(column),
        }))
        .filter((d) => d.segmentPoints > 0)
        .sort(
          (a, b) =>
            b.segmentPoints - b.overallPoints - (a.segmentPoints - a.overallPoints) ||
            a.column.localeCompare(b.column),
        )
        .slice(0, 3);
      expect(segment.topDrivers.map((d) => d.column)).toEqual(expected.map((d) => d.column));
      segment.topDrivers.forEach((d, i) => {
        expect(d.segmentPoints).toBeCloseTo(expected[i].segmentPoints, 9);
        expect(d.overallPoints).toBeCloseTo(expected[i].overallPoints, 9);
      });
    }
    expect(explorer.totals).toMatchObject({
      customers: rows.length,
      active: active.length,
      lost: rows.length - active.length,
      highRisk: active.filter((r) => r.level === "high").length,
    });
    expect(explorer.totals?.meanRisk).toBeCloseTo(active.reduce((s, r) => s + r.risk, 0) / active.length, 6);
    expect(explorer.totals?.revenueAtRisk).toBeCloseTo(
      active.reduce((s, r) => s + (r.value ?? 0) * r.risk, 0),
      2,
    );
  });
});
