import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { parseCsv } from "../lib/ml/data";
import { E2E_ADMIN } from "./constants";
import { ARTIFACTS, datasetIdByName, downloadCsv, figure, signIn } from "./helpers";

const SAMPLE = path.resolve(import.meta.dirname, "../data/telco-sample.csv");

test.describe("the dashboard tells a manager where churn risk stands", () => {
  test.setTimeout(5 * 60_000);

  test("key figures of the trained sample match its file and its customers → high-risk customers", async ({
    page,
  }) => {
    await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await expect(page).toHaveURL(/\/dashboard$/);
    const datasetId = await datasetIdByName(page, "Telco sample");

    // The sample dataset is trained and scored when the server starts: wait for its figures.
    await page.goto(`/dashboard?dataset=${datasetId}`);
    const figures = page.getByRole("region", { name: "Key figures" });
    await expect(async () => {
      await page.reload();
      await expect(figures).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 200_000, intervals: [3_000] });

    // The figures computed apart from the dashboard: who left from the file's own churn column,
    // active customers' risk from the customers export (a different query path).
    const sample = parseCsv(readFileSync(SAMPLE));
    const churn = sample.columns.indexOf("Churn");
    const lost = sample.rows.filter((r) => r[churn] === "Yes").length;
    const labelled = sample.rows.filter((r) => r[churn] === "Yes" || r[churn] === "No").length;
    const exported = await downloadCsv(page, `/customers/export?dataset=${datasetId}`);
    const at = (name: string) => exported.columns.indexOf(name);
    const active = exported.rows.length;
    const high = exported.rows.filter((r) => r[at("risk_level")] === "high").length;
    const revenueAtRisk = exported.rows.reduce(
      (sum, r) => sum + Number(r[at("monthly_value")]) * Number(r[at("risk_score")]),
      0,
    );
    expect(lost).toBeGreaterThan(0);
    expect(high).toBeGreaterThan(0);
    expect(active + lost).toBe(sample.rows.length);

    await expect(page.getByTestId("kpi-active-value")).toHaveText(active.toLocaleString("en-US"));
    await expect(page.getByTestId("kpi-high-risk-value")).toHaveText(high.toLocaleString("en-US"));
    await expect(page.getByTestId("kpi-high-risk")).toContainText(
      `${((high / active) * 100).toFixed(1)} % of active customers`,
    );
    // The export rounds each risk to four decimals: allow for that, not more.
    // Money is shown in the admin's currency ("$64,766.84"): read the number only.
    const shownRevenue = figure(
      ((await page.getByTestId("kpi-revenue-at-risk-value").textContent()) ?? "").replace(/[^\d.,-]/g, ""),
    );
    expect(Math.abs(shownRevenue - revenueAtRisk)).toBeLessThanOrEqual(Math.max(2, revenueAtRisk * 0.001));
    await expect(page.getByTestId("kpi-lost-value")).toHaveText(lost.toLocaleString("en-US"));
    await expect(page.getByTestId("kpi-lost")).toContainText(
      `observed churn rate ${((lost / labelled) * 100).toFixed(1)} %`,
    );
    await expect(
      page.getByRole("list", { name: "Strongest churn drivers" }).getByRole("listitem").first(),
    ).toBeVisible();
    await page.screenshot({ path: `${ARTIFACTS}/dashboard.png`, fullPage: true });

    // High-risk customers: the list shows the same number, and the lost ones with high scores apart.
    await page.getByRole("link", { name: "See high-risk customers" }).click();
    await expect(page).toHaveURL(new RegExp(`/customers\\?dataset=${datasetId}&level=high`));
    await expect(page.getByRole("button", { name: "High", exact: true })).toHaveAttribute(
      "aria-pressed",
      "true",
    );
    await expect(page.getByTestId("status-active")).toHaveAttribute("aria-pressed", "true");
    await expect(page.getByTestId("status-active-count")).toHaveText(high.toLocaleString("en-US"));
    await expect(
      page.getByText(new RegExp(` of ${high.toLocaleString("en-US")} active customers$`)),
    ).toBeVisible();
    const lostExport = await downloadCsv(page, `/customers/export?dataset=${datasetId}&status=lost`);
    expect(lostExport.rows).toHaveLength(lost);
    const lostHigh = lostExport.rows.filter(
      (r) => r[lostExport.columns.indexOf("risk_level")] === "high",
    ).length;
    await expect(page.getByTestId("status-lost-count")).toHaveText(lostHigh.toLocaleString("en-US"));
  });
});
