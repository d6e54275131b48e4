import { expect, type Page } from "@playwright/test";
import { E2E_ADMIN } from "./constants";
import { signIn } from "./helpers";

export async function signInAsAdmin(page: Page) {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await expect(page).toHaveURL(/\/dashboard$/);
}

/** On Admin → Users (signed in as an admin): turns self-service sign-up on or off. */
export async function setSignUpOpen(page: Page, open: boolean) {
  await page.goto("/admin/users");
  const toggle = page.getByRole("switch", { name: "Let people sign up themselves" });
  await expect(toggle).toBeEnabled();
  if ((await toggle.getAttribute("aria-checked")) !== String(open)) {
    await toggle.click();
    await expect(page.getByText(open ? "can now sign up as a viewer" : "Sign-up is closed")).toBeVisible();
  }
  await expect(toggle).toHaveAttribute("aria-checked", String(open));
}

/** On Admin → Users (signed in as an admin): adds a user and returns their set-password link. */
export async function addUser(
  page: Page,
  user: { name: string; email: string; role: "viewer" | "manager" | "admin" },
) {
  await page.goto("/admin/users");
  await page.getByRole("button", { name: "Add user" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill(user.name);
  await dialog.getByLabel("Work email").fill(user.email);
  if (user.role !== "viewer") {
    await dialog.getByLabel("Role").click();
    await page.getByRole("option", { name: user.role }).click();
  }
  await dialog.getByRole("button", { name: "Add user" }).click();
  const link = dialog.getByTestId("set-password-link");
  await expect(link).toHaveValue(/\/set-password\/[A-Za-z0-9_-]{43}$/);
  const url = await link.inputValue();
  await dialog.getByRole("button", { name: "Done" }).click();
  return url;
}

/** Opens a set-password link, chooses the password and lands on the dashboard. */
export async function setPasswordThroughLink(page: Page, url: string, password: string) {
  await page.goto(url);
  await page.getByLabel("New password").fill(password);
  await page.getByLabel("Repeat the password").fill(password);
  await page.getByRole("button", { name: "Save password and sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}
