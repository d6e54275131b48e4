import { getDatabase } from "./db/client";
import { assertDeployableConfiguration, isEmbeddedDatabase, serverEnv } from "./env";
import { logger } from "./log";
import { cleanupStagedUploads } from "./services/datasets";
import { ensureDemoAdmin, ensureSampleData } from "./services/demo-seed";

/**
 * Runs once per server process: validate configuration, open and migrate the database, and in
 * embedded mode make the app useful on a fresh machine: a demo admin (password printed once), the
 * sample data set, and a queued training run that the job runner picks up right after.
 */
export async function onServerStart(): Promise<void> {
  const env = serverEnv();
  // Before anything opens: on Lambda an embedded default (job runner, SSE, PGlite) must not start.
  assertDeployableConfiguration();
  const started = performance.now();
  const handle = await getDatabase();
  logger("startup").info(
    `database ready (${handle.kind}${handle.kind === "pglite" ? ` at ${env.dataDir}` : ""}) in ${Math.round(performance.now() - started)} ms`,
  );
  const shouldSeed = env.SEED_DEMO === "always" || (env.SEED_DEMO === "auto" && isEmbeddedDatabase());
  if (shouldSeed) {
    const admin = await ensureDemoAdmin(handle.db, {
      email: env.DEMO_ADMIN_EMAIL,
      password: env.DEMO_ADMIN_PASSWORD,
    });
    if (admin) printDemoAdmin(admin);
    try {
      const sample = await ensureSampleData(handle.db, { trainModels: true });
      if (sample.runId)
        logger("startup").info(`sample data set imported; training run ${sample.runId} queued`);
    } catch (error) {
      // The app is still usable without the demo content; say why it is missing.
      logger("startup").error({ err: error }, "could not prepare the demo content");
    }
  }
  cleanupStagedUploads().catch((error) =>
    logger("startup").error({ err: error }, "staged upload clean-up failed"),
  );
}

function printDemoAdmin(admin: { email: string; password: string }): void {
  const lines = [
    "ChurnGuard demo admin created (shown once; change it or create your own admin):",
    `  email:    ${admin.email}`,
    `  password: ${admin.password}`,
  ];
  const width = Math.max(...lines.map((l) => l.length)) + 2;
  console.log(
    `\n┌${"─".repeat(width)}┐\n${lines.map((l) => `│ ${l.padEnd(width - 1)}│`).join("\n")}\n└${"─".repeat(width)}┘\n`,
  );
}
