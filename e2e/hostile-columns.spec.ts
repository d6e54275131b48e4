import { expect, test } from "@playwright/test";
import { generateTelcoLikeRows, toCsv } from "../data/generate-sample";
import { E2E_ADMIN } from "./constants";
import { ARTIFACTS, signIn } from "./helpers";

/** Telco-like customers plus columns named like Object's members, each copying a Telco column. */
function hostileCsv(): string {
  const extra: [string, string | null][] = [
    ["__proto__", "Contract"],
    ["constructor", "tenure"],
    ["toString", "PaymentMethod"],
    ["hasOwnProperty", "PaperlessBilling"],
    ["prototype", "MonthlyCharges"],
    ["\u200B", "InternetService"],
    [`Average monthly data usage ${"in gigabytes ".repeat(20)}`.slice(0, 200), null],
  ];
  const table = generateTelcoLikeRows(600, 11);
  const header = table[0];
  return toCsv(
    table.map((row, i) =>
      i === 0
        ? [...row, ...extra.map(([name]) => name)]
        : [...row, ...extra.map(([, source]) => (source ? row[header.indexOf(source)] : String(i % 7)))],
    ),
  );
}

/** What a column name from a file broke before: superjson's and React's refusals. */
const HOSTILE_FAILURES = /Only plain objects|Detected property|prototype pollution|Something went wrong/i;

test.describe("a manager's file has columns named __proto__, constructor, toString…", () => {
  test.setTimeout(8 * 60_000);

  test("upload → train → Predict what-if → API page, without an error", async ({ page }) => {
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error" && HOSTILE_FAILURES.test(message.text())) problems.push(message.text());
    });
    const datasetName = `Hostile headers ${Date.now()}`;
    await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await expect(page).toHaveURL(/\/dashboard$/);

    await page.goto("/datasets/upload");
    await page
      .getByTestId("dataset-file-input")
      .setInputFiles({ name: "hostile.csv", mimeType: "text/csv", buffer: Buffer.from(hostileCsv()) });
    await expect(page.getByTestId("preview-column")).toHaveCount(28, { timeout: 60_000 });
    await page.getByLabel("Dataset name").fill(datasetName);
    await page.getByRole("button", { name: "Confirm import" }).click();
    await expect(page).toHaveURL(/\/datasets\/\d+/, { timeout: 60_000 });
    const datasetId = Number(/\/datasets\/(\d+)/.exec(page.url())?.[1]);

    await page.goto("/train");
    await page.getByRole("combobox", { name: "Dataset" }).click();
    await page.getByRole("option", { name: datasetName }).click();
    await page.getByRole("button", { name: "Start training" }).click();
    await expect(page).toHaveURL(/\/train\?run=\d+/, { timeout: 60_000 });
    await expect(page.getByTestId("training-run")).toHaveAttribute("data-status", "succeeded", {
      timeout: 6 * 60_000,
    });

    // The what-if form has a field per hostile column, and the __proto__ one changes the score.
    await page.goto(`/predict?dataset=${datasetId}`);
    await expect(page.getByTestId("risk-score")).toBeVisible({ timeout: 30_000 });
    const proto = page.getByRole("combobox", { name: "__proto__", exact: true });
    await expect(proto).toHaveText("Month-to-month");
    await expect(page.getByLabel("constructor", { exact: true })).toBeVisible();
    await expect(page.getByRole("combobox", { name: "toString", exact: true })).toBeVisible();
    const before = await page.getByTestId("risk-score").textContent();
    await proto.click();
    await page.getByRole("option", { name: "Two year" }).click();
    await expect(proto).toHaveText("Two year");
    await expect(page.getByTestId("risk-score")).not.toHaveText(before ?? "", { timeout: 15_000 });
    await page.screenshot({ path: `${ARTIFACTS}/hostile-predict.png`, fullPage: true });

    // The API page's example sends every column, __proto__ included.
    await page.goto("/api-docs");
    const curlDataset = page.getByRole("combobox", { name: "Dataset" });
    if (await curlDataset.isVisible()) {
      await curlDataset.click();
      await page.getByRole("option", { name: new RegExp(`^${datasetName} \\(id ${datasetId},`) }).click();
    }
    await expect(page.getByTestId("curl-example")).toContainText('"__proto__": "Month-to-month"');
    await expect(page.getByTestId("curl-example")).toContainText('"constructor":');

    expect(problems).toEqual([]);
  });
});
