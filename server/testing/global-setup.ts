import { existsSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { migrateDatabase, openDatabase } from "../db/client";
import { pgliteTemplateDir } from "./pglite-template";

/** Builds the migrated PGlite template once per migrations version (vitest globalSetup). */
export default async function setup(): Promise<void> {
  const dir = pgliteTemplateDir();
  if (existsSync(path.join(dir, "PG_VERSION"))) return;
  const building = `${dir}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  const handle = await openDatabase({ dataDir: building });
  await migrateDatabase(handle, { dataDir: building });
  await handle.close();
  rmSync(dir, { recursive: true, force: true });
  renameSync(building, dir);
}
