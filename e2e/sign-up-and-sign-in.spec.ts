import { expect, test } from "@playwright/test";
import { ARTIFACTS, signIn, signOut, signUp, uniqueEmail } from "./helpers";

test("a new user signs up, lands on the dashboard, signs out and signs in again", async ({ page }) => {
  const user = { name: "Grace Hopper", email: uniqueEmail("grace"), password: "compilers-rule-1952" };
  await signUp(page, user);
  await expect(page.getByRole("heading", { name: "Welcome, Grace" })).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const label of [
    "Dashboard",
    "Datasets",
    "Train",
    "Models",
    "Predict",
    "Customers",
    "Analytics",
    "Reports",
  ]) {
    await expect(nav.getByRole("link", { name: label })).toBeVisible();
  }
  // Later sign-ups are viewers, and viewers do not see the admin area.
  await expect(nav.getByRole("link", { name: "Admin" })).toHaveCount(0);

  await page.emulateMedia({ colorScheme: "light" });
  await page.screenshot({ path: `${ARTIFACTS}/dashboard-light.png`, fullPage: true });
  await page.getByRole("button", { name: "Toggle dark mode" }).click();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await page.screenshot({ path: `${ARTIFACTS}/dashboard-dark.png`, fullPage: true });
  await page.getByRole("button", { name: "Toggle dark mode" }).click();
  await expect(page.locator("html")).not.toHaveClass(/dark/);

  await signOut(page);
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fdashboard/);

  await signIn(page, user.email, "wrong password!");
  await expect(page.getByRole("alert").filter({ hasText: "Email or password is incorrect." })).toBeVisible();
  await signIn(page, user.email, user.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { name: "Welcome, Grace" })).toBeVisible();
});

test("sign-up shows field errors next to the fields", async ({ page }) => {
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("Shorty");
  await page.getByLabel("Work email").fill("not-an-email");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Enter a valid email address, like name@company.com")).toBeVisible();
  await expect(page.getByText("Use at least 10 characters")).toBeVisible();
  await expect(page.getByLabel("Work email")).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/sign-up$/);
});

test("an anonymous visit to a page redirects to sign-in and back after signing in", async ({ page }) => {
  const user = { name: "Alan Turing", email: uniqueEmail("alan"), password: "enigma-machine-1" };
  await signUp(page, user);
  await signOut(page);
  await page.goto("/models");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fmodels/);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/models$/);
  await expect(page.getByRole("heading", { name: "Models", exact: true })).toBeVisible();
});
