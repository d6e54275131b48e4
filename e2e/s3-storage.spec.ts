import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "./constants";
import { signIn } from "./helpers";

/** The fake S3 server's origin (scripts/e2e-s3-server.mjs: the app's port + 10000). */
const S3_ORIGIN = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3150) + 10_000}`;

/** A small churn file: 400 customers, every fourth churned. */
function churnFile(rows: number): Buffer {
  const plans = ["basic", "plus", "pro"];
  const lines = ["customerId,plan,tenure,MonthlyCharges,Churn"];
  for (let i = 0; i < rows; i++) {
    lines.push(
      `C-${String(i + 1).padStart(5, "0")},${plans[i % 3]},${(i * 7) % 72},${(20 + ((i * 13) % 100) + 0.35).toFixed(2)},${i % 4 === 0 ? "Yes" : "No"}`,
    );
  }
  return Buffer.from(`${lines.join("\n")}\n`);
}

test.describe("files in S3: the browser uploads to the bucket and downloads from it", () => {
  test("upload (presigned, checked by a job) → preview → import → customer export from the bucket", async ({
    page,
  }) => {
    const partPuts: string[] = [];
    const throughApp: string[] = [];
    page.on("request", (request) => {
      if (request.method() === "PUT" && request.url().startsWith(S3_ORIGIN)) partPuts.push(request.url());
      if (new URL(request.url()).pathname.startsWith("/api/datasets/uploads")) throughApp.push(request.url());
    });
    const datasetName = `S3 journey ${Date.now()}`;
    await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await expect(page).toHaveURL(/\/dashboard$/);

    await page.goto("/datasets/upload");
    await page
      .getByTestId("dataset-file-input")
      .setInputFiles({ name: "s3 customers.csv", mimeType: "text/csv", buffer: churnFile(400) });
    await expect(page.getByTestId("preview-column")).toHaveCount(5, { timeout: 60_000 });
    await expect(page.getByText("400 rows")).toBeVisible();
    // The file went to the bucket in one presigned part, never through the app's upload route.
    expect(partPuts).toHaveLength(1);
    expect(new URL(partPuts[0]).searchParams.get("partNumber")).toBe("1");
    expect(new URL(partPuts[0]).searchParams.get("X-Amz-Signature")).toBeTruthy();
    expect(throughApp).toEqual([]);

    await page.getByLabel("Dataset name").fill(datasetName);
    await page.getByRole("button", { name: "Confirm import" }).click();
    await expect(page).toHaveURL(/\/datasets\/\d+/, { timeout: 60_000 });
    await expect(page.getByRole("heading", { name: datasetName })).toBeVisible();
    const datasetId = Number(/\/datasets\/(\d+)/.exec(page.url())?.[1]);

    // The export is written to the bucket; the app answers 303 to a presigned URL.
    const exported = await page.request.get(`/customers/export?dataset=${datasetId}`, { maxRedirects: 0 });
    expect(exported.status()).toBe(303);
    const location = exported.headers().location;
    expect(location.startsWith(`${S3_ORIGIN}/churnguard-e2e/`)).toBe(true);
    const file = await page.request.get(location);
    expect(file.status()).toBe(200);
    expect(file.headers()["content-disposition"]).toMatch(/^attachment; filename=".+\.csv"$/);
    // No model is trained in this journey, so the export has the scored-file header and no rows yet.
    const lines = (await file.text()).trim().split("\n");
    expect(lines[0]).toContain("risk_score");
  });
});
