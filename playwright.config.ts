import { defineConfig } from "@playwright/test";

// Run through `npm test`, which builds the app, starts it against a fresh PostgreSQL and sets these.
const baseURL = process.env.GATEHOUSE_TEST_URL ?? "http://127.0.0.1:3100";
const executablePath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

export default defineConfig({
  testDir: "e2e",
  forbidOnly: Boolean(process.env.CI),
  retries: process.env.CI ? 1 : 0,
  workers: 2,
  timeout: 45_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath,
      // Debian's Chromium as root, on a machine with no network beyond the package registries.
      args: ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
  projects: [
    { name: "api", testMatch: /api\/.*\.spec\.ts/ },
    { name: "browser", testMatch: /browser\/.*\.spec\.ts/, use: { browserName: "chromium", viewport: { width: 1280, height: 860 } } },
    // Several server processes on a PostgreSQL of their own, stopped and killed on purpose (npm test -- ops).
    { name: "ops", testMatch: /ops\/.*\.spec\.ts/, timeout: 180_000, retries: 0, use: { browserName: "chromium" } },
  ],
});
