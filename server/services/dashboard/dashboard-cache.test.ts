/**
 * The dashboard's shared figures are computed once per scores generation: a change of the stored
 * scores that nobody announced is not seen (the cache works), a rescoring is seen at once (the
 * cache is invalidated), and on PostgreSQL a rescoring in ANOTHER OS process is seen too (the
 * generation travels over LISTEN/NOTIFY).
 */
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { customers, scores } from "../../db/schema";
import { openPgBus, setProcessBus } from "../../realtime/pg-bus";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { callerFor, createUser } from "../../testing/factories";
import { createTrainedDataset, type TrainedDataset } from "../../testing/trained-dataset";
import type { Actor } from "../audit";
import { useTemporaryDataDir } from "../datasets/test-helpers";
import { scoresGeneration } from "../scoring/generation";
import { setRiskBands } from "../settings";
import { clearDashboardCache, getDashboardOverview } from ".";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../../..");

describe.each(testDatabaseKinds())("dashboard cache on %s", (kind) => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  let actor: Actor;
  let trained: TrainedDataset;

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    handle = await createTestDatabase(kind);
    const { user } = await createUser(handle.db, "admin");
    actor = { id: user.id, label: user.email };
    trained = await createTrainedDataset(handle.db, actor, { name: "Cached" });
    clearDashboardCache();
  }, 180_000);
  // The suite runs in random order: every test starts from levels re-computed from the scores.
  beforeEach(async () => {
    await setRiskBands(handle.db, actor, { medium: 0.4, high: 0.6 });
  });
  afterAll(async () => {
    setProcessBus(null);
    await handle?.close();
    dataDir?.cleanup();
  });

  /** Makes every active customer high-risk in the table, without telling anyone (as another process would). */
  async function markAllHighQuietly(): Promise<void> {
    await handle.db
      .update(scores)
      .set({ riskLevel: "high" })
      .where(
        and(
          eq(scores.modelId, trained.championId),
          sql`${scores.customerId} in (select ${customers.id} from ${customers} where ${customers.label} is distinct from 1)`,
        ),
      );
  }

  it("serves every user the same computed figures until a rescoring, then the new ones", async () => {
    const { user: viewer } = await createUser(handle.db, "viewer");
    const { user: manager } = await createUser(handle.db, "manager");
    const before = await callerFor(handle.db, viewer).dashboard.overview({ datasetId: trained.datasetId });
    expect(before.scored?.levels.high).toBeLessThan(before.scored?.customers ?? 0);

    await markAllHighQuietly();
    // Nobody announced a new generation: both users still get the cached figures.
    const cached = await callerFor(handle.db, manager).dashboard.overview({ datasetId: trained.datasetId });
    expect(cached.scored).toEqual(before.scored);
    expect(cached.highRiskDrivers).toEqual(before.highRiskDrivers);

    // Re-levelling with new risk bands rescores and bumps the generation: the next read is fresh.
    await setRiskBands(handle.db, actor, { medium: 0.3, high: 0.5 });
    const after = await callerFor(handle.db, viewer).dashboard.overview({ datasetId: trained.datasetId });
    const rows = await handle.db
      .select({ level: scores.riskLevel, label: customers.label })
      .from(scores)
      .innerJoin(customers, eq(customers.id, scores.customerId))
      .where(eq(scores.modelId, trained.championId));
    const active = rows.filter((r) => r.label !== 1);
    expect(after.scored?.levels).toEqual({
      low: active.filter((r) => r.level === "low").length,
      medium: active.filter((r) => r.level === "medium").length,
      high: active.filter((r) => r.level === "high").length,
    });
    expect(after.scored?.levels).not.toEqual(before.scored?.levels);
    // What is not shared stays per request: the recent runs are read fresh every time.
    expect(after.recentRuns.map((r) => r.id)).toEqual([trained.runId, trained.earlier.runId]);
  });

  it.skipIf(kind !== "postgres")(
    "sees a rescoring announced by another OS process (the generation over LISTEN/NOTIFY)",
    async () => {
      const url = process.env.DATABASE_URL as string;
      const channel = `churnguard_bus_test_${randomUUID().replaceAll("-", "")}`;
      const bus = await openPgBus(url, channel);
      await bus.listening();
      setProcessBus(bus);

      const before = await getDashboardOverview(handle.db, trained.datasetId);
      await markAllHighQuietly();
      expect((await getDashboardOverview(handle.db, trained.datasetId))?.scored).toEqual(before?.scored);

      const generation = scoresGeneration();
      const done = new Promise<void>((resolve) => bus.on("fixture-done", () => resolve()));
      const { stdout } = await run(
        path.join(root, "node_modules/.bin/tsx"),
        ["server/cache/bump-generation-process.fixture.ts", url, channel],
        { cwd: root, timeout: 60_000 },
      );
      expect(stdout).toContain("bumped");
      await done;
      await vi.waitFor(() => expect(scoresGeneration()).toBe(generation + 1), { timeout: 5_000 });

      const after = await getDashboardOverview(handle.db, trained.datasetId);
      expect(after?.scored?.levels.high).toBe(after?.scored?.customers);
      expect(after?.scored?.levels).not.toEqual(before?.scored?.levels);
    },
    90_000,
  );
});
