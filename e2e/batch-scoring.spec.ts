import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { generateTelcoLikeRows, toCsv } from "../data/generate-sample";
import { E2E_ADMIN } from "./constants";
import { ARTIFACTS, chooseScoringDataset, signIn } from "./helpers";

/** 300 generated customers without the Churn column, as a user's export would look. */
function fileToScore(): Buffer {
  const rows = generateTelcoLikeRows(300, 77);
  const churnAt = rows[0].indexOf("Churn");
  return Buffer.from(toCsv(rows.map((r) => r.filter((_, i) => i !== churnAt))));
}

test.describe("a manager scores a file of customers with the champion", () => {
  test.setTimeout(4 * 60_000);

  test("upload without the churn column → column check → score with live progress → download", async ({
    page,
  }) => {
    await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await expect(page).toHaveURL(/\/dashboard$/);

    // The sample dataset is trained when the server starts: wait for its champion.
    await page.goto("/scoring");
    await expect(async () => {
      await page.reload();
      await expect(page.getByTestId("score-dropzone")).toBeVisible({ timeout: 5_000 });
    }).toPass({ timeout: 150_000, intervals: [2_000] });
    await expect(page.getByRole("link", { name: "Score a file" }).first()).toBeVisible();
    await chooseScoringDataset(page, "Telco sample");

    await page.getByTestId("score-file-input").setInputFiles({
      name: "customers-to-score.csv",
      mimeType: "text/csv",
      buffer: fileToScore(),
    });
    const preview = page.getByTestId("score-preview");
    await expect(preview).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId("score-preview-rows")).toHaveText("300");
    const columns = page.getByTestId("column-match");
    await expect(columns.getByText("Contract", { exact: true })).toBeVisible();
    await expect(columns.getByText(/customerID · customer id/)).toBeVisible();
    await page.screenshot({ path: `${ARTIFACTS}/batch-scoring-preview.png`, fullPage: true });

    await page.getByTestId("start-scoring").click();
    const panel = page.getByTestId("batch-panel");
    await expect(panel).toBeVisible();
    await expect(panel.getByTestId("batch-status")).toHaveText("Succeeded", { timeout: 120_000 });
    const summary = panel.getByTestId("level-summary");
    await expect(summary).toBeVisible();
    await expect(summary.getByText("High risk")).toBeVisible();
    await expect(page.getByTestId("batches-table").getByText("customers-to-score.csv")).toBeVisible();
    await page.screenshot({ path: `${ARTIFACTS}/batch-scoring-done.png`, fullPage: true });

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      panel.getByTestId("download-scored").click(),
    ]);
    expect(download.suggestedFilename()).toBe("customers-to-score-scored.csv");
    const text = readFileSync(await download.path(), "utf8").replace(/^\ufeff/, "");
    const lines = text.trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "customerID,gender,SeniorCitizen,Partner,Dependents,tenure,PhoneService,MultipleLines,InternetService," +
        "OnlineSecurity,OnlineBackup,DeviceProtection,TechSupport,StreamingTV,StreamingMovies,Contract," +
        "PaperlessBilling,PaymentMethod,MonthlyCharges,TotalCharges," +
        "risk_score,risk_level,top_drivers,recommended_action,warnings",
    );
    expect(lines).toHaveLength(301);
    expect(lines[1]).toMatch(/,(low|medium|high),[^,]+=.+ pts\)/);
  });
});
