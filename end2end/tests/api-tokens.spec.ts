import { expect, test } from "@playwright/test";
import { ADMIN, hydrated, signIn } from "./helpers";

test("an admin creates an API token, sees it once, and the API accepts it until revoked", async ({ page, request }) => {
  await signIn(page);
  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByRole("link", { name: "API", exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/api\/api_management$/);
  await hydrated(page);

  // Nothing named: the form says which field, and nothing is created.
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByText("This field is required.").first()).toBeVisible();

  const name = `Website form ${test.info().project.name} ${test.info().repeatEachIndex}`;
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Acts as").selectOption({ label: `Administrator <${ADMIN.email}>` });
  await page.getByRole("checkbox", { name: "delete" }).uncheck();
  await page.getByRole("button", { name: "Create token" }).click();

  const shown = page.getByRole("textbox", { name: "API token" });
  await expect(shown).toBeVisible();
  const token = await shown.inputValue();
  expect(token).toMatch(/^ll_[0-9a-f]{64}$/);
  await expect(page.getByText("it is shown only once")).toBeVisible();
  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row).toBeVisible();
  await expect(row.getByText("delete", { exact: true })).toHaveCount(0);

  const list = await request.get("/api/leads?per_page=1", { headers: { authtoken: token } });
  expect(list.status()).toBe(200);
  const refused = await request.delete("/api/leads/1", { headers: { authtoken: token } });
  expect(refused.status()).toBe(403);

  // After a reload the secret is gone for good; the token is listed, and can be revoked.
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole("textbox", { name: "API token" })).toHaveCount(0);
  page.once("dialog", (dialog) => dialog.accept());
  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  await expect(row.getByText("Revoked")).toBeVisible();
  const after = await request.get("/api/leads", { headers: { authtoken: token } });
  expect(after.status()).toBe(401);
  expect(await after.json()).toEqual({ status: false, message: "Token is not defined." });
});
