import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { models } from "../../db/schema";
import { listAudit } from "../../services/audit";
import { useTemporaryDataDir } from "../../services/datasets/test-helpers";
import { loadChampion } from "../../services/models";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { callerFor, createUser } from "../../testing/factories";
import { createTrainedDataset, type TrainedDataset } from "../../testing/trained-dataset";

/**
 * Two datasets with two versions and two runs each (createTrainedDataset trains a neighbour
 * first): every registry read and write is checked against the other dataset too, so a query
 * that loses its dataset filter fails here.
 */
describe.each(testDatabaseKinds())("models router on %s", (kind) => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  let registry: TrainedDataset;
  let manager: Awaited<ReturnType<typeof createUser>>["user"];
  let viewer: Awaited<ReturnType<typeof createUser>>["user"];

  const championsOf = (datasetId: number) =>
    handle.db
      .select({ id: models.id })
      .from(models)
      .where(and(eq(models.datasetId, datasetId), eq(models.status, "champion")));
  const modelsOf = (datasetId: number) =>
    handle.db.select().from(models).where(eq(models.datasetId, datasetId)).orderBy(asc(models.id));

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    handle = await createTestDatabase(kind);
    manager = (await createUser(handle.db, "manager")).user;
    viewer = (await createUser(handle.db, "viewer")).user;
    registry = await createTrainedDataset(
      handle.db,
      { id: manager.id, label: manager.email },
      { name: "Registry", rows: 300 },
    );
  }, 180_000);
  afterAll(async () => {
    await handle?.close();
    dataDir?.cleanup();
  });

  it("lists the leaderboard of one dataset, sorted and filtered on the server", async () => {
    const api = callerFor(handle.db, viewer);
    const all = await api.models.list({ datasetId: registry.datasetId });
    // The earlier run's model and the three of the latest run (two algorithms and their blend); none
    // of the neighbour's.
    const stored = await modelsOf(registry.datasetId);
    expect(stored).toHaveLength(4);
    expect(all.map((m) => m.id).sort()).toEqual(stored.map((m) => m.id).sort());
    expect(all.every((m) => m.datasetId === registry.datasetId && m.datasetName === "Registry")).toBe(true);
    expect(all.map((m) => m.cvAuc)).toEqual([...all.map((m) => m.cvAuc)].sort((a, b) => b - a));
    const latest = all.filter((m) => m.runId === registry.runId);
    expect(latest).toHaveLength(3);
    expect(latest.map((m) => m.algorithm)).toContain("blend");
    for (const m of latest)
      expect(m).toMatchObject({ datasetVersionId: registry.datasetVersionId, datasetVersion: 2 });
    expect(all.find((m) => m.runId === registry.earlier.runId)).toMatchObject({
      id: registry.earlier.championId,
      datasetVersionId: registry.earlier.datasetVersionId,
      datasetVersion: 1,
      status: "archived",
    });

    const byBrier = await api.models.list({ datasetId: registry.datasetId, sort: "brier" });
    expect(byBrier.map((m) => m.brier)).toEqual([...byBrier.map((m) => m.brier)].sort((a, b) => a - b));
    const ascending = await api.models.list({
      datasetId: registry.datasetId,
      sort: "cvAuc",
      direction: "asc",
    });
    expect(ascending.map((m) => m.id)).toEqual([...all].reverse().map((m) => m.id));
    const boosting = await api.models.list({ algorithm: "gradient_boosting", datasetId: registry.datasetId });
    expect(boosting.map((m) => m.algorithm)).toEqual(["gradient_boosting"]);
    const ofRun = await api.models.list({ runId: registry.earlier.runId });
    expect(ofRun.map((m) => m.id)).toEqual([registry.earlier.championId]);
    const neighbour = await api.models.list({ datasetId: registry.neighbour.latest.datasetId });
    expect(neighbour.map((m) => m.id).sort()).toEqual(
      [registry.neighbour.first.championId, registry.neighbour.latest.championId].sort(),
    );
    expect(await api.models.datasets()).toEqual([
      { id: registry.datasetId, name: "Registry" },
      { id: registry.neighbour.latest.datasetId, name: "Registry (neighbour)" },
    ]);
  });

  it("shows a model's curves, importance, parameters and lineage, and compares two", async () => {
    const api = callerFor(handle.db, viewer);
    const latest = (await api.models.list({ datasetId: registry.datasetId })).filter(
      (m) => m.runId === registry.runId,
    );
    const [first, second] = latest;
    const detail = await api.models.get({ modelId: first.id });
    expect(detail).toMatchObject({
      id: first.id,
      datasetId: registry.datasetId,
      dataset: { id: registry.datasetId, name: "Registry" },
      datasetVersion: { id: registry.datasetVersionId, version: 2, rowCount: 300 },
      run: { id: registry.runId },
      trainedBy: { id: manager.id, name: manager.name },
    });
    // Other people's email addresses are for admins only.
    expect(detail.trainedBy).not.toHaveProperty("email");
    expect(detail).not.toHaveProperty("artifactKey");
    expect(detail.importance.length).toBeGreaterThan(0);
    expect(Object.keys(detail.curves)).toEqual(expect.arrayContaining(["test", "scoreHistogram"]));
    const earlier = await api.models.get({ modelId: registry.earlier.championId });
    expect(earlier).toMatchObject({
      datasetVersion: { id: registry.earlier.datasetVersionId, version: 1, rowCount: 200 },
      run: { id: registry.earlier.runId },
    });

    const compared = await api.models.compare({ a: first.id, b: second.id });
    expect(compared.a.trainedBy).not.toHaveProperty("email");
    expect(compared.isSameDataset).toBe(true);
    expect([compared.a.id, compared.b.id]).toEqual([first.id, second.id]);
    const acrossVersions = await api.models.compare({ a: first.id, b: registry.earlier.championId });
    expect(acrossVersions.isSameDataset).toBe(true);
    // A model of another dataset is not comparable as "the same data", even as both champions.
    const acrossDatasets = await api.models.compare({
      a: registry.championId,
      b: registry.neighbour.latest.championId,
    });
    expect(acrossDatasets.isSameDataset).toBe(false);
    expect(acrossDatasets.b.dataset).toEqual({
      id: registry.neighbour.latest.datasetId,
      name: "Registry (neighbour)",
    });
    await expect(api.models.get({ modelId: 999_999 })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("names the trainer by email to admins only", async () => {
    const { user: admin } = await createUser(handle.db, "admin");
    const [first, second] = await callerFor(handle.db, admin).models.list({ datasetId: registry.datasetId });
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
    await expect(api.models.promote({ modelId: registry.championId })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(api.models.rollback({ datasetId: registry.datasetId })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });

  it("promotes and rolls back within one dataset, with an audit entry each, never touching another dataset", async () => {
    const api = callerFor(handle.db, manager, "198.51.100.20");
    const neighbourId = registry.neighbour.latest.datasetId;
    const champion = registry.championId;
    const [candidate] = (await modelsOf(registry.datasetId)).filter((m) => m.status === "candidate");
    expect(await championsOf(neighbourId)).toEqual([{ id: registry.neighbour.latest.championId }]);
    const auditBefore = (await listAudit(handle.db, { limit: 50, action: "model.promoted" })).entries.length;

    try {
      const promoted = await api.models.promote({ modelId: candidate.id });
      expect(promoted).toMatchObject({
        modelId: candidate.id,
        datasetId: registry.datasetId,
        previousChampionId: champion,
        changed: true,
      });
      expect(await championsOf(registry.datasetId)).toEqual([{ id: candidate.id }]);
      expect(await championsOf(neighbourId)).toEqual([{ id: registry.neighbour.latest.championId }]);
      const [archived] = await handle.db.select().from(models).where(eq(models.id, champion));
      expect(archived.status).toBe("archived");
      const promotedAudit = (await listAudit(handle.db, { limit: 5, action: "model.promoted" })).entries[0];
      expect(promotedAudit).toMatchObject({
        actorId: manager.id,
        targetType: "model",
        targetId: String(candidate.id),
        ip: "198.51.100.20",
        details: { datasetId: registry.datasetId, previousChampionId: champion },
      });
      expect((await loadChampion(handle.db, registry.datasetId))?.modelId).toBe(candidate.id);
      expect((await loadChampion(handle.db, neighbourId))?.modelId).toBe(
        registry.neighbour.latest.championId,
      );

      // Promoting the champion again changes nothing and audits nothing.
      expect(await api.models.promote({ modelId: candidate.id })).toMatchObject({ changed: false });
      expect((await listAudit(handle.db, { limit: 50, action: "model.promoted" })).entries).toHaveLength(
        auditBefore + 1,
      );

      // Back to the most recently demoted champion of this dataset, not the neighbour's.
      const rolledBack = await api.models.rollback({ datasetId: registry.datasetId });
      expect(rolledBack).toMatchObject({
        modelId: champion,
        previousChampionId: candidate.id,
        changed: true,
      });
      expect(await championsOf(registry.datasetId)).toEqual([{ id: champion }]);
      expect(await championsOf(neighbourId)).toEqual([{ id: registry.neighbour.latest.championId }]);
      const rollbackAudit = (await listAudit(handle.db, { limit: 5, action: "model.rolled_back" }))
        .entries[0];
      expect(rollbackAudit).toMatchObject({ actorId: manager.id, targetId: String(champion) });
      const loaded = await loadChampion(handle.db, registry.datasetId);
      expect(loaded).toMatchObject({ modelId: champion, datasetVersionId: registry.datasetVersionId });
      expect(
        loaded?.model.predict([{ tenure: "3", Contract: "Month-to-month" }])[0].riskScore,
      ).toBeGreaterThan(0);
    } finally {
      await api.models.promote({ modelId: champion });
    }
  });

  it("promotes in the other dataset without archiving this dataset's champion", async () => {
    const api = callerFor(handle.db, manager);
    const neighbourId = registry.neighbour.latest.datasetId;
    const { first, latest } = registry.neighbour;
    try {
      const promoted = await api.models.promote({ modelId: first.championId });
      expect(promoted).toMatchObject({ datasetId: neighbourId, previousChampionId: latest.championId });
      expect(await championsOf(neighbourId)).toEqual([{ id: first.championId }]);
      expect(await championsOf(registry.datasetId)).toEqual([{ id: registry.championId }]);
    } finally {
      await api.models.promote({ modelId: latest.championId });
    }
    expect(await championsOf(neighbourId)).toEqual([{ id: latest.championId }]);
  });

  it("rolls back to an earlier model of the dataset, and refuses a model of another dataset", async () => {
    const api = callerFor(handle.db, manager);
    try {
      const back = await api.models.rollback({
        datasetId: registry.datasetId,
        toModelId: registry.earlier.championId,
      });
      expect(back).toMatchObject({
        modelId: registry.earlier.championId,
        previousChampionId: registry.championId,
      });
      expect(await championsOf(registry.datasetId)).toEqual([{ id: registry.earlier.championId }]);
    } finally {
      await api.models.promote({ modelId: registry.championId });
    }
    for (const other of [registry.neighbour.latest.championId, registry.neighbour.first.championId]) {
      await expect(
        api.models.rollback({ datasetId: registry.datasetId, toModelId: other }),
      ).rejects.toMatchObject({
        code: "BAD_REQUEST",
        message: expect.stringContaining("another dataset"),
      });
    }
    await expect(
      api.models.rollback({ datasetId: registry.datasetId, toModelId: 999_999 }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await championsOf(registry.datasetId)).toEqual([{ id: registry.championId }]);
    expect(await championsOf(registry.neighbour.latest.datasetId)).toEqual([
      { id: registry.neighbour.latest.championId },
    ]);
  });

  it("refuses two champions for one dataset at the database level", async () => {
    const list = await modelsOf(registry.datasetId);
    const nonChampion = list.find((m) => m.status !== "champion");
    await expect(
      handle.db
        .update(models)
        .set({ status: "champion" })
        .where(eq(models.id, nonChampion?.id as number)),
    ).rejects.toThrow();
  });
});
