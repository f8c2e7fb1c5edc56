import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { admin, expectNoHorizontalOverflow, newClient, seedDemoCohort, signInViaApi, type DemoCohort } from "./helpers";

// No page is wider than a phone: every learner, instructor and admin page at 360 × 740, as the
// role that sees it, with a cohort full of synthetic students (npm run seed:demo) so the reports
// have long tables, option texts and multi-line commands. Instructor reports also at 390 and
// 1366 px. With E2E_SCREENSHOTS=<folder>, full-page screenshots of the reports land there.
test.describe.configure({ mode: "serial" });

const PHONE = { width: 360, height: 740 };
const shots = process.env.E2E_SCREENSHOTS;

let demo: DemoCohort;

async function as(browser: Browser, who?: { email: string; password: string }): Promise<Page> {
  const page = await (await newClient(browser, { viewport: PHONE })).newPage();
  if (who) await signInViaApi(page, who.email, who.password);
  return page;
}

async function visit(page: Page, url: string): Promise<void> {
  const response = await page.goto(url);
  expect(response?.status(), url).toBe(200);
  await expectNoHorizontalOverflow(page);
}

/** A stacked table fits the phone: its region needs no horizontal scrolling. */
async function expectStackedTablesFit(page: Page): Promise<void> {
  const regions = page.locator("[role=region]:has(> table.data-table-stack)");
  for (const region of await regions.all()) {
    const { scrollWidth, clientWidth } = await region.evaluate((element) => ({
      scrollWidth: element.scrollWidth,
      clientWidth: element.clientWidth,
    }));
    expect(scrollWidth, `${await region.getAttribute("aria-label")} on ${page.url()}`).toBeLessThanOrEqual(clientWidth + 1);
  }
}

test.beforeAll(() => {
  demo = seedDemoCohort(["--students", "30", "--name", "Phone width cohort"]);
  if (shots) fs.mkdirSync(shots, { recursive: true });
});

test("public and learner pages fit a 360 px phone", async ({ browser }) => {
  test.setTimeout(120_000);
  const anonymous = await as(browser);
  await visit(anonymous, "/learn");
  const moduleHref = await anonymous.locator('main a[href^="/learn/"]').first().getAttribute("href");
  expect(moduleHref).toBeTruthy();
  await visit(anonymous, moduleHref ?? "/learn");
  const lessonHref = await anonymous.locator(`main a[href^="${moduleHref}/"]`).first().getAttribute("href");
  expect(lessonHref).toBeTruthy();
  for (const url of ["/", "/signin", "/signup", lessonHref ?? "/learn"]) await visit(anonymous, url);

  const student = await as(browser, demo.student);
  for (const url of [
    "/dashboard",
    "/progress",
    "/account",
    "/account/password",
    "/scenarios",
    "/scenarios/whoami",
    "/scenarios/expired-cert",
    lessonHref ?? "/learn",
    `/join/${demo.joinCode}`,
  ]) {
    await visit(student, url);
  }
});

test("instructor reports fit 360 and 390 px phones and a 1366 px laptop, axe-clean at each width, with rendered text and commands as typed", async ({
  browser,
}) => {
  test.setTimeout(shots ? 600_000 : 300_000);
  const page = await as(browser, demo.instructor);
  const base = `/instructor/cohorts/${demo.cohortId}`;
  // The student with the most scenarios passed: their commands include the heredocs of the reference solutions.
  await page.goto(`${base}?sort=scenarios&dir=desc`);
  const studentHref = await page.locator(`a[href^="${base}/students/"]`).first().getAttribute("href");
  expect(studentHref).toMatch(/\/students\//);
  // And the one with the fewest: the drill-down's empty and short states.
  await page.goto(`${base}?sort=scenarios&dir=asc`);
  const quietHref = await page.locator(`a[href^="${base}/students/"]`).first().getAttribute("href");
  expect(quietHref).toMatch(/\/students\//);
  // Every instructor report: the cohort list, the student overview (sorted, filtered, its second
  // page), item analysis with the scenario checks, members and join link, and the student
  // drill-downs. The CSV exports are downloads linked from each cohort page's header.
  const reports = [
    ["home", "/instructor"],
    ["overview", base],
    ["overview-sorted", `${base}?sort=quizScore&dir=desc`],
    ["overview-filtered", `${base}?q=demo.kubeprep&status=active`],
    ["overview-page-2", `${base}?page=2`],
    ["items", `${base}/items`],
    ["exams", `${base}/exams`],
    ["members", `${base}/members`],
    ["student", studentHref ?? base],
    ["student-quiet", quietHref ?? base],
  ] as const;

  for (const width of [360, 390, 1366]) {
    await page.setViewportSize({ width, height: width < 640 ? 740 : 900 });
    for (const [name, url] of reports) {
      await visit(page, url);
      if (width < 640) await expectStackedTablesFit(page);
      if (shots) await page.screenshot({ path: path.join(shots, `instructor-${name}-${width}.png`), fullPage: true });
    }
  }

  // Markdown in question prompts, options and check descriptions is rendered, not shown raw.
  await page.goto(`${base}/items`);
  for (const name of ["Questions (first attempts)", "Scenario checks (first attempts)"]) {
    const region = page.getByRole("region", { name });
    await expect(region).toHaveAttribute("tabindex", "0");
    const text = await region.innerText();
    expect(text, name).not.toMatch(/\*\*|`/);
  }
  await expect(page.getByRole("region", { name: "Questions (first attempts)" }).locator("code").first()).toBeVisible();

  // Commands keep their lines (a heredoc from the scenarios' reference solutions is seeded): the
  // first of the busiest students whose commands include one (which one depends on the seed).
  await page.goto(`${base}?sort=scenarios&dir=desc`);
  const busiest = await page.locator(`a[href^="${base}/students/"]`).evaluateAll((links) => links.map((link) => link.getAttribute("href")));
  for (const href of busiest.slice(0, 8)) {
    await page.goto(href ?? base);
    if ((await page.locator("pre", { hasText: "<<EOF" }).count()) > 0) break;
  }
  expect(await page.getByRole("region", { name: "Question attempts" }).innerText()).not.toMatch(/\*\*|`/);
  const typed = page.getByRole("region", { name: /^What they typed/ });
  await expect(typed.first()).toBeVisible();
  for (const region of await typed.all()) await expect(region).toHaveAttribute("tabindex", "0");
  const pre = page.locator("pre", { hasText: "<<EOF" }).first();
  await expect(pre).toBeVisible();
  expect(await pre.evaluate((element) => getComputedStyle(element).whiteSpace)).toBe("pre-wrap");
  expect((await pre.innerText()).split("\n").length).toBeGreaterThan(2);
});

test("admin pages fit a 360 px phone", async ({ browser }) => {
  const page = await as(browser, admin);
  for (const url of ["/admin/users", "/instructor", `/instructor/cohorts/${demo.cohortId}`, "/dashboard"]) await visit(page, url);
  await expectStackedTablesFit(page);
});
