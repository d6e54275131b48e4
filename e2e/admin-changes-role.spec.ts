import { expect, test } from "@playwright/test";
import { addUser, setPasswordThroughLink, signInAsAdmin } from "./account-helpers";
import { ARTIFACTS, signIn, signOut, uniqueEmail } from "./helpers";

test("an admin promotes a viewer to manager on the Users page, and it is audited", async ({
  page,
  browser,
}) => {
  const viewer = { name: "Vera Viewer", email: uniqueEmail("vera"), password: "just-looking-123" };
  await signInAsAdmin(page);
  const link = await addUser(page, { name: viewer.name, email: viewer.email, role: "viewer" });

  // Vera, in her own browser, sets her password and is signed in as a viewer.
  const veraContext = await browser.newContext();
  const vera = await veraContext.newPage();
  await setPasswordThroughLink(vera, link, viewer.password);
  await vera.getByRole("button", { name: /^Account menu for/ }).click();
  await expect(vera.getByTestId("current-role")).toHaveText("viewer");
  await vera.keyboard.press("Escape");

  await page.goto("/admin/users");
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

  // A role change ends the user's sessions: Vera signs in again and works as a manager.
  await vera.reload();
  await expect(vera).toHaveURL(/\/sign-in/);
  await signIn(vera, viewer.email, viewer.password);
  await expect(vera).toHaveURL(/\/dashboard$/);
  await vera.getByRole("button", { name: /^Account menu for/ }).click();
  await expect(vera.getByTestId("current-role")).toHaveText("manager");
  await veraContext.close();
  await signOut(page);
});

test("a viewer who opens the admin area is told it is for admins", async ({ page, browser }) => {
  await signInAsAdmin(page);
  const link = await addUser(page, { name: "Nosy Parker", email: uniqueEmail("nosy"), role: "viewer" });
  const nosyContext = await browser.newContext();
  const nosy = await nosyContext.newPage();
  await setPasswordThroughLink(nosy, link, "curious-cat-123");
  await nosy.goto("/admin/users");
  await expect(nosy.getByRole("heading", { name: "Admins only" })).toBeVisible();
  await expect(nosy.getByRole("table")).toHaveCount(0);
  await nosyContext.close();
});
