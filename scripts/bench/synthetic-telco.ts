/**
 * A Telco-shaped file of any size for `npm run bench:pipeline -- --rows N`: each row resamples one
 * of IBM's Telco rows (so columns, categories and the churn signal look like the real file), with
 * tenure and charges jittered so the values are not 7,043 repeated points, and a unique id. Seeded:
 * the same row count writes the same bytes. Streams to disk in bounded memory.
 */

import { once } from "node:events";
import { createWriteStream, readFileSync } from "node:fs";
import { createRng } from "../../lib/ml/random";

export async function writeSyntheticTelco(
  sourceCsv: string,
  outFile: string,
  rows: number,
  seed = 15,
): Promise<void> {
  const lines = readFileSync(sourceCsv, "utf8")
    .split(/\r?\n/)
    .filter((l) => l.length > 0);
  const header = lines[0];
  const columns = header.split(",");
  const tenure = columns.indexOf("tenure");
  const monthly = columns.indexOf("MonthlyCharges");
  const total = columns.indexOf("TotalCharges");
  // Telco has no quoted cells, so a plain split is exact.
  const source = lines.slice(1).map((l) => l.split(","));
  const rng = createRng(seed);
  const out = createWriteStream(outFile, { highWaterMark: 1 << 20 });
  let buffer = `${header}\n`;
  for (let i = 0; i < rows; i++) {
    const row = source[rng.int(source.length)].slice();
    row[0] = `S${String(i).padStart(7, "0")}`;
    const t = Math.max(0, Math.min(72, Number(row[tenure]) + rng.int(5) - 2));
    const m = Math.max(18, Number(row[monthly]) * (0.95 + rng.next() * 0.1));
    row[tenure] = String(t);
    row[monthly] = m.toFixed(2);
    // Kept blank where Telco leaves it blank (new customers), as the real export does.
    if (row[total].trim() !== "") row[total] = (m * Math.max(1, t) * (0.97 + rng.next() * 0.06)).toFixed(2);
    buffer += `${row.join(",")}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, "drain");
      buffer = "";
    }
  }
  out.end(buffer);
  await once(out, "finish");
}
