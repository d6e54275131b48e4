import { expect, test } from "@playwright/test";
import { openAnalyticsWhenScored } from "./analytics-helpers";
import { E2E_ADMIN } from "./constants";
import { ARTIFACTS, signIn } from "./helpers";

test.describe("a manager plans a retention campaign and exports whom to call", () => {
  test.setTimeout(5 * 60_000);

  test("campaigns → adjust the offer → save the plan → export its targets", async ({ page }) => {
    await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await expect(page).toHaveURL(/\/dashboard$/);
    await openAnalyticsWhenScored(page);
    await page.getByRole("link", { name: "Plan a campaign" }).click();
    await expect(page).toHaveURL(/\/campaigns\?dataset=\d+/);

    const figures = page.getByRole("region", { name: "Plan figures" });
    await expect(figures.getByText("Expected net profit")).toBeVisible({ timeout: 30_000 });
    await page.getByLabel("Offer cost per customer contacted ($)").fill("25");
    await page.getByLabel("Acceptance rate (%)").fill("35");
    await page.getByLabel("Customers to contact (optional)").fill("50");
    await expect(figures.getByText("50", { exact: true })).toBeVisible({ timeout: 15_000 });
    await expect(figures.getByText("$1,250")).toBeVisible();
    await expect(
      page.getByRole("table", { name: "First customers to contact" }).getByRole("row"),
    ).toHaveCount(21);
    await page.screenshot({ path: `${ARTIFACTS}/campaign-planner.png`, fullPage: true });

    await page.getByLabel("Plan name").fill("E2E save calls");
    await page.getByRole("button", { name: "Save plan" }).click();
    await expect(page).toHaveURL(/\/campaigns\/\d+$/, { timeout: 30_000 });
    await expect(page.getByRole("heading", { name: "E2E save calls" })).toBeVisible();
    await expect(page.getByRole("table", { name: "Customers to contact" }).getByRole("row")).toHaveCount(51);
    await page.screenshot({ path: `${ARTIFACTS}/campaign-saved.png`, fullPage: true });

    const downloadPromise = page.waitForEvent("download");
    await page.getByRole("link", { name: "Export targets (CSV)" }).click();
    const download = await downloadPromise;
    expect(download.suggestedFilename()).toBe("E2E-save-calls-targets.csv");
    const stream = await download.createReadStream();
    let text = "";
    for await (const chunk of stream) text += chunk.toString();
    const lines = text
      .replace(/^\ufeff/, "")
      .trimEnd()
      .split("\r\n");
    expect(lines[0]).toBe(
      "rank,customer_id,risk_score,risk_level,customer_value,expected_saved_value,reason,recommended_action",
    );
    expect(lines).toHaveLength(51);

    // The plan is listed for everyone on the Campaigns page.
    await page.getByRole("link", { name: "Campaigns", exact: true }).first().click();
    await expect(
      page.getByRole("table", { name: "Saved plans" }).getByRole("link", { name: "E2E save calls" }),
    ).toBeVisible();
  });
});
