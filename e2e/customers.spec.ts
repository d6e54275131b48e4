import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "./constants";
import { ARTIFACTS, datasetIdByName, downloadCsv, figure, signIn } from "./helpers";

test.describe("a business user finds the customers most likely to leave and sees why", () => {
  test.setTimeout(5 * 60_000);

  test("customers list → filter to high risk → open a customer → reasons and score history", async ({
    page,
  }) => {
    await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await expect(page).toHaveURL(/\/dashboard$/);

    // The sample dataset is trained and scored when the server starts: wait for its customers.
    const datasetId = await datasetIdByName(page, "Telco sample");
    await page.goto(`/customers?dataset=${datasetId}`);
    const rows = page.getByTestId("customer-row");
    await expect(async () => {
      await page.reload();
      await expect(rows.first()).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 200_000, intervals: [3_000] });
    await expect(page.getByText("Monthly revenue at risk", { exact: true })).toBeVisible();
    // Active customers are listed; the lost ones are counted beside them, never as at risk.
    await expect(page.getByTestId("status-active")).toHaveAttribute("aria-pressed", "true");
    await expect(rows.getByTestId("lost-badge")).toHaveCount(0);
    await expect(page.getByTestId("observed-churn-rate")).toContainText(/Observed churn rate \d+\.\d %/);
    await page.screenshot({ path: `${ARTIFACTS}/customers-list.png`, fullPage: true });

    // Lost customers on their own: every row says Lost, and the counts add up to the file.
    const activeCount = figure(await page.getByTestId("status-active-count").textContent());
    const lostCount = figure(await page.getByTestId("status-lost-count").textContent());
    expect(activeCount + lostCount).toBe(7_043);
    await page.getByTestId("status-lost").click();
    await expect(page).toHaveURL(/[?&]status=lost/);
    await expect(
      page.getByText(new RegExp(` of ${lostCount.toLocaleString("en-US")} lost customers$`)),
    ).toBeVisible();
    await expect(rows.first().getByTestId("lost-badge")).toBeVisible();
    expect(await rows.getByTestId("lost-badge").count()).toBe(await rows.count());
    await page.screenshot({ path: `${ARTIFACTS}/customers-lost.png`, fullPage: true });
    await page.getByTestId("status-active").click();
    await expect(page).not.toHaveURL(/status=lost/);

    // High risk only: the URL keeps the filter and every visible level badge says High.
    await page.getByRole("button", { name: "High", exact: true }).click();
    await expect(page).toHaveURL(/[?&]level=high/);
    await expect(page.getByRole("button", { name: "High", exact: true })).toHaveAttribute(
      "aria-pressed",
      "true",
    );
    const badges = rows.getByTestId("risk-level");
    await expect
      .poll(async () => {
        const texts = await badges.allTextContents();
        return texts.length > 0 && texts.every((t) => t === "High");
      })
      .toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}/customers-high-risk.png`, fullPage: true });

    // Export CSV downloads the filtered list: a header and one line per high-risk customer.
    const exportHref = await page.getByRole("link", { name: "Export CSV" }).getAttribute("href");
    expect(exportHref).toMatch(/^\/customers\/export\?.*level=high/);
    const exported = await downloadCsv(page, exportHref ?? "");
    expect(exported.columns).toEqual([
      "customer_id",
      "risk_score",
      "risk_level",
      "top_drivers",
      "recommended_action",
      "monthly_value",
      "revenue_at_risk",
    ]);
    const matching = figure(
      ((await page.getByText(/ of [\d,]+ active customers$/).textContent()) ?? "").replace(
        /.* of ([\d,]+) active customers$/,
        "$1",
      ),
    );
    expect(exported.rows).toHaveLength(matching);
    expect(exported.rows.every((r) => r[2] === "high")).toBe(true);
    // High-risk customers get the playbook's action, as in the scored-file download.
    expect(exported.rows.every((r) => r[4] !== "")).toBe(true);

    // A column filter from the dataset's categorical columns.
    await page.getByRole("combobox", { name: "Column" }).click();
    await page.getByRole("option", { name: "Contract", exact: true }).click();
    await page.getByRole("combobox", { name: "Value" }).click();
    await page.getByRole("option", { name: /^Month-to-month/ }).click();
    await page.getByRole("button", { name: "Add filter" }).click();
    await expect(page).toHaveURL(/f\.Contract=Month-to-month/);
    await expect(page.getByRole("button", { name: "Remove filter Contract = Month-to-month" })).toBeVisible();

    // A reload keeps the filters (they live in the URL).
    await page.reload();
    await expect(page.getByRole("button", { name: "High", exact: true })).toHaveAttribute(
      "aria-pressed",
      "true",
    );
    expect((await badges.allTextContents()).every((t) => t === "High")).toBe(true);

    // Open the riskiest customer with the keyboard.
    const firstId = (await rows.first().getByRole("link").textContent())?.trim() ?? "";
    await rows.first().focus();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/customers\/\d+$/, { timeout: 30_000 });
    await expect(page.getByRole("heading", { name: `Customer ${firstId}` })).toBeVisible();
    await expect(page.getByTestId("reason-card")).toBeVisible();
    await expect(page.getByTestId("reason-card").getByTestId("reason").first()).toBeVisible();
    await expect(page.getByTestId("next-best-action")).toBeVisible();
    const history = page.getByTestId("score-history");
    await expect(history).toBeVisible();
    await expect(history.getByTestId("risk-level").first()).toHaveText("High");
    await expect(page.getByText("Contract", { exact: true }).first()).toBeVisible();
    await page.screenshot({ path: `${ARTIFACTS}/customer-detail.png`, fullPage: true });

    // An unknown customer is a 404 page.
    await page.goto("/customers/987654321");
    await expect(page.getByRole("heading", { name: "Customer not found" })).toBeVisible();
  });
});
