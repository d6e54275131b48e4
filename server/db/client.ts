import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { serverEnv } from "../env";
import { processWide } from "../process-wide";
import * as schema from "./schema";

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
export type DatabaseKind = "pglite" | "postgres";

export interface DatabaseHandle {
  readonly db: Database;
  readonly kind: DatabaseKind;
  close(): Promise<void>;
}

export const MIGRATIONS_FOLDER = path.join(process.cwd(), "server", "db", "migrations");

/** Arbitrary constant: one migrator at a time per PostgreSQL database, even across Lambdas. */
const MIGRATION_LOCK_ID = 727_140_001;

export interface OpenDatabaseOptions {
  /** postgres:// URL; when absent an embedded PGlite database is used. */
  url?: string;
  /** PGlite data folder; "memory://" for a throw-away database. */
  dataDir?: string;
}

/** The postgres.js options this app uses, per runtime (exported for its test). */
export interface PostgresClientOptions {
  max: number;
  /** Seconds an unused connection stays open; undefined = until the process ends. */
  idle_timeout?: number;
  /** Seconds before a connection is replaced, so RDS Proxy / failovers rebalance. */
  max_lifetime?: number;
  connect_timeout: number;
  prepare: boolean;
}

/**
 * A long-lived server keeps a pool of 10. A Lambda instance serves one request at a time, and
 * there may be hundreds of instances: 10 connections each (never closed while the instance is
 * frozen) would exhaust RDS, so an instance keeps at most 2 (one for the request, one for the
 * call log / a parallel query) and lets them go after 20 s idle. Behind RDS Proxy, named prepared
 * statements pin a client to one database connection and defeat the proxy's multiplexing, so they
 * are off there (postgres.js then uses unnamed statements; parameters stay bound).
 */
export function postgresClientOptions(
  raw: Readonly<Record<string, string | undefined>> = process.env,
): PostgresClientOptions {
  if (raw.AWS_LAMBDA_FUNCTION_NAME) {
    return { max: 2, idle_timeout: 20, max_lifetime: 5 * 60, connect_timeout: 10, prepare: false };
  }
  return { max: 10, connect_timeout: 30, prepare: true };
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (options.url) {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const client = postgres(options.url, { ...postgresClientOptions(), onnotice: () => {} });
    return {
      db: drizzle({ client, schema }) as unknown as Database,
      kind: "postgres",
      close: () => client.end({ timeout: 5 }),
    };
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const dataDir = options.dataDir ?? "memory://";
  if (!dataDir.startsWith("memory://")) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir);
  return {
    db: drizzle({ client, schema }) as unknown as Database,
    kind: "pglite",
    close: () => client.close(),
  };
}

/** Applies the committed drizzle-kit migrations; safe to call on every start. */
export async function migrateDatabase(handle: DatabaseHandle, options: OpenDatabaseOptions): Promise<void> {
  if (handle.kind === "pglite") {
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    // biome-ignore lint/suspicious/noExplicitAny: the migrator wants the driver-specific type we erased above
    await migrate(handle.db as any, { migrationsFolder: MIGRATIONS_FOLDER });
    return;
  }
  // A dedicated single connection so the advisory lock and the migration share a session.
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  const client = postgres(options.url as string, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    await migrate(drizzle({ client }), { migrationsFolder: MIGRATIONS_FOLDER });
    await client`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`;
  } finally {
    await client.end({ timeout: 5 });
  }
}

interface DatabaseSingleton {
  promise?: Promise<DatabaseHandle>;
}

// Next.js compiles instrumentation, route handlers and pages into separate bundles, so a
// module-level variable would exist once per bundle; PGlite must be opened once per process.
const singleton = processWide("database", (): DatabaseSingleton => ({}));

export function appDatabaseOptions(): OpenDatabaseOptions {
  const env = serverEnv();
  return env.DATABASE_URL ? { url: env.DATABASE_URL } : { dataDir: path.join(env.dataDir, "pglite") };
}

/**
 * PGlite has no locking of its own: two processes writing one data folder corrupt it. The app's
 * database therefore takes a pid file, and a second process (say `npm run seed` while `npm start`
 * runs) stops with a message instead.
 */
function lockEmbeddedDatabase(dataDir: string): void {
  const lockFile = `${dataDir}.pid`;
  try {
    const holder = Number(readFileSync(lockFile, "utf8").trim());
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isProcessAlive(holder)) {
      throw new Error(
        `The embedded database at ${dataDir} is in use by process ${holder} (a running ChurnGuard server?). ` +
          "Stop that process first, or set DATABASE_URL to use PostgreSQL.",
      );
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(path.dirname(lockFile), { recursive: true });
  writeFileSync(lockFile, String(process.pid));
  process.once("exit", () => rmSync(lockFile, { force: true }));
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The process-wide database, opened and migrated on first use. */
export function getDatabase(): Promise<DatabaseHandle> {
  if (!singleton.promise) {
    const options = appDatabaseOptions();
    singleton.promise = (async () => {
      if (options.dataDir) lockEmbeddedDatabase(options.dataDir);
      const handle = await openDatabase(options);
      await migrateDatabase(handle, options);
      return handle;
    })();
    singleton.promise.catch(() => {
      singleton.promise = undefined;
    });
  }
  return singleton.promise;
}

export async function getDb(): Promise<Database> {
  return (await getDatabase()).db;
}

/** Closes the process-wide database (scripts and tests; the server keeps it open). */
export async function closeDatabase(): Promise<void> {
  const pending = singleton.promise;
  singleton.promise = undefined;
  if (pending) await (await pending).close();
}
