import { expect, type Page, test } from "@playwright/test";
import { generateTelcoLikeRows, toCsv } from "../data/generate-sample";
import { E2E_ADMIN } from "./constants";
import { chooseScoringDataset, signIn } from "./helpers";
import { championModelId, waitForTrainedSample } from "./sample-ready";

/**
 * Dates are rendered on the server and again in the browser; outside UTC the two used to differ
 * and React threw hydration error #418. Every page with dates must load without a console error
 * in any time zone, on the first visit (the server does not know the zone yet) and later ones.
 */
const ZONES = ["America/Los_Angeles", "Asia/Kolkata"];

async function scoreSmallFile(page: Page) {
  await page.goto("/scoring");
  await chooseScoringDataset(page, "Telco sample");
  const rows = generateTelcoLikeRows(40, 5);
  const churnAt = rows[0].indexOf("Churn");
  await page.getByTestId("score-file-input").setInputFiles({
    name: "time-zone-check.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(toCsv(rows.map((r) => r.filter((_, i) => i !== churnAt)))),
  });
  await page.getByTestId("start-scoring").click();
  await expect(page.getByTestId("batch-panel").getByTestId("batch-status")).toHaveText("Succeeded", {
    timeout: 120_000,
  });
}

test.describe("pages load cleanly in any time zone", () => {
  test.setTimeout(6 * 60_000);

  test("no console error or page error on the dated pages in Los Angeles and Kolkata", async ({
    browser,
    page,
  }) => {
    await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await expect(page).toHaveURL(/\/dashboard$/);
    await waitForTrainedSample(page);
    // A scored file and a model page, so /scoring and /models/<id> have dates to show.
    await scoreSmallFile(page);
    const modelId = await championModelId(page);
    expect(modelId).toBeGreaterThan(0);

    const paths = [
      "/dashboard",
      "/models",
      `/models/${modelId}`,
      "/scoring",
      "/customers",
      "/datasets",
      "/datasets/1",
      "/train",
      "/predict",
      "/api-docs",
      "/admin/users",
      "/admin/api-keys",
      "/admin/audit",
      "/admin/jobs",
      "/admin/schedules",
      "/datasets/1/retraining",
      "/drift",
      "/analytics",
      "/campaigns",
      "/reports",
      "/account",
    ];
    for (const timezoneId of ZONES) {
      const context = await browser.newContext({ timezoneId, locale: "en-US" });
      const zonePage = await context.newPage();
      const problems: string[] = [];
      zonePage.on("pageerror", (error) => problems.push(`${zonePage.url()}: ${error.message}`));
      zonePage.on("console", (message) => {
        if (message.type() === "error") problems.push(`${zonePage.url()}: ${message.text()}`);
      });
      await signIn(zonePage, E2E_ADMIN.email, E2E_ADMIN.password);
      await expect(zonePage).toHaveURL(/\/dashboard$/);
      // Twice: the first round before the browser has told the server its zone, then after.
      for (const round of [1, 2]) {
        for (const path of paths) {
          await zonePage.goto(path);
          await zonePage.waitForLoadState("networkidle");
          expect(problems, `${timezoneId}, round ${round}, ${path}`).toEqual([]);
        }
      }
      // After hydration the dates are in the reader's zone: the scored file's exact time on hover.
      await zonePage.goto("/scoring");
      const created = zonePage.getByTestId("batches-table").locator("time").first();
      const iso = await created.getAttribute("datetime");
      const expected = await zonePage.evaluate((value) => {
        const d = new Date(value ?? "");
        return `${d.getHours() % 12 === 0 ? 12 : d.getHours() % 12}:${String(d.getMinutes()).padStart(2, "0")}`;
      }, iso);
      await expect(created).toHaveAttribute("title", new RegExp(`, ${expected}:\\d\\d [AP]M$`));
      await context.close();
    }
  });
});
