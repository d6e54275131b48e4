/**
 * The audit page's filters through the tRPC caller on a real database: two people acting on two
 * datasets, entries at known instants, date ranges given as the browser sends them (its local days
 * in Asia/Kolkata turned into UTC instants), pagination, and the CSV export (audited, formula-safe).
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDayRange } from "@/lib/format/day-range";
import type { DatabaseHandle } from "../../db/client";
import { auditLog } from "../../db/schema";
import { exportAuditCsv } from "../../services/audit";
import type { PublicUser } from "../../services/users";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { callerFor, createUser } from "../../testing/factories";

describe.each(testDatabaseKinds())("audit log filters on %s", (kind) => {
  let handle: DatabaseHandle;
  let admin: PublicUser;
  let alice: PublicUser;
  let bob: PublicUser;
  const run = `r${Math.random().toString(36).slice(2, 8)}`;

  beforeAll(async () => {
    handle = await createTestDatabase(kind);
    admin = (await createUser(handle.db, "admin")).user;
    alice = (await createUser(handle.db, "manager", { email: `alice-${run}@example.com` })).user;
    bob = (await createUser(handle.db, "manager", { email: `bob-${run}@example.com` })).user;
    const entry = (user: PublicUser, action: string, datasetId: number, at: string, details = {}) => ({
      actorId: user.id,
      actorLabel: user.email,
      action,
      targetType: "dataset",
      targetId: String(datasetId),
      details: { name: `set-${datasetId}`, version: 1, rows: 10, ...details },
      at: new Date(at),
    });
    await handle.db.insert(auditLog).values([
      // 2026-12-04 23:00 in Kolkata (UTC+5:30) is 17:30Z: Dec 4 there.
      entry(alice, "dataset.imported", 101, "2026-12-04T17:30:00Z"),
      // 2026-12-05 00:30 in Kolkata is 19:00Z on Dec 4: already Dec 5 there.
      entry(alice, "dataset.imported", 202, "2026-12-04T19:00:00Z"),
      entry(bob, "dataset.deleted", 101, "2026-12-05T10:00:00Z", { name: '=HYPERLINK("http://x")' }),
      entry(bob, "dataset.imported", 202, "2026-12-06T12:00:00Z"),
    ]);
  });
  afterAll(async () => {
    await handle?.close();
  });

  const ids = (page: {
    entries: { targetType: string | null; targetId: string | null; action: string; actorLabel: string }[];
  }) =>
    page.entries
      .filter((e) => e.targetType === "dataset")
      .map((e) => `${e.actorLabel.split("-")[0]}:${e.action}:${e.targetId}`);

  it("filters by actor, action and target, and says what happened in words", async () => {
    const caller = callerFor(handle.db, admin);
    const byBob = await caller.audit.list({ actor: bob.email, targetType: "dataset" });
    expect(byBob.entries.map((e) => e.action)).toEqual(["dataset.imported", "dataset.deleted"]);
    const imports = await caller.audit.list({ action: "dataset.imported", targetType: "dataset" });
    expect(ids(imports)).toEqual([
      "bob:dataset.imported:202",
      "alice:dataset.imported:202",
      "alice:dataset.imported:101",
    ]);
    const second = await caller.audit.list({ targetType: "dataset", targetId: "202", actor: alice.email });
    expect(ids(second)).toEqual(["alice:dataset.imported:202"]);
    expect(second.entries[0].description).toBe("imported dataset ‘set-202’ v1 (10 rows)");
    const facets = await caller.audit.facets();
    expect(facets.actors).toEqual(expect.arrayContaining([alice.email, bob.email]));
    expect(facets.targetTypes).toContain("dataset");
    expect(facets.actions).toEqual(expect.arrayContaining(["dataset.imported", "dataset.deleted"]));
  });

  it("takes the reader's local days: Dec 5 in Kolkata includes 00:30 local and excludes 23:00 the day before", async () => {
    const caller = callerFor(handle.db, admin);
    const { from, to } = localDayRange({ fromDay: "2026-12-05", toDay: "2026-12-05" }, "Asia/Kolkata");
    const page = await caller.audit.list({ from, to, targetType: "dataset" });
    expect(ids(page)).toEqual(["bob:dataset.deleted:101", "alice:dataset.imported:202"]);
    const openEnded = await caller.audit.list({ from, targetType: "dataset" });
    expect(ids(openEnded)).toHaveLength(3);
    await expect(caller.audit.list({ from: to, to: from })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("pages with a cursor without repeating or skipping entries", async () => {
    const caller = callerFor(handle.db, admin);
    const first = await caller.audit.list({ targetType: "dataset", limit: 3 });
    expect(first.entries).toHaveLength(3);
    expect(first.nextBeforeId).not.toBeNull();
    const next = await caller.audit.list({ targetType: "dataset", limit: 3, cursor: first.nextBeforeId });
    expect(next.entries).toHaveLength(1);
    expect(next.nextBeforeId).toBeNull();
    expect(new Set([...first.entries, ...next.entries].map((e) => e.id)).size).toBe(4);
  });

  it("is for admins only", async () => {
    await expect(callerFor(handle.db, alice).audit.list({})).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(callerFor(handle.db, alice).audit.facets()).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("exports the filtered entries as formula-safe CSV and records the export", async () => {
    const actor = { id: admin.id, label: admin.email, ip: "203.0.113.9" };
    const { csv, entries, fileName } = await exportAuditCsv(handle.db, actor, {
      actor: bob.email,
      targetType: "dataset",
    });
    expect(fileName).toMatch(/^churnguard-audit-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(entries).toBe(2);
    const lines = csv
      .replace(/^\ufeff/, "")
      .trimEnd()
      .split("\r\n");
    expect(lines[0]).toBe("at_utc,actor,action,description,target_type,target_id,ip,details");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain("2026-12-06T12:00:00.000Z");
    // The dataset name from a file starts with "=": the description cell starts with the actor, and
    // the JSON details cell is quoted text; no cell starts with a formula character.
    for (const line of lines.slice(1))
      for (const cell of line.match(/("([^"]|"")*"|[^,]*)(,|$)/g) ?? [])
        expect(cell.replace(/^"/, "")).not.toMatch(/^[=+@]/);
    expect(csv).toContain("deleted dataset ‘=HYPERLINK");
    const [recorded] = await handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "audit.exported"), eq(auditLog.actorId, admin.id)));
    expect(recorded.details).toMatchObject({ entries: 2, filter: { actor: bob.email } });
    expect(recorded.ip).toBe("203.0.113.9");
  });
});
