// Screenshots of every screen, desktop and phone, for a look before landing a UI change.
// Usage: node tools/screenshots.mjs http://127.0.0.1:3000 email password [out-dir]
import { chromium } from "@playwright/test";

const [base, email, password, out = "screenshots"] = process.argv.slice(2);
const pages = [
  "/admin/leads",
  "/admin/leads/today",
  "/admin/leads/new",
  "/admin/leads/1",
  "/admin/leads/1/edit",
  "/admin/leads/201",
  "/admin/leads?view=list",
  "/admin/leads/import",
  "/admin/leads/forms",
  "/admin/settings/leads",
  "/admin/settings/pipelines",
  "/admin/settings/sources",
  "/admin/settings/lost-reasons",
  "/admin/settings/users",
  "/admin/api/api_management",
];
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
for (const [label, viewport] of [["desktop", { width: 1366, height: 900 }], ["phone", { width: 390, height: 844 }]]) {
  const context = await browser.newContext({ viewport, locale: process.env.LOCALE || "en-US" });
  const page = await context.newPage();
  await page.goto(`${base}/admin/login`);
  await page.screenshot({ path: `${out}/${label}-login.png`, fullPage: true });
  await page.locator("body[data-hydrated]").waitFor({ state: "attached" });
  await page.fill("input[name=email]", email);
  await page.fill("input[name=password]", password);
  await page.click("button[type=submit]");
  await page.waitForURL(/\/admin\/leads/);
  for (const path of pages) {
    await page.goto(`${base}${path}`);
    await page.locator("body[data-hydrated]").waitFor({ state: "attached" });
    await page.waitForTimeout(300);
    const name = path.replaceAll("/", "_").replace(/[?=]/g, "-").replace(/^_admin_/, "");
    await page.screenshot({ path: `${out}/${label}-${name}.png`, fullPage: true });
  }
  await context.close();
}
await browser.close();
