import "server-only";
import { z } from "zod";
import type { Db } from "../db/client";
import { Prisma } from "../db/generated/sqlite/client";
import type { PublicUser } from "../accounts/users";
import { loadCourse } from "../content/load";
import { loadScenarios } from "../scenarios/catalog";
import { requireCohort, type CohortSummary } from "./access";
import { int, latest, num, timestamp } from "./raw";
import { cachedReport } from "./report-cache";
import { visibleDate, visibleSql } from "./visibility";
import type { OverviewQuery, OverviewSort, StudentStatus } from "./schemas";

export const OVERVIEW_PAGE_SIZE = 25;
/** A started student with no activity for this long counts as inactive. */
export const INACTIVE_AFTER_DAYS = 14;

export interface StudentSummary {
  userId: string;
  name: string;
  email: string;
  joinedAt: Date;
  lastActiveAt: Date | null;
  lessonsCompleted: number;
  questionsAnswered: number;
  /**
   * Knowledge score, 0..1: the mean over the course's AUTO-GRADED questions (not the self-rated
   * open ones) of the student's FIRST-attempt score, unanswered questions counting 0. First
   * attempts only: every graded answer shows the key, so a second answer measures nothing. It
   * grows as the student covers the course, so two right answers do not look like 100%.
   */
  quizScore: number;
  /** Mean first-attempt score over the auto-graded questions answered (accuracy); null before any. */
  answeredScore: number | null;
  /** Practice, not knowledge: the same mean with the best attempt per question. */
  practiceBestScore: number;
  /** Practice: the same mean with the latest attempt per question. */
  practiceLatestScore: number;
  /** Self-rated (open) questions answered; they are never part of the scores above. */
  selfRatedAnswered: number;
  /** Mean first self-rating (got it 1, partly 0.5, missed 0) over those; null before any. */
  selfRatedScore: number | null;
  scenariosPassed: number;
  timeSpentSeconds: number;
  hintsUsed: number;
  status: StudentStatus;
}

export interface CohortTotals {
  lessons: number;
  questions: number;
  /** Questions graded by the server (single, multiple, short): the knowledge score's denominator. */
  gradedQuestions: number;
  /** Open questions, rated by the learner against a model answer. */
  selfRatedQuestions: number;
  scenarios: number;
}

/** Ids of the open questions, whose scores are self-ratings; [""] when there are none (SQL IN needs a value). */
export function selfRatedQuestionIds(): string[] {
  const ids = [...loadCourse().questions.values()].filter((question) => question.type === "open").map((question) => question.id);
  return ids.length > 0 ? ids : [""];
}

export function courseTotals(): CohortTotals {
  const course = loadCourse();
  return {
    lessons: course.modules.reduce((sum, m) => sum + m.lessons.length, 0),
    questions: course.questions.size,
    gradedQuestions: [...course.questions.values()].filter((question) => question.type !== "open").length,
    selfRatedQuestions: [...course.questions.values()].filter((question) => question.type === "open").length,
    scenarios: loadScenarios().size,
  };
}

const memberRow = z.object({ userId: z.string(), name: z.string(), email: z.string(), lastActiveAt: timestamp, joinedAt: timestamp });
const quizRow = z.object({ userId: z.string(), answered: int, graded: int, bestSum: num, latestSum: num, last: timestamp });
const firstRow = z.object({ userId: z.string(), firstSum: num, selfSum: num, selfRated: int });
const lessonRow = z.object({ userId: z.string(), completed: int, seconds: int, last: timestamp });
const scenarioRow = z.object({ userId: z.string(), passed: int, hints: int, seconds: int, last: timestamp });

function byUser<T extends { userId: string }>(rows: T[]): Map<string, T> {
  return new Map(rows.map((row) => [row.userId, row]));
}

/**
 * One row per student of the cohort, every figure aggregated in SQL (four GROUP BY queries
 * over the cohort's members) and merged here. Used by the overview, its charts and the gradebook.
 * `userIds` restricts the result to some students (the gradebook export pages through them).
 */
export async function studentSummaries(database: Db, cohortId: string, now = new Date(), userIds?: string[]): Promise<StudentSummary[]> {
  const totals = courseTotals();
  const only = userIds ? sqlIn(userIds) : undefined;
  const members = await database.$queryRaw<unknown[]>`
    SELECT u."id" AS "userId", u."name" AS "name", u."email" AS "email", u."lastActiveAt" AS "lastActiveAt", m."joinedAt" AS "joinedAt"
    FROM "CohortMember" m JOIN "User" u ON u."id" = m."userId"
    WHERE m."cohortId" = ${cohortId} AND m."role" = 'STUDENT' ${only ? Prisma.sql`AND m."userId" IN (${only})` : Prisma.empty}`;
  const selfRated = Prisma.join(selfRatedQuestionIds());
  // Practice figures, best and latest score per (student, question): the members come in userId
  // order from the (cohortId, userId) key and each one's attempts in questionId order from the
  // covering (userId, questionId, createdAt, score) index, so grouping by m."userId" (not
  // a."userId") lets SQLite aggregate while it reads, without sorting 400,000 rows or touching
  // the table; the latest score is one seek per pair in the same index.
  const quiz = await database.$queryRaw<unknown[]>`
    SELECT c."userId" AS "userId", COUNT(*) AS "answered", SUM(c."graded") AS "graded",
      SUM(c."graded" * c."best") AS "bestSum", SUM(c."graded" * c."latest") AS "latestSum", MAX(c."last") AS "last"
    FROM (
      SELECT b."userId" AS "userId", b."best" AS "best", b."last" AS "last",
        CASE WHEN b."questionId" IN (${selfRated}) THEN 0 ELSE 1 END AS "graded",
        (SELECT l."score" FROM "QuestionAttempt" l WHERE l."userId" = b."userId" AND l."questionId" = b."questionId" AND l."createdAt" >= b."joinedAt"
          ORDER BY l."createdAt" DESC, l."score" DESC LIMIT 1) AS "latest"
      FROM (
        SELECT m."userId" AS "userId", a."questionId" AS "questionId", MIN(m."joinedAt") AS "joinedAt", MAX(a."score") AS "best", MAX(a."createdAt") AS "last"
        FROM "CohortMember" m JOIN "QuestionAttempt" a ON a."userId" = m."userId"
        WHERE m."cohortId" = ${cohortId} AND m."role" = 'STUDENT' ${only ? Prisma.sql`AND m."userId" IN (${only})` : Prisma.empty}
          AND ${visibleSql("a", "QuestionAttempt")}
        GROUP BY m."userId", a."questionId"
      ) b
    ) c
    GROUP BY c."userId"`;
  // The knowledge score: first attempts only (one per student and question, flagged isFirst),
  // self-rated open questions summed apart. Both read index columns only: all first attempts
  // through (userId, isFirst, score), the open questions' through (isFirst, questionId, ...).
  const firsts = await database.$queryRaw<unknown[]>`
    SELECT f."userId" AS "userId", f."allSum" - COALESCE(o."selfSum", 0) AS "firstSum", COALESCE(o."selfSum", 0) AS "selfSum", COALESCE(o."selfRated", 0) AS "selfRated"
    FROM (
      SELECT m."userId" AS "userId", SUM(a."score") AS "allSum"
      FROM "CohortMember" m JOIN "QuestionAttempt" a ON a."userId" = m."userId" AND a."isFirst" = TRUE
      WHERE m."cohortId" = ${cohortId} AND m."role" = 'STUDENT' ${only ? Prisma.sql`AND m."userId" IN (${only})` : Prisma.empty}
        AND ${visibleSql("a", "QuestionAttempt")}
      GROUP BY m."userId"
    ) f LEFT JOIN (
      SELECT a."userId" AS "userId", SUM(a."score") AS "selfSum", COUNT(*) AS "selfRated"
      FROM "QuestionAttempt" a JOIN "CohortMember" m ON m."userId" = a."userId" AND m."cohortId" = ${cohortId} AND m."role" = 'STUDENT'
      WHERE a."isFirst" = TRUE AND a."questionId" IN (${selfRated}) AND ${visibleSql("a", "QuestionAttempt")}
      GROUP BY a."userId"
    ) o ON o."userId" = f."userId"`;
  const lessons = await database.$queryRaw<unknown[]>`
    SELECT p."userId" AS "userId", COUNT(CASE WHEN ${visibleSql("p", "LessonCompletion")} THEN 1 END) AS "completed",
      SUM(CASE WHEN ${visibleSql("p", "LessonTime")} THEN p."timeSpentSeconds" ELSE 0 END) AS "seconds", MAX(p."lastVisitedAt") AS "last"
    FROM "CohortMember" m JOIN "LessonProgress" p ON p."userId" = m."userId"
    WHERE m."cohortId" = ${cohortId} AND m."role" = 'STUDENT' ${only ? Prisma.sql`AND m."userId" IN (${only})` : Prisma.empty}
      AND ${visibleSql("p", "LessonProgress")}
    GROUP BY p."userId"`;
  const scenarios = await database.$queryRaw<unknown[]>`
    SELECT s."userId" AS "userId", COUNT(DISTINCT CASE WHEN s."status" = 'PASSED' THEN s."scenarioId" END) AS "passed",
      SUM(s."hintsUsed") AS "hints", SUM(s."timeSpentSeconds") AS "seconds", MAX(s."lastActiveAt") AS "last"
    FROM "CohortMember" m JOIN "ScenarioAttempt" s ON s."userId" = m."userId"
    WHERE m."cohortId" = ${cohortId} AND m."role" = 'STUDENT' ${only ? Prisma.sql`AND m."userId" IN (${only})` : Prisma.empty}
      AND ${visibleSql("s", "ScenarioAttempt")}
    GROUP BY s."userId"`;

  const quizBy = byUser(z.array(quizRow).parse(quiz));
  const firstBy = byUser(z.array(firstRow).parse(firsts));
  const lessonBy = byUser(z.array(lessonRow).parse(lessons));
  const scenarioBy = byUser(z.array(scenarioRow).parse(scenarios));
  const inactiveBefore = now.getTime() - INACTIVE_AFTER_DAYS * 86_400_000;

  return z.array(memberRow).parse(members).map((member) => {
    const q = quizBy.get(member.userId);
    const f = firstBy.get(member.userId);
    const graded = totals.gradedQuestions;
    const l = lessonBy.get(member.userId);
    const s = scenarioBy.get(member.userId);
    const joinedAt = member.joinedAt ?? new Date(0);
    const lastActiveAt = latest(visibleDate(member.lastActiveAt, joinedAt), q?.last, l?.last, s?.last);
    const lessonsCompleted = l?.completed ?? 0;
    const started = Boolean(q || l || s);
    const status: StudentStatus = !started
      ? "not-started"
      : totals.lessons > 0 && lessonsCompleted >= totals.lessons
        ? "completed"
        : lastActiveAt && lastActiveAt.getTime() < inactiveBefore
          ? "inactive"
          : "active";
    return {
      userId: member.userId,
      name: member.name,
      email: member.email,
      joinedAt,
      lastActiveAt,
      lessonsCompleted,
      questionsAnswered: q?.answered ?? 0,
      quizScore: graded > 0 ? Math.min(1, (f?.firstSum ?? 0) / graded) : 0,
      answeredScore: q && q.graded > 0 ? Math.min(1, (f?.firstSum ?? 0) / q.graded) : null,
      practiceBestScore: graded > 0 ? Math.min(1, (q?.bestSum ?? 0) / graded) : 0,
      practiceLatestScore: graded > 0 ? Math.min(1, (q?.latestSum ?? 0) / graded) : 0,
      selfRatedAnswered: f?.selfRated ?? 0,
      selfRatedScore: f && f.selfRated > 0 ? f.selfSum / f.selfRated : null,
      scenariosPassed: s?.passed ?? 0,
      timeSpentSeconds: (l?.seconds ?? 0) + (s?.seconds ?? 0),
      hintsUsed: s?.hints ?? 0,
      status,
    };
  });
}

function sqlIn(ids: string[]) {
  return Prisma.join(ids.length > 0 ? ids : [""]);
}

const SORT_KEYS: Record<OverviewSort, (row: StudentSummary) => string | number> = {
  name: (row) => row.name.toLocaleLowerCase("en"),
  email: (row) => row.email,
  lastActive: (row) => row.lastActiveAt?.getTime() ?? 0,
  lessons: (row) => row.lessonsCompleted,
  quizScore: (row) => row.quizScore,
  scenarios: (row) => row.scenariosPassed,
  time: (row) => row.timeSpentSeconds,
  hints: (row) => row.hintsUsed,
};

export function sortStudents(rows: StudentSummary[], sort: OverviewSort, dir: "asc" | "desc"): StudentSummary[] {
  const key = SORT_KEYS[sort];
  const sign = dir === "asc" ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    const order = x < y ? -1 : x > y ? 1 : 0;
    return order !== 0 ? sign * order : a.email < b.email ? -1 : a.email > b.email ? 1 : 0;
  });
}

export interface HistogramBin {
  label: string;
  from: number;
  to: number;
  count: number;
}

/** Ten bins of 10 percentage points of quiz score (the last one includes 100%). */
export function scoreHistogram(rows: Pick<StudentSummary, "quizScore">[]): HistogramBin[] {
  const bins = Array.from({ length: 10 }, (_, i) => ({ label: `${i * 10}–${i === 9 ? 100 : i * 10 + 9}%`, from: i / 10, to: (i + 1) / 10, count: 0 }));
  for (const row of rows) {
    const index = Math.min(9, Math.floor(row.quizScore * 10));
    const bin = bins[index];
    if (bin) bin.count++;
  }
  return bins;
}

export interface WeekPoint {
  /** Monday of the week, YYYY-MM-DD (UTC). */
  week: string;
  completed: number;
  cumulative: number;
}

function mondayOf(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  const weekday = (date.getUTCDay() + 6) % 7;
  date.setUTCDate(date.getUTCDate() - weekday);
  return date.toISOString().slice(0, 10);
}

/** Lessons completed per week and cumulatively, by the cohort's students; days bucketed in SQL. */
export async function lessonsPerWeek(database: Db, cohortId: string): Promise<WeekPoint[]> {
  // SUBSTR of the text form gives YYYY-MM-DD on both providers (ISO text in SQLite, timestamp in PostgreSQL).
  const rows = z.array(z.object({ day: z.string(), n: int })).parse(
    await database.$queryRaw<unknown[]>`
      SELECT SUBSTR(CAST(p."completedAt" AS TEXT), 1, 10) AS "day", COUNT(*) AS "n"
      FROM "CohortMember" m JOIN "LessonProgress" p ON p."userId" = m."userId"
      WHERE m."cohortId" = ${cohortId} AND m."role" = 'STUDENT' AND p."completedAt" IS NOT NULL AND ${visibleSql("p", "LessonCompletion")}
      GROUP BY SUBSTR(CAST(p."completedAt" AS TEXT), 1, 10)`,
  );
  const weeks = new Map<string, number>();
  for (const row of rows) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(row.day)) continue;
    const week = mondayOf(row.day);
    weeks.set(week, (weeks.get(week) ?? 0) + row.n);
  }
  const sorted = [...weeks.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  // Fill empty weeks so the chart's time axis is even.
  const points: WeekPoint[] = [];
  let cumulative = 0;
  const first = sorted[0]?.[0];
  const last = sorted.at(-1)?.[0];
  if (!first || !last) return points;
  for (let date = new Date(`${first}T00:00:00Z`); date.toISOString().slice(0, 10) <= last; date.setUTCDate(date.getUTCDate() + 7)) {
    const week = date.toISOString().slice(0, 10);
    const completed = weeks.get(week) ?? 0;
    cumulative += completed;
    points.push({ week, completed, cumulative });
  }
  return points.slice(-26);
}

export interface CohortOverview {
  cohort: CohortSummary;
  totals: CohortTotals;
  studentCount: number;
  filteredCount: number;
  page: number;
  pageCount: number;
  pageSize: number;
  rows: StudentSummary[];
  statusCounts: Record<StudentStatus, number>;
  histogram: HistogramBin[];
  weeks: WeekPoint[];
  meanQuizScore: number | null;
  /** When the aggregates were computed (they are cached briefly, see report-cache.ts). */
  computedAt: Date;
}

/** The overview page's data: one page of sorted, filtered students plus the cohort's charts. */
export async function cohortOverview(
  database: Db,
  actor: Pick<PublicUser, "id" | "role">,
  cohortId: string,
  query: OverviewQuery,
  options: { now?: Date; fresh?: boolean } = {},
): Promise<CohortOverview> {
  const cohort = await requireCohort(database, actor, cohortId);
  const now = options.now ?? new Date();
  const { value: aggregates, computedAt } = await cachedReport(
    `${cohort.id}:overview`,
    async () => ({ all: await studentSummaries(database, cohort.id, now), weeks: await lessonsPerWeek(database, cohort.id) }),
    { fresh: options.fresh },
  );
  const { all, weeks } = aggregates;
  const statusCounts: Record<StudentStatus, number> = { "not-started": 0, active: 0, inactive: 0, completed: 0 };
  for (const row of all) statusCounts[row.status]++;
  const needle = query.q.toLocaleLowerCase("en");
  const filtered = all.filter(
    (row) =>
      (!query.status || row.status === query.status) &&
      (!needle || row.name.toLocaleLowerCase("en").includes(needle) || row.email.includes(needle)),
  );
  const pageCount = Math.max(1, Math.ceil(filtered.length / OVERVIEW_PAGE_SIZE));
  const page = Math.min(query.page, pageCount);
  const sorted = sortStudents(filtered, query.sort, query.dir);
  return {
    cohort,
    totals: courseTotals(),
    studentCount: all.length,
    filteredCount: filtered.length,
    page,
    pageCount,
    pageSize: OVERVIEW_PAGE_SIZE,
    rows: sorted.slice((page - 1) * OVERVIEW_PAGE_SIZE, page * OVERVIEW_PAGE_SIZE),
    statusCounts,
    histogram: scoreHistogram(all),
    weeks,
    meanQuizScore: all.length > 0 ? all.reduce((sum, row) => sum + row.quizScore, 0) / all.length : null,
    computedAt,
  };
}
