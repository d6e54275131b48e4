import { randomBytes } from "node:crypto";
import { getDatabase } from "./db/client";
import { isEmbeddedDatabase, serverEnv } from "./env";
import { SYSTEM_ACTOR } from "./services/audit";
import { countUsers, signUp } from "./services/users";

/**
 * Runs once per server process: validate configuration, open and migrate the database, and in
 * embedded mode make the app usable on a fresh machine (a demo admin whose password is printed once).
 */
export async function onServerStart(): Promise<void> {
  const env = serverEnv();
  const started = performance.now();
  const handle = await getDatabase();
  console.log(
    `[churnguard] database ready (${handle.kind}${handle.kind === "pglite" ? ` at ${env.dataDir}` : ""}) in ${Math.round(performance.now() - started)} ms`,
  );
  const shouldSeed = env.SEED_DEMO === "always" || (env.SEED_DEMO === "auto" && isEmbeddedDatabase());
  if (shouldSeed && (await countUsers(handle.db)) === 0) {
    const password = env.DEMO_ADMIN_PASSWORD ?? randomBytes(9).toString("base64url");
    await signUp(
      handle.db,
      { name: "Demo Admin", email: env.DEMO_ADMIN_EMAIL, password },
      { role: "admin", actor: SYSTEM_ACTOR },
    );
    const lines = [
      "ChurnGuard demo admin created (shown once; change it or create your own admin):",
      `  email:    ${env.DEMO_ADMIN_EMAIL}`,
      `  password: ${password}`,
    ];
    const width = Math.max(...lines.map((l) => l.length)) + 2;
    console.log(
      `\n┌${"─".repeat(width)}┐\n${lines.map((l) => `│ ${l.padEnd(width - 1)}│`).join("\n")}\n└${"─".repeat(width)}┘\n`,
    );
  }
}
