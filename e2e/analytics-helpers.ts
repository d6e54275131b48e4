import { expect, type Page } from "@playwright/test";

/** The sample dataset is trained and scored when the server starts: wait until analytics has it. */
export async function openAnalyticsWhenScored(page: Page) {
  await page.goto("/analytics");
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("table", { name: "Segments" })).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 240_000, intervals: [3_000] });
}
