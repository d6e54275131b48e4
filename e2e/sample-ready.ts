import { expect, type Page } from "@playwright/test";

/**
 * The e2e server imports the sample dataset and trains it on start: wait until the dashboard shows
 * its scored customers, so that every page has models, scores and dates to render.
 */
export async function waitForTrainedSample(page: Page): Promise<void> {
  await page.goto("/dashboard");
  const scored = page.getByRole("region", { name: "Key figures" });
  await expect(async () => {
    await page.reload();
    await expect(scored).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 200_000, intervals: [3_000] });
}

/** The id of the sample dataset's champion model, read from the leaderboard. */
export async function championModelId(page: Page): Promise<number> {
  await page.goto("/models");
  const link = page.locator("[data-testid^='model-row-']").filter({ hasText: "Champion" }).first();
  const testId = (await link.getAttribute("data-testid")) ?? "";
  return Number(testId.replace("model-row-", ""));
}
