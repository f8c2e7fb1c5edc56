import "server-only";
import type { Db } from "../db/client";
import { Prisma } from "../db/generated/sqlite/client";
import type { PublicUser } from "../accounts/users";
import { loadCourse } from "../content/load";
import { loadScenarios } from "../scenarios/catalog";
import { requireCohort, type CohortSummary } from "./access";
import { latest } from "../db/raw";
import { cachedReport } from "./report-cache";
import { visibleDate } from "./visibility";
import { fillMissingSummaries, readCompletionDays } from "../summaries/student-summary";
import { cohortAssignments, type ExamAssignmentView } from "./exam-assignments";
import { examResults, type ExamResult } from "./exam-results";
import { reviewsLastWeek } from "./review-activity";
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

// $queryRaw hands back provider types (PostgreSQL: Date; SQLite: ISO text for a DATETIME column),
// converted by hand here: zod over 10,000 rows of 18 columns costs more than the query.
const text = (value: unknown): string => (typeof value === "string" ? value : "");
const number = (value: unknown): number => {
  const n = typeof value === "number" ? value : Number(value);
  return Number.isFinite(n) ? n : 0;
};
const date = (value: unknown): Date | null => {
  if (value === null || value === undefined) return null;
  const parsed = value instanceof Date ? value : new Date(typeof value === "number" || typeof value === "string" ? value : Number.NaN);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
};

/**
 * One row per student of the cohort, read from the summaries kept on the memberships
 * (lib/summaries/student-summary.ts): one indexed pass over the cohort's members, however many
 * attempts they made. Used by the overview, its charts, the student page and the gradebook.
 * `userIds` restricts the result to some students (the gradebook export pages through them).
 */
export async function studentSummaries(database: Db, cohortId: string, now = new Date(), userIds?: string[]): Promise<StudentSummary[]> {
  await fillMissingSummaries(database, cohortId);
  const totals = courseTotals();
  const graded = totals.gradedQuestions;
  const rows = await database.$queryRaw<Record<string, unknown>[]>`
    SELECT u."id" AS "userId", u."name" AS "name", u."email" AS "email", u."lastActiveAt" AS "lastActiveAt", m."joinedAt" AS "joinedAt",
      m."activityAt" AS "activityAt", m."questionsAnswered" AS "questionsAnswered", m."gradedAnswered" AS "gradedAnswered",
      m."firstScoreSum" AS "firstScoreSum", m."bestScoreSum" AS "bestScoreSum", m."latestScoreSum" AS "latestScoreSum",
      m."selfRatedAnswered" AS "selfRatedAnswered", m."selfRatedSum" AS "selfRatedSum", m."lessonsCompleted" AS "lessonsCompleted",
      m."lessonSeconds" AS "lessonSeconds", m."scenariosPassed" AS "scenariosPassed", m."hintsUsed" AS "hintsUsed", m."scenarioSeconds" AS "scenarioSeconds"
    FROM "CohortMember" m JOIN "User" u ON u."id" = m."userId"
    WHERE m."cohortId" = ${cohortId} AND m."role" = 'STUDENT' ${userIds ? Prisma.sql`AND m."userId" IN (${sqlIn(userIds)})` : Prisma.empty}`;
  const inactiveBefore = now.getTime() - INACTIVE_AFTER_DAYS * 86_400_000;
  return rows.map((row) => {
    const joinedAt = date(row.joinedAt) ?? new Date(0);
    const activityAt = date(row.activityAt);
    const lastActiveAt = latest(visibleDate(date(row.lastActiveAt), joinedAt), activityAt);
    const lessonsCompleted = number(row.lessonsCompleted);
    const firstScoreSum = number(row.firstScoreSum);
    const gradedAnswered = number(row.gradedAnswered);
    const selfRatedAnswered = number(row.selfRatedAnswered);
    const status: StudentStatus =
      activityAt === null
        ? "not-started"
        : totals.lessons > 0 && lessonsCompleted >= totals.lessons
          ? "completed"
          : lastActiveAt && lastActiveAt.getTime() < inactiveBefore
            ? "inactive"
            : "active";
    return {
      userId: text(row.userId),
      name: text(row.name),
      email: text(row.email),
      joinedAt,
      lastActiveAt,
      lessonsCompleted,
      questionsAnswered: number(row.questionsAnswered),
      quizScore: graded > 0 ? Math.min(1, firstScoreSum / graded) : 0,
      answeredScore: gradedAnswered > 0 ? Math.min(1, firstScoreSum / gradedAnswered) : null,
      practiceBestScore: graded > 0 ? Math.min(1, number(row.bestScoreSum) / graded) : 0,
      practiceLatestScore: graded > 0 ? Math.min(1, number(row.latestScoreSum) / graded) : 0,
      selfRatedAnswered,
      selfRatedScore: selfRatedAnswered > 0 ? number(row.selfRatedSum) / selfRatedAnswered : null,
      scenariosPassed: number(row.scenariosPassed),
      timeSpentSeconds: number(row.lessonSeconds) + number(row.scenarioSeconds),
      hintsUsed: number(row.hintsUsed),
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
  const bins = Array.from({ length: 10 }, (_, i) => ({
    label: `${i * 10}–${i === 9 ? 100 : i * 10 + 9}%`,
    from: i / 10,
    to: (i + 1) / 10,
    count: 0,
  }));
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

/** Lessons completed per week and cumulatively, by the cohort's students (the completion days kept in their summaries). */
export async function lessonsPerWeek(database: Db, cohortId: string): Promise<WeekPoint[]> {
  await fillMissingSummaries(database, cohortId);
  const members = await database.cohortMember.findMany({ where: { cohortId, role: "STUDENT" }, select: { completionDays: true } });
  const perDay = new Map<string, number>();
  for (const member of members) {
    for (const day of readCompletionDays(member.completionDays)) perDay.set(day, (perDay.get(day) ?? 0) + 1);
  }
  return lessonWeeks([...perDay].map(([day, n]) => ({ day, n })));
}

/** Completions per day (YYYY-MM-DD) bucketed into weeks, the last 26, empty weeks filled. */
export function lessonWeeks(rows: { day: string; n: number }[]): WeekPoint[] {
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

/** A row of the overview's page: the summary, plus what is read for the page's students only. */
export interface OverviewRow extends StudentSummary {
  /** examId → the counted sittings of each assigned exam (lib/cohorts/exam-results.ts); absent: none. */
  exams: Map<string, ExamResult>;
  /** Spaced-review sessions' reviews in the last 7 days (since joining). */
  reviewsLast7Days: number;
}

export interface CohortOverview {
  cohort: CohortSummary;
  totals: CohortTotals;
  /** The cohort's exam assignments: one column each. */
  exams: ExamAssignmentView[];
  studentCount: number;
  filteredCount: number;
  page: number;
  pageCount: number;
  pageSize: number;
  rows: OverviewRow[];
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
  const pageRows = sorted.slice((page - 1) * OVERVIEW_PAGE_SIZE, page * OVERVIEW_PAGE_SIZE);
  // Exams and reviews change outside the summaries: read fresh, for this page's students only.
  const ids = pageRows.map((row) => row.userId);
  const [exams, results, reviews] = await Promise.all([
    cohortAssignments(database, cohort.id),
    examResults(database, cohort.id, ids),
    reviewsLastWeek(database, pageRows, now),
  ]);
  return {
    cohort,
    totals: courseTotals(),
    exams,
    studentCount: all.length,
    filteredCount: filtered.length,
    page,
    pageCount,
    pageSize: OVERVIEW_PAGE_SIZE,
    rows: pageRows.map((row) => ({ ...row, exams: results.get(row.userId) ?? new Map(), reviewsLast7Days: reviews.get(row.userId) ?? 0 })),
    statusCounts,
    histogram: scoreHistogram(all),
    weeks,
    meanQuizScore: all.length > 0 ? all.reduce((sum, row) => sum + row.quizScore, 0) / all.length : null,
    computedAt,
  };
}
