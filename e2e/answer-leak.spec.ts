// No answer key in any page before the learner has answered: crawl every lesson as an
// anonymous visitor and as a signed-in student, collect the HTML, every RSC (flight) response
// and every JavaScript chunk, and look for anything from the banks that reveals an answer.
import type { Page, Response } from "@playwright/test";
import { expect, test } from "./fixtures";
import { listLessonRoutes, loadCourse } from "../lib/content/load";
import { toPublicQuestion } from "../lib/quiz/public";
import { loadScenarios } from "../lib/scenarios/catalog";
import { loadExamCatalog, resolveHandsOn } from "../lib/exams/catalog";
import type { OpenAttemptView } from "../lib/exams/api-types";
import { newClient, signUp, uniqueEmail } from "./helpers";

/** Text as a reader sees it: markdown marks, tags, entities and JSON escapes removed. */
function plain(text: string): string {
  return text
    .replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/\\"/g, '"')
    .replace(/\\n/g, " ")
    .replace(/<[^>]*>/g, "")
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/[`*]/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

interface Needle {
  kind: string;
  questionId: string;
  text: string;
}

const course = loadCourse();
const questions = [...course.questions.values()];
// Everything the learner may legitimately see before answering.
const publicCorpus = plain(
  [
    ...course.modules.flatMap((m) => [
      m.title,
      m.summary,
      ...m.lessons.flatMap((l) => [l.body, l.frontmatter.title, l.frontmatter.summary, ...l.frontmatter.objectives]),
    ]),
    ...questions.map((q) => JSON.stringify(toPublicQuestion(q))),
  ].join("\n"),
);

/** Secret texts, split into lines so a rendered list still matches line by line. */
function secretNeedles(): { needles: Needle[]; skipped: Needle[] } {
  const all: Needle[] = [];
  const add = (kind: string, questionId: string, text: string, minLength = 20) => {
    for (const line of text.split("\n")) {
      const value = plain(line.replace(/^\s*[-*]\s+/, ""));
      if (value.length >= minLength) all.push({ kind, questionId, text: value });
    }
  };
  for (const q of questions) {
    add("explanation", q.id, q.explanation);
    if (q.type === "single" || q.type === "multiple")
      for (const o of q.options) if (o.explanation) add("option explanation", q.id, o.explanation, 12);
    if (q.type === "open") add("model answer", q.id, q.modelAnswer);
    if (q.type === "short") for (const a of q.accepted) add("accepted answer", q.id, a, 6);
  }
  // A secret that is also public lesson or question text cannot leak anything by appearing.
  return { needles: all.filter((n) => !publicCorpus.includes(n.text)), skipped: all.filter((n) => publicCorpus.includes(n.text)) };
}

const BANK_KEYS = /\\?"(answer|correct|accepted|modelAnswer|explanation|correctOptionIds)\\?"\s*:/;

interface Captured {
  url: string;
  kind: string;
  body: string;
}

/** The lessons of one module, then the course index and the module's page. */
async function crawl(page: Page, moduleId: string): Promise<Captured[]> {
  const captured: Captured[] = [];
  const pending: Promise<void>[] = [];
  const onResponse = (response: Response) => {
    if (!response.url().startsWith(test.info().project.use.baseURL ?? "http://127.0.0.1")) return;
    const type = response.request().resourceType();
    const isFlight = (response.headers()["content-type"] ?? "").includes("text/x-component") || response.request().headers()["rsc"] === "1";
    if (!["document", "script", "fetch", "xhr"].includes(type) && !isFlight) return;
    pending.push(
      response.text().then(
        (body) => void captured.push({ url: response.url(), kind: isFlight ? "rsc" : type, body }),
        () => undefined,
      ),
    );
  };
  page.on("response", onResponse);
  for (const route of listLessonRoutes().filter((r) => r.module === moduleId)) {
    const path = `/learn/${route.module}/${route.lesson}`;
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await page.waitForLoadState("networkidle");
    // The flight payload a client-side navigation to this lesson would fetch.
    const flight = await page.request.get(path, { headers: { RSC: "1" } });
    captured.push({ url: `${path} (RSC: 1)`, kind: "rsc", body: await flight.text() });
  }
  for (const path of ["/learn", `/learn/${moduleId}`]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
  }
  page.off("response", onResponse);
  await Promise.all(pending);
  return captured;
}

function findLeaks(captured: Captured[], needles: Needle[]): string[] {
  const leaks: string[] = [];
  for (const item of captured) {
    const key = BANK_KEYS.exec(item.body);
    if (key) leaks.push(`${item.kind} ${item.url}: bank-shaped key ${key[0]}`);
    const text = plain(item.body);
    for (const needle of needles) {
      if (text.includes(needle.text))
        leaks.push(`${item.kind} ${item.url}: ${needle.kind} of ${needle.questionId}: "${needle.text.slice(0, 60)}"`);
    }
  }
  return leaks;
}

const { needles, skipped } = secretNeedles();

test("the secret texts are mostly distinct from public text, so the crawl can see a leak", () => {
  expect(needles.length).toBeGreaterThan(100);
  expect(skipped.length).toBeLessThan(needles.length / 5);
});

// One test per role and module (a module added to the course gets its own pair), so the
// workers share the crawl.
for (const who of ["anonymous visitor", "signed-in student"] as const) {
  for (const courseModule of course.modules) {
    test(`no answer key reaches a ${who} before answering (${courseModule.id} lessons)`, async ({ browser }) => {
      test.setTimeout(120_000);
      const context = await newClient(browser);
      const page = await context.newPage();
      if (who === "signed-in student")
        await signUp(page, { email: uniqueEmail("leak"), name: "Leak Check", password: "a long enough password" });
      const captured = await crawl(page, courseModule.id);
      expect(captured.filter((c) => c.kind === "document").length).toBeGreaterThanOrEqual(courseModule.lessons.length);
      expect(captured.filter((c) => c.kind === "rsc").length).toBeGreaterThanOrEqual(courseModule.lessons.length);
      expect(captured.filter((c) => c.kind === "script").length).toBeGreaterThan(3);
      expect(findLeaks(captured, needles)).toEqual([]);

      // The detector itself works: after answering, the explanation is found in the page.
      const lesson = courseModule.lessons[0];
      const first = questions.find((q) => q.type === "single" && lesson?.questionIds.includes(q.id));
      if (first?.type !== "single") throw new Error(`expected a single-choice question in the first lesson of ${courseModule.id}`);
      await page.goto(`/learn/${lesson?.moduleId}/${lesson?.slug}`);
      const card = page.locator(`[data-question-id="${first.id}"]`);
      await card.getByRole("radio").first().check();
      await card.getByRole("button", { name: "Check answer" }).click();
      await expect(card.getByRole("status")).toContainText(/Correct|Not quite/);
      const after = findLeaks([{ url: "after answering", kind: "document", body: await page.content() }], needles);
      expect(after.some((leak) => leak.includes(`explanation of ${first.id}`))).toBe(true);
      await context.close();
    });
  }
}

// The anonymous scenario preview: story, objectives and steps only. Hints, checks (descriptions,
// probes, patterns), the solution and the known-wrong paths stay on the server.
test("an anonymous visitor's scenario preview carries no hint, check or solution", async ({ browser }) => {
  test.setTimeout(90_000);
  const scenarios = [...loadScenarios().values()];
  const previewCorpus = plain(
    scenarios
      .map((s) => [s.title, s.summary, s.story, ...s.objectives, ...s.steps.flatMap((step) => [step.title, step.text])].join("\n"))
      .join("\n"),
  );
  const secrets: Needle[] = [];
  const add = (kind: string, id: string, text: string, minLength: number) => {
    for (const line of text.split("\n")) {
      const value = plain(line);
      if (value.length >= minLength && !previewCorpus.includes(value)) secrets.push({ kind, questionId: id, text: value });
    }
  };
  for (const scenario of scenarios) {
    for (const step of scenario.steps) for (const hint of step.hints) add("hint", scenario.id, hint, 16);
    for (const check of scenario.checks) {
      add("check description", scenario.id, check.description, 16);
      if ("run" in check) add("check probe", scenario.id, check.run, 12);
    }
    for (const line of scenario.solution) add("solution", scenario.id, line, 16);
    for (const wrong of scenario.wrongPaths) add("wrong path", scenario.id, wrong.name, 16);
  }
  expect(secrets.length).toBeGreaterThan(scenarios.length * 4);

  const context = await newClient(browser);
  const page = await context.newPage();
  const captured: Captured[] = [];
  for (const scenario of scenarios) {
    const path = `/scenarios/${scenario.id}`;
    const response = await page.goto(path);
    expect(response?.status()).toBe(200);
    await expect(page).toHaveURL(new RegExp(`${path}$`));
    await expect(page.getByRole("link", { name: "Sign up to start" })).toBeVisible();
    await expect(page.getByRole("textbox", { name: "Scenario terminal" })).toHaveCount(0);
    captured.push({ url: path, kind: "document", body: await page.content() });
    const flight = await page.request.get(path, { headers: { RSC: "1" } });
    captured.push({ url: `${path} (RSC: 1)`, kind: "rsc", body: await flight.text() });
    // The scenario's API answers a visitor with 401, not with its state or a hint.
    expect((await page.request.get(`/api/scenarios/${scenario.id}/session`)).status()).toBe(401);
    expect((await page.request.post(`/api/scenarios/${scenario.id}/hints`, { data: {} })).status()).toBe(401);
  }
  expect(findLeaks(captured, secrets)).toEqual([]);
  // The detector works: a hint text placed in a page is found.
  const probe = secrets.find((s) => s.kind === "hint");
  expect(findLeaks([{ url: "probe", kind: "document", body: `<p>${probe?.text ?? ""}</p>` }], secrets).length).toBeGreaterThan(0);
  await context.close();
});

// Exams: while an attempt is open, nothing of the question keys and explanations, nor of the
// hands-on tasks' hints, checks (descriptions, probes), solutions or known-wrong paths, reaches the
// learner: not the exam pages (HTML, RSC), nor the routes the page calls (the attempt, each task's
// terminal session, a command's answer, a saved answer). After the close the report has them.
test("an open exam attempt's pages and routes carry no key, explanation, check or solution", async ({ browser }) => {
  test.setTimeout(240_000);
  const catalog = loadExamCatalog();
  const sources = [...[...catalog.tasks.keys()].map((task) => resolveHandsOn({ task }, catalog).scenario), ...catalog.scenarios.values()];
  const paperCorpus = plain(
    sources
      .map((s) => [s.title, s.summary, s.story, ...s.objectives, ...s.steps.flatMap((step) => [step.title, step.text])].join("\n"))
      .join("\n"),
  );
  const taskSecrets: Needle[] = [];
  const add = (kind: string, id: string, text: string, minLength: number) => {
    for (const line of text.split("\n")) {
      const value = plain(line);
      if (value.length >= minLength && !paperCorpus.includes(value) && !publicCorpus.includes(value))
        taskSecrets.push({ kind, questionId: id, text: value });
    }
  };
  for (const source of sources) {
    for (const step of source.steps) for (const hint of step.hints) add("hint", source.id, hint, 16);
    for (const check of source.checks) {
      add("check description", source.id, check.description, 16);
      if ("run" in check) add("check probe", source.id, check.run, 12);
    }
    for (const line of source.solution) add("solution", source.id, line, 16);
    for (const wrong of source.wrongPaths) add("wrong path", source.id, wrong.name, 16);
  }
  expect(taskSecrets.length).toBeGreaterThan(sources.length * 4);
  const secrets = [...needles, ...taskSecrets];

  const context = await newClient(browser);
  const page = await context.newPage();
  await signUp(page, { email: uniqueEmail("exam-leak"), name: "Exam Leak", password: "a long enough password" });
  const captured: Captured[] = [];
  const pending: Promise<void>[] = [];
  page.on("response", (response) => {
    if (!["document", "fetch", "xhr"].includes(response.request().resourceType())) return;
    pending.push(
      response.text().then(
        (body) => void captured.push({ url: response.url(), kind: "response", body }),
        () => undefined,
      ),
    );
  });
  const keep = async (url: string, response: { status(): number; text(): Promise<string> }) => {
    expect(response.status(), url).toBeLessThan(300);
    captured.push({ url, kind: "api", body: await response.text() });
  };
  await page.goto("/exams");
  const attemptIds: string[] = [];
  for (const examId of catalog.exams.keys()) {
    const started = await page.request.post(`/api/exams/${examId}/attempts`);
    const view = (await started.json()) as OpenAttemptView;
    await keep(`start ${examId}`, started);
    attemptIds.push(view.attemptId);
    const path = `/exams/attempts/${view.attemptId}`;
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1, name: view.paper.title })).toBeVisible();
    await expect(page.getByRole("textbox", { name: "Scenario terminal" })).toBeAttached({ timeout: 30_000 });
    await keep(`${path} (RSC: 1)`, await page.request.get(path, { headers: { RSC: "1" } }));
    await keep(`GET ${path}`, await page.request.get(`/api/exam-attempts/${view.attemptId}`));
    for (const section of view.paper.sections) {
      for (const item of section.items) {
        if (item.kind === "task") {
          const base = `/api/exam-attempts/${view.attemptId}/tasks/${encodeURIComponent(item.key)}`;
          await keep(`session ${item.key}`, await page.request.post(`${base}/session`));
          await keep(
            `command ${item.key}`,
            await page.request.post(`${base}/commands`, {
              data: { input: "kubectl auth whoami", requestId: `leak-${item.key.replace(/\W/g, "-")}` },
            }),
          );
        } else if (item.question.options?.[0]) {
          const answer = await page.request.put(`/api/exam-attempts/${view.attemptId}/answers`, {
            data: { itemKey: item.key, response: { optionIds: [item.question.options[0].id] }, submissionId: crypto.randomUUID() },
          });
          // A multiple-choice question takes one option too; a single one exactly one.
          await keep(`answer ${item.key}`, answer);
        }
      }
    }
  }
  await Promise.all(pending);
  expect(captured.filter((c) => c.kind === "api").length).toBeGreaterThan(20);
  expect(findLeaks(captured, secrets)).toEqual([]);

  // The detector works: once closed, the report shows explanations and check descriptions.
  const [attemptId] = attemptIds;
  await keep("close", await page.request.post(`/api/exam-attempts/${attemptId}/close`));
  const report = await page.request.get(`/api/exam-attempts/${attemptId}/report`);
  const found = findLeaks([{ url: "report", kind: "api", body: await report.text() }], secrets);
  expect(found.some((leak) => leak.includes("explanation of"))).toBe(true);
  expect(found.some((leak) => leak.includes("check description of"))).toBe(true);
  await context.close();
});
