import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "./constants";
import { signIn } from "./helpers";
import { waitForTrainedSample } from "./sample-ready";

test.describe("the leaderboard's columns line up at every laptop width", () => {
  test.setTimeout(4 * 60_000);

  test("each row's cells sit under their own header at 1280, 1440 and 1600 px", async ({ page }) => {
    await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await expect(page).toHaveURL(/\/dashboard$/);
    await waitForTrainedSample(page);

    for (const width of [1280, 1440, 1600]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto("/models");
      const table = page.getByRole("table");
      const row = table.locator("[data-testid^='model-row-']").filter({ hasText: "Champion" }).first();
      await expect(row).toBeVisible();
      const headers = table.locator("thead th:visible");
      const cells = row.locator("td:visible");
      await expect(cells).toHaveCount(await headers.count());

      const status = headers.filter({ hasText: "Status" });
      const badge = row.getByText("Champion", { exact: true });
      const [column, badgeBox] = await Promise.all([status.boundingBox(), badge.boundingBox()]);
      expect(column && badgeBox, `${width} px`).toBeTruthy();
      if (!column || !badgeBox) return;
      expect(badgeBox.x, `${width} px: badge starts inside the Status column`).toBeGreaterThanOrEqual(
        column.x - 1,
      );
      expect(badgeBox.x + badgeBox.width, `${width} px: badge ends inside it`).toBeLessThanOrEqual(
        column.x + column.width + 1,
      );
    }
  });
});
