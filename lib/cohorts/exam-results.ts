import "server-only";
import { z } from "zod";
import type { Db } from "../db/client";
import { Prisma } from "../db/generated/sqlite/client";
import { closeOverdueOfCohort } from "../exams/service";
import { countedAttempts } from "../summaries/exam-totals";
import { bool, int, num, timestamp } from "../db/raw";

// Mock exam results as a cohort's instructors see them. An attempt counts for the cohort when
// the exam is assigned to it, the attempt is closed (scored), it started since the student
// joined (visibility.ts), and, when the assignment has a window, it started inside it
// (opensAt ≤ startedAt < closesAt): the one rule, `countedAttempts` (lib/summaries/exam-totals.ts,
// which also keeps the item analysis's exam totals with it). Every query here joins the
// membership and the assignment and applies that rule in SQL, for one page of students
// (ExamAttempt's (userId, startedAt) index finds their attempts), so the cost is the page's
// attempts, not the cohort's. Attempts past their deadline are closed and scored first
// (lib/exams/service.ts closeOverdueOfCohort, bounded per read), as the learner's own next
// request would.

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
      ${countedAttempts(cohortId, Prisma.sql`AND m."userId" IN (${Prisma.join(userIds)})`)}`,
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
