/**
 * Applies the committed migrations once per deploy: sst.config.ts invokes this function through
 * an `aws.lambda.Invocation` whose input changes on every deploy, after the database exists and
 * before the new web code takes traffic. (Each server start also migrates under an advisory lock,
 * which is then a no-op; this step makes a failing migration fail the deploy instead of a request.)
 */
import { appDatabaseOptions, migrateDatabase, openDatabase } from "./client";

export async function handler(): Promise<{ migrated: true; tookMs: number }> {
  const started = Date.now();
  const options = appDatabaseOptions();
  if (!options.url) throw new Error("DATABASE_URL is not set: the migrator only runs against PostgreSQL.");
  const handle = await openDatabase(options);
  try {
    await migrateDatabase(handle, options);
  } finally {
    await handle.close();
  }
  return { migrated: true, tookMs: Date.now() - started };
}
