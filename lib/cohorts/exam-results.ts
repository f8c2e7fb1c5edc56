import "server-only";
import { z } from "zod";
import type { Db } from "../db/client";
import { Prisma } from "../db/generated/sqlite/client";
import { bool, int, num, timestamp } from "./raw";
import { visibleSql } from "./visibility";
import { closeOverdueOfCohort } from "../exams/service";

// Mock exam results as a cohort's instructors see them. An attempt counts for the cohort when
// the exam is assigned to it, the attempt is closed (scored), it started since the student
// joined (visibility.ts), and, when the assignment has a window, it started inside the window
// (opensAt ≤ startedAt < closesAt). Every query here joins the membership and the assignment
// and applies that rule in SQL, for one page of students (ExamAttempt's (userId, startedAt)
// index finds their attempts), so the cost is the page's attempts, not the cohort's. Attempts past
// their deadline are closed and scored first (lib/exams/service.ts closeOverdueOfCohort, bounded
// per read), as the learner's own next request would.

/** FROM … WHERE for the attempts that count for the cohort, for the students `userIds` (all students when undefined). */
function countedAttempts(cohortId: string, userIds?: string[]): Prisma.Sql {
  return Prisma.sql`
    FROM "CohortMember" m
      JOIN "ExamAssignment" x ON x."cohortId" = m."cohortId"
      JOIN "ExamAttempt" a ON a."userId" = m."userId" AND a."examId" = x."examId"
    WHERE m."cohortId" = ${cohortId} AND m."role" = 'STUDENT'
      ${userIds ? Prisma.sql`AND m."userId" IN (${Prisma.join(userIds.length > 0 ? userIds : [""])})` : Prisma.empty}
      AND a."closedAt" IS NOT NULL AND a."percent" IS NOT NULL AND ${visibleSql("a", "ExamAttempt")}
      AND (x."opensAt" IS NULL OR a."startedAt" >= x."opensAt")
      AND (x."closesAt" IS NULL OR a."startedAt" < x."closesAt")`;
}

export interface ExamResult {
  /** Closed attempts that count for the cohort. */
  attempts: number;
  /** The highest percent (rounded down to one decimal, as the learner's report shows it) and whether that sitting passed. */
  best: { percent: number; passed: boolean };
  /** The last sitting (highest attempt number) and its outcome. */
  latest: { percent: number; passed: boolean; closedAt: Date | null };
  /** Passed in any counted sitting. */
  passed: boolean;
}

const attemptRow = z.object({
  userId: z.string(),
  examId: z.string(),
  number: int,
  percent: num,
  passed: bool,
  closedAt: timestamp,
});

/** userId → examId → result, for these students of the cohort; students and exams without a counted attempt are absent. */
export async function examResults(database: Db, cohortId: string, userIds: string[]): Promise<Map<string, Map<string, ExamResult>>> {
  const results = new Map<string, Map<string, ExamResult>>();
  if (userIds.length === 0) return results;
  // An attempt past its deadline is over: closed and scored first, not shown as still open.
  await closeOverdueOfCohort(database, cohortId, userIds);
  const rows = z.array(attemptRow).parse(
    await database.$queryRaw<unknown[]>`
      SELECT a."userId" AS "userId", a."examId" AS "examId", a."number" AS "number", a."percent" AS "percent",
        a."passed" AS "passed", a."closedAt" AS "closedAt"
      ${countedAttempts(cohortId, userIds)}`,
  );
  const latestNumber = new Map<string, number>();
  for (const row of rows) {
    const byExam = results.get(row.userId) ?? new Map<string, ExamResult>();
    results.set(row.userId, byExam);
    const sitting = { percent: row.percent, passed: row.passed };
    const known = byExam.get(row.examId);
    const key = `${row.userId}\u0000${row.examId}`;
    if (!known) {
      byExam.set(row.examId, { attempts: 1, best: sitting, latest: { ...sitting, closedAt: row.closedAt }, passed: row.passed });
      latestNumber.set(key, row.number);
      continue;
    }
    known.attempts++;
    known.passed ||= row.passed;
    if (row.percent > known.best.percent || (row.percent === known.best.percent && row.passed && !known.best.passed)) known.best = sitting;
    if (row.number > (latestNumber.get(key) ?? 0)) {
      known.latest = { ...sitting, closedAt: row.closedAt };
      latestNumber.set(key, row.number);
    }
  }
  return results;
}

const itemRow = z.object({
  kind: z.enum(["sittings", "question", "task"]),
  examId: z.string(),
  item: z.string(),
  n: int,
  correct: int,
  scoreSum: num,
  checks: z.string().nullable(),
});

/**
 * Item statistics of the cohort's exam sittings: each student's FIRST counted sitting per exam
 * (later sittings come after the learner saw the report with the keys and explanations, as a
 * practice re-answer does). Per exam: the number of first sittings; per exam question: how many
 * answered it and how many of those were correct, with the score sum (partial credit); per task:
 * the check results, evaluated at close, of every task the student opened. One query over the
 * whole cohort (the first sittings computed once, their answers grouped in SQL).
 */
export async function firstSittingItems(database: Db, cohortId: string) {
  await closeOverdueOfCohort(database, cohortId);
  const rows = await database.$queryRaw<unknown[]>`
    WITH firsts AS MATERIALIZED (
      SELECT "id", "examId" FROM (
        SELECT a."id" AS "id", a."examId" AS "examId",
          ROW_NUMBER() OVER (PARTITION BY a."userId", a."examId" ORDER BY a."number") AS "n"
        ${countedAttempts(cohortId)}
      ) ranked WHERE "n" = 1
    )
    SELECT 'sittings' AS "kind", f."examId" AS "examId", '' AS "item", COUNT(*) AS "n", 0 AS "correct", 0 AS "scoreSum", NULL AS "checks"
    FROM firsts f GROUP BY f."examId"
    UNION ALL
    SELECT 'question', f."examId", e."questionId", COUNT(*), SUM(CASE WHEN e."correct" THEN 1 ELSE 0 END), SUM(e."score"), NULL
    FROM firsts f JOIN "ExamAnswer" e ON e."attemptId" = f."id"
    GROUP BY f."examId", e."questionId"
    UNION ALL
    SELECT 'task', f."examId", t."itemKey", 1, 0, 0, t."checks"
    FROM firsts f JOIN "ExamTaskRun" t ON t."attemptId" = f."id"
    WHERE t."checks" IS NOT NULL`;
  const sittings = new Map<string, number>();
  const questions: { examId: string; questionId: string; answered: number; correct: number; scoreSum: number }[] = [];
  // examId → itemKey → checkId → [runs, passed]
  const checks = new Map<string, Map<string, Map<string, [number, number]>>>();
  for (const row of z.array(itemRow).parse(rows)) {
    if (row.kind === "sittings") sittings.set(row.examId, row.n);
    else if (row.kind === "question")
      questions.push({ examId: row.examId, questionId: row.item, answered: row.n, correct: row.correct, scoreSum: row.scoreSum });
    else {
      const results = parseChecks(row.checks);
      if (!results) continue;
      const byTask = checks.get(row.examId) ?? new Map<string, Map<string, [number, number]>>();
      checks.set(row.examId, byTask);
      const byCheck = byTask.get(row.item) ?? new Map<string, [number, number]>();
      byTask.set(row.item, byCheck);
      for (const [checkId, passed] of Object.entries(results)) {
        const counts = byCheck.get(checkId) ?? [0, 0];
        byCheck.set(checkId, [counts[0] + 1, counts[1] + (passed === true ? 1 : 0)]);
      }
    }
  }
  return { sittings, questions, checks };
}

/** ExamTaskRun.checks: a JSON object check id → passed; anything else is ignored. */
function parseChecks(text: string | null): Record<string, unknown> | null {
  if (!text) return null;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
