import { expect, test } from "@playwright/test";
import { hydrated, signIn } from "./helpers";

test("an admin publishes a web form; a visitor's submission rings the owner's bell", async ({ browser, page }) => {
  const project = test.info().project.name;
  const formName = `Contact us ${project}`;
  const visitor = `Vera Visitor ${project}`;

  await signIn(page);
  await page.goto("/admin/leads/forms");
  await hydrated(page);
  await page.getByRole("button", { name: "+ New form" }).click();
  await page.getByLabel("Form name").fill(formName);
  await page.getByLabel("Ask Website").check();
  await page.getByLabel("Required Email").check();
  await page.getByLabel("Assigned to").selectOption({ label: "Administrator" });
  await page.getByRole("button", { name: "Save" }).click();
  const row = page.getByRole("listitem").filter({ hasText: formName });
  await expect(row).toBeVisible();
  await expect(row.getByText("0 leads")).toBeVisible();
  await expect(row.getByRole("textbox", { name: "Embed code" })).toHaveValue(/<iframe src="http:\/\/127\.0\.0\.1:\d+\/forms\/wtl\//);
  const path = await row.getByRole("link", { name: "Open form" }).getAttribute("href");
  const bell = page.getByRole("button", { name: /^Notifications/ });
  await expect(bell).toHaveAccessibleName("Notifications (0 unread)");

  // The visitor: no session, no script needed.
  const outside = await browser.newContext({ baseURL: test.info().project.use.baseURL, javaScriptEnabled: false });
  const form = await outside.newPage();
  await form.goto(path!);
  await expect(form.getByRole("heading", { name: formName })).toBeVisible();
  await form.getByLabel("Name").fill(visitor);
  await form.getByLabel("Company").fill("Visitors SRL");
  await form.getByRole("button", { name: "Send" }).click();
  await expect(form.getByRole("alert")).toHaveText("Please check the fields marked below.");
  await expect(form.getByLabel("Name")).toHaveValue(visitor);
  await expect(form.getByLabel("Company")).toHaveValue("Visitors SRL");
  await expect(form.getByText("This field is required.")).toBeVisible();
  await form.getByLabel("Email").fill("vera@visitors.example");
  await form.getByRole("button", { name: "Send" }).click();
  await expect(form.getByRole("status")).toHaveText("Thank you! We will be in touch soon.");
  await outside.close();

  // The owner hears of it live, and the lead is theirs.
  await expect(bell).toHaveAccessibleName("Notifications (1 unread)");
  await bell.click();
  const panel = page.getByRole("region", { name: "Notifications" });
  await panel.getByRole("link", { name: new RegExp(`New web-form lead for you: ${visitor}`) }).click();
  await expect(page.getByRole("heading", { name: visitor, level: 1 })).toBeVisible();
  await expect(page.getByText("vera@visitors.example")).toBeVisible();
});

test("a CSV import is checked, refused as a whole, then imported without its bad row", async ({ page }) => {
  const project = test.info().project.name;
  const good = [`Ilinca Import ${project}`, `Iosif Import ${project}`];
  const csv = [
    "Nume;E-mail;Companie;Sursă",
    `${good[0]};ilinca-${project}@import.example;Import SRL;Referral`,
    `Broken Row ${project};not-an-email;;Referral`,
    `${good[1]};iosif-${project}@import.example;;`,
  ].join("\n");

  await signIn(page);
  await page.goto("/admin/leads");
  await hydrated(page);
  await page.getByRole("link", { name: "Import leads" }).click();
  await expect(page.getByRole("heading", { name: "Import leads", level: 1 })).toBeVisible();
  await hydrated(page);
  await page.getByLabel("CSV file").setInputFiles({ name: "leads.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await expect(page.getByText("3 rows")).toBeVisible();
  await expect(page.getByLabel("Fills E-mail")).toHaveValue("email");
  await expect(page.getByLabel("Fills Sursă")).toHaveValue("source");

  await page.getByRole("button", { name: "Check the file" }).click();
  const report = page.locator(".import-report");
  await expect(report.getByRole("status")).toHaveText("1 of 3 rows cannot be imported as they are:");
  await expect(report.getByRole("row", { name: /Row 3/ })).toContainText("E-mail:");

  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(report.getByRole("status")).toContainText("Nothing was imported.");

  await page.getByLabel("Import the valid rows and skip the others").check();
  await page.getByRole("button", { name: "Import", exact: true }).click();
  await expect(report.getByRole("status")).toContainText("2 leads imported; 1 rows skipped.");
  await report.getByRole("link", { name: "See the imported leads" }).click();
  for (const name of good) {
    await expect(page.getByRole("link", { name, exact: true })).toBeVisible();
  }
  await expect(page.getByText(`Broken Row ${project}`)).toHaveCount(0);
});
