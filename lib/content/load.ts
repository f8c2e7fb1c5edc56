/**
 * The entry point pages use: a validated, typed course tree, read once per process.
 * Invalid content throws a ContentError listing every problem, so a bad file fails the build
 * instead of rendering a half-broken page. `npm run content:check` gives the same list.
 */
import path from "node:path";
import { readAndValidate } from "./validate";
import { ContentError } from "./problems";
import type { Course, CourseModule, Lesson } from "./read";
import type { Question, Topic } from "./schema";

export type { Course, CourseModule, Lesson, QuestionBankFile } from "./read";

// On globalThis: the server reads the course at start (instrumentation.ts), which Next may bundle
// apart from the pages and routes that read it.
const globalForCourses = globalThis as typeof globalThis & { kubeprepCourses?: Map<string, Course> };
const cache = (globalForCourses.kubeprepCourses ??= new Map<string, Course>());

export function loadCourse(root = "content"): Course {
  const key = path.resolve(/* turbopackIgnore: true */ root);
  const cached = cache.get(key);
  if (cached) return cached;
  const { course, problems } = readAndValidate(root);
  const errors = problems.filter((p) => p.severity === "error");
  if (!course || errors.length > 0) throw new ContentError(errors);
  cache.set(key, course);
  return course;
}

/** Forgets cached courses (tests, or a dev server that watches content). */
export function clearContentCache(): void {
  cache.clear();
}

export interface LessonRoute {
  module: string;
  lesson: string;
}

/** Params for `generateStaticParams` of `/learn/[module]/[lesson]`. */
export function listLessonRoutes(root = "content"): LessonRoute[] {
  return loadCourse(root).modules.flatMap((m) => m.lessons.map((l) => ({ module: m.id, lesson: l.slug })));
}

export function getModule(moduleId: string, root = "content"): CourseModule | undefined {
  return loadCourse(root).modules.find((m) => m.id === moduleId);
}

export function getLesson(moduleId: string, slug: string, root = "content"): Lesson | undefined {
  return getModule(moduleId, root)?.lessons.find((l) => l.slug === slug);
}

export function getQuestion(id: string, root = "content"): Question | undefined {
  return loadCourse(root).questions.get(id);
}

/** A question tag in words, with the lesson and scenarios that teach it (`topics.yaml`). */
export function getTopic(id: string, root = "content"): Topic | undefined {
  return loadCourse(root).topics?.find((topic) => topic.id === id);
}

/** The lesson with this slug in any module. */
export function findLessonBySlug(slug: string, root = "content"): Lesson | undefined {
  for (const courseModule of loadCourse(root).modules) {
    const lesson = courseModule.lessons.find((l) => l.slug === slug);
    if (lesson) return lesson;
  }
  return undefined;
}

/** The lessons before and after, for "previous / next" navigation. */
export function lessonNeighbours(
  moduleId: string,
  slug: string,
  root = "content",
): { previous: Lesson | undefined; next: Lesson | undefined } {
  const lessons = getModule(moduleId, root)?.lessons ?? [];
  const index = lessons.findIndex((l) => l.slug === slug);
  if (index < 0) return { previous: undefined, next: undefined };
  return { previous: lessons[index - 1], next: lessons[index + 1] };
}
