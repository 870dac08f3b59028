import { expect, Page, test } from "@playwright/test";
import { hydrated, signIn } from "./helpers";

test.use({ viewport: { width: 1400, height: 1000 } });

async function openNewLeadForm(page: Page) {
  await page.goto("/admin/leads");
  await hydrated(page);
  await page.getByRole("link", { name: "+ New lead" }).click();
  await expect(page.getByRole("heading", { name: "New lead", level: 1 })).toBeVisible();
  await hydrated(page);
}

test("a lead is created after fixing a validation error; a second one with the same email is caught", async ({ page }) => {
  await signIn(page);
  const project = test.info().project.name;
  const name = `Dora Form ${project}`;
  const email = `dora.${project}@acme.test`;
  await openNewLeadForm(page);

  // The browser runs the server's rules: nothing is sent, each field says what is wrong.
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Lead value").fill("12.345");
  await page.getByRole("button", { name: "Create lead" }).click();
  await expect(page.getByText("Nothing was saved: some fields need attention.")).toBeVisible();
  await expect(page.locator("#name-error")).toHaveText("This field is required.");
  await expect(page.locator("#email-error")).toHaveText("Enter a valid email address, like name@example.com.");
  await expect(page.locator("#lead_value-error")).toHaveText("Enter an amount like 1500 or 1500.50.");
  await expect(page.getByRole("textbox", { name: "Name", exact: true })).toBeFocused();
  await expect(page).toHaveURL(/\/admin\/leads\/new$/);

  await page.getByRole("textbox", { name: "Name", exact: true }).fill(name);
  await expect(page.locator("#name-error")).toHaveCount(0);
  await page.getByLabel("Email").fill(email);
  await expect(page.locator("#email-error")).toHaveCount(0);
  await page.getByLabel("Lead value").fill("2500");
  await page.getByLabel("Company").fill("Acme Form SRL");
  await page.getByLabel("Tags").fill("vip");
  await page.getByLabel("Tags").press("Enter");
  await expect(page.getByRole("button", { name: "Remove tag vip" })).toBeVisible();
  await page.getByRole("button", { name: "Create lead" }).click();
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
  await expect(page.getByText("2,500.00")).toBeVisible();

  // Edit: change the company; the page shows it.
  await hydrated(page);
  await page.getByRole("link", { name: "Edit", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Edit lead", level: 1 })).toBeVisible();
  await hydrated(page);
  await expect(page.getByLabel("Company")).toHaveValue("Acme Form SRL");
  await page.getByLabel("Company").fill("Acme Group SRL");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
  await expect(page.getByText("Acme Group SRL", { exact: true })).toBeVisible();

  // The same email, typed in capitals, on a new lead: shown while typing, and on save.
  await openNewLeadForm(page);
  await page.getByRole("textbox", { name: "Name", exact: true }).fill(`${name} again`);
  await page.getByLabel("Email").fill(email.toUpperCase());
  await expect(page.getByText("This lead may already exist")).toBeVisible();
  await expect(page.getByRole("link", { name, exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Create lead" }).click();
  await expect(page.getByText("Nothing was saved. Open the existing lead, or save this one anyway.")).toBeVisible();
  await page.getByRole("button", { name: "Save anyway" }).click();
  await expect(page.getByRole("heading", { name: `${name} again`, level: 1 })).toBeVisible();
});

test("a reminder set on the lead page is worked from the today queue", async ({ page }) => {
  await signIn(page);
  const project = test.info().project.name;
  const name = `Queue Quinn ${project}`;
  const what = `Call Quinn about pricing ${project}`;
  await openNewLeadForm(page);
  await page.getByRole("textbox", { name: "Name", exact: true }).fill(name);
  await page.getByRole("button", { name: "Create lead" }).click();
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
  await hydrated(page);

  const reminders = page.getByRole("region", { name: "Reminders" });
  await reminders.getByRole("button", { name: "+ Reminder" }).click();
  await reminders.getByLabel("What").fill("");
  await reminders.getByRole("button", { name: "Save" }).click();
  await expect(reminders.getByText("This field is required.")).toBeVisible();
  await reminders.getByLabel("When").fill("2026-01-05T09:00");
  await reminders.getByLabel("What").fill(what);
  await reminders.getByRole("button", { name: "Save" }).click();
  const row = reminders.locator("li.reminder", { hasText: what });
  await expect(row).toContainText("Overdue");

  await page.getByRole("link", { name: "Today" }).click();
  await expect(page.getByRole("heading", { name: "Today", level: 1 })).toBeVisible();
  await hydrated(page);
  const left = async () => Number((await page.getByRole("status").filter({ hasText: "left" }).textContent())!.split(" ")[0]);
  const before = await left();

  const reminder = page.locator("li.queue-item", { hasText: what });
  const fresh = page.locator("li.queue-item", { hasText: name }).filter({ hasText: "New, not contacted" });
  await expect(reminder).toContainText("Overdue");
  await expect(fresh).toBeVisible();

  // A call with its outcome contacts the new lead: it leaves the queue.
  await fresh.getByRole("button", { name: "Log call" }).click();
  await fresh.getByLabel("Outcome").selectOption({ label: "Left a voicemail" });
  await fresh.getByRole("button", { name: "Log", exact: true }).click();
  await expect(fresh).toHaveCount(0);
  await expect.poll(left).toBe(before - 1);

  await reminder.getByRole("button", { name: "Done" }).click();
  await expect(reminder).toHaveCount(0);
  await expect.poll(left).toBe(before - 2);

  await page.goto(`/admin/leads`);
  await page.getByRole("link", { name: "Today" }).click();
  await expect(page.locator("li.queue-item", { hasText: what })).toHaveCount(0);
});
