// A new learner completes the control-plane module in Chromium: every lesson's questions answered
// right (the keys are read here, in the test process, from content/), and every scenario of the
// module passed by typing its reference solution into the browser terminal, one scenario editing
// the API server's manifest with `vi` instead of `sed`. Then the course page shows the module at 100%
// and the scenario list shows each scenario passed. The scenarios are those whose `lessons` name a
// lesson of the module, read from content/scenarios, so a new one is covered when it is added.
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { newClient, signInViaApi, typeKeys, uniqueEmail } from "./helpers";
import { loadCourse } from "../lib/content/load";
import type { Question } from "../lib/content/schema";
import { publicOptionId } from "../lib/quiz/options";
import { loadScenarios } from "../lib/scenarios/catalog";

const course = loadCourse();
const controlPlane = course.modules.find((m) => m.id === "control-plane");
if (!controlPlane) throw new Error("the course has no control-plane module");
const lessonSlugs = new Set(controlPlane.lessons.map((lesson) => lesson.slug));
const scenarios = [...loadScenarios().values()].filter((scenario) => scenario.lessons.some((slug) => lessonSlugs.has(slug)));

/** The scenario whose manifest fix is typed in the `vi` editor rather than with its solution's `sed`. */
const VI_SCENARIO = "recover-apiserver";
const MANIFEST = "/etc/kubernetes/manifests/kube-apiserver.yaml";

/**
 * Keeps this learner under one of the server's per-learner limits (lib/env defaults: 30 answers and
 * 40 terminal commands per 10 s): a person never reaches them, but a test that types at machine
 * speed does on a quiet machine, and gets the limit's 429. Waits until fewer than `limit` events
 * happened in the last window (with a margin), then counts one.
 */
function pacer(limit: number, windowMs = 10_000): (page: Page) => Promise<void> {
  const times: number[] = [];
  return async (page) => {
    const earliest = times.at(-limit);
    if (earliest !== undefined) {
      const wait = earliest + windowMs + 250 - Date.now();
      if (wait > 0) await page.waitForTimeout(wait);
    }
    times.push(Date.now());
  };
}
const paceAnswer = pacer(28);
const paceCommand = pacer(36);

async function answerCorrectly(page: Page, question: Question): Promise<void> {
  await paceAnswer(page);
  const card = page.locator(`[data-question-id="${question.id}"]`);
  if (question.type === "single" || question.type === "multiple") {
    const keys = question.type === "single" ? [question.answer] : question.answer;
    for (const option of question.options.filter((o) => keys.includes(o.id))) {
      await card.locator(`input[value="${publicOptionId(question.id, option.text)}"]`).check();
    }
  } else if (question.type === "short") {
    await card.getByLabel("Your answer").fill(question.accepted[0] ?? "");
  } else {
    throw new Error(`${question.id}: open questions are not in this module`);
  }
  await card.getByRole("button", { name: "Check answer" }).click();
  await expect(card.getByRole("status")).toContainText("Correct");
}

/**
 * Types one solution entry (a command, or a here-document or quoted text over several lines: the
 * terminal asks for the rest with `> ` and sends the whole on the last Enter) and waits for the
 * server's answer to it.
 */
async function typeSolutionLine(page: Page, scenarioId: string, command: string): Promise<void> {
  await paceCommand(page);
  const response = page.waitForResponse(
    (r) => r.url().endsWith(`/api/scenarios/${scenarioId}/commands`) && r.request().method() === "POST",
  );
  for (const line of command.split("\n")) {
    await typeKeys(page, line);
    await page.keyboard.press("Enter");
  }
  expect((await response).ok()).toBe(true);
}

/**
 * The recover-apiserver fix as a candidate types it in vi: search for the flag, move onto its `=`,
 * insert the missing `s`, Escape, `:wq`.
 */
async function fixFlagWithVi(page: Page, scenarioId: string): Promise<void> {
  await typeSolutionLine(page, scenarioId, `vi ${MANIFEST}`);
  const editor = page.getByRole("dialog", { name: "Edit file" });
  await expect(editor.getByRole("textbox", { name: `Contents of ${MANIFEST}` })).toBeFocused();
  const status = editor.getByRole("status", { name: "vi status" });
  await page.keyboard.type("/plugin=", { delay: 0 });
  await page.keyboard.press("Enter");
  await page.keyboard.type("6li", { delay: 0 });
  await expect(status).toHaveText("-- INSERT --");
  await page.keyboard.type("s", { delay: 0 });
  await page.keyboard.press("Escape");
  await expect(editor).toBeVisible();
  const saved = page.waitForResponse((r) => r.url().endsWith(`/api/scenarios/${scenarioId}/files`) && r.request().method() === "PUT");
  await page.keyboard.type(":wq", { delay: 0 });
  await page.keyboard.press("Enter");
  expect((await saved).ok()).toBe(true);
  await expect(editor).toBeHidden();
}

test("a new learner completes the control-plane module: every lesson and every scenario", async ({ browser }) => {
  test.setTimeout(600_000);
  expect(scenarios.length).toBeGreaterThanOrEqual(5);
  const context = await newClient(browser);
  const page = await context.newPage();
  // The sign-up form has its own tests; this learner signs up and in through the API, one request each.
  const learner = { email: uniqueEmail("module-complete"), name: "Mo Complete", password: "a long enough password" };
  expect((await page.request.post("/api/signup", { data: learner })).status()).toBe(201);
  await signInViaApi(page, learner.email, learner.password);

  for (const lesson of controlPlane.lessons) {
    await test.step(`lesson ${lesson.slug}`, async () => {
      await page.goto(`/learn/control-plane/${lesson.slug}`);
      await expect(page.getByRole("heading", { level: 1, name: lesson.frontmatter.title })).toBeVisible();
      for (const id of lesson.questionIds) {
        const question = course.questions.get(id);
        if (!question) throw new Error(`${lesson.slug}: no question ${id}`);
        await answerCorrectly(page, question);
      }
      await expect(page.getByText("Lesson complete")).toBeVisible();
    });
  }

  for (const scenario of scenarios) {
    await test.step(`scenario ${scenario.id}`, async () => {
      await page.goto(`/scenarios/${scenario.id}`);
      const terminal = page.getByRole("textbox", { name: "Scenario terminal" });
      // The first visit builds the learner's instance (the node, its certificates) on the worker pool.
      await expect(terminal).toBeAttached({ timeout: 60_000 });
      await terminal.focus();
      let viUsed = false;
      for (const command of scenario.solution) {
        if (scenario.id === VI_SCENARIO && command.startsWith("sed -i ") && command.endsWith(MANIFEST)) {
          await fixFlagWithVi(page, scenario.id);
          viUsed = true;
        } else {
          await typeSolutionLine(page, scenario.id, command);
        }
      }
      if (scenario.id === VI_SCENARIO) expect(viUsed).toBe(true);
      await expect(page.getByText("Scenario passed")).toBeVisible();
    });
  }

  await test.step("the course page shows the module complete", async () => {
    await page.goto("/learn");
    const card = page
      .getByRole("main")
      .getByRole("listitem")
      .filter({ has: page.getByRole("heading", { level: 2, name: controlPlane.title, exact: true }) });
    const count = controlPlane.lessons.length;
    await expect(card.getByText(`${count} of ${count} lessons complete`)).toBeVisible();
    await expect(card.getByRole("progressbar", { name: `${controlPlane.title} progress` })).toHaveAttribute("aria-valuenow", "100");
    await page.goto("/scenarios");
    for (const scenario of scenarios) {
      const item = page.getByRole("listitem").filter({ has: page.getByRole("link", { name: scenario.title, exact: true }) });
      await expect(item).toContainText("Passed · 100%");
    }
  });
  await context.close();
});
