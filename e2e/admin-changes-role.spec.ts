import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "./constants";
import { ARTIFACTS, signIn, signOut, signUp, uniqueEmail } from "./helpers";

test("an admin promotes a viewer to manager on the Users page, and it is audited", async ({ page }) => {
  const viewer = { name: "Vera Viewer", email: uniqueEmail("vera"), password: "just-looking-123" };
  await signUp(page, viewer);
  await page.getByRole("button", { name: /^Account menu for/ }).click();
  await expect(page.getByTestId("current-role")).toHaveText("viewer");
  await page.keyboard.press("Escape");
  await signOut(page);

  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
  await expect(page).toHaveURL(/\/admin\/users$/);
  const row = page.getByTestId(`user-row-${viewer.email}`);
  await expect(row).toBeVisible();
  await row.getByRole("combobox", { name: `Role of ${viewer.name}` }).click();
  await page.getByRole("option", { name: "manager" }).click();
  await expect(page.getByText(`${viewer.name} is now a manager`)).toBeVisible();
  await page.screenshot({ path: `${ARTIFACTS}/admin-users.png`, fullPage: true });

  await page.reload();
  await expect(row.getByRole("combobox", { name: `Role of ${viewer.name}` })).toHaveText("manager");

  await page.getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByRole("cell", { name: "user.role_changed" }).first()).toBeVisible();
  await signOut(page);

  // The new role applies on the user's next request, without signing in again... and after it.
  await signIn(page, viewer.email, viewer.password);
  await page.getByRole("button", { name: /^Account menu for/ }).click();
  await expect(page.getByTestId("current-role")).toHaveText("manager");
});

test("a viewer who opens the admin area is told it is for admins", async ({ page }) => {
  await signUp(page, { name: "Nosy Parker", email: uniqueEmail("nosy"), password: "curious-cat-123" });
  await page.goto("/admin/users");
  await expect(page.getByRole("heading", { name: "Admins only" })).toBeVisible();
  await expect(page.getByRole("table")).toHaveCount(0);
});
