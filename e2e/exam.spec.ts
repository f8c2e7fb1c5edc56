// Mock exams in the browser: the quick check taken with the keyboard only (the hands-on task's
// reference solution typed in its terminal, every question answered, one flagged, the notepad,
// a reload in the middle that loses nothing, the confirmation, the report); and the short test
// exam (EXAM_TEST_SECONDS in playwright.config.ts) submitted by the clock at its deadline.
import path from "node:path";
import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { loadCourse } from "../lib/content/load";
import type { Question } from "../lib/content/schema";
import { loadExamCatalog, resolveHandsOn } from "../lib/exams/catalog";
import type { OpenAttemptView } from "../lib/exams/api-types";
import { publicOptionId } from "../lib/quiz/options";
import { expectNoHorizontalOverflow, newClient, signUp, typeCommand, uniqueEmail } from "./helpers";

const SHOTS = process.env.E2E_SHOTS_DIR;
const questions = loadCourse().questions;
const catalog = loadExamCatalog();
/** A command's answer on a loaded machine. */
const BUSY = 30_000;

async function shot(page: Page, name: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `exam-${name}.png`), fullPage: true });
}

/** Presses Tab until `target` has the focus (the keyboard path a learner takes). */
async function tabTo(page: Page, target: Locator, max = 80): Promise<void> {
  await expect(target).toBeAttached();
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    // In the terminal Tab completes; Esc hands the keyboard back to the page first.
    const inTerminal = await page.evaluate(() => document.activeElement?.classList.contains("xterm-helper-textarea") === true);
    await page.keyboard.press(inTerminal ? "Escape" : "Tab");
  }
  throw new Error(`Tab never reached ${String(target)}`);
}

async function activate(page: Page, target: Locator): Promise<void> {
  await tabTo(page, target);
  await page.keyboard.press("Enter");
}

function optionInput(form: Locator, question: Question, text: string): Locator {
  return form.locator(`input[id$="-${publicOptionId(question.id, text)}"]`);
}

/** Answers one question with the keyboard: right, or (for one question) wrong. */
async function answerByKeyboard(page: Page, question: Question, right: boolean): Promise<void> {
  const form = page.locator(`form[data-question-id="${question.id}"]`);
  if (question.type === "single") {
    const wanted = question.options.find((option) => (option.id === question.answer) === right);
    if (!wanted) throw new Error(`no option to pick in ${question.id}`);
    const target = optionInput(form, question, wanted.text);
    await tabTo(page, form.getByRole("radio").first());
    for (let i = 0; i <= question.options.length && !(await target.isChecked()); i++) {
      const focused = await target.evaluate((element) => element === document.activeElement);
      await page.keyboard.press(focused ? "Space" : "ArrowDown");
    }
    await expect(target).toBeChecked();
  } else if (question.type === "multiple") {
    // In the page's order (the learner's own), so Tab only moves forward.
    const boxes = form.getByRole("checkbox");
    for (let index = 0; index < (await boxes.count()); index++) {
      const box = boxes.nth(index);
      const id = (await box.getAttribute("id")) ?? "";
      const option = question.options.find((candidate) => id.endsWith(`-${publicOptionId(question.id, candidate.text)}`));
      if (!option || question.answer.includes(option.id) !== right) continue;
      await tabTo(page, box);
      await page.keyboard.press("Space");
      await expect(box).toBeChecked();
    }
  } else if (question.type === "short") {
    await tabTo(page, form.getByRole("textbox", { name: "Your answer" }));
    await page.keyboard.type(right ? (question.accepted[0] ?? "") : "no idea");
  }
  await activate(page, form.getByRole("button", { name: "Save answer" }));
  await expect(form.getByRole("status")).toHaveText(/Answer saved/);
}

async function view(page: Page, attemptId: string): Promise<OpenAttemptView> {
  const response = await page.request.get(`/api/exam-attempts/${attemptId}`);
  expect(response.status()).toBe(200);
  return (await response.json()) as OpenAttemptView;
}

async function next(page: Page, label: string): Promise<void> {
  await activate(page, page.getByRole("button", { name: "Next →" }));
  await expect(page.getByRole("heading", { level: 2, name: new RegExp(`^${label}`) })).toBeFocused();
}

test("the quick check by keyboard: a task solved in its terminal, questions, a flag, the notepad, a reload, the confirmation and the report", async ({
  browser,
}) => {
  test.setTimeout(420_000);
  const context = await newClient(browser, { viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await signUp(page, { email: uniqueEmail("exam"), name: "Exam Taker", password: "a long enough password" });
  await page.goto("/exams");
  await expect(page.getByRole("heading", { level: 1, name: "Mock exams" })).toBeVisible();
  await activate(page, page.locator("#exam-authentication-quick-check").getByRole("button", { name: "Start exam" }));
  await expect(page).toHaveURL(/\/exams\/attempts\/[a-z0-9]+$/);
  const attemptId = page.url().split("/").pop() ?? "";
  const first = await view(page, attemptId);
  expect(first.status).toBe("open");
  expect(first.remainingMs).toBeGreaterThan(25 * 60_000);

  // The hands-on task comes first: its reference solution, typed in its own terminal.
  const [taskItem, ...questionItems] = first.paper.sections.flatMap((section) => section.items);
  if (taskItem?.kind !== "task") throw new Error("the quick check starts with its task");
  const entry = catalog.exams
    .get("authentication-quick-check")
    ?.sections.flatMap((section) => (section.kind === "tasks" ? section.pool : []))
    .find((candidate) => ("task" in candidate ? `task:${candidate.task}` : `scenario:${candidate.scenario}`) === taskItem.key);
  if (!entry) throw new Error(`unknown task ${taskItem.key}`);
  const { scenario } = resolveHandsOn(entry, catalog);
  await expect(page.getByRole("heading", { level: 2, name: `Task 1: ${scenario.title}` })).toBeVisible();
  const terminal = page.getByRole("textbox", { name: "Scenario terminal" });
  await expect(terminal).toBeAttached({ timeout: BUSY });
  await tabTo(page, terminal);
  for (const command of scenario.solution) await typeCommand(page, command, BUSY);
  await expect(page.getByRole("navigation", { name: "Tasks and questions" }).getByRole("button").first()).toContainText("Attempted");
  await shot(page, "task-1366");

  // Questions 1 to 4, question 2 flagged, one answer deliberately wrong.
  const answered: Question[] = [];
  for (const [index, item] of questionItems.slice(0, 4).entries()) {
    if (item.kind !== "question") throw new Error("expected questions after the task");
    const question = questions.get(item.question.id);
    if (!question) throw new Error(`unknown question ${item.question.id}`);
    await next(page, `Question ${index + 1}`);
    await answerByKeyboard(page, question, index !== 2);
    answered.push(question);
    if (index === 1) {
      await activate(page, page.getByRole("button", { name: "Flag for review" }));
      await expect(page.getByRole("button", { name: "Flagged for review" })).toHaveAttribute("aria-pressed", "true");
    }
  }
  await tabTo(page, page.getByRole("textbox", { name: "Notepad" }));
  await page.keyboard.type("Q3: come back to the ServiceAccount one");
  await expect.poll(async () => (await view(page, attemptId)).notepad, { timeout: 10_000 }).toBe("Q3: come back to the ServiceAccount one");

  // A reload in the middle: answers, flag, notepad and the current item survive; the clock runs on.
  await page.reload();
  await expect(page.getByRole("heading", { level: 2, name: "Question 4" })).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Notepad" })).toHaveValue("Q3: come back to the ServiceAccount one");
  const nav = page.getByRole("navigation", { name: "Tasks and questions" });
  await expect(nav.getByRole("button", { name: /^Question 2/ })).toContainText("Flagged");
  await expect(nav.getByRole("button", { name: /^Question 4/ })).toContainText("Attempted");
  const reloaded = await view(page, attemptId);
  expect(Object.keys(reloaded.answers)).toHaveLength(4);
  expect(reloaded.remainingMs).toBeLessThan(first.remainingMs);
  await expect(page.getByRole("timer")).toHaveText(/^\d\d:\d\d$/);
  await shot(page, "question-1366");
  await page.setViewportSize({ width: 390, height: 844 });
  await expectNoHorizontalOverflow(page);
  await shot(page, "question-390");
  await page.setViewportSize({ width: 1366, height: 900 });

  for (const [offset, item] of questionItems.slice(4).entries()) {
    if (item.kind !== "question") throw new Error("expected questions");
    const question = questions.get(item.question.id);
    if (!question) throw new Error(`unknown question ${item.question.id}`);
    await next(page, `Question ${offset + 5}`);
    await answerByKeyboard(page, question, true);
  }

  // Finishing asks first; Cancel has the focus, so Enter alone would not finish.
  await activate(page, page.getByRole("button", { name: "Finish exam" }));
  const dialog = page.getByRole("dialog", { name: "Finish the exam?" });
  await expect(dialog).toContainText("You answered 8 of 8 questions and worked on 1 of 1 tasks; 1 flagged for review.");
  await activate(page, dialog.getByRole("button", { name: "Finish exam" }));
  await expect(page).toHaveURL(new RegExp(`/exams/attempts/${attemptId}/report$`), { timeout: BUSY });

  // The report: pass, sections, the task's checks all credited, the wrong answer explained.
  await expect(page.getByRole("heading", { level: 1, name: /^Report: Authentication: quick check/ })).toBeVisible();
  await expect(page.getByText("Passed · pass mark 66%")).toBeVisible();
  await expect(page.getByRole("heading", { name: "By section" })).toBeVisible();
  const task = page.getByRole("region", { name: `Task 1: ${scenario.title}` });
  for (const check of scenario.checks) await expect(task).toContainText(`Passed: ${check.description}`);
  await expect(task.getByText("Reference solution")).toBeVisible();
  const wrong = answered[2];
  if (!wrong) throw new Error("no wrong answer");
  await expect(page.getByRole("region", { name: "Question 3" })).toContainText("Incorrect");
  await expect(page.getByRole("region", { name: "Question 3" })).toContainText("Explanation");
  await shot(page, "report-1366");
  await page.setViewportSize({ width: 390, height: 844 });
  await expectNoHorizontalOverflow(page);
  await shot(page, "report-390");

  // The history lists it with its score.
  await page.goto("/exams");
  await expect(page.getByRole("link", { name: "Report of Authentication: quick check, attempt 1" })).toBeVisible();
  await context.close();
});

test("the short test exam is submitted by the clock at its deadline, and later answers are refused", async ({ browser }) => {
  test.setTimeout(180_000);
  const context = await newClient(browser, { viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await signUp(page, { email: uniqueEmail("deadline"), name: "Clock Watcher", password: "a long enough password" });
  await page.goto("/exams");
  await page.locator("#exam-deadline-test").getByRole("button", { name: "Start exam" }).click();
  await expect(page).toHaveURL(/\/exams\/attempts\/[a-z0-9]+$/);
  const attemptId = page.url().split("/").pop() ?? "";
  const paper = await view(page, attemptId);
  const item = paper.paper.sections.flatMap((section) => section.items).find((candidate) => candidate.kind === "question");
  if (item?.kind !== "question") throw new Error("no question");
  const question = questions.get(item.question.id);
  if (!question) throw new Error("unknown question");
  await page.getByRole("button", { name: /^Question 1/ }).click();
  await answerByKeyboard(page, question, true);

  // Nothing clicked: at zero the page submits by itself and shows the report.
  await expect(page).toHaveURL(new RegExp(`/exams/attempts/${attemptId}/report$`), { timeout: 90_000 });
  await expect(page.getByText("submitted automatically at the deadline")).toBeVisible();
  await expect(page.getByRole("region", { name: "Question 1" })).toContainText("Correct");

  const late = await page.request.put(`/api/exam-attempts/${attemptId}/answers`, {
    data: { itemKey: item.key, response: { text: "late" }, submissionId: crypto.randomUUID() },
  });
  expect(late.status()).toBe(409);
  expect(((await late.json()) as { error: string }).error).toMatch(/^The exam closed at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
  await context.close();
});
