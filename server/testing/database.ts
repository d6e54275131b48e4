/**
 * Real databases for integration tests: a copy of a migrated PGlite template (initdb is ~8 s, a
 * copy ~1 s) and, when DATABASE_URL is set, a fresh PostgreSQL database per test file, dropped
 * afterwards. Suites loop over `testDatabaseKinds()` so one run covers both engines. Both start
 * every id sequence in a range of its own (id-offsets.ts), so ids of different tables never coincide.
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { type DatabaseHandle, type DatabaseKind, migrateDatabase, openDatabase } from "../db/client";
import { offsetIdSequences } from "./id-offsets";
import { pgliteTemplateDir } from "./pglite-template";

export function testDatabaseKinds(): DatabaseKind[] {
  return process.env.DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];
}

export async function createTestDatabase(kind: DatabaseKind): Promise<DatabaseHandle> {
  if (kind === "pglite") {
    const template = pgliteTemplateDir();
    if (!existsSync(path.join(template, "PG_VERSION"))) {
      throw new Error(
        `PGlite template missing at ${template}: run tests through vitest (globalSetup builds it)`,
      );
    }
    const dir = mkdtempSync(path.join(os.tmpdir(), "churnguard-test-"));
    cpSync(template, dir, { recursive: true });
    const handle = await openDatabase({ dataDir: dir });
    await offsetIdSequences(handle.db);
    return {
      ...handle,
      close: async () => {
        await handle.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) throw new Error("DATABASE_URL is not set");
  const { default: postgres } = await import("postgres");
  const name = `churnguard_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const options = { url: url.toString() };
  const handle = await openDatabase(options);
  await migrateDatabase(handle, options);
  await offsetIdSequences(handle.db);
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}
