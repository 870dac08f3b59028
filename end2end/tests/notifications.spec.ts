import { expect, test } from "@playwright/test";
import { hydrated, signIn } from "./helpers";

test("a lead assigned to a rep rings their bell live and shows in the title", async ({ browser, page }) => {
  const project = test.info().project.name;
  const rep = { name: `Nina Notify ${project}`, email: `nina-${project}@e2e.local`, password: "nina-password-1" };
  const lead = `Bell Bianca ${project}`;

  // The admin adds the rep.
  await signIn(page);
  await page.goto("/admin/settings/users");
  await hydrated(page);
  await page.getByLabel("Name").fill(rep.name);
  await page.getByLabel("Email").fill(rep.email);
  await page.getByLabel("Password").fill(rep.password);
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await expect(page.getByText(rep.email)).toBeVisible();

  // The rep has the leads page open in their own browser.
  const repContext = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const repPage = await repContext.newPage();
  await signIn(repPage, rep.email, rep.password);
  await hydrated(repPage);
  await expect(repPage).toHaveTitle("Leads");
  const bell = repPage.getByRole("button", { name: /^Notifications/ });
  await expect(bell).toHaveAccessibleName("Notifications (0 unread)");

  // The admin creates a lead for the rep: the rep's bell and title follow without a reload.
  await page.goto("/admin/leads/new");
  await hydrated(page);
  await page.getByRole("textbox", { name: "Name", exact: true }).fill(lead);
  await page.getByLabel("Assigned to").selectOption({ label: rep.name });
  await page.getByRole("button", { name: "Create lead" }).click();
  await expect(page.getByRole("heading", { name: lead, level: 1 })).toBeVisible();

  await expect(bell).toHaveAccessibleName("Notifications (1 unread)");
  await expect(repPage).toHaveTitle("(1) Leads");
  await bell.click();
  const panel = repPage.getByRole("region", { name: "Notifications" });
  await expect(panel.getByRole("link", { name: new RegExp(`Administrator assigned ${lead} to you`) })).toBeVisible();
  await panel.getByRole("button", { name: "Mark all read" }).click();
  await expect(bell).toHaveAccessibleName("Notifications (0 unread)");
  await expect(repPage).toHaveTitle("Leads");
  await repContext.close();
});
