import { sql } from "drizzle-orm";
import { getDatabase } from "../db/client";

export const APP_VERSION = process.env.npm_package_version ?? "0.1.0";

export interface HealthReport {
  status: "ok" | "error";
  db: "pglite" | "postgres";
  version: string;
  error?: string;
}

/** Round-trips a query so a load balancer learns about a dead database, not just a live process. */
export async function checkHealth(): Promise<HealthReport> {
  const kind = process.env.DATABASE_URL ? "postgres" : "pglite";
  try {
    const handle = await getDatabase();
    await handle.db.execute(sql`select 1`);
    return { status: "ok", db: handle.kind, version: APP_VERSION };
  } catch (error) {
    console.error("[health] database check failed", error);
    return { status: "error", db: kind, version: APP_VERSION, error: "database unavailable" };
  }
}
