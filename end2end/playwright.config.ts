import { defineConfig } from "@playwright/test";

// Debian's Chromium, never a downloaded browser. Each project runs the whole suite against a
// Leadline started on its own fresh database: SQLite and PostgreSQL.
const chromium = {
  browserName: "chromium" as const,
  launchOptions: {
    executablePath: "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  },
};

export default defineConfig({
  testDir: "./tests",
  timeout: 90_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? "list" : [["list"], ["html", { open: "never" }]],
  use: { trace: "retain-on-failure", screenshot: "only-on-failure" },
  projects: [
    { name: "sqlite", use: { ...chromium, baseURL: "http://127.0.0.1:3101" } },
    { name: "postgres", use: { ...chromium, baseURL: "http://127.0.0.1:3102" } },
  ],
  webServer: [
    { command: "bash serve.sh sqlite 3101", url: "http://127.0.0.1:3101/readyz", reuseExistingServer: false, timeout: 60_000 },
    { command: "bash serve.sh postgres 3102", url: "http://127.0.0.1:3102/readyz", reuseExistingServer: false, timeout: 60_000 },
  ],
});
