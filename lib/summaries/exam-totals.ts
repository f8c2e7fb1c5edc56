import "server-only";
import { z } from "zod";
import type { Db } from "../db/client";
import { Prisma } from "../db/generated/sqlite/client";
import { visibleSql } from "../cohorts/visibility";
import { bool, num } from "../db/raw";
import { accumulate, applyTotals, SCORE_UNITS, type Contribution, type Vector } from "./item-totals";
import type { Tx } from "./student-summary";

/**
 * The exam items of the item analysis as running totals, in CohortItemTotal beside the course's
 * items: per cohort and assigned exam, each counted student's FIRST counted sitting (the rule is
 * `countedAttempts` below) adds
 *   - "es" (item: examId): one sitting;
 *   - "eq" (item: examId, detail: questionId): one answer, correct or not, its score in units;
 *   - "ek" (item: examId, detail: JSON [taskKey, checkId]): one run of the check, passed or not,
 *     for every task opened in that sitting (its checks evaluated at close).
 * The totals equal the sum of these contributions over the cohort's computed summaries (statsAt
 * set), like the course's totals (item-totals.ts), so the report reads one row per exam item:
 *   - a summary computed for the first time (join, the fill) adds its membership's contribution,
 *     a membership deleted takes it out (student-summary.ts);
 *   - closing an attempt moves the learner's contributions by the difference (`closeWithTotals`);
 *   - assigning an exam, changing its window or removing it rebuilds that exam's totals for the
 *     cohort (`rebuildExamTotals`).
 * Every one of these writes locks the cohort's assignment rows of the exams it counts, in id
 * order, after the learner's User row (when it has one), so on PostgreSQL no two of them read
 * and write the same totals at once and none can deadlock.
 */

/**
 * FROM … WHERE for the attempts that count for a cohort: the exam assigned to it, the attempt
 * closed (scored), started since the student joined (lib/cohorts/visibility.ts) and, when the
 * assignment has a window, inside it (opensAt ≤ startedAt < closesAt). `where` narrows the
 * memberships (alias m), assignments (x) or attempts (a).
 */
export function countedAttempts(cohortId: string | null, where: Prisma.Sql = Prisma.empty): Prisma.Sql {
  return Prisma.sql`
    FROM "CohortMember" m
      JOIN "ExamAssignment" x ON x."cohortId" = m."cohortId"
      JOIN "ExamAttempt" a ON a."userId" = m."userId" AND a."examId" = x."examId"
    WHERE m."role" = 'STUDENT' ${cohortId === null ? Prisma.empty : Prisma.sql`AND m."cohortId" = ${cohortId}`} ${where}
      AND a."closedAt" IS NOT NULL AND a."percent" IS NOT NULL AND ${visibleSql("a", "ExamAttempt")}
      AND (x."opensAt" IS NULL OR a."startedAt" >= x."opensAt")
      AND (x."closesAt" IS NULL OR a."startedAt" < x."closesAt")`;
}

const firstRow = z.object({
  kind: z.enum(["sitting", "question", "task"]),
  cohortId: z.string(),
  examId: z.string(),
  item: z.string(),
  score: num,
  correct: bool,
  checks: z.string().nullable(),
});

/**
 * The contributions (cohortId → contribution) of the first counted sittings the filter selects:
 * one row per sitting, per answer and per task run of those sittings.
 *
 * Only answer rows carry a score; the others' is NULL, never an integer literal. Prisma's SQLite
 * adapter types a computed column by its first non-null value, and from an integer there (`0`)
 * it truncates every later value of the column: a half-right answer's 0.5 was counted as 0.
 */
async function firstSittingContributions(database: Db | Tx, where: Prisma.Sql): Promise<Map<string, Contribution>> {
  const rows = await database.$queryRaw<unknown[]>`
    WITH firsts AS (
      SELECT "cohortId", "id", "examId" FROM (
        SELECT m."cohortId" AS "cohortId", a."id" AS "id", a."examId" AS "examId",
          ROW_NUMBER() OVER (PARTITION BY m."cohortId", a."userId", a."examId" ORDER BY a."number") AS "n"
        ${countedAttempts(null, where)}
      ) ranked WHERE "n" = 1
    )
    SELECT 'sitting' AS "kind", f."cohortId" AS "cohortId", f."examId" AS "examId", '' AS "item", NULL AS "score", 0 AS "correct", NULL AS "checks"
    FROM firsts f
    UNION ALL
    SELECT 'question', f."cohortId", f."examId", e."questionId", e."score", CASE WHEN e."correct" THEN 1 ELSE 0 END, NULL
    FROM firsts f JOIN "ExamAnswer" e ON e."attemptId" = f."id"
    UNION ALL
    SELECT 'task', f."cohortId", f."examId", t."itemKey", NULL, 0, t."checks"
    FROM firsts f JOIN "ExamTaskRun" t ON t."attemptId" = f."id"
    WHERE t."checks" IS NOT NULL`;
  const byCohort = new Map<string, Contribution>();
  const add = (cohortId: string, key: string, vector: Vector) => {
    const contribution = byCohort.get(cohortId) ?? new Map<string, Vector>();
    byCohort.set(cohortId, contribution);
    const entry = contribution.get(key);
    if (!entry) contribution.set(key, vector);
    else for (let i = 0; i < 7; i++) entry[i] = (entry[i] ?? 0) + (vector[i] ?? 0);
  };
  for (const row of z.array(firstRow).parse(rows)) {
    if (row.kind === "sitting") add(row.cohortId, JSON.stringify(["es", row.examId, ""]), [1, 0, 0, 0, 0, 0, 0]);
    else if (row.kind === "question")
      add(row.cohortId, JSON.stringify(["eq", row.examId, row.item]), [
        1,
        row.correct ? 1 : 0,
        Math.round(row.score * SCORE_UNITS),
        0,
        0,
        0,
        0,
      ]);
    else
      for (const [checkId, passed] of Object.entries(parseChecks(row.checks) ?? {}))
        add(row.cohortId, JSON.stringify(["ek", row.examId, JSON.stringify([row.item, checkId])]), [
          1,
          passed === true ? 1 : 0,
          0,
          0,
          0,
          0,
          0,
        ]);
  }
  return byCohort;
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

/** Locks the assignment rows the filter selects (alias x), in id order. */
async function lockAssignments(tx: Tx, where: Prisma.Sql): Promise<void> {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT x."id" AS "id" FROM "ExamAssignment" x WHERE ${where} ORDER BY x."id"`;
  for (const { id } of rows) await tx.$executeRaw`UPDATE "ExamAssignment" SET "examId" = "examId" WHERE "id" = ${id}`;
}

/**
 * Adds (`sign` 1) or takes out (-1) the exam contributions of these memberships (ids), inside a
 * summary write that holds their learners' User rows.
 */
export async function moveMembershipExamTotals(tx: Tx, members: { id: string; cohortId: string }[], sign: 1 | -1): Promise<void> {
  if (members.length === 0) return;
  const cohortIds = [...new Set(members.map((member) => member.cohortId))];
  await lockAssignments(tx, Prisma.sql`x."cohortId" IN (${Prisma.join(cohortIds)})`);
  const contributions = await firstSittingContributions(tx, Prisma.sql`AND m."id" IN (${Prisma.join(members.map((member) => member.id))})`);
  const changes = new Map<string, Vector>();
  for (const [cohortId, contribution] of contributions) accumulate(changes, cohortId, contribution, sign);
  await applyTotals(tx, changes);
}

/** The learner's counted memberships (statsAt set) in cohorts that assign this exam. */
function countedMemberships(userId: string, examId: string): Prisma.Sql {
  return Prisma.sql`AND m."userId" = ${userId} AND m."statsAt" IS NOT NULL AND x."examId" = ${examId}`;
}

/**
 * Runs the close of one of the learner's attempts (inside the caller's transaction, the learner's
 * User row locked) and moves the exam totals of their cohorts by what it changed: the
 * contributions of their first counted sittings of that exam before and after.
 */
export async function closeWithTotals<T>(tx: Tx, userId: string, examId: string, close: () => Promise<T>): Promise<T> {
  await lockAssignments(
    tx,
    Prisma.sql`x."examId" = ${examId} AND x."cohortId" IN (SELECT "cohortId" FROM "CohortMember" WHERE "userId" = ${userId} AND "role" = 'STUDENT')`,
  );
  const before = await firstSittingContributions(tx, countedMemberships(userId, examId));
  const result = await close();
  const after = await firstSittingContributions(tx, countedMemberships(userId, examId));
  const changes = new Map<string, Vector>();
  for (const [cohortId, contribution] of before) accumulate(changes, cohortId, contribution, -1);
  for (const [cohortId, contribution] of after) accumulate(changes, cohortId, contribution, 1);
  await applyTotals(tx, changes);
  return result;
}

/**
 * Rebuilds one exam's totals for a cohort from the rows, after its assignment was created,
 * re-timed or removed (`change`, run first in the same transaction).
 */
export async function rebuildExamTotals<T>(database: Db, cohortId: string, examId: string, change: (tx: Tx) => Promise<T>): Promise<T> {
  return database.$transaction(
    async (tx) => {
      const result = await change(tx);
      await lockAssignments(tx, Prisma.sql`x."cohortId" = ${cohortId} AND x."examId" = ${examId}`);
      await tx.$executeRaw`
        DELETE FROM "CohortItemTotal" WHERE "cohortId" = ${cohortId} AND "kind" IN ('es', 'eq', 'ek') AND "item" = ${examId}`;
      const contributions = await firstSittingContributions(
        tx,
        Prisma.sql`AND m."cohortId" = ${cohortId} AND m."statsAt" IS NOT NULL AND x."examId" = ${examId}`,
      );
      const changes = new Map<string, Vector>();
      for (const [id, contribution] of contributions) accumulate(changes, id, contribution, 1);
      await applyTotals(tx, changes);
      return result;
    },
    { timeout: 60_000 },
  );
}
