import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "./constants";
import { ARTIFACTS, downloadCsv, signIn } from "./helpers";

/** Today and tomorrow as the browser's local calendar days ("YYYY-MM-DD"). */
async function localDays(
  page: import("@playwright/test").Page,
): Promise<{ today: string; tomorrow: string }> {
  return page.evaluate(() => {
    const day = (d: Date) =>
      `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
    const now = new Date();
    return { today: day(now), tomorrow: day(new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1)) };
  });
}

test.describe("an admin runs the platform: playbook, audit log, jobs", () => {
  test.setTimeout(4 * 60_000);
  test.use({ timezoneId: "Asia/Kolkata" });

  test("edit the playbook and see the preview change → find it in the audit log → export → see a job", async ({
    page,
  }) => {
    await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await expect(page).toHaveURL(/\/dashboard$/);

    // Settings: the sample customer is month-to-month, so the contract offer is previewed.
    await page.goto("/admin/settings");
    const preview = page.getByTestId("playbook-preview");
    const contractOffer = "Offer 20 % off the next bill for switching to a one-year contract";
    await expect(preview).toContainText(contractOffer);
    const rule = page.getByTestId("playbook-rule").filter({ hasText: contractOffer });
    await rule.getByRole("switch").click();
    await expect(rule.getByText("Disabled")).toBeVisible();
    await expect(preview).not.toContainText(contractOffer);

    // A sample value the default playbook has an action for: DSL without tech support.
    await page.getByLabel("Sample value of InternetService").fill("DSL");
    await expect(preview).toContainText("Offer a free month of tech support");

    // An invalid edit is explained and cannot be saved.
    await page.getByRole("button", { name: "Add action" }).click();
    await expect(
      page
        .getByRole("alert")
        .filter({ hasText: /Action \d+: / })
        .first(),
    ).toBeVisible();
    await expect(page.getByRole("button", { name: "Save playbook" })).toBeDisabled();
    const added = page.getByTestId("playbook-rule").last();
    await added.getByLabel("Action", { exact: true }).fill("Call the customer within a day");
    await added.getByLabel("Driver: column").fill("PaymentMethod");
    await added.getByLabel("Value").fill("Electronic check");
    await added.getByLabel("Cost").fill("0.5");
    await expect(preview).toContainText("Call the customer within a day");
    await page.screenshot({ path: `${ARTIFACTS}/admin-playbook.png`, fullPage: true });
    await page.getByRole("button", { name: "Save playbook" }).click();
    await expect(page.getByText("Playbook saved")).toBeVisible();

    // Audit log: the change, in words, found by action and by today's local date.
    await page.goto("/admin/audit");
    await page.getByLabel("Filter by action").click();
    await page.getByRole("option", { name: "Settings update" }).click();
    const entries = page.getByTestId("audit-entry");
    await expect(entries.filter({ hasText: "updated the retention playbook" }).first()).toContainText(
      "1 disabled",
    );
    const { today, tomorrow } = await localDays(page);
    await page.getByLabel("From", { exact: true }).fill(today);
    await page.getByLabel("To", { exact: true }).fill(today);
    await expect(entries.filter({ hasText: "updated the retention playbook" }).first()).toBeVisible();
    await page.getByLabel("From", { exact: true }).fill(tomorrow);
    await page.getByLabel("To", { exact: true }).fill(tomorrow);
    await expect(page.getByText("No entries match these filters.")).toBeVisible();
    await page.getByLabel("From", { exact: true }).fill(today);
    await page.getByLabel("To", { exact: true }).fill(today);
    await expect(entries.first()).toBeVisible();
    await page.screenshot({ path: `${ARTIFACTS}/admin-audit.png`, fullPage: true });

    // Export with the same filters: CSV with the sentence; the export is itself audited.
    const href = await page.getByRole("link", { name: "Export CSV" }).getAttribute("href");
    expect(href).toContain("action=settings.update");
    expect(href).toMatch(/from=\d{4}-\d{2}-\d{2}T\d{2}%3A\d{2}/);
    const csv = await downloadCsv(page, href ?? "");
    expect(csv.columns).toEqual([
      "at_utc",
      "actor",
      "action",
      "description",
      "target_type",
      "target_id",
      "ip",
      "details",
    ]);
    expect(csv.rows.some((r) => r[3].includes("updated the retention playbook"))).toBe(true);
    expect(csv.rows.every((r) => r[2] === "settings.update")).toBe(true);
    await page.reload();
    await expect(entries.filter({ hasText: "exported" }).first()).toContainText("audit log entr");

    // Jobs: the executor, and the sample's training job started at first start.
    await page.goto("/admin/jobs");
    await expect(page.getByTestId("executor")).toContainText("embedded runner");
    await expect(page.getByTestId("job-row").filter({ hasText: "Training" }).first()).toBeVisible();
    await page.screenshot({ path: `${ARTIFACTS}/admin-jobs.png`, fullPage: true });

    // Leave the default playbook for the other journeys.
    await page.goto("/admin/settings");
    await page.getByRole("button", { name: "Restore the default playbook" }).click();
    await page.getByRole("button", { name: "Restore default" }).click();
    await expect(page.getByText("The default playbook is back.")).toBeVisible();
    await expect(preview).toContainText(contractOffer);
    await expect(preview).not.toContainText("Call the customer within a day");
  });
});
