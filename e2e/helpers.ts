import { expect, type Page } from "@playwright/test";
import { parseCsv } from "../lib/ml/data";

export const ARTIFACTS = "e2e/artifacts";

export function uniqueEmail(prefix: string): string {
  return `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@example.com`;
}

export async function signUp(page: Page, user: { name: string; email: string; password: string }) {
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill(user.name);
  await page.getByLabel("Work email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function signOut(page: Page) {
  // Let the page's link prefetches finish first: a prefetch answered after the sign-out can carry
  // a refreshed session cookie (the proxy extends sessions), which would sign the user back in.
  await page.waitForLoadState("networkidle");
  await page.getByRole("button", { name: /^Account menu for/ }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
}

/** The id of the dataset called `name`, read from its link on the datasets page. */
export async function datasetIdByName(page: Page, name: string): Promise<number> {
  await page.goto("/datasets");
  const link = page.getByRole("link", { name, exact: true }).first();
  // The server imports its sample in the background on a first start.
  await expect(async () => {
    await page.reload();
    await expect(link).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 120_000, intervals: [2_000] });
  const href = await link.getAttribute("href");
  const id = Number(/\/datasets\/(\d+)/.exec(href ?? "")?.[1]);
  expect(id, `a link to dataset "${name}" on /datasets`).toBeGreaterThan(0);
  return id;
}

/** Downloads a CSV with the page's session: the header and the data rows. */
export async function downloadCsv(
  page: Page,
  href: string,
): Promise<{ columns: string[]; rows: string[][] }> {
  const response = await page.request.get(href);
  expect(response.status(), `GET ${href}`).toBe(200);
  expect(response.headers()["content-type"]).toContain("text/csv");
  const { columns, rows } = parseCsv(await response.body());
  return { columns, rows };
}

/** "12,345" → 12345 (figures are formatted en-US in the app). */
export function figure(text: string | null): number {
  return Number((text ?? "").replaceAll(",", "").trim());
}

/**
 * On /scoring, chooses the dataset whose champion scores the file. Journeys train datasets of their
 * own in any order, so the first one listed is not always the sample.
 */
export async function chooseScoringDataset(page: Page, name: string): Promise<void> {
  await page.getByRole("combobox", { name: "Dataset (its champion model scores the file)" }).click();
  await page
    .getByRole("option", { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} — `) })
    .click();
}
