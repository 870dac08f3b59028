import { expect, Page } from "@playwright/test";

export const ADMIN = { email: "admin@e2e.local", password: "e2e-admin-password" };

/**
 * Waits until the WASM bundle has hydrated the page, so clicks reach Leptos' handlers.
 * The debug bundle is large and CI has two busy cores: compiling it once took over 15 s.
 */
export async function hydrated(page: Page) {
  try {
    await page.locator("body[data-hydrated]").waitFor({ state: "attached", timeout: 40_000 });
  } catch (error) {
    // Say why: a hydration panic shows up as a page error or in the console.
    const errors = (await page.pageErrors()).map((e) => `page error: ${e.message}`);
    const console = (await page.consoleMessages())
      .filter((m) => m.type() === "error" || m.type() === "warning")
      .map((m) => `console ${m.type()}: ${m.text()}`);
    throw new Error(`${page.url()} did not hydrate.\n${[...errors, ...console].join("\n")}\n${error}`);
  }
}

export async function signIn(page: Page, email = ADMIN.email, password = ADMIN.password) {
  await page.goto("/admin/login");
  await hydrated(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/admin\/leads$/);
}
