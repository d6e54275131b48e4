import { expect, type Page, test } from "@playwright/test";
import { generateTelcoLikeRows, toCsv } from "../data/generate-sample";
import { E2E_ADMIN } from "./constants";
import { signIn } from "./helpers";

/** One tRPC call with the page's session (superjson wire format), answering its result. */
async function trpc<T>(
  page: Page,
  path: string,
  input: unknown,
  method: "query" | "mutation" = "mutation",
): Promise<T> {
  const response =
    method === "mutation"
      ? await page.request.post(`/api/trpc/${path}`, { data: { json: input } })
      : await page.request.get(
          `/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`,
        );
  const body = await response.json();
  expect(response.status(), `${path}: ${JSON.stringify(body).slice(0, 300)}`).toBe(200);
  return body.result.data.json as T;
}

/**
 * A manager's journey: a dataset with a champion gets a monthly schedule in Berlin time (shown in
 * words with its next three runs), a run is triggered, its challenger shows up next to the
 * champion with both models' figures, and the manager approves it with a reason.
 */
test("configure a retraining schedule, trigger it, see the challenger and approve it", async ({ page }) => {
  test.setTimeout(420_000);
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await expect(page).toHaveURL(/\/dashboard/);

  // A dataset of its own (the sample stays as the other journeys expect it), trained once.
  const csv = toCsv(generateTelcoLikeRows(500, 903));
  const upload = await page.request.post("/api/datasets/uploads?name=scheduled-churn.csv", {
    data: Buffer.from(csv),
    headers: { "content-type": "text/csv" },
  });
  expect(upload.status()).toBe(200);
  const { uploadId } = (await upload.json()) as { uploadId: string };
  const name = `Scheduled churn ${Date.now()}`;
  const imported = await trpc<{ datasetId: number; datasetVersionId: number }>(page, "datasets.import", {
    uploadId,
    name,
    overrides: {},
  });
  const first = await trpc<{ id: number }>(page, "training.start", {
    datasetVersionId: imported.datasetVersionId,
    algorithms: ["logistic_regression"],
    folds: 3,
  });
  // The server trains its sample on start; this run waits its turn.
  await expect
    .poll(
      async () => (await trpc<{ status: string }>(page, "training.get", { runId: first.id }, "query")).status,
      {
        timeout: 300_000,
        intervals: [3_000],
      },
    )
    .toBe("succeeded");

  await page.goto(`/datasets/${imported.datasetId}`);
  await page.getByRole("link", { name: "Retraining" }).click();
  await expect(page.getByRole("heading", { name: "Scheduled retraining" })).toBeVisible();
  await expect(page.getByText("No challenger yet")).toBeVisible();

  await page.getByLabel("Retrain on a schedule").click();
  await page.getByLabel("Repeat").click();
  await page.getByRole("option", { name: /Monthly/ }).click();
  await page.getByLabel("Time zone").fill("Europe/Berlin");
  const preview = page.getByTestId("schedule-preview");
  await expect(preview).toContainText("At 06:00, on day 1 of the month (Europe/Berlin)");
  await expect(preview.getByRole("listitem")).toHaveCount(3);
  await expect(preview.getByRole("listitem").first()).toContainText("6:00 AM (Europe/Berlin)");
  // A bad zone is explained before saving.
  await page.getByLabel("Time zone").fill("Mars/Olympus");
  await expect(preview).toContainText("not a known time zone");
  await expect(page.getByRole("button", { name: "Save schedule" })).toBeDisabled();
  await page.getByLabel("Time zone").fill("Europe/Berlin");
  await page.getByRole("button", { name: "Save schedule" }).click();
  await expect(
    page.getByText("Retraining scheduled: At 06:00, on day 1 of the month (Europe/Berlin)"),
  ).toBeVisible();

  // The saved schedule survives a reload, and admins see it among every dataset's.
  await page.reload();
  await expect(page.getByLabel("Retrain on a schedule")).toBeChecked();
  await page.goto("/admin/schedules");
  const row = page.getByTestId("schedule-row").filter({ hasText: name });
  await expect(row).toContainText("At 06:00, on day 1 of the month (Europe/Berlin)");
  await expect(row).toContainText("Manager approves");
  await row.getByRole("link", { name }).click();

  // Trigger it now: a challenger run on the newest version.
  await page.getByRole("button", { name: "Run now" }).click();
  await expect(page.getByText("Challenger run started")).toBeVisible();
  const decision = page.getByTestId("decision-row").first();
  await expect(async () => {
    await page.reload();
    await expect(decision).toContainText("Waiting for approval", { timeout: 2_000 });
  }).toPass({ timeout: 300_000, intervals: [3_000] });
  await expect(decision).toContainText("Logistic regression v2");
  await expect(decision).toContainText("Logistic regression v1");
  await expect(decision).toContainText(/0\.\d{3}\s*vs 0\.\d{3}/);

  // Approve with a reason: the challenger becomes champion.
  await decision.getByRole("button", { name: "Approve" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByRole("button", { name: "Promote challenger" })).toBeDisabled();
  await dialog.getByLabel("Reason").fill("Trained on this month's export");
  await dialog.getByRole("button", { name: "Promote challenger" }).click();
  await expect(decision).toContainText("Promoted");
  await expect(decision).toContainText(`By ${E2E_ADMIN.email} — “Trained on this month's export”`);
  await expect(decision.getByRole("button", { name: "Approve" })).toHaveCount(0);

  // The challenger's own page says it is the champion now.
  await decision.getByRole("link", { name: "Logistic regression v2" }).click();
  await expect(page.getByRole("heading", { name: /Logistic regression v2/ })).toBeVisible();
  await expect(page.getByText("Champion", { exact: true }).first()).toBeVisible();
});
