import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "./constants";
import { ARTIFACTS, signIn } from "./helpers";
import { championModelId, waitForTrainedSample } from "./sample-ready";

/** An iPhone SE / mini sized screen: the narrowest the app supports. */
const PHONE = { width: 375, height: 667 };

test.describe("every page fits a phone screen", () => {
  test.setTimeout(5 * 60_000);
  // Not isMobile: a mobile browser zooms out to fit wide content, which would hide the overflow.
  test.use({ viewport: PHONE });

  test("no page scrolls sideways at 375 px, and Predict shows the score without scrolling", async ({
    page,
  }) => {
    await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await expect(page).toHaveURL(/\/dashboard$/);
    await waitForTrainedSample(page);
    const modelId = await championModelId(page);

    for (const path of [
      "/dashboard",
      "/datasets",
      "/datasets/1",
      "/datasets/upload",
      "/train",
      "/models",
      `/models/${modelId}`,
      "/predict",
      "/customers",
      "/scoring",
      "/analytics",
      "/reports",
      "/drift",
      "/api-docs",
      "/admin",
      "/admin/api-keys",
      "/admin/audit",
      "/admin/settings",
      "/admin/users",
      "/admin/schedules",
      "/admin/jobs",
      "/datasets/1/retraining",
      "/campaigns",
      "/account",
    ]) {
      await page.goto(path);
      await page.waitForLoadState("networkidle");
      const widths = await page.evaluate(() => ({
        document: document.documentElement.scrollWidth,
        // The widest element, to say what overflows when this fails.
        culprit: [...document.querySelectorAll("body *")]
          .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
          .filter(
            (el) => !el.closest("[data-slot='table-container'], pre, [data-radix-scroll-area-viewport]"),
          )
          .slice(0, 3)
          .map((el) => `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 60)}`),
      }));
      expect
        .soft(widths.document, `${path} is ${widths.document} px wide: ${widths.culprit.join(" | ")}`)
        .toBeLessThanOrEqual(PHONE.width);
    }

    // Predict: the score is on screen at once, and stays there while the inputs are filled in.
    await page.goto("/predict");
    const summary = page.getByTestId("risk-summary");
    await expect(summary.getByTestId("risk-summary-score")).toHaveText(/^\d+ %$/, { timeout: 30_000 });
    await expect(summary).toBeInViewport();
    await page.screenshot({ path: `${ARTIFACTS}/predict-phone.png` });
    const lastInput = page.locator("fieldset").last().locator("input, button[role='combobox']").last();
    await lastInput.scrollIntoViewIfNeeded();
    await expect(lastInput).toBeInViewport();
    await expect(summary).toBeInViewport();
    // Not covering the input being edited.
    const [bar, input] = await Promise.all([summary.boundingBox(), lastInput.boundingBox()]);
    expect(bar && input && (input.y >= bar.y + bar.height || input.y + input.height <= bar.y)).toBe(true);
  });
});
