import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trainModels } from "@/jobs/functions/train-models";
import type { DatabaseHandle } from "../../db/client";
import { models } from "../../db/schema";
import { listAudit } from "../../services/audit";
import type { ImportResult } from "../../services/datasets";
import { loadChampion } from "../../services/models";
import { startTraining } from "../../services/training";
import {
  importSyntheticDataset,
  runUntilFinished,
  testRunner,
  useTemporaryDataDir,
} from "../../services/training/test-helpers";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { callerFor, createUser } from "../../testing/factories";

describe.each(testDatabaseKinds())("models router on %s", (kind) => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  let dataset: ImportResult;
  let manager: Awaited<ReturnType<typeof createUser>>["user"];
  let viewer: Awaited<ReturnType<typeof createUser>>["user"];

  const champions = () =>
    handle.db
      .select({ id: models.id })
      .from(models)
      .where(and(eq(models.datasetId, dataset.datasetId), eq(models.status, "champion")));

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    handle = await createTestDatabase(kind);
    manager = (await createUser(handle.db, "manager")).user;
    viewer = (await createUser(handle.db, "viewer")).user;
    const actor = { id: manager.id, label: manager.email };
    dataset = await importSyntheticDataset(handle.db, actor, "Registry", 300);
    const run = await startTraining(
      handle.db,
      actor,
      {
        datasetVersionId: dataset.datasetVersionId,
        algorithms: ["logistic_regression", "gradient_boosting"],
        folds: 3,
      },
      { functions: [trainModels] },
    );
    await runUntilFinished(testRunner(handle.db), handle.db, run.id);
  });
  afterAll(async () => {
    await handle?.close();
    dataDir?.cleanup();
  });

  it("lists the leaderboard sorted and filtered on the server", async () => {
    const api = callerFor(handle.db, viewer);
    const all = await api.models.list({ datasetId: dataset.datasetId });
    expect(all).toHaveLength(2);
    expect(all[0].cvAuc).toBeGreaterThanOrEqual(all[1].cvAuc);
    expect(all[0]).toMatchObject({ datasetName: "Registry", datasetVersion: 1 });
    const byBrier = await api.models.list({ datasetId: dataset.datasetId, sort: "brier" });
    expect(byBrier[0].brier).toBeLessThanOrEqual(byBrier[1].brier);
    const ascending = await api.models.list({
      datasetId: dataset.datasetId,
      sort: "cvAuc",
      direction: "asc",
    });
    expect(ascending.map((m) => m.id)).toEqual([...all].reverse().map((m) => m.id));
    const boosting = await api.models.list({ algorithm: "gradient_boosting", datasetId: dataset.datasetId });
    expect(boosting.map((m) => m.algorithm)).toEqual(["gradient_boosting"]);
    expect(await api.models.datasets()).toContainEqual({ id: dataset.datasetId, name: "Registry" });
  });

  it("shows a model's curves, importance, parameters and lineage, and compares two", async () => {
    const api = callerFor(handle.db, viewer);
    const [first, second] = await api.models.list({ datasetId: dataset.datasetId });
    const detail = await api.models.get({ modelId: first.id });
    expect(detail).toMatchObject({
      dataset: { id: dataset.datasetId, name: "Registry" },
      datasetVersion: { id: dataset.datasetVersionId, version: 1 },
      trainedBy: { id: manager.id, name: manager.name },
    });
    // Other people's email addresses are for admins only.
    expect(detail.trainedBy).not.toHaveProperty("email");
    expect(detail).not.toHaveProperty("artifactKey");
    expect(detail.importance.length).toBeGreaterThan(0);
    expect(Object.keys(detail.curves)).toEqual(expect.arrayContaining(["test", "scoreHistogram"]));
    const compared = await api.models.compare({ a: first.id, b: second.id });
    expect(compared.a.trainedBy).not.toHaveProperty("email");
    expect(compared.isSameDataset).toBe(true);
    expect([compared.a.id, compared.b.id]).toEqual([first.id, second.id]);
    await expect(api.models.get({ modelId: 999_999 })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("names the trainer by email to admins only", async () => {
    const { user: admin } = await createUser(handle.db, "admin");
    const [first, second] = await callerFor(handle.db, admin).models.list({ datasetId: dataset.datasetId });
    const api = callerFor(handle.db, admin);
    expect((await api.models.get({ modelId: first.id })).trainedBy).toEqual({
      id: manager.id,
      name: manager.name,
      email: manager.email,
    });
    expect((await api.models.compare({ a: first.id, b: second.id })).b.trainedBy).toMatchObject({
      email: manager.email,
    });
    const asManager = callerFor(handle.db, manager);
    expect((await asManager.models.get({ modelId: first.id })).trainedBy).not.toHaveProperty("email");
  });

  it("forbids viewers to promote or roll back", async () => {
    const api = callerFor(handle.db, viewer);
    const [model] = await api.models.list({ datasetId: dataset.datasetId });
    await expect(api.models.promote({ modelId: model.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(api.models.rollback({ datasetId: dataset.datasetId })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });

  it("promotes and rolls back with an audit entry each, keeping exactly one champion", async () => {
    const api = callerFor(handle.db, manager, "198.51.100.20");
    const list = await api.models.list({ datasetId: dataset.datasetId });
    const champion = list.find((m) => m.status === "champion");
    const candidate = list.find((m) => m.status !== "champion");
    if (!champion || !candidate) throw new Error("expected a champion and a candidate");

    const promoted = await api.models.promote({ modelId: candidate.id });
    expect(promoted).toMatchObject({ modelId: candidate.id, previousChampionId: champion.id, changed: true });
    expect(await champions()).toEqual([{ id: candidate.id }]);
    const [archived] = await handle.db.select().from(models).where(eq(models.id, champion.id));
    expect(archived.status).toBe("archived");
    const promotedAudit = (await listAudit(handle.db, { limit: 5, action: "model.promoted" })).entries[0];
    expect(promotedAudit).toMatchObject({
      actorId: manager.id,
      targetType: "model",
      targetId: String(candidate.id),
      ip: "198.51.100.20",
      details: { previousChampionId: champion.id },
    });
    expect((await loadChampion(handle.db, dataset.datasetId))?.modelId).toBe(candidate.id);

    // Promoting the champion again changes nothing and audits nothing.
    expect(await api.models.promote({ modelId: candidate.id })).toMatchObject({ changed: false });
    expect((await listAudit(handle.db, { limit: 50, action: "model.promoted" })).entries).toHaveLength(1);

    const rolledBack = await api.models.rollback({ datasetId: dataset.datasetId });
    expect(rolledBack).toMatchObject({
      modelId: champion.id,
      previousChampionId: candidate.id,
      changed: true,
    });
    expect(await champions()).toEqual([{ id: champion.id }]);
    const rollbackAudit = (await listAudit(handle.db, { limit: 5, action: "model.rolled_back" })).entries[0];
    expect(rollbackAudit).toMatchObject({ actorId: manager.id, targetId: String(champion.id) });
    const loaded = await loadChampion(handle.db, dataset.datasetId);
    expect(loaded).toMatchObject({ modelId: champion.id, algorithm: champion.algorithm });
    expect(loaded?.model.predict([{ tenure: "3", contract: "Month-to-month" }])[0].riskScore).toBeGreaterThan(
      0,
    );
  });

  it("refuses two champions for one dataset at the database level", async () => {
    const list = await handle.db.select().from(models).where(eq(models.datasetId, dataset.datasetId));
    const nonChampion = list.find((m) => m.status !== "champion");
    await expect(
      handle.db
        .update(models)
        .set({ status: "champion" })
        .where(eq(models.id, nonChampion?.id as number)),
    ).rejects.toThrow();
  });
});
