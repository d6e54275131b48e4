import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "./constants";
import { ARTIFACTS, signIn } from "./helpers";

/** The JSON body of the API page's curl example (`-d '…'`). */
function bodyOfCurl(command: string): { customer_data: Record<string, unknown>; dataset_id: number } {
  const start = command.indexOf("-d '") + 4;
  return JSON.parse(command.slice(start, command.lastIndexOf("'")).replaceAll("'\\''", "'"));
}

test.describe("an admin creates an API key, a system scores with it, the admin revokes it", () => {
  test.setTimeout(4 * 60_000);

  test("API page example → create key (shown once) → POST /api/v1/predict → revoke → 401", async ({
    page,
    request,
  }) => {
    await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await expect(page).toHaveURL(/\/dashboard$/);

    // The sample dataset is trained when the server starts: wait for its champion on the API page.
    await page.goto("/api-docs");
    await expect(async () => {
      await page.reload();
      await expect(page.getByTestId("curl-example")).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 150_000, intervals: [2_000] });
    const command = (await page.getByTestId("curl-example").textContent()) ?? "";
    expect(command).toContain("/api/v1/predict");
    expect(command).toContain("Authorization: Bearer $CHURNGUARD_API_KEY");
    const body = bodyOfCurl(command);
    expect(body.dataset_id).toBeGreaterThan(0);
    await page.screenshot({ path: `${ARTIFACTS}/api-docs.png`, fullPage: true });

    // Create a key; the secret is shown once, in the dialog.
    const keyName = `CRM e2e ${Date.now()}`;
    await page.goto("/admin/api-keys");
    await page.getByRole("button", { name: "Create API key" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name").fill(keyName);
    await dialog.getByLabel("predict:batch").check();
    await dialog.getByRole("button", { name: "Create key" }).click();
    await expect(dialog.getByText("it will not be shown again")).toBeVisible();
    const secret = await dialog.getByLabel("API key").inputValue();
    expect(secret).toMatch(/^cg_live_[A-Za-z0-9_-]{43}$/);
    await page.screenshot({ path: `${ARTIFACTS}/api-key-created.png` });
    await dialog.getByRole("button", { name: "Done" }).click();
    const row = page.getByRole("row").filter({ hasText: keyName });
    await expect(row).toContainText(secret.slice(0, 14));
    await expect(row).toContainText("Active");
    await expect(page.getByText(secret)).toHaveCount(0);

    // A system calls the API with it.
    const headers = { Authorization: `Bearer ${secret}` };
    const scored = await request.post("/api/v1/predict", { headers, data: body });
    expect(scored.status()).toBe(200);
    // Answered by the Node server's fast path (scripts/serve.mjs), with the headers Next.js would add.
    expect(scored.headers()["x-content-type-options"]).toBe("nosniff");
    expect(scored.headers()["cache-control"]).toBe("no-store");
    const prediction = await scored.json();
    expect(prediction.risk_score).toBeGreaterThanOrEqual(0);
    expect(prediction.risk_score).toBeLessThanOrEqual(1);
    expect(["low", "medium", "high"]).toContain(prediction.risk_level);
    expect(prediction.dataset_id).toBe(body.dataset_id);
    expect(Object.keys(prediction.shap_values).length).toBeGreaterThan(3);

    // The legacy path answers too, with and without the trailing slash, without a redirect.
    for (const path of ["/api/ml/predict/", "/api/ml/predict"]) {
      const legacy = await request.post(path, { headers, data: body, maxRedirects: 0 });
      expect(legacy.status(), path).toBe(200);
      expect((await legacy.json()).risk_score).toBe(prediction.risk_score);
    }
    const batch = await request.post("/api/v1/predict", {
      headers,
      data: { customers: [body.customer_data, body.customer_data], dataset_id: body.dataset_id },
    });
    expect(batch.status()).toBe(200);
    expect((await batch.json()).predictions).toHaveLength(2);

    // Revoke it (through tRPC): calls fail with 401 from then on, also on the fast path, whose key
    // cache lives in another Next.js bundle (server/process-wide.ts).
    await page.reload();
    await row.getByRole("button", { name: `Revoke ${keyName}` }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Revoke key" }).click();
    await expect(row).toContainText("Revoked");
    await page.screenshot({ path: `${ARTIFACTS}/api-key-revoked.png`, fullPage: true });
    const refused = await request.post("/api/v1/predict", { headers, data: body });
    expect(refused.status()).toBe(401);
    expect(refused.headers()["www-authenticate"]).toMatch(/^Bearer/);
    expect((await refused.json()).error.code).toBe("revoked_api_key");
  });

  test("admin settings show the risk bands and refuse a high band below the medium one", async ({ page }) => {
    await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await expect(page).toHaveURL(/\/dashboard$/);
    await page.goto("/admin/settings");
    const medium = page.getByLabel("Medium risk starts at");
    const high = page.getByLabel("High risk starts at");
    await expect(medium).toHaveValue("30");
    await expect(high).toHaveValue("60");
    await expect(page.getByRole("button", { name: "Save risk bands" })).toBeDisabled();
    // Other journeys share this server: only an invalid (never saved) change is tried here.
    await high.fill("20");
    await expect(page.getByText("The high band must start above the medium band")).toBeVisible();
    await expect(page.getByRole("button", { name: "Save risk bands" })).toBeDisabled();
    await page.screenshot({ path: `${ARTIFACTS}/admin-settings.png` });
    await page.getByRole("button", { name: "Reset" }).click();
    await expect(high).toHaveValue("60");
  });
});
