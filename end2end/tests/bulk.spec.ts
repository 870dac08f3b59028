import { expect, Page, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { hydrated, signIn } from "./helpers";

test.use({ viewport: { width: 1500, height: 1000 } });

/** Creates a lead through the lead form's own server function, as the signed-in user. */
async function createLead(page: Page, name: string, value: string) {
  const response = await page.request.post("/rpc/leads/save", {
    data: { id: null, version: null, input: { name, lead_value: value }, anyway: true },
  });
  expect(response.status()).toBe(200);
}

async function addRep(page: Page, name: string, email: string) {
  const response = await page.request.post("/rpc/settings/users/create", {
    form: { email, name, role: "sales", password: "long-enough-password", language: "en" },
  });
  expect(response.status()).toBe(200);
}

test("a manager selects every matching lead, reassigns them, reads the summary and undoes it", async ({ page }) => {
  await signIn(page);
  const project = test.info().project.name;
  const tag = `Bulky${project}`;
  const rep = `Bulk Rep ${project}`;
  await addRep(page, rep, `bulkrep.${project}@e2e.local`);
  for (let n = 0; n < 30; n++) await createLead(page, `${tag} ${String(n).padStart(2, "0")}`, "100");

  await page.goto(`/admin/leads?view=list&q=${tag}&per_page=25`);
  await hydrated(page);
  const rows = page.locator("table.list-table tbody tr");
  await expect(rows).toHaveCount(25);

  // The whole page, then every lead matching the filter (not just the loaded rows).
  await page.getByRole("checkbox", { name: "Select all rows on this page" }).check();
  const bar = page.getByRole("form", { name: "Bulk actions" });
  await expect(bar.getByText("25 selected")).toBeVisible();
  await page.getByRole("button", { name: "Select all 30 matching leads" }).click();
  await expect(page.getByText("All 30 matching leads are selected.")).toBeVisible();
  await expect(bar.getByText("30 selected")).toBeVisible();

  await bar.getByRole("combobox", { name: "Bulk actions" }).selectOption({ label: "Reassign" });
  await bar.getByRole("combobox", { name: "Assigned to" }).selectOption({ label: rep });
  await bar.getByRole("button", { name: "Apply" }).click();
  const dialog = page.getByRole("dialog", { name: "Reassign" });
  await expect(dialog.getByText("Leads that will change: 30.")).toBeVisible();
  await dialog.getByRole("button", { name: "Apply now" }).click();

  const summary = page.getByRole("status").filter({ hasText: "Bulk action finished" });
  await expect(summary).toContainText("30 changed");
  await expect(rows.filter({ hasText: rep })).toHaveCount(25);
  await expect(bar).toHaveCount(0); // the selection is cleared once applied

  await summary.getByRole("button", { name: "Undo" }).click();
  await expect(page.getByText("Undone — previous values restored: 30")).toBeVisible();
  await expect(rows.filter({ hasText: rep })).toHaveCount(0);
  await expect(rows).toHaveCount(25);
});

test("a bulk stage change reports the leads its rule blocked; ticked rows export and go to the trash and back", async ({ page }) => {
  await signIn(page);
  const tag = `Staged${test.info().project.name}`;
  await createLead(page, `${tag} Valued`, "900");
  await createLead(page, `${tag} Bare`, "");
  await createLead(page, `${tag} Other`, "50");
  await page.goto(`/admin/leads?view=list&q=${tag}&sort=name&dir=asc`);
  await hydrated(page);
  const rows = page.locator("table.list-table tbody tr");
  await expect(rows).toHaveCount(3);

  await page.getByRole("checkbox", { name: `Select ${tag} Valued` }).check();
  await page.getByRole("checkbox", { name: `Select ${tag} Bare` }).check();
  const bar = page.getByRole("form", { name: "Bulk actions" });
  await expect(bar.getByText("2 selected")).toBeVisible();

  // The ticked rows' CSV holds exactly them.
  const download = page.waitForEvent("download");
  await bar.getByRole("link", { name: "Export CSV" }).click();
  const csv = readFileSync((await (await download).path())!, "utf8");
  expect(csv).toContain(`${tag} Valued`);
  expect(csv).toContain(`${tag} Bare`);
  expect(csv).not.toContain(`${tag} Other`);

  await bar.getByRole("combobox", { name: "Bulk actions" }).selectOption({ label: "Change stage" });
  await bar.getByRole("combobox", { name: "Stage" }).selectOption({ label: "Proposal" });
  await bar.getByRole("button", { name: "Apply" }).click();
  await page.getByRole("dialog", { name: "Change stage" }).getByRole("button", { name: "Apply now" }).click();
  const summary = page.getByRole("status").filter({ hasText: "Bulk action finished" });
  await expect(summary).toContainText("1 changed");
  await expect(summary).toContainText("1 skipped");
  await expect(summary).toContainText("Lead value: Required to enter stage Proposal.");
  await expect(summary.getByRole("link", { name: `${tag} Bare` })).toBeVisible();
  await expect(rows.filter({ hasText: `${tag} Valued` })).toContainText("Proposal");

  // One row to the trash, then restored from it.
  await page.getByRole("checkbox", { name: `Select ${tag} Other` }).check();
  await bar.getByRole("combobox", { name: "Bulk actions" }).selectOption({ label: "Move to trash" });
  await bar.getByRole("button", { name: "Apply" }).click();
  await page.getByRole("dialog", { name: "Move to trash" }).getByRole("button", { name: "Apply now" }).click();
  await expect(rows).toHaveCount(2);
  await page.getByRole("link", { name: "Trash" }).click();
  await expect(page.getByRole("heading", { name: "Deleted leads" })).toBeVisible();
  await hydrated(page);
  const trashed = page.getByRole("row").filter({ hasText: `${tag} Other` });
  await expect(trashed).toContainText("by Administrator");
  await trashed.getByRole("button", { name: `Restore ${tag} Other` }).click();
  await expect(page.getByText(`${tag} Other is back in its stage.`)).toBeVisible();
  await page.goto(`/admin/leads?view=list&q=${tag}`);
  await expect(rows).toHaveCount(3);
});
