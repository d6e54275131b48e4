/**
 * The whole pipeline on the real Telco file (7,043 customers) through the embedded runner: four
 * models with Telco-level metrics, a champion, every customer scored. Also prints the wall time
 * (BENCHMARKS.md: "training pipeline").
 */
import { and, count, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trainModels } from "@/jobs/functions/train-models";
import { skipWithoutSharedFile } from "@/lib/testing/shared-data";
import type { DatabaseHandle } from "../../db/client";
import { customers, jobSteps, models, scores } from "../../db/schema";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { createUser } from "../../testing/factories";
import { importDatasetFromFile } from "../datasets";
import { startTraining } from "./runs";
import { runUntilFinished, TELCO_CSV, testRunner, useTemporaryDataDir } from "./test-helpers";

describe.skipIf(skipWithoutSharedFile(TELCO_CSV, "the Telco pipeline test")).each(testDatabaseKinds())(
  "training pipeline on the Telco file (%s)",
  (kind) => {
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

    it("registers four models and their blend with CV AUC > 0.83, chooses a champion and scores all 7,043 customers", {
      timeout: 20 * 60_000,
    }, async () => {
      const db = handle.db;
      const { user } = await createUser(db, "manager");
      const actor = { id: user.id, label: user.email };
      const started = performance.now();
      const dataset = await importDatasetFromFile(db, actor, { filePath: TELCO_CSV, name: "Telco" });
      const imported = performance.now();
      const run = await startTraining(
        db,
        actor,
        { datasetVersionId: dataset.datasetVersionId },
        { functions: [trainModels] },
      );
      const done = await runUntilFinished(testRunner(db), db, run.id);
      const finished = performance.now();
      expect(done).toMatchObject({ status: "succeeded", progress: 1, error: null });

      const registered = await db.select().from(models).where(eq(models.runId, run.id));
      expect(registered).toHaveLength(5);
      expect(registered.map((m) => m.algorithm)).toContain("blend");
      for (const model of registered) {
        expect(model.cvAuc, model.algorithm).toBeGreaterThan(0.83);
        expect(model.cvAucStd).toBeLessThan(0.05);
        expect(model.f1Churn).toBeGreaterThan(0.55);
        expect(model.f1Weighted).toBeGreaterThan(0.7);
        expect(model.brier).toBeLessThan(0.16);
        const test = (model.metrics as { test: { rocAuc: number; rows: number } }).test;
        expect(test.rows).toBe(1409);
        expect(test.rocAuc).toBeGreaterThan(0.8);
        expect(model.importance.map((c) => c.column)).toEqual(expect.arrayContaining(["Contract", "tenure"]));
      }
      const champions = registered.filter((m) => m.status === "champion");
      expect(champions).toHaveLength(1);

      const [{ n: customerCount }] = await db
        .select({ n: count() })
        .from(customers)
        .where(eq(customers.datasetVersionId, dataset.datasetVersionId));
      expect(customerCount).toBe(7043);
      const [{ n: scored }] = await db
        .select({ n: count() })
        .from(scores)
        .where(eq(scores.modelId, champions[0].id));
      expect(scored).toBe(7043);
      const [{ n: unscored }] = await db
        .select({ n: count() })
        .from(customers)
        .leftJoin(scores, and(eq(scores.customerId, customers.id), eq(scores.modelId, champions[0].id)))
        .where(and(eq(customers.datasetVersionId, dataset.datasetVersionId), isNull(scores.customerId)));
      expect(unscored).toBe(0);

      const steps = await db
        .select({ stepId: jobSteps.stepId, durationMs: jobSteps.durationMs })
        .from(jobSteps)
        .where(eq(jobSteps.jobId, run.jobId as string));
      console.log(
        `[telco pipeline on ${kind}] import ${((imported - started) / 1000).toFixed(1)} s, ` +
          `training run ${((finished - imported) / 1000).toFixed(1)} s, total ${((finished - started) / 1000).toFixed(1)} s; ` +
          steps.map((s) => `${s.stepId} ${(s.durationMs / 1000).toFixed(1)} s`).join(", "),
      );
    });
  },
);
