import { expect, test } from "@playwright/test";
import { openAnalyticsWhenScored } from "./analytics-helpers";
import { E2E_ADMIN } from "./constants";
import { ARTIFACTS, signIn } from "./helpers";

test.describe("a manager assigns a saved plan, records outcomes and reads the measured uplift", () => {
  test.setTimeout(6 * 60_000);

  test("save a plan → assign with a hold-out → record in My actions → import outcomes → results", async ({
    page,
  }) => {
    await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await expect(page).toHaveURL(/\/dashboard$/);
    await openAnalyticsWhenScored(page);
    await page.getByRole("link", { name: "Plan a campaign" }).click();
    const figures = page.getByRole("region", { name: "Plan figures" });
    await expect(figures.getByText("Expected net profit")).toBeVisible({ timeout: 30_000 });
    await page.getByLabel("Customers to contact (optional)").fill("40");
    await expect(figures.getByText("40", { exact: true })).toBeVisible({ timeout: 15_000 });
    await page.getByLabel("Plan name").fill("E2E outcomes");
    await page.getByRole("button", { name: "Save plan" }).click();
    await expect(page).toHaveURL(/\/campaigns\/\d+$/, { timeout: 30_000 });
    const campaignUrl = page.url();

    // Assign: 10 % of 40 held out, seeded so the draw is the same on every run.
    await page.getByLabel("Hold-out share (%)").fill("10");
    await page.getByLabel("Seed (optional)").fill("7");
    await page.getByRole("button", { name: "Assign actions" }).click();
    await expect(page.getByText("Assigned 36 actions; 4 customers held out (seed 7)")).toBeVisible({
      timeout: 30_000,
    });
    await expect(page.getByTestId("uplift-sentence")).toHaveText(/Too little data to measure uplift yet/);
    const actions = page.getByRole("table", { name: "Actions and outcomes" });
    await expect(actions.getByRole("row")).toHaveCount(26);

    // The work queue: the admin owns all 36 actions; record the first one as contacted.
    await page.getByRole("link", { name: "My actions" }).first().click();
    await expect(page).toHaveURL(/\/actions/);
    const queue = page.getByRole("table", { name: "My actions" });
    await expect(queue.getByRole("row")).toHaveCount(26);
    await expect(page.getByText(/36 actions · page 1 of 2/)).toBeVisible();
    const firstOutcome = queue.getByRole("combobox").first();
    const customer = ((await firstOutcome.getAttribute("aria-label")) ?? "").replace("Outcome for ", "");
    await firstOutcome.click();
    await page.getByRole("option", { name: "Contacted" }).click();
    await expect(page.getByText(`${customer}: contacted`)).toBeVisible();
    await page.screenshot({ path: `${ARTIFACTS}/my-actions.png`, fullPage: true });

    // Edit the action's due date and wording from the keyboard: focus, Enter, type, Enter.
    const edit = queue.getByRole("button", { name: `Edit the action for ${customer}` });
    await edit.focus();
    await page.keyboard.press("Enter");
    const editor = page.getByRole("dialog", { name: `Edit the action for ${customer}` });
    await expect(editor).toBeVisible();
    await editor.getByLabel("Due date").fill("2031-01-15");
    await editor.getByLabel("Action").fill("Call about a two-year contract");
    await editor.getByLabel("Action").press("Enter");
    await expect(page.getByText(`${customer}: action updated`)).toBeVisible({ timeout: 15_000 });
    await expect(editor).toBeHidden();
    // Due last now (the queue is soonest due first): on the last page, with its new wording.
    await page.goto("/actions?status=open&page=2");
    const edited = page.getByRole("row").filter({ hasText: customer });
    await expect(edited.getByText("Call about a two-year contract")).toBeVisible();

    // Outcomes by CSV: a bad file is refused with its line and column, nothing written.
    await page.goto(campaignUrl);
    const file = page.getByLabel("Outcomes CSV file");
    await file.setInputFiles({
      name: "bad.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(`customer_id,outcome,date\n${customer},maybe,2026-01-10\n`),
    });
    await expect(page.getByText('Line 2, column outcome: "maybe"')).toBeVisible({ timeout: 15_000 });

    // A good file with an outcome for everyone (ids from the plan's own export).
    const exported = await page.request.get(`${campaignUrl}/export`);
    const ids = (await exported.text())
      .replace(/^\ufeff/, "")
      .trimEnd()
      .split("\r\n")
      .slice(1)
      .map((line) => line.split(",")[1]);
    expect(ids).toHaveLength(40);
    const rows = ids.map((id, i) => `${id},${i % 4 === 3 ? "churned" : "retained"},2026-11-30`);
    await file.setInputFiles({
      name: "outcomes.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(`customer_id,outcome,date\n${rows.join("\n")}\n`),
    });
    await expect(page.getByText("Imported 40 outcomes")).toBeVisible({ timeout: 15_000 });
    await expect(page.getByTestId("uplift-sentence")).toHaveText(
      /^The campaign (saved|lost) an estimated -?\d+ customers? .*\(between .+ and .+\)/,
    );
    await expect(page.getByText("Outcomes known for 40 of 40 customers")).toBeVisible();
    await expect(page.getByRole("table", { name: "Risk decile" })).toBeVisible();
    await expect(page.getByRole("table", { name: "Action", exact: true })).toBeVisible();
    await page.screenshot({ path: `${ARTIFACTS}/campaign-results.png`, fullPage: true });

    // A hand-picked selection: the customers shown in the list become a campaign of their own.
    await page.getByRole("link", { name: "Customers", exact: true }).first().click();
    await page.getByRole("button", { name: /^Assign actions to these \d+$/ }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Campaign name").fill("E2E hand-picked");
    await dialog.getByRole("button", { name: "Assign actions" }).click();
    await expect(page).toHaveURL(/\/campaigns\/\d+$/, { timeout: 30_000 });
    await expect(page.getByRole("heading", { name: "E2E hand-picked" })).toBeVisible();
    await expect(page.getByRole("table", { name: "Actions and outcomes" })).toBeVisible();
    await expect(page.getByText(/\d+ customers got an action, \d+ were held out \(10 %/)).toBeVisible();
  });
});
