import { Browser, expect, Locator, Page, test } from "@playwright/test";
import { hydrated, signIn } from "./helpers";

// Wide enough for the first five columns side by side.
test.use({ viewport: { width: 1800, height: 1000 } });

const column = (page: Page, stage: string) => page.getByRole("region", { name: stage, exact: true });
const card = (page: Page, name: string) => page.getByRole("article", { name, exact: true });

/** A name unique to this test and backend (the database lives for the whole run). */
const unique = (name: string) => `${name} ${test.info().project.name}`;

async function openBoard(page: Page) {
  await page.goto("/admin/leads?view=board");
  await hydrated(page);
}

async function quickAdd(page: Page, stage: string, name: string, company = "Acme") {
  await column(page, stage).getByRole("button", { name: `Add a lead to ${stage}` }).click();
  const form = column(page, stage).locator("form.quick-add");
  await form.getByPlaceholder("Name").fill(name);
  await form.getByPlaceholder("Company").fill(company);
  await form.getByRole("button", { name: "Add", exact: true }).click();
  await expect(card(page, name)).toBeVisible();
}

/** Drags like a person with a mouse: press on the card, move in steps, release over `to`. */
async function drag(page: Page, from: Locator, to: Locator, where: "top" | "bottom" = "bottom") {
  const a = (await from.boundingBox())!;
  const b = (await to.boundingBox())!;
  await page.mouse.move(a.x + 40, a.y + 14);
  await page.mouse.down();
  await page.mouse.move(a.x + 50, a.y + 30, { steps: 3 });
  const y = where === "top" ? b.y + 6 : b.y + b.height - 6;
  await page.mouse.move(b.x + b.width / 2, y, { steps: 15 });
  await page.mouse.up();
}

/** The drop zones show only while dragging: press, move, then aim at the zone and release. */
async function dropOnZone(page: Page, from: Locator, zone: "lost" | "junk" | "convert") {
  const target = page.locator(`[data-drop=${zone}]`);
  const box = (await from.boundingBox())!;
  await page.mouse.move(box.x + 40, box.y + 14);
  await page.mouse.down();
  await page.mouse.move(box.x + 60, box.y + 60, { steps: 5 });
  await expect(target).toBeInViewport();
  const at = (await target.boundingBox())!;
  await page.mouse.move(at.x + at.width / 2, at.y + at.height / 2, { steps: 15 });
  await page.mouse.up();
}

async function cardNames(page: Page, stage: string): Promise<string[]> {
  return column(page, stage).locator("article.lead-card").evaluateAll((cards) =>
    cards.map((c) => c.getAttribute("aria-label") ?? ""),
  );
}

test("cards dragged across columns and within a column stay put after a reload", async ({ page }) => {
  await signIn(page);
  await openBoard(page);
  const a = unique("Drag Alpha");
  const c = unique("Drag Gamma");
  await quickAdd(page, "New", a);
  await drag(page, card(page, a), column(page, "Contacted").locator(".column-cards"));
  await expect(column(page, "Contacted").getByRole("article", { name: a })).toBeVisible();
  await expect(column(page, "New").getByRole("article", { name: a })).toHaveCount(0);

  // Quick add puts Gamma on top of Contacted; drag it below Alpha.
  await quickAdd(page, "Contacted", c);
  let names = await cardNames(page, "Contacted");
  expect(names.indexOf(c)).toBeLessThan(names.indexOf(a));
  // The card moves at once; the reload waits for the server to have saved the move.
  const saved = page.waitForResponse((r) => r.url().endsWith("/rpc/board/move") && r.ok());
  await drag(page, card(page, c), card(page, a), "bottom");
  await expect.poll(async () => {
    const now = await cardNames(page, "Contacted");
    return now.indexOf(c) > now.indexOf(a);
  }).toBe(true);
  await saved;

  await page.reload();
  await hydrated(page);
  names = await cardNames(page, "Contacted");
  expect(names).toContain(a);
  expect(names.indexOf(c)).toBeGreaterThan(names.indexOf(a));
});

test("a card moves with the keyboard and the move is announced", async ({ page }) => {
  await signIn(page);
  await openBoard(page);
  const k = unique("Keyboard Kate");
  await quickAdd(page, "New", k);
  await card(page, k).focus();
  await page.keyboard.press("Space");
  await expect(page.locator("[aria-live]")).toContainText(`Picked up ${k}`);
  await page.keyboard.press("ArrowRight");
  await expect(page.locator("[aria-live]")).toContainText(`${k}: Contacted, position 1`);
  await expect(card(page, k)).toBeFocused();
  await page.keyboard.press("Space");
  await expect(page.locator("[aria-live]")).toContainText(`${k} moved to Contacted`);
  await page.reload();
  await hydrated(page);
  await expect(column(page, "Contacted").getByRole("article", { name: k })).toBeVisible();

  // Escape puts a picked-up card back.
  await card(page, k).focus();
  await page.keyboard.press("Enter");
  await page.keyboard.press("ArrowRight");
  await expect(column(page, "Qualified").getByRole("article", { name: k })).toBeVisible();
  await expect(card(page, k)).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(page.locator("[aria-live]")).toContainText(`Move cancelled: ${k} is back in Contacted.`);
  await expect(column(page, "Contacted").getByRole("article", { name: k })).toBeVisible();
});

test("a stage that requires a value asks for it on drop; cancel puts the card back", async ({ page }) => {
  await signIn(page);
  await openBoard(page);
  const p = unique("Proposal Paul");
  await quickAdd(page, "New", p);
  await drag(page, card(page, p), column(page, "Proposal").locator(".column-cards"));
  const dialog = page.getByRole("dialog", { name: "Proposal needs a few details" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(column(page, "New").getByRole("article", { name: p })).toBeVisible();

  await drag(page, card(page, p), column(page, "Proposal").locator(".column-cards"));
  await dialog.getByLabel("Lead value").fill("1500");
  await dialog.getByRole("button", { name: "Move" }).click();
  await expect(dialog).toHaveCount(0);
  const moved = column(page, "Proposal").getByRole("article", { name: p });
  await expect(moved).toContainText("1,500.00");
  await page.reload();
  await hydrated(page);
  await expect(column(page, "Proposal").getByRole("article", { name: p })).toContainText("1,500.00");
});

test("dropping on Lost asks for a reason and the lead leaves the board", async ({ page }) => {
  await signIn(page);
  await openBoard(page);
  const l = unique("Lost Larry");
  await quickAdd(page, "New", l);
  await dropOnZone(page, card(page, l), "lost");

  const dialog = page.getByRole("dialog", { name: `Mark ${l} as lost` });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Mark as lost" }).click();
  await expect(dialog).toBeVisible(); // the reason is required (the browser says so)
  await dialog.getByLabel("Lost reason").selectOption({ label: "Too expensive" });
  await dialog.getByLabel("Note").fill("Budget cut in Q4");
  await dialog.getByRole("button", { name: "Mark as lost" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(card(page, l)).toHaveCount(0);
  await expect(page.locator(".toast")).toContainText(`${l} marked as lost.`);

  await page.getByLabel("Status").selectOption("lost");
  await expect(page).toHaveURL(/status=lost/);
  await expect(card(page, l)).toBeVisible();
});

test("dropping on Convert opens the lead's conversion form", async ({ page }) => {
  await signIn(page);
  await openBoard(page);
  const c = unique("Convert Cora");
  await quickAdd(page, "New", c, "Cora Ltd");
  await dropOnZone(page, card(page, c), "convert");

  await expect(page.getByRole("heading", { name: c, level: 1 })).toBeVisible();
  const dialog = page.getByRole("dialog", { name: "Convert to client" });
  await expect(dialog.getByLabel("Company")).toHaveValue("Cora Ltd");
});

test("a move the server refuses rolls the card back and says why", async ({ page }) => {
  await signIn(page);
  await openBoard(page);
  const r = unique("Rollback Rita");
  await quickAdd(page, "New", r);
  // Send the move with a version the lead no longer has, as a stale board would.
  await page.route("**/rpc/board/move", async (route) => {
    const body = JSON.parse(route.request().postData() ?? "{}");
    body.request.version = 999;
    await route.continue({ postData: JSON.stringify(body) });
  });
  await drag(page, card(page, r), column(page, "Contacted").locator(".column-cards"));
  await expect(page.locator(".toast-error")).toContainText(`${r} was not moved`);
  await expect(column(page, "New").getByRole("article", { name: r })).toBeVisible();
  await expect(column(page, "Contacted").getByRole("article", { name: r })).toHaveCount(0);
});

async function signedInPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1800, height: 1000 } });
  const page = await context.newPage();
  await signIn(page);
  await openBoard(page);
  return page;
}

test("a move in one browser shows up live in another", async ({ browser }) => {
  const one = await signedInPage(browser);
  const two = await signedInPage(browser);
  const v = unique("Live Lena");
  await quickAdd(one, "New", v);
  await expect(column(two, "New").getByRole("article", { name: v })).toBeVisible({ timeout: 5_000 });
  await drag(one, card(one, v), column(one, "Contacted").locator(".column-cards"));
  await expect(column(two, "Contacted").getByRole("article", { name: v })).toBeVisible({ timeout: 5_000 });
  await expect(column(two, "New").getByRole("article", { name: v })).toHaveCount(0);
  await one.context().close();
  await two.context().close();
});

test("clicking a card's name opens the lead", async ({ page }) => {
  await signIn(page);
  await openBoard(page);
  const o = unique("Open Olga");
  await quickAdd(page, "New", o);
  await card(page, o).getByRole("link", { name: o }).click();
  await expect(page).toHaveURL(/\/admin\/leads\/\d+$/);
  await expect(page.getByRole("heading", { name: o, level: 1 })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Stage history" })).toBeVisible();
});
