import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "./constants";
import { ARTIFACTS, downloadCsv, figure, signIn } from "./helpers";

const ROWS = 240;
const HEADER = [
  "Customer Ref",
  "Plan, tier",
  "Months active",
  "Monthly fee (€)",
  "Support tickets/90d",
  "Auto-pay?",
  "Región",
  "Cancelled",
];

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), so the file is the same every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * A subscription business's export, not the Telco sample: its own columns, headers with a comma,
 * a currency sign, a slash, a question mark and an accent, and the churn column called "Cancelled".
 * Churn depends on plan, tenure, tickets and auto-pay, with noise, so the models learn something.
 */
function subscriptionCsv(): { body: Buffer; cancelled: number } {
  const next = random(2024);
  const quote = (cell: string) => (/[",\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
  const lines = [HEADER.map(quote).join(",")];
  let cancelled = 0;
  for (let i = 1; i <= ROWS; i++) {
    const plan = (["Basic", "Plus", "Pro"] as const)[Math.floor(next() * 3)];
    const months = 1 + Math.floor(next() * 48);
    const fee = ({ Basic: 19, Plus: 39, Pro: 79 } as const)[plan] + Math.round(next() * 1000) / 100;
    const tickets = Math.floor(next() * next() * 8);
    const autoPay = next() < 0.55 ? "yes" : "no";
    const region = ["Norte", "Sur", "Este", "Oeste"][Math.floor(next() * 4)];
    const logit =
      -0.6 + (plan === "Basic" ? 0.9 : 0) + 0.35 * tickets - 0.05 * months + (autoPay === "no" ? 0.8 : 0);
    const isCancelled = next() < 1 / (1 + Math.exp(-logit));
    if (isCancelled) cancelled += 1;
    lines.push(
      [
        `SUB-${String(i).padStart(4, "0")}`,
        plan,
        String(months),
        fee.toFixed(2),
        String(tickets),
        autoPay,
        region,
        isCancelled ? "yes" : "no",
      ]
        .map(quote)
        .join(","),
    );
  }
  return { body: Buffer.from(`${lines.join("\n")}\n`), cancelled };
}

test.describe("a manager adds a second dataset of their own and sees who is at risk and who already left", () => {
  test.setTimeout(6 * 60_000);

  test("upload odd headers → train → customers list, lost vs active, export, dashboard", async ({ page }) => {
    const file = subscriptionCsv();
    const active = ROWS - file.cancelled;
    expect(file.cancelled).toBeGreaterThan(20);
    expect(active).toBeGreaterThan(20);
    const datasetName = `Subscriptions e2e ${Date.now()}`;
    await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await expect(page).toHaveURL(/\/dashboard$/);

    // Upload and preview: the churn column is found under its own name.
    await page.goto("/datasets/upload");
    await page.getByTestId("dataset-file-input").setInputFiles({
      name: "subscriptions.csv",
      mimeType: "text/csv",
      buffer: file.body,
    });
    await expect(page.getByTestId("preview-column")).toHaveCount(HEADER.length, { timeout: 60_000 });
    await expect(
      page.getByTestId("preview-column").filter({ hasText: "Cancelled" }).getByText("Target"),
    ).toBeVisible();
    await expect(
      page.getByTestId("preview-column").filter({ hasText: "Customer Ref" }).getByText("Identifier"),
    ).toBeVisible();
    await page.getByLabel("Dataset name").fill(datasetName);
    await page.getByRole("button", { name: "Confirm import" }).click();
    await expect(page).toHaveURL(/\/datasets\/\d+/, { timeout: 60_000 });
    const datasetId = Number(/\/datasets\/(\d+)/.exec(page.url())?.[1]);
    await expect(page.getByRole("heading", { name: datasetName })).toBeVisible();

    // Train two quick algorithms.
    await page.goto("/train");
    await page.getByRole("combobox", { name: "Dataset" }).click();
    await page.getByRole("option", { name: datasetName }).click();
    await page.getByRole("checkbox", { name: "Random forest" }).click();
    await page.getByRole("checkbox", { name: "SVM" }).click();
    await page.getByRole("button", { name: "Start training" }).click();
    await expect(page).toHaveURL(/\/train\?run=\d+/, { timeout: 60_000 });
    await expect(page.getByTestId("training-run")).toHaveAttribute("data-status", "succeeded", {
      timeout: 4 * 60_000,
    });

    // Its customers: the active ones listed, the cancelled ones counted apart.
    await page.goto(`/customers?dataset=${datasetId}`);
    const rows = page.getByTestId("customer-row");
    await expect(rows.first()).toBeVisible({ timeout: 30_000 });
    await expect(rows.first().getByRole("link")).toHaveText(/^SUB-\d{4}$/);
    await expect(page.getByTestId("status-active-count")).toHaveText(active.toLocaleString("en-US"));
    await expect(page.getByTestId("status-lost-count")).toHaveText(file.cancelled.toLocaleString("en-US"));
    await expect(page.getByTestId("observed-churn-rate")).toContainText(
      `${((file.cancelled / ROWS) * 100).toFixed(1)} %`,
    );
    await expect(page.getByText(new RegExp(` of ${active} active customers$`))).toBeVisible();
    await page.screenshot({ path: `${ARTIFACTS}/second-dataset-customers.png`, fullPage: true });

    // A column with a comma in its name filters like any other.
    await page.getByRole("combobox", { name: "Column" }).click();
    await page.getByRole("option", { name: "Plan, tier", exact: true }).click();
    await page.getByRole("combobox", { name: "Value" }).click();
    await page.getByRole("option", { name: /^Basic/ }).click();
    await page.getByRole("button", { name: "Add filter" }).click();
    await expect(page.getByRole("button", { name: "Remove filter Plan, tier = Basic" })).toBeVisible();
    await expect(page).toHaveURL(/f\.Plan%2C(\+|%20)tier=Basic/);
    const activeCount = async () => figure(await page.getByTestId("status-active-count").textContent());
    await expect.poll(activeCount).toBeLessThan(active);
    expect(await activeCount()).toBeGreaterThan(0);

    // Exports: active customers with their actions, lost ones on request; the counts are the file's.
    const exported = await downloadCsv(page, `/customers/export?dataset=${datasetId}`);
    expect(exported.columns).toContain("recommended_action");
    expect(exported.rows).toHaveLength(active);
    expect(exported.rows.every((r) => /^SUB-\d{4}$/.test(r[0]))).toBe(true);
    const lostExport = await downloadCsv(page, `/customers/export?dataset=${datasetId}&status=lost`);
    expect(lostExport.rows).toHaveLength(file.cancelled);

    await page.getByTestId("status-lost").click();
    await expect(page).toHaveURL(/[?&]status=lost/);
    await expect(rows.first().getByTestId("lost-badge")).toBeVisible();

    // The dashboard of this dataset says the same.
    await page.goto(`/dashboard?dataset=${datasetId}`);
    await expect(page.getByTestId("kpi-active-value")).toHaveText(active.toLocaleString("en-US"));
    await expect(page.getByTestId("kpi-lost-value")).toHaveText(file.cancelled.toLocaleString("en-US"));
    const high = exported.rows.filter((r) => r[exported.columns.indexOf("risk_level")] === "high").length;
    await expect(page.getByTestId("kpi-high-risk-value")).toHaveText(high.toLocaleString("en-US"));
    await page.screenshot({ path: `${ARTIFACTS}/second-dataset-dashboard.png`, fullPage: true });
  });
});
