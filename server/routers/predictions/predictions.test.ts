import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import type { Actor } from "../../services/audit";
import { importDatasetFromFile } from "../../services/datasets";
import { useTemporaryDataDir } from "../../services/datasets/test-helpers";
import { loadPredictor } from "../../services/predictions";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { callerFor, createUser } from "../../testing/factories";
import { createTrainedDataset, type TrainedDataset } from "../../testing/trained-dataset";

describe.each(testDatabaseKinds())("predictions router on %s", (kind) => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  let trained: TrainedDataset;
  let viewer: Awaited<ReturnType<typeof createUser>>["user"];
  let untrainedId: number;

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    handle = await createTestDatabase(kind);
    const { user: admin } = await createUser(handle.db, "admin");
    const actor: Actor = { id: admin.id, label: admin.email };
    trained = await createTrainedDataset(handle.db, actor, { name: "What-if" });
    const untrained = await importDatasetFromFile(handle.db, actor, {
      bytes: new TextEncoder().encode(trained.csv),
      name: "Not trained",
      fileName: "not-trained.csv",
    });
    untrainedId = untrained.datasetId;
    viewer = (await createUser(handle.db, "viewer")).user;
  }, 120_000);
  afterAll(async () => {
    await handle?.close();
    dataDir?.cleanup();
  });

  it("lists only datasets with a champion", async () => {
    const list = await callerFor(handle.db, viewer).predictions.datasets();
    expect(list).toEqual([
      expect.objectContaining({ id: trained.datasetId, name: "What-if", modelId: trained.championId }),
      expect.objectContaining({
        id: trained.neighbour.latest.datasetId,
        modelId: trained.neighbour.latest.championId,
      }),
    ]);
  });

  it("describes the champion's inputs as a form with a typical customer as defaults", async () => {
    const form = await callerFor(handle.db, viewer).predictions.form({ datasetId: trained.datasetId });
    expect(form.dataset).toEqual({ id: trained.datasetId, name: "What-if" });
    expect(form.model.modelId).toBe(trained.championId);
    expect(form.model.trainedAt).toBeInstanceOf(Date);
    expect(form.target).toBe("Churn");
    const contract = form.inputs.find((i) => i.name === "Contract");
    expect(contract).toMatchObject({ kind: "categorical", actionKind: "actionable" });
    expect(contract?.categories).toEqual(expect.arrayContaining(["Month-to-month", "One year", "Two year"]));
    // The most frequent contract is month-to-month in Telco-like data.
    const defaults = new Map(form.defaults);
    expect(defaults.get("Contract")).toBe(contract?.categories?.[0]);
    const tenure = form.inputs.find((i) => i.name === "tenure");
    expect(tenure).toMatchObject({ kind: "numeric", actionKind: "context" });
    expect(tenure?.min).toBeLessThan(tenure?.max ?? 0);
    expect(Number.isInteger(defaults.get("tenure"))).toBe(true);
    expect(defaults.get("tenure")).toBeGreaterThanOrEqual(tenure?.min ?? 0);
    expect(form.bands).toEqual({ medium: 0.3, high: 0.6 });
    expect(form.baseRate).toBeGreaterThan(0.05);
    expect(form.baseRate).toBeLessThan(0.6);
    expect([...defaults.keys()].sort()).toEqual(form.inputs.map((i) => i.name).sort());
  });

  it("scores the form's defaults and a changed contract like the predictor does", async () => {
    const caller = callerFor(handle.db, viewer);
    const form = await caller.predictions.form({ datasetId: trained.datasetId });
    const monthly = await caller.predictions.predict({
      datasetId: trained.datasetId,
      customer: [...form.defaults, ["Contract", "Month-to-month"]],
    });
    const twoYear = await caller.predictions.predict({
      datasetId: trained.datasetId,
      customer: [...form.defaults, ["Contract", "Two year"]],
    });
    const predictor = await loadPredictor(handle.db, trained.datasetId);
    expect(monthly.prediction.riskScore).toBeCloseTo(
      predictor.score([{ ...Object.fromEntries(form.defaults), Contract: "Month-to-month" }])[0],
      12,
    );
    expect(twoYear.prediction.riskScore).toBeLessThan(monthly.prediction.riskScore);
    expect(monthly.reasons.find((r) => r.column === "Contract")?.text).toMatch(/^Contract = Month-to-month/);
    expect(twoYear.reasons.find((r) => r.column === "Contract")?.text).toMatch(/^Contract = Two year/);
  });

  it("names the field a bad value is in, and explains a missing champion", async () => {
    const caller = callerFor(handle.db, viewer);
    const form = await caller.predictions.form({ datasetId: trained.datasetId });
    const bad = await caller.predictions
      .predict({ datasetId: trained.datasetId, customer: [...form.defaults, ["Contract", "Forever"]] })
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(TRPCError);
    expect((bad as TRPCError).code).toBe("BAD_REQUEST");
    expect((bad as TRPCError).message).toContain("Contract");
    const unknown = await caller.predictions
      .predict({ datasetId: trained.datasetId, customer: [...form.defaults, ["Favourite", "x"]] })
      .catch((e: unknown) => e);
    expect((unknown as TRPCError).code).toBe("BAD_REQUEST");
    expect((unknown as TRPCError).message).toContain("Favourite");

    await expect(caller.predictions.form({ datasetId: untrainedId })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: expect.stringContaining("no champion"),
    });
    await expect(caller.predictions.predict({ datasetId: 999_999, customer: [] })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("refuses callers who are not signed in", async () => {
    await expect(callerFor(handle.db, null).predictions.datasets()).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    await expect(
      callerFor(handle.db, null).predictions.predict({ datasetId: trained.datasetId, customer: [] }),
    ).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
