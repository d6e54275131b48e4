import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "./constants";
import { ARTIFACTS, datasetIdByName, signIn } from "./helpers";
import { waitForTrainedSample } from "./sample-ready";

/**
 * Live customer events: an admin creates a key with the events:write scope, a system posts an
 * event for a customer whose page is open in Chromium, and the page shows the event in its
 * timeline (with the risk before and after) and the new risk score without a reload.
 */
test.describe("a customer event reaches an open customer page", () => {
  test.setTimeout(14 * 60_000);

  test("events:write key → POST /api/v1/events → timeline and risk update live", async ({
    page,
    request,
  }) => {
    // Under load the first submit can beat the sign-in form's CSRF token: sign in until it takes.
    await expect(async () => {
      await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
      await expect(page).toHaveURL(/\/dashboard$/, { timeout: 15_000 });
    }).toPass({ timeout: 120_000, intervals: [1_000] });
    // The server trains the 7,043-customer sample on start: slow on a shared 2-core machine.
    await expect(async () => {
      await waitForTrainedSample(page);
    }).toPass({ timeout: 10 * 60_000, intervals: [1_000] });
    const datasetId = await datasetIdByName(page, "Telco sample");

    // A key with only the events:write scope, created in the API keys page.
    await page.goto("/admin/api-keys");
    await page.getByRole("button", { name: "Create API key" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name").fill(`Events e2e ${Date.now()}`);
    await dialog.getByLabel("predict", { exact: true }).uncheck();
    await dialog.getByLabel("events:write").check();
    await dialog.getByRole("button", { name: "Create key" }).click();
    const secret = await dialog.getByLabel("API key").inputValue();
    expect(secret).toMatch(/^cg_live_/);
    await dialog.getByRole("button", { name: "Done" }).click();

    // Open a customer of the sample dataset.
    await page.goto(`/customers?dataset=${datasetId}`);
    const first = page.locator('a[href^="/customers/"]:not([href^="/customers/export"])').first();
    await expect(first).toBeVisible();
    await first.click();
    await expect(page).toHaveURL(/\/customers\/\d+$/);
    const heading = (await page.getByRole("heading", { level: 1 }).textContent()) ?? "";
    const externalId = heading.replace(/^Customer\s+/, "").trim();
    expect(externalId.length).toBeGreaterThan(0);
    await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "open", { timeout: 15_000 });
    const timeline = page.getByTestId("customer-events");
    const itemsBefore = await timeline.getByTestId("event-timeline-item").count();

    const posted = Date.now();
    const response = await request.post("/api/v1/events", {
      headers: { Authorization: `Bearer ${secret}` },
      data: {
        customer_id: externalId,
        dataset_id: datasetId,
        type: "payment_method_change",
        at: new Date().toISOString(),
        changes: { PaymentMethod: "Electronic check", Contract: "Month-to-month", PaperlessBilling: "Yes" },
      },
    });
    const answered = Date.now();
    expect(response.status(), await response.text()).toBe(200);
    const body = await response.json();
    const [event] = body.events;
    expect(event.customer_id).toBe(externalId);

    const item = timeline.locator(`[data-event-id="${event.event_id}"]`);
    await expect(item).toBeVisible({ timeout: 5_000 });
    const shown = Date.now();
    console.log(
      `event → page: ${shown - posted} ms after the POST started, ${shown - answered} ms after its answer`,
    );
    // The ≤ 1 s target is measured by `npm run bench:events` (BENCHMARKS.md), not asserted here: on
    // a loaded CI machine the browser's own scheduling decides the last hundred milliseconds. This
    // journey proves the event arrives live, without a reload, within the 5 s above.
    await expect(timeline.getByTestId("event-timeline-item")).toHaveCount(itemsBefore + 1);
    await expect(item).toContainText("Payment method change");
    await expect(item).toContainText("PaymentMethod");
    const after = `${(event.risk_after * 100).toFixed(1)} %`;
    await expect(item.getByTestId("event-risk")).toContainText(after);
    await expect(page.getByText(after).first()).toBeVisible();
    await page.screenshot({ path: `${ARTIFACTS}/live-event.png`, fullPage: true });

    // A bad event is refused naming the field, and nothing changes on the page.
    const refused = await request.post("/api/v1/events", {
      headers: { Authorization: `Bearer ${secret}` },
      data: {
        customer_id: externalId,
        dataset_id: datasetId,
        type: "plan_change",
        at: new Date().toISOString(),
        changes: { Contract: "Forever" },
      },
    });
    expect(refused.status()).toBe(400);
    expect((await refused.json()).error).toMatchObject({
      code: "unknown_category",
      field: "changes.Contract",
    });
  });
});
