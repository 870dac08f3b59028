import { expect, Page, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { hydrated, signIn } from "./helpers";

test.use({ viewport: { width: 1600, height: 1000 } });

/** Adds a lead in "New" from the board, as a person would, and opens its page. */
async function openNewLead(page: Page, name: string) {
  await page.goto("/admin/leads?view=board");
  await hydrated(page);
  const column = page.getByRole("region", { name: "New", exact: true });
  await column.getByRole("button", { name: "Add a lead to New" }).click();
  await column.locator("form.quick-add").getByPlaceholder("Name").fill(name);
  await column.locator("form.quick-add").getByRole("button", { name: "Add", exact: true }).click();
  await page.getByRole("article", { name, exact: true }).getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
  await hydrated(page);
}

test("on the lead page a call is logged in two clicks and the timeline tells the story", async ({ page }) => {
  await signIn(page);
  const name = `Timeline Tina ${test.info().project.name}`;
  await openNewLead(page, name);

  const timeline = page.getByRole("region", { name: "Timeline" });
  await expect(timeline.getByText("Created the lead")).toBeVisible();

  // A note needs text: the browser says so before asking the server.
  await timeline.getByRole("button", { name: "Note", exact: true }).click();
  await timeline.getByRole("button", { name: "Log", exact: true }).click();
  await expect(timeline.getByText("This field is required.")).toBeVisible();

  await timeline.getByRole("button", { name: "Call", exact: true }).click();
  await timeline.getByPlaceholder("What happened").fill("Wants a demo on Tuesday");
  await timeline.getByLabel("Outcome").selectOption({ label: "Connected" });
  await timeline.getByLabel("Duration (minutes)").fill("12");
  await timeline.getByRole("button", { name: "Log", exact: true }).click();
  const call = timeline.locator("li.entry-item").first();
  await expect(call).toContainText("Call · Connected · 12 min");
  await expect(call).toContainText("Wants a demo on Tuesday");
  await expect(timeline.getByText("This field is required.")).toHaveCount(0);
  await expect(timeline.getByPlaceholder("What happened")).toHaveValue("");

  await timeline.getByRole("button", { name: "I contacted this lead" }).click();
  await expect(timeline.locator("li.entry-item").first()).toContainText("Contacted the lead");

  await page.reload();
  await hydrated(page);
  await expect(page.getByRole("region", { name: "Timeline" }).getByText("Wants a demo on Tuesday")).toBeVisible();
  await expect(page.getByText("Last contact")).toBeVisible();
});

test("a lead is marked lost with a reason on its page, then reopened", async ({ page }) => {
  await signIn(page);
  const name = `Lost Larry ${test.info().project.name}`;
  await openNewLead(page, name);

  await page.getByRole("button", { name: "Mark as lost" }).click();
  const dialog = page.getByRole("dialog", { name: `Mark ${name} as lost` });
  await dialog.getByRole("button", { name: "Mark as lost" }).click();
  await expect(dialog.getByText("This field is required.")).toBeVisible();
  await dialog.getByLabel("Lost reason").selectOption({ label: "Too expensive" });
  await dialog.getByLabel("Note").fill("Budget cut for this year");
  await dialog.getByRole("button", { name: "Mark as lost" }).click();

  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Reopen" })).toBeVisible();
  await expect(page.locator(".page-header .tag", { hasText: "Lost" })).toBeVisible();
  const timeline = page.getByRole("region", { name: "Timeline" });
  await expect(timeline.getByText("Marked it lost")).toBeVisible();
  await expect(timeline.getByText("Budget cut for this year")).toBeVisible();
  await expect(page.getByText("Too expensive")).toBeVisible();

  await page.getByRole("button", { name: "Reopen" }).click();
  await expect(page.getByRole("button", { name: "Mark as lost" })).toBeVisible();
  await expect(timeline.getByText("Reopened it")).toBeVisible();
  await expect(page.locator(".page-header .tag", { hasText: "Lost" })).toHaveCount(0);
});

test("the stage bar moves the lead, asking for what a stage requires", async ({ page }) => {
  await signIn(page);
  const name = `Stage Bar Sam ${test.info().project.name}`;
  await openNewLead(page, name);

  const bar = page.getByRole("navigation", { name: "Stage" });
  await expect(bar.getByRole("button", { name: "New" })).toHaveAttribute("aria-current", "step");
  await bar.getByRole("button", { name: "Contacted" }).click();
  await expect(bar.getByRole("button", { name: "Contacted" })).toHaveAttribute("aria-current", "step");
  await expect(page.locator(".page-header .stage-badge")).toHaveText("Contacted");

  // "Proposal" requires a lead value: the page asks for it, and the move and the value commit together.
  await bar.getByRole("button", { name: "Proposal" }).click();
  const needs = page.locator("form.stage-needs");
  await expect(needs).toBeVisible();
  await needs.getByLabel("Lead value").fill("2500");
  await needs.getByRole("button", { name: "Move", exact: true }).click();
  await expect(bar.getByRole("button", { name: "Proposal" })).toHaveAttribute("aria-current", "step");
  await expect(page.locator(".profile").getByText("2,500.00")).toBeVisible();
  await expect(page.getByRole("region", { name: "Timeline" }).getByText("Moved it from Contacted to Proposal")).toBeVisible();
});

test("a lead is converted to a client and an opportunity, and lands on the client", async ({ page }) => {
  await signIn(page);
  const project = test.info().project.name;
  const name = `Conan Convert ${project}`;
  await openNewLead(page, name);

  await page.getByRole("button", { name: "Convert", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Convert to client" });
  // The name splits at its last space.
  await expect(dialog.getByLabel("First name")).toHaveValue("Conan Convert");
  await expect(dialog.getByLabel("Last name")).toHaveValue(project);
  await dialog.getByLabel("Company").fill("");
  await dialog.getByRole("button", { name: "Convert" }).click();
  await expect(dialog.getByText("This field is required.")).toBeVisible();
  await dialog.getByLabel("Company").fill(`Conan Industries ${project}`);
  await dialog.getByLabel("Value").fill("9000");
  await dialog.getByRole("button", { name: "Convert" }).click();

  await expect(page.getByRole("heading", { name: `Conan Industries ${project}`, level: 1 })).toBeVisible();
  await expect(page.getByRole("link", { name, exact: true })).toBeVisible();
  await expect(page.getByText("9,000.00")).toBeVisible();
  // The lead's timeline is here too, with the conversion on it.
  await expect(page.getByRole("region", { name: "Timeline" }).getByText("Converted the lead to a client")).toBeVisible();

  await page.getByRole("link", { name, exact: true }).click();
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
  await expect(page.getByText("Converted", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Convert", exact: true })).toHaveCount(0);
});

test("a lead's data downloads as JSON, then an admin erases its personal data", async ({ page }) => {
  await signIn(page);
  const project = test.info().project.name;
  const name = `Greta Gdpr ${project}`;
  await openNewLead(page, name);

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export data (JSON)" }).click();
  const file = await download;
  const document = JSON.parse(readFileSync((await file.path())!, "utf8"));
  expect(document.lead.name).toBe(name);
  expect(document.timeline.length).toBeGreaterThan(0);

  await page.getByRole("button", { name: "Erase personal data" }).click();
  const dialog = page.getByRole("dialog", { name: `Erase the personal data of ${name}?` });
  await dialog.getByRole("button", { name: "Erase", exact: true }).click();
  await expect(page.getByRole("heading", { name: /^Erased lead #\d+$/, level: 1 })).toBeVisible();
  await expect(page.getByRole("region", { name: "Timeline" }).getByText("Erased the personal data")).toBeVisible();
  await expect(page.getByText(name)).toHaveCount(0);
});

test("files are dropped on a lead, downloaded and deleted; a file over the limit is refused", async ({ page }) => {
  await signIn(page);
  const name = `Filip Files ${test.info().project.name}`;
  await openNewLead(page, name);
  const files = page.getByRole("region", { name: "Files" });
  await expect(files.getByText("No files yet.")).toBeVisible();
  await expect(files.getByText("Up to 1.0 MB each")).toBeVisible();

  // Dropped from the desktop…
  const dropped = await page.evaluateHandle(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(["Offer for Filip"], "offer.txt", { type: "text/plain" }));
    return transfer;
  });
  await files.locator(".dropzone").dispatchEvent("drop", { dataTransfer: dropped });
  const offer = files.getByRole("link", { name: "Download offer.txt" });
  await expect(offer).toBeVisible();
  await expect(files.locator("li.file").filter({ hasText: "offer.txt" })).toContainText("TXT");

  // …or chosen with the picker; too large is refused before anything is sent.
  await files.getByLabel("choose files").setInputFiles([
    { name: "brochure.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4 brochure") },
    { name: "video.mp4", mimeType: "video/mp4", buffer: Buffer.alloc(1024 * 1024 + 1) },
  ]);
  await expect(files.getByRole("link", { name: "Download brochure.pdf" })).toBeVisible();
  await expect(files.getByRole("alert")).toContainText(
    "video.mp4 was not uploaded: video.mp4 is larger than 1.0 MB, the largest file Leadline takes.",
  );
  await files.getByRole("button", { name: "Dismiss" }).click();
  await expect(files.getByRole("alert")).toHaveCount(0);

  const download = page.waitForEvent("download");
  await offer.click();
  const file = await download;
  expect(file.suggestedFilename()).toBe("offer.txt");
  expect(readFileSync((await file.path())!, "utf8")).toBe("Offer for Filip");

  page.once("dialog", (dialog) => dialog.accept());
  await files.getByRole("button", { name: "Delete brochure.pdf" }).click();
  await expect(files.getByRole("link", { name: "Download brochure.pdf" })).toHaveCount(0);

  await page.reload();
  await hydrated(page);
  await expect(page.getByRole("region", { name: "Files" }).getByRole("link", { name: "Download offer.txt" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Timeline" }).getByText("Removed brochure.pdf")).toBeVisible();
});
