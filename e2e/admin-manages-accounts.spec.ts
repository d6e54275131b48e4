import { expect, test } from "@playwright/test";
import { addUser, setPasswordThroughLink, signInAsAdmin } from "./account-helpers";
import { ARTIFACTS, signIn, signOut, uniqueEmail } from "./helpers";

test("an admin adds a user, who sets a password through the one-time link and signs in", async ({
  page,
  browser,
}) => {
  const newcomer = { name: "Nadia Newcomer", email: uniqueEmail("nadia"), password: "first day at work 1" };
  await signInAsAdmin(page);
  const link = await addUser(page, { name: newcomer.name, email: newcomer.email, role: "manager" });
  await expect(
    page.getByTestId(`user-row-${newcomer.email}`).getByText("Waiting for password"),
  ).toBeVisible();

  const nadiaContext = await browser.newContext();
  const nadia = await nadiaContext.newPage();
  await nadia.goto(link);
  await expect(nadia.getByText(`Choose a password for ${newcomer.email}`)).toBeVisible();
  await nadia.screenshot({ path: `${ARTIFACTS}/set-password.png`, fullPage: true });
  await setPasswordThroughLink(nadia, link, newcomer.password);
  await nadia.getByRole("button", { name: /^Account menu for/ }).click();
  await expect(nadia.getByTestId("current-role")).toHaveText("manager");
  await nadia.keyboard.press("Escape");

  // The link worked once.
  await nadia.goto(link);
  await expect(nadia.getByText("This link no longer works")).toBeVisible();

  await page.reload();
  await expect(page.getByTestId(`user-row-${newcomer.email}`).getByText("Active")).toBeVisible();
  await nadiaContext.close();
});

test("deactivating a user ends their open session at once; reactivating lets them back in", async ({
  page,
  browser,
}) => {
  const leaver = { name: "Leo Leaver", email: uniqueEmail("leo"), password: "last day at work 1" };
  await signInAsAdmin(page);
  const link = await addUser(page, { name: leaver.name, email: leaver.email, role: "viewer" });
  const leoContext = await browser.newContext();
  const leo = await leoContext.newPage();
  await setPasswordThroughLink(leo, link, leaver.password);

  await page.goto("/admin/users");
  await page.getByRole("button", { name: `Actions for ${leaver.name}` }).click();
  await page.getByRole("menuitem", { name: "Deactivate…" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Deactivate" }).click();
  await expect(page.getByText(`${leaver.name} is deactivated and signed out everywhere`)).toBeVisible();
  await expect(page.getByTestId(`user-row-${leaver.email}`).getByText("Deactivated")).toBeVisible();

  await leo.goto("/customers");
  await expect(leo).toHaveURL(/\/sign-in/);
  await signIn(leo, leaver.email, leaver.password);
  await expect(leo.getByRole("alert").filter({ hasText: "This account has been deactivated" })).toBeVisible();

  await page.getByRole("button", { name: `Actions for ${leaver.name}` }).click();
  await page.getByRole("menuitem", { name: "Reactivate" }).click();
  await expect(page.getByText(`${leaver.name} can sign in again`)).toBeVisible();
  await signIn(leo, leaver.email, leaver.password);
  await expect(leo).toHaveURL(/\/dashboard$/);
  await leoContext.close();
});

test("a user changes their name and password from the user menu; other devices are signed out", async ({
  page,
  browser,
}) => {
  const person = { name: "Cam Changer", email: uniqueEmail("cam"), password: "my first password 1" };
  await signInAsAdmin(page);
  const link = await addUser(page, { name: person.name, email: person.email, role: "viewer" });
  await signOut(page);

  await setPasswordThroughLink(page, link, person.password);
  const otherDevice = await browser.newContext();
  const other = await otherDevice.newPage();
  await signIn(other, person.email, person.password);
  await expect(other).toHaveURL(/\/dashboard$/);

  await page.getByRole("button", { name: /^Account menu for/ }).click();
  await page.getByRole("menuitem", { name: "Your account" }).click();
  await expect(page).toHaveURL(/\/account$/);
  await page.getByLabel("Name", { exact: true }).fill("Cameron Changer");
  await page.getByRole("button", { name: "Save name" }).click();
  await expect(page.getByText("Your name is now Cameron Changer")).toBeVisible();
  await expect(page.getByRole("button", { name: "Account menu for Cameron Changer" })).toBeVisible();

  await page.getByLabel("Current password").fill("not my password");
  await page.getByLabel("New password", { exact: true }).fill("my second password 2");
  await page.getByLabel("Repeat the new password").fill("my second password 2");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("This is not your current password")).toBeVisible();

  await page.getByLabel("Current password").fill(person.password);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Password changed. Every other device has been signed out.")).toBeVisible();
  await page.screenshot({ path: `${ARTIFACTS}/account.png`, fullPage: true });

  // This browser stays signed in (it signed in again with the new password); the other did not.
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/dashboard$/);
  await other.goto("/dashboard");
  await expect(other).toHaveURL(/\/sign-in/);
  await signIn(other, person.email, "my second password 2");
  await expect(other).toHaveURL(/\/dashboard$/);
  await otherDevice.close();
});
