/**
 * Everything an exam draws from, read and validated together: the exam files, the exam task files,
 * the scenarios, and the course's questions and topics. `checkExams` is `npm run content:check`'s
 * part for exams; `loadExamCatalog` is what the server uses (invalid content throws, as lessons do).
 */
import fs from "node:fs";
import path from "node:path";
import { loadCourse } from "../content/load";
import type { Course } from "../content/read";
import { displayPath, readYaml } from "../content/read";
import { EXAMS_DIR, readExams, validateExams, type ExamReferences, type HandsOnSummary } from "../content/exams";
import { handsOnKey, type Exam, type HandsOnEntry } from "../content/exam-schema";
import { ContentError, problemsFromZod, type ContentProblem } from "../content/problems";
import type { Question } from "../content/schema";
import { loadScenarioFile, ScenarioFileError } from "../scenarios/catalog";
import type { Scenario } from "../scenarios/schema";
import { examTaskSchema, taskAsScenario, type ExamTask } from "./task-schema";

export const EXAM_TASKS_DIR = path.join(EXAMS_DIR, "tasks");

export interface ExamCatalog {
  exams: ReadonlyMap<string, Exam>;
  tasks: ReadonlyMap<string, ExamTask>;
  scenarios: ReadonlyMap<string, Scenario>;
  questions: ReadonlyMap<string, Question>;
  /** Each module's question ids: an exam draws its questions from its own module only. */
  modules: ReadonlyMap<string, ReadonlySet<string>>;
  /** Topic ids of each scenario, from topics.yaml. */
  scenarioTopics: ReadonlyMap<string, readonly string[]>;
}

/** A hands-on item ready to run: the scenario the instance and checks use (cut to the picked checks, weights applied). */
export interface HandsOnSource {
  key: string;
  scenario: Scenario;
  topics: readonly string[];
}

function yamlFiles(dir: string): string[] {
  return fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((name) => name.endsWith(".yaml"))
        .sort()
    : [];
}

function readTasks(root: string, problems: ContentProblem[]): { tasks: Map<string, ExamTask>; files: Map<string, string> } {
  const dir = path.join(root, EXAM_TASKS_DIR);
  const tasks = new Map<string, ExamTask>();
  const files = new Map<string, string>();
  for (const name of yamlFiles(dir)) {
    const full = path.join(dir, name);
    const file = displayPath(full);
    const raw = readYaml(full, problems);
    if (raw === undefined) continue;
    const parsed = examTaskSchema.safeParse(raw);
    if (!parsed.success) {
      problems.push(...problemsFromZod(file, parsed.error));
      continue;
    }
    const expected = name.replace(/\.yaml$/, "");
    if (parsed.data.id !== expected) {
      problems.push({
        severity: "error",
        code: "id-mismatch",
        file,
        field: "id",
        message: `task id "${parsed.data.id}" must match the file name "${expected}"`,
      });
      continue;
    }
    tasks.set(parsed.data.id, parsed.data);
    files.set(parsed.data.id, file);
  }
  return { tasks, files };
}

function readScenarios(root: string, problems: ContentProblem[]): Map<string, Scenario> {
  const dir = path.join(root, "scenarios");
  const scenarios = new Map<string, Scenario>();
  for (const name of yamlFiles(dir)) {
    try {
      const scenario = loadScenarioFile(path.join(dir, name));
      scenarios.set(scenario.id, scenario);
    } catch (error) {
      if (!(error instanceof ScenarioFileError)) throw error;
      problems.push({ severity: "error", code: "schema", file: displayPath(path.join(dir, name)), message: error.message });
    }
  }
  return scenarios;
}

function summary(scenario: Scenario, topics: readonly string[]): HandsOnSummary {
  return { checks: scenario.checks.map((check) => ({ id: check.id, requires: check.requires })), topics };
}

function scenarioTopicsOf(course: Course): Map<string, string[]> {
  const topics = new Map<string, string[]>();
  for (const topic of course.topics ?? []) {
    for (const scenario of topic.scenarios) topics.set(scenario, [...(topics.get(scenario) ?? []), topic.id]);
  }
  return topics;
}

function readAll(root: string, course: Course): { catalog: ExamCatalog; problems: ContentProblem[] } {
  const problems: ContentProblem[] = [];
  const { tasks, files } = readTasks(root, problems);
  const scenarios = readScenarios(root, problems);
  const { exams, problems: examProblems } = readExams(root);
  problems.push(...examProblems);
  const scenarioTopics = scenarioTopicsOf(course);
  const modules = new Map(course.modules.map((m) => [m.id, new Set(m.banks.flatMap((bank) => bank.questionIds))]));
  const refs: ExamReferences = {
    modules,
    scenarios: new Map([...scenarios].map(([id, scenario]) => [id, summary(scenario, scenarioTopics.get(id) ?? [])])),
    tasks: new Map([...tasks].map(([id, task]) => [id, summary(taskAsScenario(task), task.topics)])),
    questions: course.questions,
    topics: new Set((course.topics ?? []).map((topic) => topic.id)),
  };
  problems.push(...validateExams(exams, refs, files));
  const catalog: ExamCatalog = {
    exams: new Map(exams.map(({ exam }) => [exam.id, exam])),
    tasks,
    scenarios,
    questions: course.questions,
    modules,
    scenarioTopics,
  };
  return { catalog, problems };
}

/** The exam problems `npm run content:check` reports, for a course read by the rest of the check. */
export function checkExams(root: string, course: Course): ContentProblem[] {
  return readAll(root, course).problems;
}

const cache = new Map<string, ExamCatalog>();

export function loadExamCatalog(root = "content"): ExamCatalog {
  const key = path.resolve(/* turbopackIgnore: true */ root);
  const cached = cache.get(key);
  if (cached) return cached;
  const { catalog, problems } = readAll(root, loadCourse(root));
  const errors = problems.filter((problem) => problem.severity === "error");
  if (errors.length > 0) throw new ContentError(errors);
  cache.set(key, catalog);
  return catalog;
}

/** The scenario a hands-on entry runs as: a task file, a whole scenario, or a scenario cut to the picked checks. */
export function resolveHandsOn(entry: HandsOnEntry, catalog: ExamCatalog): HandsOnSource {
  const key = handsOnKey(entry);
  if ("task" in entry) {
    const task = catalog.tasks.get(entry.task);
    if (task === undefined) throw new Error(`unknown exam task ${entry.task}`);
    return { key, scenario: taskAsScenario(task), topics: task.topics };
  }
  const scenario = catalog.scenarios.get(entry.scenario);
  if (scenario === undefined) throw new Error(`unknown scenario ${entry.scenario}`);
  const topics = catalog.scenarioTopics.get(entry.scenario) ?? [];
  if (entry.checks === undefined) return { key, scenario, topics };
  const checks = entry.checks.map((picked) => {
    const id = typeof picked === "string" ? picked : picked.id;
    const check = scenario.checks.find((candidate) => candidate.id === id);
    if (check === undefined) throw new Error(`scenario ${entry.scenario} has no check ${id}`);
    return typeof picked === "string" ? check : { ...check, weight: picked.weight };
  });
  return { key, scenario: { ...scenario, checks }, topics };
}
