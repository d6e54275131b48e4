import { readFileSync } from "node:fs";
import { it } from "vitest";
import { createFrameBuilder, readCsvBatches } from "@/lib/ml/data";
import { createTestDatabase } from "@/server/testing/database";
import { scanCsv } from "./csv-scan";
import { importDatasetFromFile } from "./import";
import { computeProfile } from "./profile";
import { inferUploadSchema } from "./schema";
import { TELCO_CSV, useTemporaryDataDir } from "./test-helpers";

it("times", async () => {
  const bytes = readFileSync(TELCO_CSV);
  const cpu0 = process.cpuUsage();
  let t = performance.now();
  const lap = (label: string) => {
    const n = performance.now();
    console.log(label, Math.round(n - t), "ms");
    t = n;
  };
  const scan = await scanCsv(
    (async function* () {
      yield bytes;
    })(),
  );
  lap("scan");
  const schema = inferUploadSchema(scan);
  lap("infer");
  const fb = createFrameBuilder(scan.columns, schema);
  for await (const b of readCsvBatches([bytes])) fb.append(b.rows);
  const frame = fb.finish();
  lap("read+frame");
  computeProfile(frame, schema, new Int8Array(frame.rowCount));
  lap("profile");
  const d = useTemporaryDataDir();
  for (const kind of (process.env.DATABASE_URL ? ["pglite", "postgres"] : ["pglite"]) as (
    | "pglite"
    | "postgres"
  )[]) {
    const handle = await createTestDatabase(kind);
    lap(`db ${kind}`);
    for (let i = 0; i < 3; i++) {
      const c = process.cpuUsage();
      const r = await importDatasetFromFile(
        handle.db,
        { id: null, label: "system" },
        { filePath: TELCO_CSV, name: "T" },
      );
      const u = process.cpuUsage(c);
      lap(
        `importDatasetFromFile ${kind} #${i + 1} (import ${r.durationMs} ms, cpu ${Math.round((u.user + u.system) / 1000)} ms)`,
      );
    }
    await handle.close();
  }
  d.cleanup();
  console.log("total cpu", Math.round(process.cpuUsage(cpu0).user / 1000));
}, 300000);
