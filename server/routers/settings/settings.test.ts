import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { DatabaseHandle } from "../../db/client";
import { auditLog } from "../../db/schema";
import { getRiskBands } from "../../services/settings";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { callerFor, createUser } from "../../testing/factories";

describe.each(testDatabaseKinds())("settings router on %s", (kind) => {
  let handle: DatabaseHandle;
  const users = {} as Record<"admin" | "manager" | "viewer", Awaited<ReturnType<typeof createUser>>["user"]>;

  beforeAll(async () => {
    handle = await createTestDatabase(kind);
    for (const role of ["admin", "manager", "viewer"] as const)
      users[role] = (await createUser(handle.db, role)).user;
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("reads the default risk bands for any signed-in user", async () => {
    expect(await callerFor(handle.db, users.viewer).settings.riskBands()).toEqual({ medium: 0.3, high: 0.6 });
    await expect(callerFor(handle.db, null).settings.riskBands()).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
  });

  it("lets an admin change the bands, audited and used at once", async () => {
    const admin = callerFor(handle.db, users.admin);
    const before = await getRiskBands(handle.db);
    try {
      expect(await admin.settings.setRiskBands({ medium: 0.25, high: 0.7 })).toEqual({
        medium: 0.25,
        high: 0.7,
      });
      expect(await callerFor(handle.db, users.viewer).settings.riskBands()).toEqual({
        medium: 0.25,
        high: 0.7,
      });
      expect(await getRiskBands(handle.db)).toEqual({ medium: 0.25, high: 0.7 });
      const [entry] = await handle.db.select().from(auditLog).where(eq(auditLog.action, "settings.update"));
      expect(entry).toMatchObject({ actorId: users.admin.id, targetId: "risk_bands" });
    } finally {
      // The other tests start from the default bands, in whatever order they run.
      await admin.settings.setRiskBands(before);
    }
  });

  it("refuses bands outside 0 < medium < high < 1, naming the field", async () => {
    const admin = callerFor(handle.db, users.admin);
    const before = await getRiskBands(handle.db);
    for (const bands of [
      { medium: 0, high: 0.5 },
      { medium: 0.6, high: 0.4 },
      { medium: 0.5, high: 0.5 },
      { medium: 0.2, high: 1 },
    ]) {
      const error = await admin.settings.setRiskBands(bands).catch((e) => e);
      expect(error, JSON.stringify(bands)).toMatchObject({ code: "BAD_REQUEST" });
    }
    const error = await admin.settings.setRiskBands({ medium: 0.6, high: 0.4 }).catch((e) => e);
    // The error formatter sends these field errors to the form.
    expect(z.flattenError(error.cause).fieldErrors).toEqual({
      high: ["The high band must start above the medium band"],
    });
    expect(await getRiskBands(handle.db)).toEqual(before);
  });

  it("managers and viewers cannot change settings", async () => {
    const before = await getRiskBands(handle.db);
    for (const role of ["manager", "viewer"] as const) {
      await expect(
        callerFor(handle.db, users[role]).settings.setRiskBands({ medium: 0.1, high: 0.2 }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    expect(await getRiskBands(handle.db)).toEqual(before);
  });
});
