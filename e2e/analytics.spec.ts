import { expect, test } from "@playwright/test";
import { openAnalyticsWhenScored } from "./analytics-helpers";
import { E2E_ADMIN } from "./constants";
import { ARTIFACTS, signIn } from "./helpers";

test.describe("a manager finds which segments are leaking and drills into their customers", () => {
  test.setTimeout(5 * 60_000);

  test("analytics → segment by contract → heat map → retention curves → customers of a segment", async ({
    page,
  }) => {
    await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await expect(page).toHaveURL(/\/dashboard$/);
    await openAnalyticsWhenScored(page);

    await page.getByRole("combobox", { name: "Group customers by" }).click();
    await page.getByRole("option", { name: "Contract", exact: true }).click();
    await expect(page).toHaveURL(/[?&]col=Contract/);
    const table = page.getByRole("table", { name: "Segments" });
    await expect(table.getByRole("cell", { name: /^Month-to-month/ })).toBeVisible();
    await expect(page.getByText("Already lost", { exact: true }).first()).toBeVisible();
    // Sorting is a button in the column header, announced with aria-sort.
    await table.getByRole("button", { name: "Observed churn" }).click();
    await expect(table.getByRole("columnheader", { name: "Observed churn" })).toHaveAttribute(
      "aria-sort",
      "descending",
    );
    await expect(table.getByRole("row").nth(1).getByRole("cell").first()).toHaveText(/^Month-to-month/);
    await page.screenshot({ path: `${ARTIFACTS}/analytics-segments.png`, fullPage: true });

    // Two columns: a heat map, shaded by churn.
    await page.getByRole("combobox", { name: "and by (optional)" }).click();
    await page.getByRole("option", { name: "InternetService", exact: true }).click();
    await page.getByRole("button", { name: "Heat map" }).click();
    await expect(
      page.getByRole("table", { name: /Observed churn by Contract and InternetService/ }),
    ).toBeVisible();
    await page.screenshot({ path: `${ARTIFACTS}/analytics-heatmap.png`, fullPage: true });

    // Retention curves over tenure, one per contract.
    await page.getByRole("tab", { name: "Retention curves" }).click();
    await expect(page.getByText("Median customer lifetime", { exact: true })).toBeVisible({
      timeout: 30_000,
    });
    await page.getByRole("combobox", { name: "One curve per" }).click();
    await page.getByRole("option", { name: "Contract", exact: true }).click();
    await expect(
      page.getByRole("list", { name: "Median lifetime per group" }).getByRole("listitem"),
    ).toHaveCount(3);
    await page.emulateMedia({ colorScheme: "light" });
    await page.getByRole("button", { name: "Toggle dark mode" }).click();
    await expect(page.locator("html")).toHaveClass(/dark/);
    await page.screenshot({ path: `${ARTIFACTS}/analytics-retention-dark.png`, fullPage: true });
    await page.getByRole("button", { name: "Toggle dark mode" }).click();

    await page.getByRole("tab", { name: "Risk over time" }).click();
    await expect(page.getByRole("list", { name: "Model versions" })).toBeVisible();

    // Back to one column, then into the customers of a segment.
    await page.getByRole("tab", { name: "Segments" }).click();
    await page.getByRole("combobox", { name: "and by (optional)" }).click();
    await page.getByRole("option", { name: "Nothing else" }).click();
    await page.getByRole("link", { name: "View customers in Month-to-month" }).click();
    await expect(page).toHaveURL(/\/customers\?dataset=\d+&f\.Contract=Month-to-month/);
    await expect(page.getByRole("button", { name: "Remove filter Contract = Month-to-month" })).toBeVisible();
  });
});
