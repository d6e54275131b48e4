import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "./constants";
import { ARTIFACTS, signIn } from "./helpers";

test.describe("the dashboard tells a manager where churn risk stands", () => {
  test.setTimeout(5 * 60_000);

  test("key figures of the trained sample → see high-risk customers", async ({ page }) => {
    await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await expect(page).toHaveURL(/\/dashboard$/);

    // The sample dataset is trained and scored when the server starts: wait for its figures.
    const scored = page.getByRole("region", { name: "Key figures" });
    await expect(async () => {
      await page.reload();
      await expect(scored).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 200_000, intervals: [3_000] });
    await expect(scored.getByText("Customers scored", { exact: true })).toBeVisible();
    await expect(scored.getByText("High-risk customers", { exact: true })).toBeVisible();
    await expect(scored.getByText("Monthly revenue at risk", { exact: true })).toBeVisible();
    await expect(
      page.getByRole("list", { name: "Strongest churn drivers" }).getByRole("listitem").first(),
    ).toBeVisible();
    await page.screenshot({ path: `${ARTIFACTS}/dashboard.png`, fullPage: true });

    await page.getByRole("link", { name: "See high-risk customers" }).click();
    await expect(page).toHaveURL(/\/customers\?dataset=\d+&level=high/);
    await expect(page.getByRole("button", { name: "High", exact: true })).toHaveAttribute(
      "aria-pressed",
      "true",
    );
  });
});
