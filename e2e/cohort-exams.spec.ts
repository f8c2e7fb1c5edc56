import fs from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { expectNoHorizontalOverflow, newClient, seedDemoCohort, signInViaApi } from "./helpers";

// An instructor assigns a mock exam to their cohort with a window and sees its column on the
// Students tab. The sittings are seeded into the server's database (npm run seed:demo: real
// papers, graded and scored; the full exam is sat but not assigned), as the exam pages would
// store them. With E2E_SCREENSHOTS=<folder>, screenshots at 1366 and 390 px land there.
const shots = process.env.E2E_SCREENSHOTS;
const FULL_EXAM = "Authentication: exam-style paper";

async function atWidths(page: Page, name: string): Promise<void> {
  for (const width of [1366, 390]) {
    await page.setViewportSize({ width, height: width < 640 ? 844 : 900 });
    await expectNoHorizontalOverflow(page);
    if (shots) await page.screenshot({ path: path.join(shots, `exams-${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1366, height: 900 });
}

test("an instructor assigns an exam with a window and sees its column in the overview", async ({ browser }) => {
  test.setTimeout(180_000);
  if (shots) fs.mkdirSync(shots, { recursive: true });
  const demo = seedDemoCohort(["--students", "20", "--seed", "42", "--name", "Exam cohort"]);
  const page = await (await newClient(browser, { viewport: { width: 1366, height: 900 } })).newPage();
  await signInViaApi(page, demo.instructor.email, demo.instructor.password);
  const base = `/instructor/cohorts/${demo.cohortId}`;

  // The demo assigns the quick check; the full paper is not assigned, so no column yet.
  await page.goto(base);
  const students = page.getByRole("region", { name: "Students" });
  await expect(students.getByRole("columnheader", { name: "Exam: Authentication: quick check" })).toBeVisible();
  await expect(students.getByRole("columnheader", { name: `Exam: ${FULL_EXAM}` })).toHaveCount(0);

  await page.getByRole("navigation", { name: "Cohort sections" }).getByRole("link", { name: "Exams" }).click();
  await expect(page).toHaveURL(`${base}/exams`);
  const form = page.getByRole("form", { name: "Assign an exam" });
  await form.getByLabel("Exam").selectOption({ label: `${FULL_EXAM} (120 min, pass 66%)` });
  const opens = new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 16);
  const closes = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 16);
  // A window that closes before it opens is refused, with the field named.
  await form.getByLabel("Opens (UTC, optional)").fill(closes);
  await form.getByLabel("Closes (UTC, optional)").fill(opens);
  await form.getByRole("button", { name: "Assign exam" }).click();
  await expect(form.getByText("The window must close after it opens.")).toBeVisible();
  await expect(form.getByLabel("Closes (UTC, optional)")).toHaveAttribute("aria-invalid", "true");
  await atWidths(page, "assign-form-error");

  await form.getByLabel("Opens (UTC, optional)").fill(opens);
  await form.getByLabel("Closes (UTC, optional)").fill(closes);
  await form.getByRole("button", { name: "Assign exam" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Assigned" })).toHaveText(`Assigned “${FULL_EXAM}”.`);
  const card = page.getByRole("region", { name: FULL_EXAM });
  await expect(card).toContainText(`opened ${opens.replace("T", " ")} UTC · closes ${closes.replace("T", " ")} UTC`);
  await atWidths(page, "assignments");

  await page.goto(base);
  const header = students.getByRole("columnheader", { name: `Exam: ${FULL_EXAM}` });
  await expect(header).toBeVisible();
  // The seeded sittings of the full exam now count: some student shows a best score and pass/fail.
  const headers = await students.getByRole("columnheader").allTextContents();
  const column = headers.findIndex((text) => text === `Exam: ${FULL_EXAM}`) + 1;
  const cells = students.locator(`tbody tr > :nth-child(${column})`);
  await expect(cells.filter({ hasText: /^best \d+\.\d% (pass|fail)latest \d+\.\d% (pass|fail) · \d+ sittings?$/ }).first()).toBeVisible();
  await expect(cells.filter({ hasText: "not sat" }).first()).toBeVisible();
  await expect(students.getByRole("columnheader", { name: "Reviews (7 days)" })).toBeVisible();
  await atWidths(page, "overview");

  await page.goto(`${base}/items`);
  await expect(page.getByRole("heading", { name: "Exam items" })).toBeVisible();
  await expect(page.getByRole("region", { name: `${FULL_EXAM}: questions (first sittings)` })).toBeVisible();
  await atWidths(page, "items");
});
