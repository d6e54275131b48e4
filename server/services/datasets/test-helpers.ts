/**
 * Test helpers for the datasets service, its router and the upload route: a temporary DATA_DIR
 * for file storage, small churn CSVs, and a snapshot of what an import leaves behind.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { count } from "drizzle-orm";
import type { Database } from "../../db/client";
import { customers, datasets, datasetVersions } from "../../db/schema";
import { resetServerEnvCache } from "../../env";
import { type FileStorage, getStorage, LocalFileStorage } from "../../storage";

export { TELCO_CSV } from "@/lib/testing/shared-data";

/** Points DATA_DIR (and so getStorage()) at a fresh folder; returns a function that removes it. */
export function useTemporaryDataDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "churnguard-datasets-"));
  const previous = process.env.DATA_DIR;
  process.env.DATA_DIR = dir;
  resetServerEnvCache();
  return {
    dir,
    cleanup: () => {
      if (previous === undefined) delete process.env.DATA_DIR;
      else process.env.DATA_DIR = previous;
      resetServerEnvCache();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function quote(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function toCsvText(columns: readonly string[], rows: readonly (readonly string[])[]): string {
  return `${[columns, ...rows].map((r) => r.map(quote).join(",")).join("\n")}\n`;
}

/**
 * A churn table with `rows` customers: id, plan, tenure, monthly charges, an e-mail (personal
 * data) and Churn (Yes on every fourth row, unless `churn` says otherwise).
 */
export function churnCsv(
  rows: number,
  options: {
    churn?: (i: number) => string;
    columns?: string[];
    /** A cell of its own; undefined keeps the default. */
    cell?: (i: number, column: string) => string | undefined;
  } = {},
): string {
  const columns = options.columns ?? ["customerId", "plan", "tenure", "MonthlyCharges", "email", "Churn"];
  const plans = ["basic", "plus", "pro"];
  const out: string[][] = [];
  for (let i = 0; i < rows; i++) {
    out.push(
      columns.map((column) => {
        if (options.cell) {
          const v = options.cell(i, column);
          if (v !== undefined) return v;
        }
        switch (column) {
          case "customerId":
            return `C-${String(i + 1).padStart(5, "0")}`;
          case "plan":
            return plans[i % 3];
          case "tenure":
            return String((i * 7) % 72);
          case "MonthlyCharges":
            return (20 + ((i * 13) % 100) + 0.35).toFixed(2);
          case "email":
            return `customer${i}@example.com`;
          case "Churn":
            return options.churn ? options.churn(i) : i % 4 === 0 ? "Yes" : "No";
          default:
            return String(i % 5);
        }
      }),
    );
  }
  return toCsvText(columns, out);
}

export async function* bytesOf(text: string | Uint8Array, chunkSize = 64 * 1024): AsyncGenerator<Uint8Array> {
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  for (let i = 0; i < bytes.length; i += chunkSize) yield bytes.subarray(i, i + chunkSize);
}

/**
 * Stored files' keys, plus (local storage) any temporary file a failed write left behind and any
 * empty folder (as "<folder>/"): a refused upload must not leave an empty `uploads/<id>/` behind.
 */
export async function storedKeys(storage: FileStorage = getStorage(), prefix = ""): Promise<string[]> {
  const keys: string[] = [];
  for await (const file of storage.list(prefix)) keys.push(file.key);
  if (storage instanceof LocalFileStorage && prefix === "") {
    const tmp = path.join(storage.root, ".tmp");
    if (existsSync(tmp)) for (const name of readdirSync(tmp)) keys.push(`.tmp/${name}`);
    keys.push(...emptyFolders(storage.root));
  }
  return keys;
}

/** Folders under `root` (not `.tmp`) with nothing in them, as "a/b/" keys. */
export function emptyFolders(root: string, prefix = ""): string[] {
  if (!existsSync(root)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
    const folder = path.join(root, entry.name);
    const key = `${prefix}${entry.name}/`;
    if (readdirSync(folder).length === 0) found.push(key);
    else found.push(...emptyFolders(folder, key));
  }
  return found;
}

/** Row counts of the dataset tables and every stored file: what "nothing left behind" checks. */
export async function leftovers(db: Database, storage: FileStorage = getStorage()) {
  const [d] = await db.select({ n: count() }).from(datasets);
  const [v] = await db.select({ n: count() }).from(datasetVersions);
  const [c] = await db.select({ n: count() }).from(customers);
  return { datasets: d.n, versions: v.n, customers: c.n, files: await storedKeys(storage) };
}

export const NOTHING_LEFT = { datasets: 0, versions: 0, customers: 0, files: [] };
