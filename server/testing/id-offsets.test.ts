import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../db/client";
import { datasets, users } from "../db/schema";
import { createTestDatabase, testDatabaseKinds } from "./database";
import { ID_OFFSETS, idOffsetsFor } from "./id-offsets";

describe("id ranges of test databases", () => {
  it("gives listed sequences their range and new ones a range of their own, all disjoint", () => {
    const offsets = idOffsetsFor(["models_id_seq", "zebras_id_seq", "campaigns_id_seq", "datasets_id_seq"]);
    expect(offsets.get("models_id_seq")).toBe(400_000);
    expect(offsets.get("datasets_id_seq")).toBe(100);
    expect(offsets.get("campaigns_id_seq")).toBe(100_000_000);
    expect(offsets.get("zebras_id_seq")).toBe(110_000_000);
    const starts = [...idOffsetsFor([...ID_OFFSETS.keys(), "a_seq", "b_seq"]).values()];
    expect(new Set(starts).size).toBe(starts.length);
  });
});

describe.each(testDatabaseKinds())("a test database on %s", (kind) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("starts every sequence at a different first id", async () => {
    const result = await handle.db.execute(
      sql`select sequencename as name from pg_sequences where schemaname = 'public'`,
    );
    const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as {
      name: string;
    }[];
    expect(rows.map((r) => r.name)).toEqual(expect.arrayContaining([...ID_OFFSETS.keys()]));
    const [user] = await handle.db
      .insert(users)
      .values({ email: "ids@example.com", name: "Ids" })
      .returning({ id: users.id });
    const [dataset] = await handle.db.insert(datasets).values({ name: "Ids" }).returning({ id: datasets.id });
    expect(user.id).toBe(ID_OFFSETS.get("users_id_seq"));
    expect(dataset.id).toBe(ID_OFFSETS.get("datasets_id_seq"));
  });
});
