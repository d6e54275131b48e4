import { expect, test } from "@playwright/test";
import { setSignUpOpen, signInAsAdmin } from "./account-helpers";
import { E2E_ADMIN } from "./constants";
import { ARTIFACTS, signIn, signOut, signUp, uniqueEmail } from "./helpers";

test("sign-up is closed once an admin exists: no link on the sign-in page, and the page says whom to ask", async ({
  page,
}) => {
  await signInAsAdmin(page);
  await setSignUpOpen(page, false);
  await signOut(page);
  await expect(page.getByRole("link", { name: "Create an account" })).toHaveCount(0);
  await expect(page.getByText("Ask an admin to create your account")).toBeVisible();
  await page.goto("/sign-up");
  await expect(page.getByText("Sign-up is closed")).toBeVisible();
  await expect(page.getByRole("button", { name: "Create account" })).toHaveCount(0);
  // The procedure itself refuses too, not only the page.
  const answer = await page.request.post("/api/trpc/auth.signUp", {
    data: { json: { name: "Mallory", email: uniqueEmail("mallory"), password: "long enough password" } },
  });
  expect(answer.status()).toBe(403);
});

test("a new user signs up once an admin opens sign-up, lands on the dashboard, signs out and in", async ({
  page,
}) => {
  await signInAsAdmin(page);
  await setSignUpOpen(page, true);
  await signOut(page);

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

  // Signing up again with a taken email reads exactly like a fresh sign-up that cannot sign in.
  await signOut(page);
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("Not Grace");
  await page.getByLabel("Work email").fill(user.email);
  await page.getByLabel("Password").fill("someone elses password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(
    page.getByRole("alert").filter({ hasText: "If you already have an account with this email" }),
  ).toBeVisible();
  await expect(page.getByText("already exists")).toHaveCount(0);
});

test("sign-up shows field errors next to the fields, common passwords included", async ({ page }) => {
  await signInAsAdmin(page);
  await setSignUpOpen(page, true);
  await signOut(page);
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("Shorty");
  await page.getByLabel("Work email").fill("not-an-email");
  await page.getByLabel("Password").fill("password12");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Enter a valid email address, like name@company.com")).toBeVisible();
  await expect(page.getByText("Use at least 12 characters")).toBeVisible();
  await expect(page.getByLabel("Work email")).toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("Work email").fill(uniqueEmail("shorty"));
  await page.getByLabel("Password").fill("password1234");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText(/one of the most common passwords/)).toBeVisible();
  await expect(page).toHaveURL(/\/sign-up$/);
});

test("an anonymous visit to a page redirects to sign-in and back after signing in", async ({ page }) => {
  await page.goto("/models");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fmodels/);
  await page.getByLabel("Email").fill(E2E_ADMIN.email);
  await page.getByLabel("Password").fill(E2E_ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/models$/);
  await expect(page.getByRole("heading", { name: "Models", exact: true })).toBeVisible();
});

test("after sign-out, a copy of the old session cookie is refused", async ({ page, playwright, baseURL }) => {
  await signInAsAdmin(page);
  const cookies = await page.context().cookies();
  const sessionCookie = cookies.find((c) => c.name.includes("authjs.session-token"));
  expect(sessionCookie).toBeTruthy();
  const cookieHeader = cookies.map((c) => `${c.name}=${c.value}`).join("; ");
  const copied = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { cookie: cookieHeader } });
  try {
    expect((await copied.get("/api/trpc/me")).status()).toBe(200);
    await signOut(page);
    const after = await copied.get("/api/trpc/me");
    expect(after.status()).toBe(401);
    const page404 = await copied.get("/dashboard", { maxRedirects: 0 });
    expect([302, 303, 307]).toContain(page404.status());
  } finally {
    await copied.dispose();
  }
});

test("before the page's script runs, the sign-in form cannot be sent: a native submit would put the password in the address", async ({
  browser,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(E2E_ADMIN.email);
  await page.getByLabel("Password").fill(E2E_ADMIN.password);
  await expect(page.getByRole("button", { name: "Sign in" })).toBeDisabled();
  // Enter in a field is an implicit submit: with the default button disabled it does nothing.
  await page.getByLabel("Password").press("Enter");
  await page.waitForTimeout(300);
  expect(page.url()).not.toContain("password");
  await context.close();
});
