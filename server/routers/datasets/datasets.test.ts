/**
 * The datasets router: who may do what (viewers read; managers and admins upload, import and
 * delete), and the messages a person sees when something cannot be done.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { trainingRuns } from "../../db/schema";
import { stageUpload } from "../../services/datasets";
import {
  bytesOf,
  churnCsv,
  leftovers,
  NOTHING_LEFT,
  useTemporaryDataDir,
} from "../../services/datasets/test-helpers";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { callerFor, createUser } from "../../testing/factories";

describe.each(testDatabaseKinds())("datasets router on %s", (kind) => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  let viewer: Awaited<ReturnType<typeof createUser>>["user"];
  let manager: typeof viewer;
  let admin: typeof viewer;

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    handle = await createTestDatabase(kind);
    viewer = (await createUser(handle.db, "viewer")).user;
    manager = (await createUser(handle.db, "manager")).user;
    admin = (await createUser(handle.db, "admin")).user;
  });
  afterAll(async () => {
    await handle?.close();
    dataDir?.cleanup();
  });

  const stage = (rows = 120, actorId = manager.id) =>
    stageUpload(bytesOf(churnCsv(rows)), { fileName: "customers.csv", actor: { id: actorId, label: "t" } });

  it("rejects anonymous callers", async () => {
    await expect(callerFor(handle.db, null).datasets.list()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("lets a viewer list and read datasets but not inspect, import or delete (FORBIDDEN)", async () => {
    const preview = await stage();
    const imported = await callerFor(handle.db, manager).datasets.import({
      uploadId: preview.uploadId,
      name: "Plans",
    });
    const api = callerFor(handle.db, viewer);
    const list = await api.datasets.list();
    expect(list).toEqual([
      expect.objectContaining({
        id: imported.datasetId,
        name: "Plans",
        versionCount: 1,
        latest: expect.objectContaining({ rowCount: 120, positiveRate: 0.25 }),
      }),
    ]);
    const detail = await api.datasets.get({ id: imported.datasetId });
    expect(detail.selected?.profile.churnRate).toBe(0.25);
    expect(detail.selected?.schema.target).toBe("Churn");

    const second = await stage();
    const forbidden = { code: "FORBIDDEN", message: "This needs the manager role; you are a viewer" };
    await expect(api.datasets.import({ uploadId: second.uploadId, name: "Plans" })).rejects.toMatchObject(
      forbidden,
    );
    await expect(
      api.datasets.inspectUpload({ uploadId: second.uploadId, overrides: {} }),
    ).rejects.toMatchObject(forbidden);
    await expect(api.datasets.discardUpload({ uploadId: second.uploadId })).rejects.toMatchObject(forbidden);
    await expect(api.datasets.delete({ id: imported.datasetId })).rejects.toMatchObject(forbidden);
    expect((await api.datasets.list())[0].versionCount).toBe(1);

    // An admin may delete (managers too: see below).
    await callerFor(handle.db, manager).datasets.discardUpload({ uploadId: second.uploadId });
    await callerFor(handle.db, admin).datasets.delete({ id: imported.datasetId });
    expect(await leftovers(handle.db)).toEqual(NOTHING_LEFT);
  });

  it("previews the effect of the user's choices before importing", async () => {
    const preview = await stage(200);
    const api = callerFor(handle.db, manager);
    const inspected = await api.datasets.inspectUpload({
      uploadId: preview.uploadId,
      overrides: { identifier: null, excluded: ["plan"] },
    });
    expect(inspected.schema.identifier).toBeNull();
    const byName = Object.fromEntries(inspected.schema.columns.map((c) => [c.name, c]));
    expect(byName.plan.role).toBe("excluded");
    // E-mail was excluded by inference as personal data; it is not in the list, so it is used.
    expect(byName.email.role).toBe("feature");
    expect(byName.customerId.role).not.toBe("identifier");
    const bad = await api.datasets.inspectUpload({
      uploadId: preview.uploadId,
      overrides: { target: "tenure" },
    });
    expect(bad.schema.problems[0]).toMatchObject({ code: "TARGET_NOT_BINARY" });
    await api.datasets.discardUpload({ uploadId: preview.uploadId });
  });

  it("gives actionable errors: bad target, unknown upload, missing dataset, another user's upload", async () => {
    const api = callerFor(handle.db, manager);
    const preview = await stage();
    await expect(
      api.datasets.import({ uploadId: preview.uploadId, name: "X", overrides: { target: "plan" } }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: 'Column "plan" has 3 different values; the target must have two (e.g. Yes/No).',
    });
    await expect(
      api.datasets.import({ uploadId: "6f1c1d2e-0000-4000-8000-000000000000", name: "X" }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: "This upload is no longer available (uploads are kept for 24 hours). Upload the file again.",
    });
    const otherManager = (await createUser(handle.db, "manager")).user;
    await expect(
      callerFor(handle.db, otherManager).datasets.import({ uploadId: preview.uploadId, name: "X" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(api.datasets.get({ id: 999_999 })).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: "Dataset 999999 does not exist (it may have been deleted).",
    });
    await expect(api.datasets.import({ uploadId: preview.uploadId, name: "" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    expect({ ...(await leftovers(handle.db)), files: [] }).toEqual(NOTHING_LEFT);
    await api.datasets.discardUpload({ uploadId: preview.uploadId });
    expect(await leftovers(handle.db)).toEqual(NOTHING_LEFT);
  });

  it("versions re-uploads under the same name and lets a manager delete, but not during training", async () => {
    const api = callerFor(handle.db, manager);
    const v1 = await api.datasets.import({
      uploadId: (await stage(100)).uploadId,
      name: "Monthly",
      description: "CRM export",
    });
    const second = await stage(150);
    const v2 = await api.datasets.import({ uploadId: second.uploadId, name: "Monthly" });
    // A second click on Confirm finds the upload already imported.
    await expect(api.datasets.import({ uploadId: second.uploadId, name: "Monthly" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(v2).toMatchObject({ datasetId: v1.datasetId, version: 2, rowCount: 150 });
    const detail = await api.datasets.get({ id: v1.datasetId });
    expect(detail.description).toBe("CRM export");
    expect(detail.versions.map((v) => [v.version, v.rowCount])).toEqual([
      [2, 150],
      [1, 100],
    ]);
    expect(
      (await api.datasets.get({ id: v1.datasetId, versionId: v1.datasetVersionId })).selected?.rowCount,
    ).toBe(100);

    await handle.db.insert(trainingRuns).values({
      datasetId: v1.datasetId,
      datasetVersionId: v2.datasetVersionId,
      params: {},
      status: "queued",
    });
    await expect(api.datasets.delete({ id: v1.datasetId })).rejects.toMatchObject({
      code: "CONFLICT",
      message:
        'A training run on "Monthly" is queued or running; cancel it or wait for it to finish, then delete.',
    });
    const { eq } = await import("drizzle-orm");
    await handle.db
      .update(trainingRuns)
      .set({ status: "cancelled" })
      .where(eq(trainingRuns.datasetId, v1.datasetId));
    expect(await api.datasets.delete({ id: v1.datasetId })).toMatchObject({
      name: "Monthly",
      filesDeleted: 2,
    });
    expect(await leftovers(handle.db)).toEqual(NOTHING_LEFT);
  });
});
