/**
 * `npm run seed -- [--create-admin] [--train-models]`: the demo content on demand — a demo admin
 * (with --create-admin, on an empty user table), the generated sample data set, and (with
 * --train-models) a training run executed right here until every customer is scored.
 *
 * With the embedded database, stop the server first: PGlite is opened by one process at a time.
 */
import { parseArgs } from "node:util";
import { eq } from "drizzle-orm";
import { getDurableFunctions } from "../jobs/registry";
import { EmbeddedRunner } from "../jobs/runner";
import { wireDurableWork } from "../jobs/wire";
import { closeDatabase, getDatabase } from "../server/db/client";
import { trainingRuns } from "../server/db/schema";
import { serverEnv, usesInngest } from "../server/env";
import { seedDemo } from "../server/services/demo-seed";

wireDurableWork();

const { values } = parseArgs({
  options: {
    "create-admin": { type: "boolean", default: false },
    "train-models": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  console.log("usage: npm run seed -- [--create-admin] [--train-models]");
  process.exit(0);
}

const env = serverEnv();
const started = performance.now();
const { db } = await getDatabase();
const result = await seedDemo(db, {
  createAdmin: values["create-admin"],
  trainModels: values["train-models"],
  adminEmail: env.DEMO_ADMIN_EMAIL,
  adminPassword: env.DEMO_ADMIN_PASSWORD,
});
if (result.admin) console.log(`Demo admin: ${result.admin.email} / ${result.admin.password} (shown once)`);
console.log(
  result.datasetVersionId
    ? `Imported the sample data set (dataset version ${result.datasetVersionId}).`
    : "A data set already exists: nothing imported.",
);

if (result.runId && !usesInngest()) {
  console.log(`Training run ${result.runId}…`);
  const runner = new EmbeddedRunner({ db, functions: getDurableFunctions(), exclusive: true });
  for (;;) {
    await runner.drain();
    const [run] = await db.select().from(trainingRuns).where(eq(trainingRuns.id, result.runId));
    if (!run || !["queued", "running"].includes(run.status)) {
      console.log(
        `Training run ${result.runId}: ${run?.status ?? "missing"}${run?.error ? ` — ${run.error}` : ""}`,
      );
      break;
    }
    // A step is waiting for its retry back-off.
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
} else if (result.runId) {
  console.log(`Training run ${result.runId} sent to Inngest.`);
}
console.log(`Done in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
await closeDatabase();
