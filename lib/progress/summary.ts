import "server-only";
import type { Db } from "../db/client";
import { findLessonBySlug, getQuestion, getTopic, loadCourse, type Lesson } from "../content/load";
import { getScenario } from "../scenarios/catalog";
import { scenarioHref } from "./scenarios";
import { gradeAnswer } from "../quiz/grade";
import { gradingFeedback } from "../quiz/public";
import { questionStats } from "../quiz/attempts";
import { pendingRating } from "../quiz/pending";
import { learnerOptionOrder, optionOrderKey } from "../quiz/options";
import { resolveAuthSecret } from "../env";
import { getLessonProgress, lessonProgressSelect, type LessonProgressRow } from "./lessons";
import type { ContinueTarget, CourseProgress, LessonState, LessonSummary, ModuleSummary, ScenarioProgressStatus, WeakTopic } from "./types";

export function lessonHref(lesson: Pick<Lesson, "moduleId" | "slug">): string {
  return `/learn/${lesson.moduleId}/${lesson.slug}`;
}

/** Best score per answered question for one user: a single grouped aggregate. */
async function bestScores(database: Db, userId: string): Promise<Map<string, number>> {
  const groups = await database.questionAttempt.groupBy({ by: ["questionId"], where: { userId }, _max: { score: true } });
  return new Map(groups.map((group) => [group.questionId, group._max.score ?? 0]));
}

/** First-attempt score per answered question: what the learner knew before seeing the key. */
async function firstScores(database: Db, userId: string): Promise<Map<string, number>> {
  const rows = await database.questionAttempt.findMany({ where: { userId, isFirst: true }, select: { questionId: true, score: true } });
  return new Map(rows.map((row) => [row.questionId, row.score]));
}

/** Open questions are rated by the learner: never part of a score. */
function selfRated(questionId: string): boolean {
  return getQuestion(questionId)?.type === "open";
}

function mean(values: number[]): number | null {
  return values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;
}

function summarize(
  lesson: Lesson,
  row: LessonProgressRow | undefined,
  best: Map<string, number>,
  first: Map<string, number>,
): LessonSummary {
  const answered = lesson.questionIds.filter((id) => best.has(id));
  const graded = answered.filter((id) => !selfRated(id));
  const status = row?.completedAt ? "completed" : row || answered.length > 0 ? "in-progress" : "not-started";
  return {
    moduleId: lesson.moduleId,
    slug: lesson.slug,
    title: lesson.frontmatter.title,
    href: lessonHref(lesson),
    status,
    questionCount: lesson.questionIds.length,
    answeredCount: answered.length,
    averageFirstScore: mean(graded.map((id) => first.get(id) ?? 0)),
    averageBestScore: mean(graded.map((id) => best.get(id) ?? 0)),
    selfRatedCount: answered.length - graded.length,
    timeSpentSeconds: row?.timeSpentSeconds ?? 0,
    lastVisitedAt: row?.lastVisitedAt.toISOString() ?? null,
    completedAt: row?.completedAt?.toISOString() ?? null,
  };
}

function chooseContinue(lessons: LessonSummary[]): ContinueTarget | null {
  const visited = lessons.filter((lesson) => lesson.lastVisitedAt !== null);
  if (visited.length === 0) return lessons[0] ? { lesson: lessons[0], reason: "start" } : null;
  const latest = visited.reduce((a, b) => ((a.lastVisitedAt ?? "") >= (b.lastVisitedAt ?? "") ? a : b));
  if (latest.status !== "completed") return { lesson: latest, reason: "continue" };
  const index = lessons.indexOf(latest);
  const next = [...lessons.slice(index + 1), ...lessons.slice(0, index)].find((lesson) => lesson.status !== "completed");
  return next ? { lesson: next, reason: "next" } : null;
}

/** Course, module and lesson progress for one learner: two aggregate queries, joined with the content tree. */
export async function courseProgress(database: Db, userId: string): Promise<CourseProgress> {
  const course = loadCourse();
  const [rows, best, first] = await Promise.all([
    database.lessonProgress.findMany({ where: { userId }, select: lessonProgressSelect }),
    bestScores(database, userId),
    firstScores(database, userId),
  ]);
  const byLesson = new Map(rows.map((row) => [`${row.moduleId}/${row.lessonSlug}`, row]));
  const modules: ModuleSummary[] = course.modules.map((courseModule) => {
    const lessons = courseModule.lessons.map((lesson) => summarize(lesson, byLesson.get(`${lesson.moduleId}/${lesson.slug}`), best, first));
    const completedLessons = lessons.filter((lesson) => lesson.status === "completed").length;
    return {
      id: courseModule.id,
      title: courseModule.title,
      lessons,
      completedLessons,
      percent: lessons.length === 0 ? 0 : Math.round((completedLessons / lessons.length) * 100),
    };
  });
  const allLessons = modules.flatMap((m) => m.lessons);
  const completedLessons = modules.reduce((sum, m) => sum + m.completedLessons, 0);
  const questionIds = new Set(allLessons.length > 0 ? course.modules.flatMap((m) => m.lessons.flatMap((l) => l.questionIds)) : []);
  return {
    modules,
    completedLessons,
    totalLessons: allLessons.length,
    percent: allLessons.length === 0 ? 0 : Math.round((completedLessons / allLessons.length) * 100),
    questionsAnswered: [...questionIds].filter((id) => best.has(id)).length,
    totalQuestions: questionIds.size,
    continueWith: chooseContinue(allLessons),
  };
}

/** A tag in words with the lesson and scenarios that teach it, from the topic catalogue. */
function describeTopic(
  tag: string,
  scenarioStatus: ReadonlyMap<string, ScenarioProgressStatus>,
): Pick<WeakTopic, "title" | "lesson" | "scenarios"> {
  const topic = getTopic(tag);
  const lesson = topic ? findLessonBySlug(topic.lesson) : undefined;
  const scenarios = (topic?.scenarios ?? []).flatMap((id) => {
    const scenario = getScenario(id);
    return scenario ? [{ title: scenario.title, href: scenarioHref(id), status: scenarioStatus.get(id) ?? "not-started" }] : [];
  });
  return { title: topic?.title ?? tag, lesson: lesson ? { title: lesson.frontmatter.title, href: lessonHref(lesson) } : null, scenarios };
}

/**
 * Tags with the lowest mean best score (auto-graded questions), in words, each with the lesson
 * and scenarios that teach it and the lessons whose questions on it were missed.
 */
export async function weakTopics(
  database: Db,
  userId: string,
  limit = 5,
  scenarioStatus: ReadonlyMap<string, ScenarioProgressStatus> = new Map(),
): Promise<WeakTopic[]> {
  const course = loadCourse();
  const best = await bestScores(database, userId);
  const embedding = new Map<string, Lesson>();
  for (const courseModule of course.modules) {
    for (const lesson of courseModule.lessons) for (const id of lesson.questionIds) if (!embedding.has(id)) embedding.set(id, lesson);
  }
  type TagEntry = { scores: number[]; lessons: Map<string, { title: string; href: string }> };
  const byTag = new Map<string, TagEntry>();
  for (const [questionId, score] of best) {
    const question = getQuestion(questionId);
    if (!question || question.type === "open") continue;
    for (const tag of question.tags) {
      const entry: TagEntry = byTag.get(tag) ?? { scores: [], lessons: new Map() };
      entry.scores.push(score);
      const lesson = embedding.get(questionId);
      if (lesson && score < 1) entry.lessons.set(lessonHref(lesson), { title: lesson.frontmatter.title, href: lessonHref(lesson) });
      byTag.set(tag, entry);
    }
  }
  return [...byTag.entries()]
    .map(([tag, entry]) => ({
      tag,
      averageBestScore: mean(entry.scores) ?? 0,
      answered: entry.scores.length,
      lessons: [...entry.lessons.values()],
    }))
    .filter((topic) => topic.averageBestScore < 1)
    .sort((a, b) => a.averageBestScore - b.averageBestScore || b.answered - a.answered || a.tag.localeCompare(b.tag))
    .slice(0, limit)
    .map((topic) => ({ ...topic, ...describeTopic(topic.tag, scenarioStatus) }));
}

/** One lesson for one learner: visit and completion, and per embedded question the first, best and last score. */
export async function lessonState(database: Db, userId: string, lesson: Lesson): Promise<LessonState> {
  const [row, stats] = await Promise.all([
    getLessonProgress(database, userId, lesson),
    questionStats(database, userId, lesson.questionIds),
  ]);
  const questions: LessonState["questions"] = {};
  for (const [questionId, stat] of stats) {
    const question = getQuestion(questionId);
    if (!question) continue;
    const pending = pendingRating(question, {
      submissionId: stat.lastSubmissionId,
      response: stat.lastResponse,
      selfRating: stat.lastSelfRating,
    });
    questions[questionId] = {
      attempts: stat.attempts,
      firstScore: stat.firstScore,
      bestScore: stat.bestScore,
      lastScore: stat.lastScore,
      lastAnsweredAt: stat.lastAnsweredAt.toISOString(),
      lastFeedback: gradingFeedback(question, gradeAnswer(question, stat.lastResponse)),
      ...(pending ? { pendingRating: pending } : {}),
    };
  }
  const key = optionOrderKey(resolveAuthSecret());
  const optionOrder: LessonState["optionOrder"] = {};
  for (const questionId of lesson.questionIds) {
    const question = getQuestion(questionId);
    if (question?.type === "single" || question?.type === "multiple") optionOrder[questionId] = learnerOptionOrder(key, userId, question);
  }
  return {
    visited: row !== null,
    completedAt: row?.completedAt?.toISOString() ?? null,
    completedBy: row?.completedBy ?? null,
    timeSpentSeconds: row?.timeSpentSeconds ?? 0,
    questions,
    optionOrder,
  };
}
