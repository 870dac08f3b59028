import { expect, test } from "@playwright/test";
import { hydrated, signIn } from "./helpers";

test("an admin adds, renames and deletes a lead source", async ({ page }) => {
  await signIn(page);
  await page.getByRole("link", { name: "Settings" }).click();
  await page.getByRole("link", { name: "Sources" }).click();
  await expect(page).toHaveURL(/\/admin\/settings\/sources$/);
  await hydrated(page);
  const name = `Podcast ${test.info().project.name}`;
  await page.getByPlaceholder("New source").fill(name);
  await page.getByRole("button", { name: "Add", exact: true }).click();
  // Rows are found by their delete button: while a row is being renamed its name is in an input.
  const row = page.locator("li.entry").filter({ has: page.getByRole("button", { name: `Delete ${name}`, exact: true }) });
  await expect(row).toBeVisible();
  await expect(page.getByPlaceholder("New source")).toHaveValue("");

  await row.getByRole("button", { name: "Rename" }).click();
  await row.getByRole("textbox").fill(`${name} FM`);
  await row.getByRole("button", { name: "Save" }).click();
  const renamed = page.locator("li.entry").filter({ has: page.getByRole("button", { name: `Delete ${name} FM`, exact: true }) });
  await expect(renamed).toBeVisible();

  await page.reload();
  await hydrated(page);
  await expect(renamed).toBeVisible();
  page.once("dialog", (dialog) => dialog.accept());
  await renamed.getByRole("button", { name: `Delete ${name} FM` }).click();
  await expect(renamed).toHaveCount(0);
});

test("an admin adds a sales rep after fixing a too-short password", async ({ page }) => {
  await signIn(page);
  await page.goto("/admin/settings/users");
  await hydrated(page);
  const email = `rep-${test.info().project.name}@e2e.local`;
  await page.getByLabel("Name").fill("Rita Rep");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await expect(page.getByText("Use at least 10 characters.")).toBeVisible();
  await expect(page.getByText(email)).toHaveCount(0);

  await page.getByLabel("Password").fill("long-enough-password");
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await expect(page.getByRole("cell", { name: /Rita Rep/ })).toBeVisible();
  await expect(page.getByText(email)).toBeVisible();
});

test("switching to Romanian translates the app and is remembered", async ({ page }) => {
  await signIn(page);
  await page.getByRole("button", { name: "RO", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Lead-uri", level: 1 })).toBeVisible();
  await expect(page.getByRole("link", { name: "Setări" })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("heading", { name: "Lead-uri", level: 1 })).toBeVisible();
  await page.getByRole("button", { name: "EN", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Leads", level: 1 })).toBeVisible();
});

test("deleting a stage asks where its leads go, and they move there", async ({ page }) => {
  await signIn(page);
  const stage = `Temp ${test.info().project.name}`;
  const lead = `Stage Leaver ${test.info().project.name}`;
  await page.goto("/admin/settings/pipelines");
  await hydrated(page);
  const pipeline = page.locator("section.pipeline").first(); // the default pipeline
  await pipeline.getByPlaceholder("New stage").fill(stage);
  await pipeline.getByRole("button", { name: "Add", exact: true }).click();
  await expect(page.getByRole("button", { name: `Delete ${stage}`, exact: true })).toBeVisible();

  await page.goto("/admin/leads?view=board");
  await hydrated(page);
  const column = page.getByRole("region", { name: stage, exact: true });
  await column.getByRole("button", { name: `Add a lead to ${stage}` }).click();
  await column.locator("form.quick-add").getByPlaceholder("Name").fill(lead);
  await column.locator("form.quick-add").getByRole("button", { name: "Add", exact: true }).click();
  await expect(page.getByRole("article", { name: lead, exact: true })).toBeVisible();

  await page.goto("/admin/settings/pipelines");
  await hydrated(page);
  await page.getByRole("button", { name: `Delete ${stage}`, exact: true }).click();
  const dialog = page.getByRole("dialog", { name: `Delete the stage “${stage}”?` });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText("It holds 1 leads.")).toBeVisible();
  await dialog.getByLabel("Move its leads to").selectOption({ label: "Contacted" });
  await dialog.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(page.getByRole("button", { name: `Delete ${stage}`, exact: true })).toHaveCount(0);

  await page.goto("/admin/leads?view=board");
  await hydrated(page);
  await expect(page.getByRole("region", { name: stage, exact: true })).toHaveCount(0);
  await expect(page.getByRole("region", { name: "Contacted", exact: true }).getByRole("article", { name: lead })).toBeVisible();
});

test("an admin adds the phone to the duplicate check and a new lead with that phone is caught", async ({ page }) => {
  await signIn(page);
  const project = test.info().project.name;
  const phone = `+40 700 ${project.length} ${project === "sqlite" ? "111" : "222"}`;
  await page.goto("/admin/settings/leads");
  await hydrated(page);
  await expect(page.getByRole("checkbox", { name: "Email (always)" })).toBeChecked();
  await expect(page.getByRole("checkbox", { name: "Email (always)" })).toBeDisabled();
  await page.getByLabel("Phone").check();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();
  await page.reload();
  await hydrated(page);
  await expect(page.getByLabel("Phone")).toBeChecked();

  const first = `Phoebe Phone ${project}`;
  await page.goto("/admin/leads/new");
  await hydrated(page);
  await page.getByRole("textbox", { name: "Name", exact: true }).fill(first);
  await page.getByLabel("Phone").fill(phone);
  await page.getByRole("button", { name: "Create lead" }).click();
  await expect(page.getByRole("heading", { name: first, level: 1 })).toBeVisible();

  await page.goto("/admin/leads/new");
  await hydrated(page);
  await page.getByRole("textbox", { name: "Name", exact: true }).fill(`${first} twin`);
  await page.getByLabel("Phone").fill(phone);
  await expect(page.getByText("This lead may already exist")).toBeVisible();
  await expect(page.getByText("Same phone as")).toBeVisible();

  // Back to the email alone, for the other tests.
  await page.goto("/admin/settings/leads");
  await hydrated(page);
  await page.getByLabel("Phone").uncheck();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();
});

test("an admin adds custom fields; the lead form asks for them and the lead page and list show them", async ({ page }) => {
  await signIn(page);
  const project = test.info().project.name;
  await page.goto("/admin/settings/leads");
  await hydrated(page);
  const card = page.getByRole("region", { name: "Custom fields" });
  await expect(card.getByText("No custom fields yet.")).toBeVisible();

  // A choice list without options is refused by the same rule the server applies.
  await card.getByRole("button", { name: "+ Add field" }).click();
  await card.getByLabel("Label").fill("Company size");
  await card.getByLabel("Type").selectOption({ label: "Choice list" });
  await card.getByRole("button", { name: "Save" }).click();
  await expect(card.getByText("A choice list needs at least one option (one per line).")).toBeVisible();
  await card.getByLabel("Options (one per line)").fill("Small\nEnterprise");
  await card.getByRole("button", { name: "Save" }).click();
  await expect(card.getByText("Choice list · Small, Enterprise")).toBeVisible();

  await card.getByRole("button", { name: "+ Add field" }).click();
  await card.getByLabel("Label").fill("Budget");
  await card.getByLabel("Type").selectOption({ label: "Number" });
  await card.getByLabel("Required").check();
  await card.getByLabel("Show in the list").check();
  await card.getByRole("button", { name: "Save" }).click();
  await expect(card.locator("li.entry").filter({ hasText: "Budget" })).toContainText("Required");

  // The form asks for the required field and checks the number.
  const name = `Custom Cora ${project}`;
  await page.goto("/admin/leads/new");
  await hydrated(page);
  await page.getByRole("textbox", { name: "Name", exact: true }).fill(name);
  await page.getByRole("textbox", { name: "Budget" }).fill("a lot");
  await page.getByRole("button", { name: "Create lead" }).click();
  await expect(page.getByText("Budget: Enter a number, like 1200.50.")).toBeVisible();
  await page.getByRole("textbox", { name: "Budget" }).fill("15000");
  await expect(page.getByText("Budget: Enter a number, like 1200.50.")).toHaveCount(0);
  await page.getByLabel("Company size").selectOption("Enterprise");
  await page.getByRole("button", { name: "Create lead" }).click();
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
  const profile = page.locator("dl.profile");
  await expect(profile.locator(".profile-row").filter({ hasText: "Budget" })).toContainText("15000");
  await expect(profile.locator(".profile-row").filter({ hasText: "Company size" })).toContainText("Enterprise");

  await page.goto("/admin/leads?view=list");
  await hydrated(page);
  await expect(page.getByRole("columnheader", { name: "Budget" })).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: name })).toContainText("15000");

  // A field shown in the list is a filter too.
  await page.getByText("More filters").click();
  await page.getByRole("textbox", { name: "Budget" }).fill("15000");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/cf_\d+=15000/);
  await expect(page.locator("table.list-table tbody tr")).toHaveCount(1);
  await expect(page.getByRole("row").filter({ hasText: name })).toBeVisible();

  // Deleting the fields (the question says how many leads hold a value), for the other tests.
  await page.goto("/admin/settings/leads");
  await hydrated(page);
  for (const label of ["Budget", "Company size"]) {
    page.once("dialog", (dialog) => {
      expect(dialog.message()).toBe(`Delete the field ${label} and its values? Leads holding a value: 1.`);
      dialog.accept();
    });
    await card.getByRole("button", { name: `Delete ${label}` }).click();
    await expect(card.locator("li.entry").filter({ hasText: label })).toHaveCount(0);
  }
  await expect(card.getByText("No custom fields yet.")).toBeVisible();
});
