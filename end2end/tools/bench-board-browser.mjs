// How the board feels in Chromium with big columns: expands three columns by 250 cards each
// with "Load more", timing each click until its cards are on screen, and counts long
// main-thread tasks (> 50 ms) meanwhile.
// Usage: node tools/bench-board-browser.mjs http://127.0.0.1:3997 email password
import { chromium } from "@playwright/test";

const [base, email, password] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const page = await browser.newPage({ viewport: { width: 1800, height: 1000 } });
await page.goto(`${base}/admin/login`);
await page.locator("body[data-hydrated]").waitFor({ state: "attached" });
await page.fill("input[name=email]", email);
await page.fill("input[name=password]", password);
await page.click("button[type=submit]");
await page.waitForURL(/\/admin\/leads/);
await page.goto(`${base}/admin/leads?view=board`);
await page.locator("body[data-hydrated]").waitFor({ state: "attached" });
await page.evaluate(() => {
  window.__long = [];
  new PerformanceObserver((list) => list.getEntries().forEach((e) => window.__long.push(e.duration))).observe({ entryTypes: ["longtask"] });
});

const columns = page.locator("section.column");
const count = (i) => columns.nth(i).locator("article.lead-card").count();
const loadTimes = [];
for (let i = 0; i < 3; i++) {
  for (let round = 0; round < 5; round++) {
    const before = await count(i);
    const start = Date.now();
    await columns.nth(i).getByRole("button", { name: "Load more" }).click();
    await page.waitForFunction(([i, before]) => document.querySelectorAll("section.column")[i].querySelectorAll("article.lead-card").length > before, [i, before]);
    loadTimes.push(Date.now() - start);
  }
}
const cards = await page.locator("article.lead-card").count();
const long = await page.evaluate(() => window.__long);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`cards on the board: ${cards}`);
console.log(`load more (50 cards) until on screen: median ${median(loadTimes)} ms, max ${Math.max(...loadTimes)} ms (n=${loadTimes.length})`);
console.log(`long tasks (> 50 ms) during all of it: ${long.length}${long.length ? `, longest ${Math.round(Math.max(...long))} ms` : ""}`);
await browser.close();
