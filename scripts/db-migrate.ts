import { appDatabaseOptions, closeDatabase, getDatabase } from "../server/db/client";

const options = appDatabaseOptions();
const started = performance.now();
const handle = await getDatabase();
console.log(
  `Migrations applied to ${handle.kind === "postgres" ? "PostgreSQL" : `PGlite at ${options.dataDir}`} in ${Math.round(performance.now() - started)} ms`,
);
await closeDatabase();
