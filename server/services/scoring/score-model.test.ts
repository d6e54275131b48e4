import { and, count, eq, ne } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scoreChampion } from "@/jobs/functions/score-champion";
import type { DatabaseHandle } from "../../db/client";
import { jobs, models, scores } from "../../db/schema";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { callerFor, createUser } from "../../testing/factories";
import { createTrainedDataset, type TrainedDataset } from "../../testing/trained-dataset";
import { useTemporaryDataDir } from "../datasets/test-helpers";
import { testRunner } from "../training/test-helpers";
import { scoreCoverage } from "./score-model";

describe.each(testDatabaseKinds())("a promoted champion scores every customer on %s", (kind) => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  let trained: TrainedDataset;

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    handle = await createTestDatabase(kind);
    const { user } = await createUser(handle.db, "manager");
    trained = await createTrainedDataset(
      handle.db,
      { id: user.id, label: user.email },
      { name: "Promote scores" },
    );
  }, 120_000);
  afterAll(async () => {
    await handle?.close();
    dataDir?.cleanup();
  });

  it("queues a scoring job on promotion that scores all customers once, and skips a model already scored", async () => {
    const db = handle.db;
    const { user: manager } = await createUser(db, "manager");
    const [candidate] = await db
      .select({ id: models.id })
      .from(models)
      .where(and(eq(models.runId, trained.runId), ne(models.id, trained.championId)));
    expect(await scoreCoverage(db, candidate.id)).toMatchObject({ customers: 600, scored: 0 });

    await callerFor(db, manager).models.promote({ modelId: candidate.id });
    const queued = await db.select().from(jobs).where(eq(jobs.functionId, "score-champion"));
    expect(queued).toHaveLength(1);
    expect(queued[0].event.data).toMatchObject({ modelId: candidate.id });

    const runner = testRunner(db, { functions: [scoreChampion] });
    await runner.drain();
    expect(await scoreCoverage(db, candidate.id)).toMatchObject({ customers: 600, scored: 600 });
    const [{ n }] = await db.select({ n: count() }).from(scores).where(eq(scores.modelId, candidate.id));
    expect(n).toBe(600);

    // Rolling back to the first champion finds its scores and writes nothing.
    await callerFor(db, manager).models.rollback({ datasetId: trained.datasetId });
    await runner.drain();
    const all = await db.select().from(jobs).where(eq(jobs.functionId, "score-champion"));
    expect(all).toHaveLength(2);
    expect(all.every((j) => j.status === "succeeded")).toBe(true);
    expect(await scoreCoverage(db, trained.championId)).toMatchObject({ customers: 600, scored: 600 });
  });
});
