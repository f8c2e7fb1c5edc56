/**
 * Rules that span files: embedded question ids, duplicate ids, internal links and anchors,
 * components and their props, scenario ids. Synchronous so the loader can run them too.
 */
import fs from "node:fs";
import path from "node:path";
import { calloutKinds, lessonComponents, splitFlowSteps, type LessonComponentName } from "./schema";
import { scanMdx, type ComponentUse } from "./mdx";
import { readContent, type Course, type Lesson } from "./read";
import type { ContentProblem } from "./problems";
import { checkCues, type QuestionAt } from "./cues";
import { validateShortAnswers } from "./grading-rules";
import { validateTopics } from "./topics";

/** Scenario ids planned for the authentication module, used until `content/scenarios/` exists. */
export const PLANNED_SCENARIO_IDS = [
  "whoami",
  "expired-cert",
  "wrong-ca",
  "unauthorized-or-forbidden",
  "serviceaccount-tokens",
  "oidc",
  "static-token-anonymous",
  "no-user-object",
] as const;

/** URL prefix of lesson pages: `/learn/<module>/<lesson-slug>`. */
export const LEARN_PREFIX = "/learn/";

export interface ValidateOptions {
  /** Scenario ids a `<ScenarioLink>` may use. Defaults to the entries of `<root>/scenarios`. */
  scenarioIds?: readonly string[];
}

export interface ValidationResult {
  course: Course | null;
  problems: ContentProblem[];
}

/** Ids of the scenarios in `<root>/scenarios`: folder names and file names without extension. */
export function discoverScenarioIds(root: string): string[] {
  const dir = path.join(root, "scenarios");
  if (!fs.existsSync(dir)) return [...PLANNED_SCENARIO_IDS];
  return fs
    .readdirSync(dir)
    .filter((name) => !name.startsWith(".") && !name.startsWith("_"))
    .map((name) => name.replace(/\..*$/, ""));
}

function isComponentName(name: string): name is LessonComponentName {
  return Object.hasOwn(lessonComponents, name);
}

function checkComponent(use: ComponentUse, lesson: Lesson, report: (p: Omit<ContentProblem, "file">) => void): void {
  const line = lesson.bodyStartLine + use.line - 1;
  if (!isComponentName(use.name)) {
    report({
      severity: "error",
      code: "unknown-component",
      line,
      message: `<${use.name}> is not an allowed component (allowed: ${Object.keys(lessonComponents).join(", ")}); write HTML-like text in a code span`,
    });
    return;
  }
  const rules = lessonComponents[use.name];
  const allowed: readonly string[] = [...rules.required, ...rules.optional];
  for (const prop of rules.required) {
    if (!use.props[prop]?.trim()) {
      report({ severity: "error", code: "invalid-component-props", line, message: `<${use.name}> needs a non-empty ${prop}="..."` });
    }
  }
  for (const prop of Object.keys(use.props)) {
    if (!allowed.includes(prop)) {
      report({ severity: "error", code: "invalid-component-props", line, message: `<${use.name}> has no prop "${prop}"` });
    }
  }
  if (rules.selfClosing && !use.selfClosing) {
    report({ severity: "error", code: "invalid-component-props", line, message: `<${use.name} ... /> must be self-closing` });
  }
  if (!rules.selfClosing && use.selfClosing) {
    report({ severity: "error", code: "invalid-component-props", line, message: `<${use.name}> needs content and a closing tag` });
  }
  const kind = use.props["kind"];
  if (use.name === "Callout" && kind !== undefined && !(calloutKinds as readonly string[]).includes(kind)) {
    report({
      severity: "error",
      code: "invalid-component-props",
      line,
      message: `<Callout kind="${kind}"> must be one of ${calloutKinds.join(", ")}`,
    });
  }
  const steps = use.props["steps"];
  if (use.name === "Flow" && steps !== undefined && splitFlowSteps(steps).length < 2) {
    report({
      severity: "error",
      code: "invalid-component-props",
      line,
      message: `<Flow steps="..."> needs at least two steps separated by " -> "`,
    });
  }
}

function checkLink(
  href: string,
  line: number,
  lesson: Lesson,
  course: Course,
  report: (p: Omit<ContentProblem, "file">) => void,
): void {
  const [target = "", anchor] = href.split("#", 2);
  let linked: Lesson | undefined = lesson;
  if (target !== "") {
    if (!target.startsWith(LEARN_PREFIX)) return; // external or other app pages: not content
    const [moduleId, slug, ...rest] = target.slice(LEARN_PREFIX.length).replace(/\/$/, "").split("/");
    const courseModule = course.modules.find((m) => m.id === moduleId);
    linked = slug === undefined ? undefined : courseModule?.lessons.find((l) => l.slug === slug);
    const isModuleIndex = courseModule !== undefined && slug === undefined;
    if ((!linked && !isModuleIndex) || rest.length > 0) {
      report({ severity: "error", code: "broken-link", line, message: `link ${href} points to no lesson` });
      return;
    }
    if (isModuleIndex) {
      if (anchor !== undefined) {
        report({ severity: "error", code: "broken-anchor", line, message: `link ${href}: module pages have no anchors` });
      }
      return;
    }
  }
  if (anchor !== undefined && linked && !linked.headings.some((h) => h.anchor === anchor)) {
    report({
      severity: "error",
      code: "broken-anchor",
      line,
      message: `link ${href}: lesson "${linked.slug}" has no heading with anchor #${anchor}`,
    });
  }
}

/** Every rule that needs more than one file. */
export function validateCourse(
  course: Course,
  questionOccurrences: { id: string; file: string; field: string }[],
  options: ValidateOptions = {},
): ContentProblem[] {
  const problems: ContentProblem[] = [];
  const scenarioIds = new Set(options.scenarioIds ?? discoverScenarioIds(course.root));

  const firstSeen = new Map<string, { file: string; field: string }>();
  for (const occurrence of questionOccurrences) {
    const first = firstSeen.get(occurrence.id);
    if (first) {
      problems.push({
        severity: "error",
        code: "duplicate-question-id",
        file: occurrence.file,
        field: `${occurrence.field}.id`,
        message: `question id "${occurrence.id}" is already used in ${first.file} (${first.field})`,
      });
    } else {
      firstSeen.set(occurrence.id, occurrence);
    }
  }

  const embeddedIn = new Map<string, string>();
  for (const courseModule of course.modules) {
    const slugs = new Map<string, Lesson>();
    const orders = new Map<number, Lesson>();
    for (const lesson of courseModule.lessons) {
      const report = (problem: Omit<ContentProblem, "file">) => problems.push({ ...problem, file: lesson.file });
      const sameSlug = slugs.get(lesson.slug);
      if (sameSlug) report({ severity: "error", code: "duplicate-lesson", message: `slug "${lesson.slug}" is also used by ${sameSlug.file}` });
      slugs.set(lesson.slug, lesson);
      const sameOrder = orders.get(lesson.frontmatter.order);
      if (sameOrder) {
        report({ severity: "error", code: "duplicate-lesson", field: "frontmatter.order", message: `order ${lesson.frontmatter.order} is also used by ${sameOrder.file}` });
      }
      orders.set(lesson.frontmatter.order, lesson);
    }

    for (const lesson of courseModule.lessons) {
      const report = (problem: Omit<ContentProblem, "file">) => problems.push({ ...problem, file: lesson.file });
      const scan = scanMdx(lesson.body);
      for (const problem of scan.problems) {
        report({ severity: "error", code: problem.code, line: lesson.bodyStartLine + problem.line - 1, message: problem.message });
      }
      scan.components.forEach((use) => checkComponent(use, lesson, report));
      for (const link of scan.links) checkLink(link.href, lesson.bodyStartLine + link.line - 1, lesson, course, report);

      lesson.frontmatter.prerequisites.forEach((slug, index) => {
        if (!slugs.has(slug) || slug === lesson.slug) {
          report({
            severity: "error",
            code: "unknown-prerequisite",
            field: `frontmatter.prerequisites[${index}]`,
            message: `prerequisite "${slug}" is not another lesson of module "${courseModule.id}"`,
          });
        }
      });

      if (lesson.questionIds.length === 0) {
        report({ severity: "error", code: "lesson-without-question", message: "the lesson embeds no <Question>; end it with a short check" });
      }
      for (const use of scan.components.filter((c) => c.name === "Question")) {
        const id = use.props["id"];
        if (!id) continue;
        const line = lesson.bodyStartLine + use.line - 1;
        if (!course.questions.has(id)) {
          report({ severity: "error", code: "unknown-question", line, message: `<Question id="${id}"> matches no question in any bank` });
          continue;
        }
        const other = embeddedIn.get(id);
        if (other) {
          report({ severity: "warning", code: "question-embedded-twice", line, message: `question "${id}" is also embedded in ${other}` });
        } else {
          embeddedIn.set(id, `${lesson.file}:${line}`);
        }
      }
      for (const use of scan.components.filter((c) => c.name === "ScenarioLink")) {
        const id = use.props["id"];
        if (id && !scenarioIds.has(id)) {
          report({
            severity: "warning",
            code: "unknown-scenario",
            line: lesson.bodyStartLine + use.line - 1,
            message: `<ScenarioLink id="${id}"> names no known scenario`,
          });
        }
      }
    }
  }

  const cueInput: QuestionAt[] = [];
  const cueSeen = new Set<string>();
  for (const occurrence of questionOccurrences) {
    const question = course.questions.get(occurrence.id);
    if (!question || cueSeen.has(occurrence.id)) continue;
    cueSeen.add(occurrence.id);
    cueInput.push({ question, file: occurrence.file, field: occurrence.field });
  }
  problems.push(...checkCues(cueInput, course.root));

  for (const [id, file] of course.questionFiles) {
    if (!embeddedIn.has(id)) {
      problems.push({
        severity: "warning",
        code: "question-not-embedded",
        file,
        message: `question "${id}" is not embedded in any lesson`,
      });
    }
  }
  return problems;
}

/** Reads and validates everything that can be checked without compiling MDX. */
export function readAndValidate(root: string, options: ValidateOptions = {}): ValidationResult {
  const { course, problems, questionOccurrences } = readContent(root);
  if (!course) return { course, problems };
  const scenarioIds = new Set(options.scenarioIds ?? discoverScenarioIds(course.root));
  return {
    course,
    problems: [...problems, ...validateCourse(course, questionOccurrences, options), ...validateShortAnswers(course), ...validateTopics(course, scenarioIds)],
  };
}
