// Issue 17's "done when": a new student goes from the home page (sign up) through a lesson to a
// scenario solved in the split pane at 1366×900 with a hint from step 3 (none from steps 1 and 2),
// and finds it passed on the progress page with its score, attempts, time and hint.
// With E2E_SHOTS_DIR=<folder>, screenshots of each stage land there.
import fs from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import YAML from "yaml";
import { expect, test } from "./fixtures";
import { newClient, typeCommand, uniqueEmail } from "./helpers";

const SHOTS = process.env.E2E_SHOTS_DIR;
/** A command's answer on a loaded machine (the solution is a dozen commands typed key by key). */
const BUSY = 30_000;

interface ScenarioFile {
  steps: { title: string; hints: string[] }[];
  solution: string[];
}

const scenario = YAML.parse(fs.readFileSync(path.join("content", "scenarios", "expired-cert.yaml"), "utf8")) as ScenarioFile;

async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `journey-${name}.png`), fullPage });
}

test("a new student signs up on the home page, completes a lesson, solves its scenario in the split pane with a hint from step 3, and sees it passed on /progress", async ({
  browser,
}) => {
  test.setTimeout(420_000);
  const firstHint = scenario.steps[2]?.hints[0]?.replaceAll("`", "");
  if (!firstHint) throw new Error("expired-cert has no hint on step 3");
  const context = await newClient(browser, { viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();

  // Home → sign up → dashboard.
  await page.goto("/");
  await page.getByRole("link", { name: "Create a free account" }).click();
  await expect(page).toHaveURL(/\/signup$/);
  const form = page.getByRole("form", { name: "Create account" });
  await form.getByLabel("Email").fill(uniqueEmail("journey"));
  await form.getByLabel("Display name").fill("Jo Journey");
  await form.getByLabel("Password").fill("a long enough password");
  await form.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { name: "Welcome, Jo Journey" })).toBeVisible();
  await shot(page, "dashboard-new", true);

  // A lesson: read, answer its first question, mark it complete.
  await page.getByRole("navigation", { name: "Main", exact: true }).getByRole("link", { name: "Learn" }).click();
  await expect(page).toHaveURL(/\/learn$/);
  await page
    .getByRole("main")
    .getByRole("link", { name: /^\d+\. X\.509 client certificates$/ })
    .click();
  await expect(page.getByRole("heading", { level: 1, name: "X.509 client certificates" })).toBeVisible();
  const question = page.locator('[data-question-id="x509-expired-outcome"]');
  await question.getByLabel("401 Unauthorized", { exact: true }).check();
  await question.getByRole("button", { name: "Check answer" }).click();
  await expect(question.getByRole("status")).toContainText("Correct");
  await page.getByRole("button", { name: "Mark as complete" }).click();
  await expect(page.getByText("Lesson complete")).toBeVisible();

  // Its scenario, from the lesson's "Practise it hands-on".
  await page.getByRole("region", { name: "Practise it hands-on" }).getByRole("link", { name: "The certificate that expired" }).click();
  await expect(page).toHaveURL(/\/scenarios\/expired-cert$/);
  await expect(page.getByRole("heading", { level: 1, name: "The certificate that expired" })).toBeVisible();
  const terminalBox = page.getByRole("group", { name: "Scenario terminal" });
  const terminal = page.getByRole("textbox", { name: "Scenario terminal" });
  await expect(terminal).toBeAttached();
  await expect(page.getByRole("separator", { name: "Resize the instructions and the terminal" })).toBeVisible();
  await expect(terminalBox).toBeInViewport({ ratio: 1 });

  // Stuck on step 3 (the CSR): its first hint, and nothing from steps 1 and 2.
  await page.getByRole("button", { name: "Show hint for step 3" }).click();
  await expect(page.getByRole("list", { name: "Hints for step 3" })).toContainText(firstHint);
  await expect(page.getByRole("list", { name: "Hints for step 1" })).toHaveCount(0);
  await expect(page.getByRole("list", { name: "Hints for step 2" })).toHaveCount(0);
  await expect(terminalBox).toBeInViewport({ ratio: 1 });

  await terminal.focus();
  const [first, ...rest] = scenario.solution;
  await typeCommand(page, (first ?? "").trimEnd(), BUSY);
  await shot(page, "workspace-hint");
  for (const command of rest) await typeCommand(page, command.trimEnd(), BUSY);
  const passed = page.getByRole("status").getByText("Scenario passed");
  await expect(passed).toBeInViewport({ timeout: BUSY });
  await expect(terminalBox).toBeInViewport({ ratio: 1 });
  await shot(page, "workspace-passed");

  // The progress page: the scenario passed, with score, attempts, time and the hint; the lesson complete.
  await page.getByRole("navigation", { name: "Main", exact: true }).getByRole("link", { name: "Progress" }).click();
  await expect(page).toHaveURL(/\/progress$/);
  const item = page.locator('[data-scenario-id="expired-cert"]');
  await expect(item).toContainText("Passed");
  await expect(item).toContainText("Score 100%");
  await expect(item).toContainText("1 attempt");
  await expect(item).toContainText(/time (< 1 min|\d+ min)/);
  await expect(item).toContainText("1 hint");
  await expect(page.getByRole("row", { name: /X\.509 client certificates/ })).toContainText("Completed");
  await expect(page.getByText(/1 of \d+ scenarios passed/).first()).toBeVisible();
  await shot(page, "progress-desktop", true);
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(item).toBeVisible();
  await shot(page, "progress-phone", true);
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.goto("/dashboard");
  await expect(page.getByRole("region", { name: "Hands-on scenarios" }).locator('[data-scenario-id="expired-cert"]')).toContainText(
    "Passed",
  );
  await shot(page, "dashboard", true);
  await context.close();
});
