import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trainModels } from "@/jobs/functions/train-models";
import type { DatabaseHandle } from "../../db/client";
import { trainingRuns } from "../../db/schema";
import { listAudit } from "../../services/audit";
import { startTraining } from "../../services/training";
import {
  importSyntheticDataset,
  runUntilFinished,
  testRunner,
  useTemporaryDataDir,
} from "../../services/training/test-helpers";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { callerFor, createUser } from "../../testing/factories";

describe.each(testDatabaseKinds())("training router on %s", (kind) => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    handle = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await handle?.close();
    dataDir?.cleanup();
  });

  it("lets viewers read runs but not start or cancel them", async () => {
    const db = handle.db;
    const { user: manager } = await createUser(db, "manager");
    const { user: viewer } = await createUser(db, "viewer");
    const dataset = await importSyntheticDataset(
      db,
      { id: manager.id, label: manager.email },
      "Viewer cannot train",
    );
    const api = callerFor(db, viewer);
    await expect(api.training.start({ datasetVersionId: dataset.datasetVersionId })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const run = await startTraining(
      db,
      { id: manager.id, label: manager.email },
      { datasetVersionId: dataset.datasetVersionId, algorithms: ["logistic_regression"] },
      { functions: [trainModels] },
    );
    await expect(api.training.cancel({ runId: run.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await api.training.get({ runId: run.id })).toMatchObject({ id: run.id, status: "queued" });
    expect((await api.training.list()).some((r) => r.id === run.id)).toBe(true);
    await expect(callerFor(db, null).training.list()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await runUntilFinished(testRunner(db), db, run.id);
  });

  it("refuses a second run on a dataset with an active one (CONFLICT), and allows it after cancelling", async () => {
    const db = handle.db;
    const { user: manager } = await createUser(db, "manager");
    const actor = { id: manager.id, label: manager.email };
    const dataset = await importSyntheticDataset(db, actor, "One run at a time");
    const first = await startTraining(
      db,
      actor,
      { datasetVersionId: dataset.datasetVersionId },
      { functions: [trainModels] },
    );
    const api = callerFor(db, manager);
    await expect(api.training.start({ datasetVersionId: dataset.datasetVersionId })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "A training run is already in progress for this dataset",
    });
    // The database refuses it too, should two starts race past the service's check.
    await expect(
      db.insert(trainingRuns).values({
        datasetId: dataset.datasetId,
        datasetVersionId: dataset.datasetVersionId,
        status: "queued",
        params: {},
      }),
    ).rejects.toThrow();

    const cancelled = await api.training.cancel({ runId: first.id });
    expect(cancelled).toMatchObject({ status: "cancelled", cancelRequested: true });
    await expect(api.training.cancel({ runId: first.id })).rejects.toMatchObject({ code: "CONFLICT" });
    const { entries } = await listAudit(db, { limit: 5, action: "training.cancelled" });
    expect(entries[0]).toMatchObject({ actorId: manager.id, targetId: String(first.id) });

    const second = await startTraining(
      db,
      actor,
      { datasetVersionId: dataset.datasetVersionId, algorithms: ["logistic_regression"], folds: 3 },
      { functions: [trainModels] },
    );
    expect(second.status).toBe("queued");
    await runUntilFinished(testRunner(db), db, second.id);
    const [firstAfter] = await db.select().from(trainingRuns).where(eq(trainingRuns.id, first.id));
    expect(firstAfter.status).toBe("cancelled");
  });

  it("validates input: algorithms, folds and unknown versions", async () => {
    const db = handle.db;
    const { user: manager } = await createUser(db, "manager");
    const api = callerFor(db, manager);
    await expect(api.training.start({ datasetVersionId: 1, algorithms: [] })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(api.training.start({ datasetVersionId: 1, folds: 1 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(api.training.start({ datasetVersionId: 999_999 })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(api.training.get({ runId: 999_999 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      api.training.start({ datasetVersionId: 1, tuning: "exhaustive" as unknown as "quick" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("stores the chosen hyper-parameter search budget with the run (quick by default)", async () => {
    const db = handle.db;
    const { user: manager } = await createUser(db, "manager");
    const actor = { id: manager.id, label: manager.email };
    const dataset = await importSyntheticDataset(db, actor, "Search budget");
    const api = callerFor(db, manager);
    const thorough = await startTraining(
      db,
      actor,
      { datasetVersionId: dataset.datasetVersionId, algorithms: ["logistic_regression"], tuning: "thorough" },
      { functions: [trainModels] },
    );
    const [stored] = await db.select().from(trainingRuns).where(eq(trainingRuns.id, thorough.id));
    expect(stored.params).toMatchObject({ tuning: "thorough" });
    await api.training.cancel({ runId: thorough.id });
    await runUntilFinished(testRunner(db), db, thorough.id);
    const quick = await startTraining(
      db,
      actor,
      { datasetVersionId: dataset.datasetVersionId, algorithms: ["logistic_regression"] },
      { functions: [trainModels] },
    );
    const [storedQuick] = await db.select().from(trainingRuns).where(eq(trainingRuns.id, quick.id));
    expect(storedQuick.params).toMatchObject({ tuning: "quick" });
    await api.training.cancel({ runId: quick.id });
    await runUntilFinished(testRunner(db), db, quick.id);
  });
});
