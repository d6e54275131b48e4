import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "@/lib/ml/data";
import { DEFAULT_PLAYBOOK, playbookSchema } from "@/lib/retention";
import type { DatabaseHandle } from "../../db/client";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { createUser } from "../../testing/factories";
import { createTrainedDataset, TELCO_CHURNER, type TrainedDataset } from "../../testing/trained-dataset";
import type { Actor } from "../audit";
import { useTemporaryDataDir } from "../datasets/test-helpers";
import { loadPredictor, PredictionInputError } from "../predictions";
import { setSetting } from "../settings";
import { buildCustomerInsight, getPlaybook, RETENTION_PLAYBOOK_SETTING } from ".";

const churner = { ...TELCO_CHURNER, Partner: "No" };
const CONTEXT = ["gender", "SeniorCitizen", "Partner", "Dependents", "tenure", "TotalCharges"];

describe.each(testDatabaseKinds())("customer insight on %s", (kind) => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  let actor: Actor;
  let trained: TrainedDataset;

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    handle = await createTestDatabase(kind);
    const { user } = await createUser(handle.db, "admin");
    actor = { id: user.id, label: user.email };
    trained = await createTrainedDataset(handle.db, actor, { name: "Insight" });
  }, 120_000);
  afterAll(async () => {
    await handle?.close();
    dataDir?.cleanup();
  });

  it("explains the risk in reasons whose points add up from the base rate", async () => {
    const predictor = await loadPredictor(handle.db, trained.datasetId);
    const insight = await buildCustomerInsight(handle.db, predictor, churner, { reasonCount: Infinity });
    const { prediction, reasons } = insight;
    expect(reasons).toHaveLength(predictor.inputs.length);
    const total = reasons.reduce((sum, r) => sum + r.points, prediction.base.probability);
    expect(total).toBeCloseTo(prediction.riskScore, 9);
    const contract = reasons.find((r) => r.column === "Contract");
    expect(contract).toMatchObject({ kind: "actionable", value: "Month-to-month" });
    expect(contract?.text).toMatch(
      /^Contract = Month-to-month (raises|lowers) risk by (<1 point|\d+ points?)$/,
    );
    for (const r of reasons) expect(r.kind).toBe(CONTEXT.includes(r.column) ? "context" : "actionable");
    const top = await buildCustomerInsight(handle.db, predictor, churner);
    expect(top.reasons).toEqual(reasons.slice(0, 10));
  });

  it("proposes a next-best action that changes actionable columns only and scores like the model", async () => {
    const predictor = await loadPredictor(handle.db, trained.datasetId);
    const table = parseCsv(trained.csv);
    const names = predictor.inputs.map((i) => i.name);
    const numeric = new Set(predictor.inputs.filter((i) => i.kind === "numeric").map((i) => i.name));
    let found = 0;
    for (const row of table.rows.slice(0, 25)) {
      const record: Record<string, string | number> = {};
      for (const name of names) {
        const value = row[table.columns.indexOf(name)];
        if (value !== undefined && value.trim() !== "")
          record[name] = numeric.has(name) ? Number(value) : value;
      }
      const insight = await buildCustomerInsight(handle.db, predictor, record);
      const best = insight.nextBestAction;
      if (!best) continue;
      found += 1;
      expect(best.currentRisk).toBeCloseTo(insight.prediction.riskScore, 9);
      for (const option of [best, ...best.alternatives]) {
        expect(option.reduction).toBeGreaterThan(0);
        for (const change of option.changes) expect(CONTEXT).not.toContain(change.column);
        const changed = { ...record };
        for (const change of option.changes) changed[change.column] = change.to as string | number;
        expect(predictor.score([changed])[0]).toBeCloseTo(option.newRisk, 12);
        expect(option.newRisk).toBeCloseTo(best.currentRisk - option.reduction, 12);
      }
    }
    // A month-to-month fibre customer always has something to try.
    expect(found).toBeGreaterThan(0);
    const insight = await buildCustomerInsight(handle.db, predictor, churner);
    expect(insight.nextBestAction?.newRisk).toBeLessThan(insight.prediction.riskScore);
  });

  it("takes its actions from the playbook stored in settings", async () => {
    const predictor = await loadPredictor(handle.db, trained.datasetId);
    const before = await buildCustomerInsight(handle.db, predictor, churner);
    expect(before.actions.length).toBeGreaterThan(0);
    expect(before.actions.every((a) => a.points > 0)).toBe(true);
    const defaultIds = new Set(DEFAULT_PLAYBOOK.rules.map((r) => r.id));
    expect(before.actions.every((a) => defaultIds.has(a.ruleId) || a.isFallback)).toBe(true);

    const raising = before.prediction.contributions.filter((c) => c.probability > 0).map((c) => c.column);
    const edited = playbookSchema.parse({
      ...DEFAULT_PLAYBOOK,
      rules: raising.map((column, i) => ({
        id: `custom-${i}`,
        when: { column, missing: false },
        action: { title: `Custom action for ${column}`, rationale: "Edited by an admin." },
        cost: 1,
      })),
    });
    await setSetting(handle.db, actor, RETENTION_PLAYBOOK_SETTING, edited);
    try {
      expect((await getPlaybook(handle.db)).rules[0].id).toBe("custom-0");
      const after = await buildCustomerInsight(handle.db, predictor, churner);
      expect(after.actions.map((a) => a.title)).toEqual(raising.map((c) => `Custom action for ${c}`));
    } finally {
      await setSetting(handle.db, actor, RETENTION_PLAYBOOK_SETTING, DEFAULT_PLAYBOOK);
    }
  });

  it("refuses data the model cannot read, naming the field", async () => {
    const predictor = await loadPredictor(handle.db, trained.datasetId);
    await expect(
      buildCustomerInsight(handle.db, predictor, { ...churner, Contract: "Lifetime" }),
    ).rejects.toSatisfy((e) => e instanceof PredictionInputError && e.issues[0].field === "Contract");
  });
});
