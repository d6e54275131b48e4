import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "./constants";
import { ARTIFACTS, datasetIdByName, signIn } from "./helpers";

const percentOf = (text: string | null) => Number((text ?? "").replace(/[^\d]/g, ""));

test.describe("a business user tries a what-if on the Predict page", () => {
  test.setTimeout(4 * 60_000);

  test("typical customer → change Contract → the score, reasons and next best action update", async ({
    page,
  }) => {
    await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await expect(page).toHaveURL(/\/dashboard$/);

    // The sample dataset is trained when the server starts: wait for its champion. Other journeys
    // train datasets of their own (with other columns), so ask for the sample by name.
    const datasetId = await datasetIdByName(page, "Telco sample");
    await page.goto(`/predict?dataset=${datasetId}`);
    await expect(async () => {
      await page.reload();
      await expect(page.getByTestId("risk-score")).toBeVisible({ timeout: 5_000 });
    }).toPass({ timeout: 150_000, intervals: [2_000] });

    await expect(page.getByText(/^model v\d+ · /)).toBeVisible();
    await expect(page.getByText("Model prediction, not a guarantee.")).toBeVisible();
    const reasons = page.getByTestId("reason-card");
    await expect(reasons.getByRole("heading", { name: "Drivers you can act on" })).toBeVisible();
    await expect(reasons.getByRole("heading", { name: "Context" })).toBeVisible();
    await expect(page.getByTestId("waterfall")).toBeVisible();

    // The typical Telco customer is on a month-to-month contract.
    const contract = page.getByRole("combobox", { name: "Contract" });
    await expect(contract).toHaveText("Month-to-month");
    const before = percentOf(await page.getByTestId("risk-score").textContent());
    const reasonsBefore = await reasons.textContent();
    expect(reasonsBefore).toContain("Contract = Month-to-month raises risk");
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${ARTIFACTS}/predict-typical.png`, fullPage: true });

    await contract.click();
    await page.getByRole("option", { name: "Two year" }).click();
    await expect(contract).toHaveText("Two year");

    // A two-year contract lowers the risk, and the reasons now talk about it.
    await expect(async () => {
      expect(percentOf(await page.getByTestId("risk-score").textContent())).toBeLessThan(before);
    }).toPass({ timeout: 15_000 });
    await expect(reasons).not.toHaveText(reasonsBefore ?? "");
    await expect(reasons).not.toContainText("Contract = Month-to-month");
    await expect(page.getByText("Updating…")).toHaveCount(0);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${ARTIFACTS}/predict-two-year.png`, fullPage: true });

    // Out of the training range still scores, with a hint next to the field.
    const tenure = page.getByLabel("tenure");
    await tenure.fill("500");
    await expect(page.getByText(/Above the training range/)).toBeVisible();
    await page.getByRole("button", { name: "Reset" }).click();
    await expect(contract).toHaveText("Month-to-month");
    await expect(async () => {
      expect(percentOf(await page.getByTestId("risk-score").textContent())).toBe(before);
    }).toPass({ timeout: 15_000 });
  });
});
