/**
 * A fresh, migrated database for a benchmark run: PGlite in `dataDir`, or a new PostgreSQL
 * database on the DATABASE_URL server (dropped by cleanup unless `keep`, for EXPLAIN sessions).
 */
import path from "node:path";
import { type DatabaseHandle, migrateDatabase, openDatabase } from "../../server/db/client";

export interface FreshDatabase {
  handle: DatabaseHandle;
  cleanup: () => Promise<void>;
}

export async function openFreshDatabase(
  kind: "pglite" | "postgres",
  options: { dataDir: string; name: string; keep?: boolean },
): Promise<FreshDatabase> {
  if (kind === "pglite") {
    const dir = path.join(options.dataDir, "pglite");
    const handle = await openDatabase({ dataDir: dir });
    await migrateDatabase(handle, { dataDir: dir });
    return { handle, cleanup: () => handle.close() };
  }
  const { default: postgres } = await import("postgres");
  const base = process.env.DATABASE_URL as string;
  const name = `${options.name}_${process.pid}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString() });
  await migrateDatabase(handle, { url: url.toString() });
  return {
    handle,
    cleanup: async () => {
      await handle.close();
      if (options.keep) {
        console.log(`kept database ${name}`);
        return admin.end();
      }
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}
