import { existsSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { isCi, TELCO_CSV } from "../lib/testing/shared-data";
import { E2E_ADMIN } from "./constants";
import { ARTIFACTS, signIn } from "./helpers";

const TELCO = TELCO_CSV;

test.describe("a manager uploads the Telco file, trains, and promotes a model", () => {
  test.skip(!existsSync(TELCO) && !isCi(), `The Telco file is not at ${TELCO}`);
  test.setTimeout(6 * 60_000);

  test("upload → preview → import → train with live progress → leaderboard → detail → promote", async ({
    page,
  }) => {
    const datasetName = `Telco e2e ${Date.now()}`;
    await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await expect(page).toHaveURL(/\/dashboard$/);

    // Upload and preview.
    await page.goto("/datasets/upload");
    await page.getByTestId("dataset-file-input").setInputFiles(TELCO);
    await expect(page.getByTestId("preview-column")).toHaveCount(21, { timeout: 60_000 });
    await expect(page.getByText("7,043 rows")).toBeVisible();
    await expect(
      page.getByTestId("preview-column").filter({ hasText: "Churn" }).getByText("Target"),
    ).toBeVisible();
    await expect(
      page.getByTestId("preview-column").filter({ hasText: "customerID" }).getByText("Identifier"),
    ).toBeVisible();
    await page.getByLabel("Dataset name").fill(datasetName);
    await page.screenshot({ path: `${ARTIFACTS}/upload-preview.png`, fullPage: true });
    await page.getByRole("button", { name: "Confirm import" }).click();

    // The profile of the imported version.
    await expect(page).toHaveURL(/\/datasets\/\d+/, { timeout: 60_000 });
    await expect(page.getByRole("heading", { name: datasetName })).toBeVisible();
    await expect(page.getByText("26.5 %").first()).toBeVisible();
    await page.screenshot({ path: `${ARTIFACTS}/dataset-profile.png` });

    // Start training and watch it reach 100 %.
    await page.goto("/train");
    await page.getByRole("combobox", { name: "Dataset" }).click();
    await page.getByRole("option", { name: datasetName }).click();
    // The search budget: quick by default (thorough is about ten times longer).
    await expect(page.getByRole("combobox", { name: "Hyper-parameter search" })).toHaveText(
      /Quick \(default\)/,
    );
    await page.getByRole("button", { name: "Start training" }).click();
    // Training shares the server process in embedded mode, so navigation can wait for a step.
    await expect(page).toHaveURL(/\/train\?run=\d+/, { timeout: 60_000 });
    const run = page.getByTestId("training-run");
    await expect(run).toBeVisible();
    await expect(run).toHaveAttribute("data-status", "succeeded", { timeout: 5 * 60_000 });
    await expect(page.getByTestId("run-progress")).toHaveText("100 %");
    await expect(page.getByTestId("run-model-gradient_boosting")).toBeVisible();
    await page.screenshot({ path: `${ARTIFACTS}/training-finished.png`, fullPage: true });

    // Leaderboard, then a candidate's detail page, then promote it.
    await page.goto("/models");
    const candidate = page
      .getByRole("row")
      .filter({ hasText: datasetName })
      .filter({ hasText: "Candidate" })
      .first();
    await expect(candidate).toBeVisible();
    await page.screenshot({ path: `${ARTIFACTS}/leaderboard.png`, fullPage: true });
    await candidate.getByRole("link").first().click();
    await expect(page).toHaveURL(/\/models\/\d+$/, { timeout: 30_000 });
    await expect(page.getByText("ROC curve").first()).toBeVisible();
    // What the search chose (a single model), or the blend's members and weight (the fifth candidate).
    await expect(page.getByTestId("tuning-summary").or(page.getByText(/^Blend of /))).toBeVisible();
    await page.getByRole("button", { name: "Promote to champion" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Promote" }).click();
    await expect(page.getByText("Champion").first()).toBeVisible();
    await expect(page.getByRole("button", { name: "Promote to champion" })).toHaveCount(0);
    await page.screenshot({ path: `${ARTIFACTS}/model-detail.png`, fullPage: true });
  });
});
