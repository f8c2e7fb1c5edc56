import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

// One throwaway data folder (SQLite database, secret) per run, shared with the workers.
process.env.KUBEPREP_E2E_DATA ??= fs.mkdtempSync(path.join(os.tmpdir(), "kubeprep-e2e-"));
process.env.KUBEPREP_E2E_ADMIN_EMAIL ??= "e2e-admin@kubeprep.test";
process.env.KUBEPREP_E2E_ADMIN_PASSWORD ??= `e2e-${Math.random().toString(36).slice(2)}-password`;

const port = Number(process.env.E2E_PORT ?? "3210");
// Debian's Chromium where present (these machines cannot download Playwright's browsers);
// elsewhere Playwright's own (`npx playwright install chromium`).
const systemChromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((file) => fs.existsSync(file));

const LONGEST = ["control-plane-complete", "student-journey", "workspace", "exam"];
const LONG = ["answer-leak", "cohort-consent", "phone-widths", "review", "security"];
const specs = (names: string[]) => names.map((name) => `**/${name}.spec.ts`);

export default defineConfig({
  testDir: "e2e",
  fullyParallel: true,
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    // Recording a trace costs every test time (its DOM snapshots and screencast): about 15 % of the
    // terminal and lesson specs on this 2-core machine. In CI a failed test is retried once and the
    // retry records one; locally (no retries) a failing test keeps its trace.
    trace: process.env.CI ? "on-first-retry" : "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: systemChromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  // Free workers take tests in the order of the projects, then of the files (by name), then of the
  // tests. The longest tests (a few minutes each: the journeys typed in the terminal, the exams, the
  // crawls) go first, longest first, so the short ones fill in beside them and no worker is left
  // alone with a long test at the end of the run. A spec in no list runs in "chromium".
  projects: [
    { name: "chromium-longest", testMatch: specs(LONGEST), use: { ...devices["Desktop Chrome"] } },
    { name: "chromium-long", testMatch: specs(LONG), use: { ...devices["Desktop Chrome"] } },
    { name: "chromium", testIgnore: specs([...LONGEST, ...LONG]), use: { ...devices["Desktop Chrome"] } },
  ],
  webServer: {
    command: "node node_modules/tsx/dist/cli.mjs scripts/start.ts",
    url: `http://127.0.0.1:${port}/api/health`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: {
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: process.env.KUBEPREP_E2E_DATA,
      DATABASE_URL: "",
      REDIS_URL: "",
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      ADMIN_EMAIL: process.env.KUBEPREP_E2E_ADMIN_EMAIL,
      ADMIN_PASSWORD: process.env.KUBEPREP_E2E_ADMIN_PASSWORD,
      // Each test context sends its own X-Forwarded-For, so per-address limits stay per test.
      TRUST_PROXY: "1",
      PRACTICE_API_PORT: String(port + 1),
      // The short "Deadline test" exam, to see the automatic submission (e2e/exam.spec.ts).
      EXAM_TEST_SECONDS: "45",
    },
  },
});
