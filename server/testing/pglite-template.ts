import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { MIGRATIONS_FOLDER } from "../db/client";

/** The template folder is keyed by the migrations' content, so a new migration builds a new one. */
export function pgliteTemplateDir(): string {
  const hash = createHash("sha256");
  for (const file of readdirSync(MIGRATIONS_FOLDER)
    .filter((f) => f.endsWith(".sql"))
    .sort()) {
    hash.update(file).update(readFileSync(path.join(MIGRATIONS_FOLDER, file)));
  }
  return path.join(os.tmpdir(), `churnguard-pglite-template-${hash.digest("hex").slice(0, 12)}`);
}
