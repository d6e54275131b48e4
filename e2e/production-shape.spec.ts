import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { parseCsv } from "../lib/ml/data";
import { setPasswordThroughLink } from "./account-helpers";
import { ARTIFACTS, signIn, signOut } from "./helpers";

/**
 * The deploy, proven without an AWS account: the production build as Lambda runs it
 * (scripts/e2e/production-shape-server.ts: AWS_LAMBDA_FUNCTION_NAME set, PostgreSQL, read-only
 * data folder, S3 in eu-central-1, Inngest and Pusher through their protocols, 6 MB payload limit).
 * Each stand-in reports what it saw, and the journey checks it:
 * - jobs: every run went through /api/inngest (the driver's runs) and none failed;
 * - files: the browser PUT the 6.7 MB file to the bucket, signed for eu-central-1, never to the app;
 *   the export came back from the bucket through a presigned URL;
 * - Lambda: no request or response body over 6 MB reached the app;
 * - realtime: the training page's private channel was authorised and got the run's progress.
 */
const port = Number(process.env.E2E_PORT ?? 3613);
/** The stand-ins' ports (scripts/e2e/production-shape-server.ts). */
const DRIVER = `http://127.0.0.1:${port + 10_001}`;
const PUSHER = `http://127.0.0.1:${port + 10_002}`;
const S3_ORIGIN = `http://127.0.0.1:${port + 10_003}`;
const PASSWORD = "production-shape-password-1";

interface Setup {
  email: string;
  link: string;
  region: string;
  bucket: string;
}
interface DriverRun {
  id: string;
  functionId: string;
  status: "running" | "completed" | "failed" | "cancelled";
  requests: number;
  checkpoints: number;
  stepsRun: number;
  error?: unknown;
}

const ROWS = 4_000;
/** 4,000 customers with a long free-text note each: just over 6.7 MB, past Lambda's 6 MB limit. */
function bigChurnFile(): { file: Buffer; active: number } {
  const plans = ["basic", "plus", "pro"];
  const topics = ["billing", "outage", "upgrade", "contract", "support", "roaming", "device", "renewal"];
  const lines = ["customerId,plan,tenure,MonthlyCharges,notes,Churn"];
  let active = 0;
  for (let i = 0; i < ROWS; i++) {
    const tenure = (i * 7) % 72;
    const charges = 20 + ((i * 13) % 100) + 0.35;
    // Churn follows tenure and charges (with noise), so the models have something to learn.
    const churned = (tenure < 12 && charges > 60) || i % 11 === 0;
    if (!churned) active++;
    const topic = topics[i % topics.length];
    const note = `Customer ${i + 1} called about ${topic} on visit ${i % 97} and asked for a follow up ${"with the account team about the next steps for the plan ".repeat(28)}ticket ${i * 31}`;
    lines.push(
      `C-${String(i + 1).padStart(5, "0")},${plans[i % 3]},${tenure},${charges.toFixed(2)},${note},${churned ? "Yes" : "No"}`,
    );
  }
  return { file: Buffer.from(`${lines.join("\n")}\n`), active };
}

test.describe("production shape: the app as Lambda runs it, on the managed services' protocols", () => {
  test("set password → sign in → upload 6.7 MB (presigned) → train (Inngest, Pusher) → scores → export from S3", async ({
    page,
  }) => {
    test.setTimeout(230_000);
    const setup = JSON.parse(
      readFileSync(path.join(tmpdir(), `churnguard-production-shape-${port}.json`), "utf8"),
    ) as Setup;
    const { file, active } = bigChurnFile();
    expect(file.length).toBeGreaterThan(6 * 1024 * 1024);

    const toBucket: string[] = [];
    const toApp: string[] = [];
    page.on("request", (request) => {
      const url = request.url();
      if (request.method() === "PUT" && url.startsWith(S3_ORIGIN)) toBucket.push(url);
      if (
        url.startsWith(`http://127.0.0.1:${port}/`) &&
        (request.postDataBuffer()?.length ?? 0) > 1024 * 1024
      ) {
        toApp.push(`${request.method()} ${url}`);
      }
    });

    // The deploy step's admin (npm run admin:create) sets a password, signs out, signs in.
    await setPasswordThroughLink(page, setup.link, PASSWORD);
    await signOut(page);
    await signIn(page, setup.email, PASSWORD);
    await expect(page).toHaveURL(/\/dashboard$/);

    // Upload: straight to the bucket through presigned part URLs signed for the bucket's region.
    const datasetName = `Production shape ${Date.now()}`;
    await page.goto("/datasets/upload");
    await page
      .getByTestId("dataset-file-input")
      .setInputFiles({ name: "big customers.csv", mimeType: "text/csv", buffer: file });
    await expect(page.getByTestId("preview-column")).toHaveCount(6, { timeout: 90_000 });
    await expect(page.getByText("4,000 rows")).toBeVisible();
    expect(toBucket.length).toBeGreaterThanOrEqual(1);
    for (const url of toBucket) {
      const credential = new URL(url).searchParams.get("X-Amz-Credential") ?? "";
      expect(credential.split("/")[2], "presigned for the bucket's region").toBe(setup.region);
    }
    expect(toApp, "no large body sent to the app").toEqual([]);
    await page.getByLabel("Dataset name").fill(datasetName);
    await page.getByRole("button", { name: "Confirm import" }).click();
    await expect(page).toHaveURL(/\/datasets\/\d+/, { timeout: 90_000 });
    await expect(page.getByRole("heading", { name: datasetName })).toBeVisible();
    const datasetId = Number(/\/datasets\/(\d+)/.exec(page.url())?.[1]);

    // Train: every step runs in a request to /api/inngest; progress arrives over Pusher.
    await page.goto("/train");
    await page.getByRole("combobox", { name: "Dataset" }).click();
    await page.getByRole("option", { name: datasetName }).click();
    await page.getByRole("button", { name: "Start training" }).click();
    await expect(page).toHaveURL(/\/train\?run=\d+/, { timeout: 60_000 });
    const run = page.getByTestId("training-run");
    await expect(run).toHaveAttribute("data-status", "succeeded", { timeout: 150_000 });
    await expect(page.getByTestId("run-progress")).toHaveText("100 %");
    await page.screenshot({ path: `${ARTIFACTS}/production-shape-trained.png`, fullPage: true });

    // Scores: the run's best model is the champion and every customer has a score.
    await page.goto(`/customers?dataset=${datasetId}`);
    await expect(page.getByTestId("customer-row").first()).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId("customer-row").first().getByTestId("risk-level")).toBeVisible();

    // The export is written to the bucket and downloaded from it (a 303 to a presigned URL).
    const exported = await page.request.get(`/customers/export?dataset=${datasetId}`, { maxRedirects: 0 });
    expect(exported.status()).toBe(303);
    const location = exported.headers().location;
    expect(location.startsWith(`${S3_ORIGIN}/${setup.bucket}/`)).toBe(true);
    expect(new URL(location).searchParams.get("X-Amz-Credential")?.split("/")[2]).toBe(setup.region);
    const download = await page.request.get(location);
    expect(download.status()).toBe(200);
    const { columns, rows } = parseCsv(await download.body());
    const score = columns.indexOf("risk_score");
    expect(score).toBeGreaterThanOrEqual(0);
    // The customers list (and so its export) holds the customers still with us, each with a score.
    expect(rows).toHaveLength(active);
    expect(rows.every((row) => row[score] !== "" && Number(row[score]) >= 0 && Number(row[score]) <= 1)).toBe(
      true,
    );

    // What the stand-ins saw.
    const runs = (await (await page.request.get(`${DRIVER}/_driver/runs`)).json()) as DriverRun[];
    const byFunction = (id: string) => runs.filter((r) => r.functionId === `churnguard-${id}`);
    expect(byFunction("import-upload").length).toBeGreaterThanOrEqual(1);
    expect(byFunction("train-models")).toHaveLength(1);
    expect(byFunction("train-models")[0]).toMatchObject({ status: "completed" });
    expect(byFunction("train-models")[0].stepsRun).toBeGreaterThan(1);
    expect(
      runs.filter((r) => r.status !== "completed"),
      "every job ran to completion through /api/inngest",
    ).toEqual([]);

    const realtime = (await (await page.request.get(`${PUSHER}/_fake/stats`)).json()) as {
      published: { channel: string; name: string }[];
      delivered: number;
      subscriptions: { channel: string }[];
      refusedSubscriptions: number;
      refusedPublishes: number;
    };
    expect(realtime.refusedPublishes).toBe(0);
    expect(realtime.refusedSubscriptions).toBe(0);
    expect(realtime.subscriptions.length).toBeGreaterThan(0);
    expect(realtime.published.length).toBeGreaterThan(0);
    expect(realtime.delivered, "events reached the browser over the websocket").toBeGreaterThan(0);

    const lambda = (await (await page.request.get("/_lambda/stats")).json()) as {
      refusedRequests: string[];
      cutResponses: string[];
    };
    expect(lambda).toMatchObject({ refusedRequests: [], cutResponses: [] });
  });
});
