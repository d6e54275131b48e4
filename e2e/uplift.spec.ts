import { expect, test } from "@playwright/test";
import { openAnalyticsWhenScored } from "./analytics-helpers";
import { E2E_ADMIN } from "./constants";
import { ARTIFACTS, datasetIdByName, signIn } from "./helpers";

test.describe("the uplift model: from recorded outcomes to a ranking by expected uplift × value", () => {
  test.setTimeout(8 * 60_000);

  test("planner says what is missing → assign with a hold-out → import outcomes → fit → Qini → ranking", async ({
    page,
  }) => {
    await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await expect(page).toHaveURL(/\/dashboard$/);
    await openAnalyticsWhenScored(page);
    // The sample dataset by name: in the full suite other journeys upload smaller datasets first, and
    // the planner would open the newest one (this plan needs 450 active customers).
    const datasetId = await datasetIdByName(page, "Telco sample");
    const plannerUrl = `/campaigns?dataset=${datasetId}`;
    await page.goto(plannerUrl);
    const figures = page.getByRole("region", { name: "Plan figures" });
    await expect(figures.getByText("Expected net profit")).toBeVisible({ timeout: 30_000 });
    // No outcomes yet: the uplift ranking says what to record first.
    await expect(page.getByTestId("uplift-missing")).toHaveText(
      /No uplift model yet\. Record outcomes for at least 200 customers who got an action and 100 hold-out customers/,
      { timeout: 30_000 },
    );

    await page.getByLabel("Customers to contact (optional)").fill("450");
    await expect(figures.getByText("450", { exact: true })).toBeVisible({ timeout: 15_000 });
    await page.getByLabel("Plan name").fill("E2E uplift");
    await page.getByRole("button", { name: "Save plan" }).click();
    await expect(page).toHaveURL(/\/campaigns\/\d+$/, { timeout: 30_000 });
    const campaignUrl = page.url();
    await page.getByLabel("Hold-out share (%)").fill("34");
    await page.getByLabel("Seed (optional)").fill("11");
    await page.getByRole("button", { name: "Assign actions" }).click();
    await expect(page.getByText(/Assigned \d+ actions; \d+ customers held out \(seed 11\)/)).toBeVisible({
      timeout: 30_000,
    });
    await expect(
      page.getByText(/Record outcomes for at least 200 customers who got an action/),
    ).toBeVisible();

    // An outcome for every customer of the plan (ids from its own export).
    const exported = await page.request.get(`${campaignUrl}/export`);
    const ids = (await exported.text())
      .replace(/^\ufeff/, "")
      .trimEnd()
      .split("\r\n")
      .slice(1)
      .map((line) => line.split(",")[1]);
    expect(ids).toHaveLength(450);
    const rows = ids.map((id, i) => `${id},${i % 3 === 2 ? "churned" : "retained"},2026-11-30`);
    await page.getByLabel("Outcomes CSV file").setInputFiles({
      name: "outcomes.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(`customer_id,outcome,date\n${rows.join("\n")}\n`),
    });
    await expect(page.getByText("Imported 450 outcomes")).toBeVisible({ timeout: 30_000 });

    await page.getByRole("button", { name: "Fit the uplift model" }).click();
    await expect(page.getByTestId("qini-sentence")).toHaveText(
      /^Tested on customers each model had not learned from: of the [\d,]+ customers with outcomes, .* Qini coefficient -?\d\.\d{4}/,
      { timeout: 60_000 },
    );
    await expect(page.getByRole("figure", { name: /Qini curve/ })).toBeVisible();
    await page.screenshot({ path: `${ARTIFACTS}/uplift-model.png`, fullPage: true });

    // The planner now offers the ranking by expected uplift × value.
    await page.goto(plannerUrl);
    const ranking = page.getByRole("table", { name: "Customers ranked by expected uplift × value" });
    await expect(ranking.getByRole("row")).toHaveCount(21, { timeout: 30_000 });
    await page.screenshot({ path: `${ARTIFACTS}/uplift-ranking.png`, fullPage: true });
  });
});
