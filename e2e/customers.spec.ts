import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "./constants";
import { ARTIFACTS, signIn } from "./helpers";

test.describe("a business user finds the customers most likely to leave and sees why", () => {
  test.setTimeout(5 * 60_000);

  test("customers list → filter to high risk → open a customer → reasons and score history", async ({
    page,
  }) => {
    await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await expect(page).toHaveURL(/\/dashboard$/);

    // The sample dataset is trained and scored when the server starts: wait for its customers.
    await page.goto("/customers");
    const rows = page.getByTestId("customer-row");
    await expect(async () => {
      await page.reload();
      await expect(rows.first()).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 200_000, intervals: [3_000] });
    await expect(page.getByText("Monthly revenue at risk", { exact: true })).toBeVisible();
    await page.screenshot({ path: `${ARTIFACTS}/customers-list.png`, fullPage: true });

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
    const exported = await page.request.get(exportHref ?? "");
    expect(exported.status()).toBe(200);
    expect(exported.headers()["content-type"]).toContain("text/csv");
    const csvLines = (await exported.text()).trimEnd().split("\r\n");
    expect(csvLines[0]).toBe("customer_id,risk_score,risk_level,top_drivers,monthly_value,revenue_at_risk");
    const matching = Number(
      ((await page.getByText(/ of [\d,]+ customers$/).textContent()) ?? "")
        .replace(/.* of ([\d,]+) customers$/, "$1")
        .replaceAll(",", ""),
    );
    expect(csvLines).toHaveLength(matching + 1);
    expect(csvLines.slice(1).every((l) => l.split(",")[2] === "high")).toBe(true);

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
