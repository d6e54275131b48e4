import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { openAnalyticsWhenScored } from "./analytics-helpers";
import { E2E_ADMIN } from "./constants";
import { ARTIFACTS, signIn } from "./helpers";

test.describe("a manager sends the boss a PDF", () => {
  test.setTimeout(5 * 60_000);

  test("reports → generate the executive PDF → it becomes ready → download it", async ({ page }) => {
    await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await expect(page).toHaveURL(/\/dashboard$/);
    await openAnalyticsWhenScored(page);
    await page.getByRole("link", { name: "Reports" }).first().click();
    await expect(page).toHaveURL(/\/reports/);

    await page.getByLabel("Title").fill("E2E churn report");
    await page.getByRole("button", { name: "Generate PDF" }).click();
    const reports = page.getByRole("table", { name: "Generated reports" });
    const row = reports.getByRole("row").filter({ hasText: "E2E churn report" });
    await expect(row.getByText("Ready")).toBeVisible({ timeout: 120_000 });
    await page.screenshot({ path: `${ARTIFACTS}/reports.png`, fullPage: true });

    const downloadPromise = page.waitForEvent("download");
    await row.getByRole("link", { name: "Download E2E churn report (PDF)" }).click();
    const download = await downloadPromise;
    expect(download.suggestedFilename()).toMatch(/^churnguard-.*\.pdf$/);
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, "executive-report.pdf");
    await download.saveAs(file);
    expect(readFileSync(file).subarray(0, 5).toString("latin1")).toBe("%PDF-");
    // The first page renders (poppler): kept as an artifact.
    execFileSync("pdftoppm", [
      "-png",
      "-r",
      "60",
      "-f",
      "1",
      "-l",
      "1",
      "-singlefile",
      file,
      path.join(ARTIFACTS, "executive-report-page-1"),
    ]);
    expect(
      readFileSync(path.join(ARTIFACTS, "executive-report-page-1.png")).subarray(1, 4).toString("latin1"),
    ).toBe("PNG");
    const text = execFileSync("pdftotext", ["-l", "1", file, "-"], { encoding: "utf8" });
    expect(text).toContain("E2E churn report");
  });
});
