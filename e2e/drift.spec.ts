import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "./constants";
import { ARTIFACTS, signIn } from "./helpers";

const ROWS = 300;
const HEADER = ["Account", "Plan", "Months active", "Monthly fee", "Support tickets", "Auto-pay", "Churned"];

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), so the files are the same every run. */
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
 * A subscription export. `shifted`: next month's file after a change in the market — every
 * account is new (other ids), on the Basic plan and at most six months old; churn follows the same
 * rule, so only the population moved.
 */
function subscriptionCsv(seed: number, shifted: boolean): Buffer {
  const next = random(seed);
  const lines = [HEADER.join(",")];
  for (let i = 1; i <= ROWS; i++) {
    const plan = shifted ? "Basic" : (["Basic", "Plus", "Pro"] as const)[Math.floor(next() * 3)];
    const months = shifted ? 1 + Math.floor(next() * 6) : 1 + Math.floor(next() * 48);
    const fee = ({ Basic: 19, Plus: 39, Pro: 79 } as const)[plan] + Math.round(next() * 1000) / 100;
    const tickets = Math.floor(next() * next() * 8);
    const autoPay = next() < 0.55 ? "yes" : "no";
    const logit =
      -0.6 + (plan === "Basic" ? 0.9 : 0) + 0.35 * tickets - 0.05 * months + (autoPay === "no" ? 0.8 : 0);
    const churned = next() < 1 / (1 + Math.exp(-logit));
    lines.push(
      [
        `${shifted ? "NEW" : "ACC"}-${String(i).padStart(4, "0")}`,
        plan,
        String(months),
        fee.toFixed(2),
        String(tickets),
        autoPay,
        churned ? "yes" : "no",
      ].join(","),
    );
  }
  return Buffer.from(`${lines.join("\n")}\n`);
}

test.describe("a manager sees drift after uploading a shifted version of a dataset", () => {
  test.setTimeout(6 * 60_000);

  test("upload → train → upload a shifted version under the same name → significant drift, banner, retrain link", async ({
    page,
  }) => {
    const name = `Drift e2e ${Date.now()}`;
    await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await expect(page).toHaveURL(/\/dashboard$/);

    const upload = async (fileName: string, body: Buffer) => {
      await page.goto("/datasets/upload");
      await page
        .getByTestId("dataset-file-input")
        .setInputFiles({ name: fileName, mimeType: "text/csv", buffer: body });
      await expect(page.getByTestId("preview-column")).toHaveCount(HEADER.length, { timeout: 60_000 });
      await page.getByLabel("Dataset name").fill(name);
      await page.getByRole("button", { name: "Confirm import" }).click();
      await expect(page).toHaveURL(/\/datasets\/\d+/, { timeout: 60_000 });
      return Number(/\/datasets\/(\d+)/.exec(page.url())?.[1]);
    };

    const datasetId = await upload("accounts-march.csv", subscriptionCsv(7, false));

    // Before a model exists the Drift page says what is needed.
    await page.getByRole("main").getByRole("link", { name: "Drift" }).click();
    await expect(page).toHaveURL(new RegExp(`/drift\\?dataset=${datasetId}$`));
    await expect(page.getByRole("heading", { name: `No champion model for ${name} yet` })).toBeVisible();

    await page.goto(`/train?dataset=${datasetId}`);
    await page.getByRole("checkbox", { name: "Random forest" }).click();
    await page.getByRole("checkbox", { name: "SVM" }).click();
    await page.getByRole("button", { name: "Start training" }).click();
    await expect(page).toHaveURL(/\/train\?run=\d+/, { timeout: 60_000 });
    await expect(page.getByTestId("training-run")).toHaveAttribute("data-status", "succeeded", {
      timeout: 4 * 60_000,
    });

    // The same name again: version 2 of the same dataset, checked against the champion by itself.
    expect(await upload("accounts-april.csv", subscriptionCsv(8, true))).toBe(datasetId);
    await page.goto(`/drift?dataset=${datasetId}`);
    await expect(page.getByRole("heading", { name: `Drift · ${name}` })).toBeVisible();
    await expect(page.getByText("trained on version 1", { exact: false })).toBeVisible();
    const verdict = page.getByTestId("drift-verdict");
    await expect(verdict).toContainText("Significant drift", { timeout: 60_000 });
    await expect(page.getByRole("button", { name: "Version 2" })).toHaveAttribute("aria-pressed", "true");
    // The shifted columns lead the table (sorted by PSI × importance).
    const columns = page.getByRole("table").nth(1).getByRole("row");
    await expect(columns.nth(1)).toContainText(/Months active|Plan/);
    await expect(columns.nth(1)).toContainText("Significant drift");
    await expect(page.getByRole("figure", { name: /^Predicted risk: / })).toBeVisible();
    await expect(page.getByRole("link", { name: "Retrain now" }).first()).toHaveAttribute(
      "href",
      `/train?dataset=${datasetId}`,
    );
    await page.screenshot({ path: `${ARTIFACTS}/drift-significant.png`, fullPage: true });

    // "Check now" runs the comparison again and lands on the same verdict.
    await page.getByRole("button", { name: "Check now" }).click();
    await expect(page.getByText(/Checking 1 comparison/)).toBeVisible();
    await expect(verdict).toContainText("Significant drift", { timeout: 60_000 });

    // The dashboard warns, and links to the report.
    await page.goto("/dashboard");
    const banner = page.getByRole("region", { name: "Drift alerts" });
    await expect(banner.getByText(`Significant drift in ${name}`)).toBeVisible();
    await banner
      .getByRole("alert")
      .filter({ hasText: name })
      .getByRole("link", { name: "See the drift report" })
      .click();
    await expect(page).toHaveURL(new RegExp(`/drift\\?dataset=${datasetId}$`));

    // The report fits a phone: wide tables scroll inside their own box, the page never sideways.
    await page.setViewportSize({ width: 375, height: 667 });
    await page.reload();
    await expect(verdict).toContainText("Significant drift");
    await page.waitForLoadState("networkidle");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.screenshot({ path: `${ARTIFACTS}/drift-phone.png`, fullPage: true });
  });
});
