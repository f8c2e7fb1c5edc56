import "server-only";
import { Prisma } from "../db/generated/sqlite/client";
import { DRILL_PREFIX, NOT_A_DRILL } from "../review/items";

/**
 * Consent: a cohort's instructors see what a student did from the moment the student joined the
 * cohort (CohortMember.joinedAt: they opened the join link, or accepted an invitation), never
 * before. Every report in lib/cohorts applies this one rule, through these helpers:
 *
 * - quiz answers: submitted at or after joining;
 * - scenario attempts, with their commands, hints and checks: started at or after joining;
 * - lessons: completions at or after joining; time spent only on lessons first opened after
 *   joining (a lesson's time is one running total that cannot be split at the join date);
 * - "last active": only when it is after joining;
 * - mock exam attempts: started at or after joining (and, for an assignment with a window,
 *   started inside it: lib/cohorts/exam-results.ts);
 * - spaced review: reviews done at or after joining, and only the cards that entered review
 *   after joining (what a student got wrong before joining stays theirs).
 * - spaced-review drills (scenario ids `drill.…`, lib/review) are practice, never in a report.
 *
 * Leaving and joining again starts a new window (removeMember deletes the membership).
 */
export const VISIBLE_FROM = {
  QuestionAttempt: "createdAt",
  ScenarioAttempt: "startedAt",
  ScenarioEvent: "createdAt",
  LessonProgress: "lastVisitedAt",
  LessonCompletion: "completedAt",
  LessonTime: "firstVisitedAt",
  ExamAttempt: "startedAt",
  ReviewLog: "reviewedAt",
  ReviewCard: "createdAt",
} as const;

/**
 * SQL condition: the row of `table` (aliased `alias`) is visible to the cohort whose member row is
 * aliased `member`. Identifiers come from this file, never from input.
 */
export function visibleSql(alias: string, table: keyof typeof VISIBLE_FROM, member = "m"): Prisma.Sql {
  const drills = table === "ScenarioAttempt" ? ` AND ${alias}."scenarioId" NOT LIKE '${DRILL_PREFIX}%'` : "";
  return Prisma.raw(`${alias}."${VISIBLE_FROM[table]}" >= ${member}."joinedAt"${drills}`);
}

/** The same rule as a Prisma filter, for one student whose membership began at `joinedAt`. */
export const visibleWhere = {
  questionAttempt: (joinedAt: Date) => ({ createdAt: { gte: joinedAt } }),
  scenarioAttempt: (joinedAt: Date) => ({ startedAt: { gte: joinedAt }, ...NOT_A_DRILL }),
  scenarioEvent: (joinedAt: Date) => ({ createdAt: { gte: joinedAt } }),
  reviewLog: (joinedAt: Date) => ({ reviewedAt: { gte: joinedAt } }),
  reviewCard: (joinedAt: Date) => ({ createdAt: { gte: joinedAt } }),
};

/** A timestamp the cohort may see (e.g. User.lastActiveAt), or null when it is from before joining. */
export function visibleDate(date: Date | null, joinedAt: Date): Date | null {
  return date && date >= joinedAt ? date : null;
}
