// Screenshots of the capture screens in the states that matter — the web form editor, a
// public form refusing a submission, an import after its check — desktop and phone.
// Usage: node tools/shots-capture.mjs http://127.0.0.1:3000 email password [out-dir]
import { chromium } from "@playwright/test";

const [base, email, password, out = "screenshots"] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const csv = "Nume;E-mail;Companie;Sursă;Responsabil\nAna Pop;ana@pop.ro;Pop SRL;Referral;\nBad Row;not-an-email;;Referral;\nIon Ionescu;ion@ionescu.ro;;Carrier pigeon;\n";
for (const [label, viewport] of [["desktop", { width: 1366, height: 900 }], ["phone", { width: 390, height: 844 }]]) {
  const context = await browser.newContext({ viewport, locale: process.env.LOCALE || "en-US" });
  const page = await context.newPage();
  await page.goto(`${base}/admin/login`);
  await page.locator("body[data-hydrated]").waitFor({ state: "attached" });
  await page.fill("input[name=email]", email);
  await page.fill("input[name=password]", password);
  await page.click("button[type=submit]");
  await page.waitForURL(/\/admin\/leads/);

  await page.goto(`${base}/admin/leads/forms`);
  await page.locator("body[data-hydrated]").waitFor({ state: "attached" });
  await page.locator(".page-header button").first().click();
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}/${label}-forms-editor.png`, fullPage: true });
  if (label === "desktop") {
    await page.locator("form.web-form-editor input[type=text]").first().fill("Contact us");
    await page.locator("form.web-form-editor button[type=submit]").click();
    await page.locator(".web-form").first().waitFor();
  }
  await page.reload();
  await page.locator("body[data-hydrated]").waitFor({ state: "attached" });
  await page.screenshot({ path: `${out}/${label}-forms-list.png`, fullPage: true });
  const href = await page.locator(".web-form a[target=_blank]").first().getAttribute("href");
  if (href) {
    const visitor = await browser.newPage({ viewport });
    await visitor.goto(`${base}${href}`);
    await visitor.screenshot({ path: `${out}/${label}-public-form.png`, fullPage: true });
    await visitor.locator("button[type=submit]").click();
    await visitor.waitForLoadState();
    await visitor.screenshot({ path: `${out}/${label}-public-form-refused.png`, fullPage: true });
    await visitor.close();
  }

  await page.goto(`${base}/admin/leads/import`);
  await page.locator("body[data-hydrated]").waitFor({ state: "attached" });
  await page.locator("input[type=file]").setInputFiles({ name: "leads.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.locator(".import-mapping").waitFor();
  await page.locator(".form-actions .btn-secondary").click();
  await page.locator(".import-report").waitFor();
  await page.screenshot({ path: `${out}/${label}-import-checked.png`, fullPage: true });
  await context.close();
}
await browser.close();
