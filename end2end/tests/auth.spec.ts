import { expect, test } from "@playwright/test";
import { ADMIN, hydrated, signIn } from "./helpers";

test("a visitor is sent to sign in, signs in, sees the leads page and signs out", async ({ page }) => {
  await page.goto("/admin/leads");
  await expect(page).toHaveURL(/\/admin\/login/);
  await expect(page.getByRole("heading", { name: "Sign in to Leadline" })).toBeVisible();

  await signIn(page);
  await expect(page.getByRole("heading", { name: "Leads", level: 1 })).toBeVisible();
  await expect(page.getByText("Administrator").first()).toBeVisible();
  await expect(page).toHaveTitle(/Leads/);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/admin\/login$/);
  await page.goto("/admin/leads");
  await expect(page).toHaveURL(/\/admin\/login/);
});

test("a wrong password gets a clear message and no session", async ({ page }) => {
  await page.goto("/admin/login");
  await hydrated(page);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill("definitely wrong");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText("Wrong email or password.");
  await expect(page).toHaveURL(/\/admin\/login$/);
  await page.goto("/admin/leads");
  await expect(page).toHaveURL(/\/admin\/login/);
});
