import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "./constants";
import { signIn } from "./helpers";
import { waitForTrainedSample } from "./sample-ready";

test.describe("a link to something that does not exist answers 404", () => {
  test.setTimeout(4 * 60_000);

  test("unknown or malformed model, dataset and customer ids are HTTP 404 with a page that says so", async ({
    page,
  }) => {
    await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await expect(page).toHaveURL(/\/dashboard$/);
    await waitForTrainedSample(page);

    // The request shares the signed-in browser's cookies: these are real page loads, not API calls.
    const statusOf = async (path: string) => (await page.request.get(path, { maxRedirects: 0 })).status();
    for (const path of [
      "/models/999999",
      "/models/abc",
      "/models/0",
      "/datasets/999999",
      "/datasets/abc",
      "/datasets/1?version=999999",
      "/customers/999999?dataset=1",
      "/customers/abc",
      "/customers/1e3",
    ]) {
      expect.soft(await statusOf(path), path).toBe(404);
    }
    // The pages that exist still answer 200.
    expect(await statusOf("/datasets/1")).toBe(200);
    expect(await statusOf("/models")).toBe(200);

    const response = await page.goto("/models/999999");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: /not found/i })).toBeVisible();
    // Still inside the app: the navigation is there to go somewhere else.
    await expect(page.getByRole("link", { name: "Models" }).first()).toBeVisible();
  });
});
