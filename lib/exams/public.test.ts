import { describe, expect, it } from "vitest";
import type { Question } from "../content/schema";
import type { Scenario } from "../scenarios/schema";
import { loadExamCatalog, resolveHandsOn } from "./catalog";
import { drawPaper, paperItems, type PaperItem } from "./paper";
import { toPublicPaper } from "./public";

const catalog = loadExamCatalog();
const exams = [...catalog.exams.values()];

function questionSecrets(question: Question): string[] {
  const secrets = [question.explanation];
  if (question.type === "single" || question.type === "multiple") {
    for (const option of question.options) if (option.explanation !== undefined) secrets.push(option.explanation);
  }
  if (question.type === "short") secrets.push(...question.accepted);
  if (question.type === "open") secrets.push(question.modelAnswer);
  return secrets;
}

function taskSecrets(scenario: Scenario): string[] {
  const secrets = [
    ...scenario.solution,
    ...scenario.steps.flatMap((step) => step.hints),
    ...scenario.wrongPaths.flatMap((path) => [path.name, ...path.commands]),
  ];
  for (const check of scenario.checks) {
    secrets.push(check.description);
    if ("run" in check)
      secrets.push(check.run, ...Object.values(check.expect).filter((value): value is string => typeof value === "string"));
    if ("history" in check) secrets.push(check.history);
    if ("file" in check) secrets.push(...[check.matches, check.notMatches].filter((value): value is string => value !== undefined));
    if ("sawStatus" in check) secrets.push(...[check.url, check.reason].filter((value): value is string => value !== undefined));
  }
  return secrets;
}

/** Every key of every object in the view. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value !== null && typeof value === "object") return Object.entries(value).flatMap(([key, inner]) => [key, ...keysOf(inner)]);
  return [];
}

const ALLOWED_KEYS = new Set([
  ...["examId", "title", "durationMinutes", "passMark", "sections", "id", "weight", "items"],
  ...["kind", "key", "points", "story", "objectives", "steps", "text", "estimatedMinutes", "checkCount"],
  ...["question", "type", "prompt", "multiple", "options"],
]);

/** What the learner is meant to see of an item, read from the content (not from the view under test). */
function meantToBeSeen(item: PaperItem): { text: string[]; secrets: string[] } {
  if (item.kind === "question") {
    const question = catalog.questions.get(item.questionId);
    if (question === undefined) throw new Error(item.questionId);
    const options = question.type === "single" || question.type === "multiple" ? question.options.map((option) => option.text) : [];
    return { text: [question.prompt, ...options], secrets: questionSecrets(question) };
  }
  const { scenario } = resolveHandsOn(item.entry, catalog);
  return {
    text: [scenario.title, scenario.story, ...scenario.objectives, ...scenario.steps.flatMap((step) => [step.title, step.text])],
    secrets: taskSecrets(scenario),
  };
}

describe.each(exams.map((exam) => [exam.id, exam] as const))("the public view of %s papers", (_id, exam) => {
  it("carries no key, explanation, hint, check or solution, for any of 60 papers", () => {
    let checked = 0;
    for (let index = 0; index < 60; index += 1) {
      const paper = drawPaper(exam, catalog, `public-${index}`);
      const view = toPublicPaper(paper, exam, catalog);
      const serialized = JSON.stringify(view);
      for (const key of keysOf(view)) expect(ALLOWED_KEYS.has(key), key).toBe(true);
      const items = paperItems(paper).map(meantToBeSeen);
      const visible = items.flatMap((item) => item.text);
      for (const [index, { secrets }] of items.entries()) {
        const key = paper.sections.flatMap((section) => section.items)[index]?.key;
        for (const secret of secrets) {
          // A secret may equal text the learner is meant to see anywhere in the paper (a step that
          // says "run kubectl auth whoami", a story that mentions a 401).
          if (visible.some((text) => text.includes(secret))) continue;
          expect(serialized.includes(secret), `${key} leaks ${JSON.stringify(secret)}`).toBe(false);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it("shows what a learner needs: every item, with task steps and question options", () => {
    const paper = drawPaper(exam, catalog, "shown");
    const view = toPublicPaper(paper, exam, catalog);
    expect(view.sections.flatMap((section) => section.items.map((item) => item.key))).toEqual(paperItems(paper).map((item) => item.key));
    for (const item of view.sections.flatMap((section) => section.items)) {
      if (item.kind === "task") expect(item.steps.length).toBeGreaterThan(0);
      else if (item.question.type !== "short") expect(item.question.options?.length).toBeGreaterThan(1);
    }
  });
});
