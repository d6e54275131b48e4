import { expect, test } from "@playwright/test";
import { generateTelcoLikeRows } from "../data/generate-sample";
import { E2E_ADMIN } from "./constants";
import { ARTIFACTS, signIn } from "./helpers";

/**
 * A Telco-like export as Excel and a report tool write it: "sep=;" line, BOM, CRLF then LF,
 * decimal commas with a euro sign, Churn as TRUE/True/false, a last-login date (dd/mm/yyyy) and a
 * nameless empty column at the end.
 */
function quirkyExport(): string {
  const table = generateTelcoLikeRows(400, 23);
  const header = table[0];
  const charges = header.indexOf("MonthlyCharges");
  const churn = header.indexOf("Churn");
  const lines = table.map((row, i) => {
    if (i === 0) return [...row, "LastLogin", ""].join(";");
    const login = new Date(Date.UTC(2024, 5, 30) - ((i * 17) % 300) * 86_400_000);
    const date = `${String(login.getUTCDate()).padStart(2, "0")}/${String(login.getUTCMonth() + 1).padStart(2, "0")}/${login.getUTCFullYear()}`;
    const cells = row.map((v, j) => {
      if (j === charges) return `${v.replace(".", ",")} €`;
      if (j === churn) return v === "Yes" ? (i % 2 ? "TRUE" : "True") : i % 2 ? "false" : "FALSE";
      return v.includes(";") ? `"${v}"` : v;
    });
    return [...cells, date, ""].join(";");
  });
  return `\ufeffsep=;\r\n${lines.slice(0, 200).join("\r\n")}\r\n${lines.slice(200).join("\n")}\n`;
}

test.describe("a manager uploads an export with the quirks of real files", () => {
  test.setTimeout(3 * 60_000);

  test("upload → preview says how the file was read → import → the profile lists the recency feature", async ({
    page,
  }) => {
    const datasetName = `Quirky export ${Date.now()}`;
    await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await expect(page).toHaveURL(/\/dashboard$/);

    await page.goto("/datasets/upload");
    await page
      .getByTestId("dataset-file-input")
      .setInputFiles({ name: "export.csv", mimeType: "text/csv", buffer: Buffer.from(quirkyExport()) });
    // 21 Telco columns and LastLogin; the nameless empty column is left out.
    await expect(page.getByTestId("preview-column")).toHaveCount(22, { timeout: 60_000 });
    await expect(page.getByText("400 rows")).toBeVisible();
    await expect(page.getByText(/Line 1 \("sep=;", written by Excel\) names the delimiter/)).toBeVisible();
    await expect(page.getByText(/Column 23 has no name in the header and no values/)).toBeVisible();
    await expect(
      page.getByTestId("preview-column").filter({ hasText: "Churn" }).getByText("Target"),
    ).toBeVisible();
    await page.getByLabel("Dataset name").fill(datasetName);
    await page.screenshot({ path: `${ARTIFACTS}/quirky-preview.png`, fullPage: true });
    await page.getByRole("button", { name: "Confirm import" }).click();

    await expect(page).toHaveURL(/\/datasets\/\d+/, { timeout: 60_000 });
    await expect(page.getByRole("heading", { name: datasetName })).toBeVisible();
    await expect(
      page.getByText(/Column "LastLogin" holds dates; it is used as the number of days before 2024-06-30/),
    ).toBeVisible();
    await expect(
      page.getByText(
        /Column "MonthlyCharges" is read as numbers with a decimal comma: currency signs removed/,
      ),
    ).toBeVisible();
    await page.screenshot({ path: `${ARTIFACTS}/quirky-profile.png`, fullPage: true });
  });
});
