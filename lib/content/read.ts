/**
 * Reads the content folder into a typed tree. Each file is validated on its own and every
 * problem is collected instead of thrown, so one bad question never hides the others.
 * Cross-file rules (links, embedded ids, duplicates) live in `validate.ts`.
 */
import fs from "node:fs";
import path from "node:path";
import matter from "gray-matter";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import {
  courseSchema,
  lessonFrontmatterSchema,
  moduleSchema,
  questionSchema,
  kebabId,
  type CourseMeta,
  type LessonFrontmatter,
  type ModuleMeta,
  type Question,
  type Topic,
  topicCatalogSchema,
} from "./schema";
import { scanMdx, type Heading } from "./mdx";
import { problemsFromZod, type ContentProblem } from "./problems";

export interface Lesson {
  moduleId: string;
  /** The file name without `NN-` and `.mdx`; the last segment of the lesson URL. */
  slug: string;
  file: string;
  frontmatter: LessonFrontmatter;
  /** MDX source of the body, without frontmatter. */
  body: string;
  /** Line of the file on which `body` starts, to report problems at file lines. */
  bodyStartLine: number;
  /** Ids of the embedded `<Question>`s, in reading order. */
  questionIds: string[];
  /** Ids referenced by `<ScenarioLink>`, in reading order. */
  scenarioIds: string[];
  headings: Heading[];
}

export interface QuestionBankFile {
  id: string;
  file: string;
  questionIds: string[];
}

export interface CourseModule extends ModuleMeta {
  dir: string;
  /** Sorted by `order`. */
  lessons: Lesson[];
  banks: QuestionBankFile[];
}

export interface Course extends Omit<CourseMeta, "modules"> {
  root: string;
  /** In the order the course lists them. */
  modules: CourseModule[];
  /** Every valid question of every bank, by id. */
  questions: ReadonlyMap<string, Question>;
  /** The bank file each question id was read from (the first one, if duplicated). */
  questionFiles: ReadonlyMap<string, string>;
  /** `topics.yaml` in file order (duplicates included, for the checker); null when there is no such file. */
  topics: readonly Topic[] | null;
  /** Where the topics were read from. */
  topicsFile: string;
}

export interface ReadResult {
  course: Course | null;
  problems: ContentProblem[];
  /** Every question read, including ids seen more than once, for duplicate detection. */
  questionOccurrences: { id: string; file: string; field: string }[];
}

export const LESSON_FILE = /^(\d{2,3})-([a-z0-9]+(?:-[a-z0-9]+)*)\.mdx$/;

export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith("..") ? file : relative;
}

function readText(file: string, problems: ContentProblem[]): string | null {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    problems.push({ severity: "error", code: "missing-file", file: displayPath(file), message: "file is missing or unreadable" });
    return null;
  }
}

export function readYaml(file: string, problems: ContentProblem[]): unknown {
  const text = readText(file, problems);
  if (text === null) return undefined;
  try {
    return parseYaml(text, { prettyErrors: true }) as unknown;
  } catch (error) {
    problems.push({
      severity: "error",
      code: "parse-error",
      file: displayPath(file),
      message: `invalid YAML: ${error instanceof Error ? error.message : String(error)}`,
    });
    return undefined;
  }
}

function listDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function readLesson(moduleId: string, dir: string, fileName: string, problems: ContentProblem[]): Lesson | null {
  const file = path.join(dir, fileName);
  const shown = displayPath(file);
  const nameMatch = LESSON_FILE.exec(fileName);
  if (!nameMatch?.[2]) {
    problems.push({
      severity: "error",
      code: "file-name",
      file: shown,
      message: "lesson files are named NN-slug.mdx (two digits, a hyphen, a kebab-case slug)",
    });
    return null;
  }
  const text = readText(file, problems);
  if (text === null) return null;
  let parsed: matter.GrayMatterFile<string>;
  try {
    // An empty options object keeps gray-matter from caching by content across files.
    parsed = matter(text, {});
  } catch (error) {
    problems.push({
      severity: "error",
      code: "parse-error",
      file: shown,
      message: `invalid frontmatter: ${error instanceof Error ? error.message : String(error)}`,
    });
    return null;
  }
  const frontmatter = lessonFrontmatterSchema.safeParse(parsed.data);
  if (!frontmatter.success) {
    problems.push(...problemsFromZod(shown, frontmatter.error, ["frontmatter"]));
    return null;
  }
  const body = parsed.content;
  const bodyStartLine = text.split("\n").length - body.split("\n").length + 1;
  const scan = scanMdx(body);
  const idsOf = (name: string) =>
    scan.components.filter((c) => c.name === name).flatMap((c) => (c.props["id"] ? [c.props["id"]] : []));
  return {
    moduleId,
    slug: nameMatch[2],
    file: shown,
    frontmatter: frontmatter.data,
    body,
    bodyStartLine,
    questionIds: idsOf("Question"),
    scenarioIds: idsOf("ScenarioLink"),
    headings: scan.headings,
  };
}

const bankEnvelopeSchema = z.strictObject({ bank: kebabId, questions: z.array(z.unknown()).min(1) });

function readBank(
  file: string,
  problems: ContentProblem[],
  occurrences: ReadResult["questionOccurrences"],
  questions: Map<string, Question>,
  questionFiles: Map<string, string>,
): QuestionBankFile | null {
  const shown = displayPath(file);
  const raw = readYaml(file, problems);
  if (raw === undefined) return null;
  const envelope = bankEnvelopeSchema.safeParse(raw);
  if (!envelope.success) {
    problems.push(...problemsFromZod(shown, envelope.error));
    return null;
  }
  const expectedId = path.basename(file).replace(/\.ya?ml$/, "");
  if (envelope.data.bank !== expectedId) {
    problems.push({
      severity: "error",
      code: "id-mismatch",
      file: shown,
      field: "bank",
      message: `bank id "${envelope.data.bank}" must match the file name "${expectedId}"`,
    });
  }
  const ids: string[] = [];
  envelope.data.questions.forEach((item, index) => {
    const question = questionSchema.safeParse(item);
    if (!question.success) {
      problems.push(...problemsFromZod(shown, question.error, ["questions", index]));
      return;
    }
    const { id } = question.data;
    occurrences.push({ id, file: shown, field: `questions[${index}]` });
    ids.push(id);
    if (!questions.has(id)) {
      questions.set(id, question.data);
      questionFiles.set(id, shown);
    }
  });
  return { id: envelope.data.bank, file: shown, questionIds: ids };
}

export function readContent(root: string): ReadResult {
  const problems: ContentProblem[] = [];
  const questionOccurrences: ReadResult["questionOccurrences"] = [];
  const courseFile = path.join(root, "course.yaml");
  const courseRaw = readYaml(courseFile, problems);
  if (courseRaw === undefined) return { course: null, problems, questionOccurrences };
  const courseMeta = courseSchema.safeParse(courseRaw);
  if (!courseMeta.success) {
    problems.push(...problemsFromZod(displayPath(courseFile), courseMeta.error));
    return { course: null, problems, questionOccurrences };
  }

  const questions = new Map<string, Question>();
  const questionFiles = new Map<string, string>();
  const modules: CourseModule[] = [];
  const modulesDir = path.join(root, "modules");

  for (const moduleId of courseMeta.data.modules) {
    const dir = path.join(modulesDir, moduleId);
    if (!fs.existsSync(dir)) {
      problems.push({
        severity: "error",
        code: "unknown-module",
        file: displayPath(courseFile),
        field: "modules",
        message: `module "${moduleId}" has no folder ${displayPath(dir)}`,
      });
      continue;
    }
    const moduleFile = path.join(dir, "module.yaml");
    const moduleRaw = readYaml(moduleFile, problems);
    if (moduleRaw === undefined) continue;
    const moduleMeta = moduleSchema.safeParse(moduleRaw);
    if (!moduleMeta.success) {
      problems.push(...problemsFromZod(displayPath(moduleFile), moduleMeta.error));
      continue;
    }
    if (moduleMeta.data.id !== moduleId) {
      problems.push({
        severity: "error",
        code: "id-mismatch",
        file: displayPath(moduleFile),
        field: "id",
        message: `module id "${moduleMeta.data.id}" must match its folder name "${moduleId}"`,
      });
    }
    const lessonsDir = path.join(dir, "lessons");
    const lessons = listDir(lessonsDir)
      .filter((name) => !name.startsWith("."))
      .flatMap((name) => readLesson(moduleId, lessonsDir, name, problems) ?? []);
    lessons.sort((a, b) => a.frontmatter.order - b.frontmatter.order || a.slug.localeCompare(b.slug));
    const questionsDir = path.join(dir, "questions");
    const banks = listDir(questionsDir)
      .filter((name) => /\.ya?ml$/.test(name))
      .flatMap((name) => readBank(path.join(questionsDir, name), problems, questionOccurrences, questions, questionFiles) ?? []);
    modules.push({ ...moduleMeta.data, id: moduleId, dir: displayPath(dir), lessons, banks });
  }

  for (const folder of listDir(modulesDir)) {
    if (!courseMeta.data.modules.includes(folder) && fs.statSync(path.join(modulesDir, folder)).isDirectory()) {
      problems.push({
        severity: "warning",
        code: "module-not-in-course",
        file: displayPath(path.join(modulesDir, folder)),
        message: `module folder "${folder}" is not listed in course.yaml and will not be published`,
      });
    }
  }

  const topicsFile = path.join(root, "topics.yaml");
  let topics: Topic[] | null = null;
  if (fs.existsSync(topicsFile)) {
    const raw = readYaml(topicsFile, problems);
    const parsed = raw === undefined ? undefined : topicCatalogSchema.safeParse(raw);
    if (parsed?.success) topics = parsed.data.topics;
    else if (parsed) problems.push(...problemsFromZod(displayPath(topicsFile), parsed.error));
  }

  return {
    course: {
      id: courseMeta.data.id,
      title: courseMeta.data.title,
      summary: courseMeta.data.summary,
      root,
      modules,
      questions,
      questionFiles,
      topics,
      topicsFile: displayPath(topicsFile),
    },
    problems,
    questionOccurrences,
  };
}
