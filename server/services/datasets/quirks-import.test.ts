/**
 * A file with the quirks of real exports, through the real upload service, the import and a
 * training run: Excel's sep= line and BOM, CRLF and LF mixed, ids with leading zeros, euro
 * amounts with a decimal comma, a TRUE/True/false target, yes/Y/no flags, day-first dates, a
 * duplicated line, an empty trailing column and assorted missing-value tokens.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTrainingSet } from "@/lib/ml/data";
import type { DatabaseHandle } from "../../db/client";
import { customers, models } from "../../db/schema";
import { createTestDatabase, testDatabaseKinds } from "../../testing/database";
import { createUser } from "../../testing/factories";
import type { Actor } from "../audit";
import { startTraining } from "../training";
import { runUntilFinished, testRunner } from "../training/test-helpers";
import { importDatasetFromFile } from "./import";
import { getDatasetVersion, loadDatasetVersionRows } from "./queries";
import { useTemporaryDataDir } from "./test-helpers";

const N = 300;
const MISSING = ["NA", "\u2014", "#DIV/0!", "?", "null"];

/** The quirky export, and the churned rows it holds. */
function quirkyExport(): { text: string; churned: number } {
  const header = [
    "Customer ID ",
    "tenure",
    "Monthly Charges",
    "Contract",
    "Partner",
    "LastLogin",
    "Churn",
    "",
  ];
  const lines = [header.join(";")];
  let churned = 0;
  for (let i = 0; i < N; i++) {
    const tenure = (i * 7) % 72;
    const contract = ["Month-to-month", "One year", "Two year"][i % 3];
    const isChurn = (contract === "Month-to-month" && tenure < 30) || i % 11 === 0;
    if (isChurn) churned++;
    const login = new Date(Date.UTC(2024, 5, 30) - ((i * 13) % 360) * 86_400_000);
    const d = `${String(login.getUTCDate()).padStart(2, "0")}/${String(login.getUTCMonth() + 1).padStart(2, "0")}/${login.getUTCFullYear()}`;
    lines.push(
      [
        String(i + 1).padStart(6, "0"),
        i % 37 === 5 ? MISSING[i % MISSING.length] : String(tenure),
        `"${(1000 + i * 3.25)
          .toFixed(2)
          .replace(".", ",")
          .replace(/^(\d)(\d{3})/, "$1.$2")} €"`,
        contract,
        ["Yes", "Y", "yes", "No", "N", "no"][i % 6],
        d,
        isChurn ? ["TRUE", "True"][i % 2] : ["FALSE", "false"][i % 2],
        "",
      ].join(";"),
    );
  }
  // Row 42 twice: the export wrote that line again.
  lines.splice(43, 0, lines[42]);
  const crlf = lines.slice(0, 150).join("\r\n");
  const lf = lines.slice(150).join("\n");
  return { text: `\ufeffsep=;\r\n${crlf}\r\n${lf}\n`, churned };
}

describe.each(testDatabaseKinds())("a quirky export imported and trained on %s", (kind) => {
  let handle: DatabaseHandle;
  let dataDir: ReturnType<typeof useTemporaryDataDir>;
  let actor: Actor;

  beforeAll(async () => {
    dataDir = useTemporaryDataDir();
    handle = await createTestDatabase(kind);
    const { user } = await createUser(handle.db, "manager");
    actor = { id: user.id, label: user.email };
  });
  afterAll(async () => {
    await handle?.close();
    dataDir?.cleanup();
  });

  it("reads every quirk, imports each customer once and trains a champion", async () => {
    const { text, churned } = quirkyExport();
    const imported = await importDatasetFromFile(handle.db, actor, {
      bytes: new TextEncoder().encode(text),
      name: "Quirky export",
      fileName: "export.csv",
    });
    // The repeated line is one customer.
    expect(imported.rowCount).toBe(N);
    expect(imported.positiveRate).toBeCloseTo(churned / N, 10);

    const version = await getDatasetVersion(handle.db, imported.datasetVersionId);
    const schema = version.schema;
    expect(schema.target).toBe("Churn");
    expect(schema.identifier).toBe("Customer ID");
    expect(schema.classCounts).toEqual({ positive: churned, negative: N - churned, missing: 0 });
    const byName = new Map(schema.columns.map((c) => [c.name, c]));
    expect([...byName.keys()]).toEqual([
      "Customer ID",
      "tenure",
      "Monthly Charges",
      "Contract",
      "Partner",
      "LastLogin",
      "Churn",
    ]);
    expect(byName.get("Monthly Charges")).toMatchObject({ type: "numeric", decimalComma: true });
    expect(byName.get("Partner")).toMatchObject({ type: "boolean", role: "feature", trueValue: "Yes" });
    expect(byName.get("LastLogin")).toMatchObject({ type: "date", dateFormat: "dmy", role: "feature" });
    expect(schema.referenceDate).toBe(Date.UTC(2024, 5, 30) / 86_400_000);
    const warnings = schema.warnings.join("\n");
    expect(warnings).toContain('Line 1 ("sep=;", written by Excel) names the delimiter');
    expect(warnings).toContain("Column 8 has no name in the header and no values; it was left out.");
    expect(warnings).toContain("such as data row 43; each customer is imported once.");
    expect(warnings).toContain("days before 2024-06-30, the latest date in the file");

    // Stored customers: ids keep their zeros, amounts are numbers.
    const [first] = await handle.db
      .select({ externalId: customers.externalId, features: customers.features, label: customers.label })
      .from(customers)
      .where(and(eq(customers.datasetVersionId, imported.datasetVersionId), eq(customers.rowNumber, 2)));
    expect(first.externalId).toBe("000002");
    expect(first.features["Monthly Charges"]).toBeCloseTo(1003.25, 10);
    expect(first.label).toBe(0);

    // The rows the training pipeline reads back give the same labels and values.
    const table = await loadDatasetVersionRows(handle.db, imported.datasetVersionId);
    const training = buildTrainingSet({ columns: table.columns, rows: table.rows }, schema);
    expect(training.labels.reduce((a, b) => a + b, 0)).toBe(churned);
    expect(training.frame.rowCount).toBe(N);

    const run = await startTraining(handle.db, actor, {
      datasetVersionId: imported.datasetVersionId,
      algorithms: ["logistic_regression", "gradient_boosting"],
      folds: 3,
    });
    const finished = await runUntilFinished(testRunner(handle.db), handle.db, run.id);
    expect(finished.error ?? null).toBeNull();
    expect(finished.status).toBe("succeeded");
    const champions = await handle.db
      .select({ id: models.id, metrics: models.metrics })
      .from(models)
      .where(and(eq(models.runId, run.id), eq(models.status, "champion")));
    expect(champions.length).toBe(1);
  }, 180_000);
});
