import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { createUser } from "../../testing/factories";
import { createTrainedDataset, TELCO_CHURNER, type TrainedDataset } from "../../testing/trained-dataset";
import type { Actor } from "../audit";
import { useTemporaryDataDir } from "../datasets/test-helpers";
import { RISK_BANDS_SETTING, setSetting } from "../settings";
import { loadPredictor, NoChampionError, PredictionInputError } from ".";

const customer = TELCO_CHURNER;

describe.each(testDatabaseKinds())("predictions with the champion on %s", (kind) => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  let actor: Actor;
  let trained: TrainedDataset;

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    handle = await createTestDatabase(kind);
    const { user } = await createUser(handle.db, "admin");
    actor = { id: user.id, label: user.email };
    trained = await createTrainedDataset(handle.db, actor, { name: "Predict core" });
  }, 120_000);
  afterAll(async () => {
    await handle?.close();
    dataDir?.cleanup();
  });

  it("scores a customer with contributions per original column that add up to the risk", async () => {
    const predictor = await loadPredictor(handle.db, trained.datasetId);
    expect(predictor.model).toMatchObject({ modelId: trained.championId, datasetId: trained.datasetId });
    const [result] = predictor.predict([customer]);
    const sum = result.contributions.reduce((s, c) => s + c.probability, result.base.probability);
    expect(sum).toBeCloseTo(result.riskScore, 9);
    const logOdds = result.contributions.reduce((s, c) => s + c.logOdds, result.base.logOdds);
    expect(1 / (1 + Math.exp(-logOdds))).toBeCloseTo(result.riskScore, 9);
    expect(result.contributions.map((c) => c.column)).toContain("Contract");
    expect(result.contributions.find((c) => c.column === "Contract")?.value).toBe("Month-to-month");
    const sizes = result.contributions.map((c) => Math.abs(c.probability));
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(result.warnings).toEqual([]);
    // A month-to-month fibre customer two months in is a textbook churner.
    expect(result.riskScore).toBeGreaterThan(0.4);
    expect(result.riskLevel).not.toBe("low");
    expect(predictor.score([customer])[0]).toBeCloseTo(result.riskScore, 12);
  });

  it("imputes missing fields with a warning and ignores known non-input columns", async () => {
    const predictor = await loadPredictor(handle.db, trained.datasetId);
    const { TotalCharges: _, ...partial } = customer;
    const [result] = predictor.predict([{ ...partial, customerID: "X-1" }]);
    expect(result.warnings).toEqual([
      expect.objectContaining({ field: "TotalCharges", code: "missing" }),
      expect.objectContaining({ field: "customerID", code: "ignored" }),
    ]);
    expect(result.contributions.find((c) => c.column === "TotalCharges")?.value).toBeNull();
  });

  it("refuses unknown fields, wrong types and unknown categories, naming the field and the customer", async () => {
    const predictor = await loadPredictor(handle.db, trained.datasetId);
    const attempt = (records: unknown[]) => {
      try {
        predictor.predict(records);
      } catch (error) {
        if (error instanceof PredictionInputError) return error.issues;
        throw error;
      }
      throw new Error("expected a PredictionInputError");
    };
    expect(attempt([{ ...customer, favouriteColour: "blue" }])).toEqual([
      expect.objectContaining({ index: 0, field: "favouriteColour", code: "unknown_field" }),
    ]);
    expect(attempt([customer, { ...customer, tenure: { months: 3 } }])).toEqual([
      expect.objectContaining({ index: 1, field: "tenure", code: "wrong_type" }),
    ]);
    expect(attempt([{ ...customer, tenure: "three" }])).toEqual([
      expect.objectContaining({ field: "tenure", code: "wrong_type" }),
    ]);
    expect(attempt([{ ...customer, Contract: "Ten year" }])).toEqual([
      expect.objectContaining({ field: "Contract", code: "unknown_category" }),
    ]);
    expect(attempt(["not an object"])).toEqual([expect.objectContaining({ code: "invalid_record" })]);
    // Lenient mode (batch files) keeps going with a warning instead.
    const [lenient] = predictor.predict([{ ...customer, Contract: "Ten year" }], { strict: false });
    expect(lenient.warnings).toEqual([
      expect.objectContaining({ field: "Contract", code: "unseen_category" }),
    ]);
  });

  it("uses the risk bands from settings", async () => {
    await setSetting(handle.db, actor, RISK_BANDS_SETTING, { medium: 0.98, high: 0.99 });
    const predictor = await loadPredictor(handle.db, trained.datasetId);
    expect(predictor.predict([customer])[0].riskLevel).toBe("low");
    await setSetting(handle.db, actor, RISK_BANDS_SETTING, { medium: 0.3, high: 0.6 });
    await expect(
      setSetting(handle.db, actor, RISK_BANDS_SETTING, { medium: 0.7, high: 0.6 }),
    ).rejects.toThrow(/high band must start above the medium band/);
  });

  it("says why it cannot score: no such dataset, or no champion yet", async () => {
    await expect(loadPredictor(handle.db, 999_999)).rejects.toThrow(NoChampionError);
    await expect(loadPredictor(handle.db, 999_999)).rejects.toThrow(/does not exist/);
  });
});
