import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { auditLog } from "../../db/schema";
import { clearSettingsCache, getCurrency } from "../../services/settings";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { callerFor, createUser } from "../../testing/factories";

describe.each(testDatabaseKinds())("currency setting on %s", (kind) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase(kind);
    clearSettingsCache();
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("is USD until an admin sets an ISO code; viewers read it, only admins change it, audited", async () => {
    const { user: viewer } = await createUser(handle.db, "viewer");
    const { user: manager } = await createUser(handle.db, "manager");
    const { user: admin } = await createUser(handle.db, "admin");
    expect(await callerFor(handle.db, viewer).settings.currency()).toEqual({ code: "USD" });
    await expect(callerFor(handle.db, manager).settings.setCurrency({ code: "EUR" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await callerFor(handle.db, admin).settings.setCurrency({ code: " eur " })).toEqual({
      code: "EUR",
    });
    expect(await getCurrency(handle.db)).toBe("EUR");
    const entries = await handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "settings.update"), eq(auditLog.targetId, "currency")));
    expect(entries).toHaveLength(1);
    for (const code of ["EURO", "XYZ", "", "€"]) {
      await expect(callerFor(handle.db, admin).settings.setCurrency({ code })).rejects.toMatchObject({
        code: "BAD_REQUEST",
      });
    }
  });
});
