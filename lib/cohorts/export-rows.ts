import "server-only";
import { z } from "zod";
import type { Db } from "../db/client";
import { Prisma } from "../db/generated/sqlite/client";
import { bool, int, num, timestamp } from "../db/raw";
import { visibleSql } from "./visibility";

// The rows the CSV exports stream, for one page of a cohort's students, each in ONE query that
// joins the cohort membership and applies the consent rule in SQL (visibility.ts). A Prisma
// filter with one OR branch per student (`userId = ? AND createdAt >= joinedAt`) was 4–7 times
// slower at 200 students, and grew with every page.

function members(cohortId: string, userIds: string[]): Prisma.Sql {
  return Prisma.sql`m."cohortId" = ${cohortId} AND m."role" = 'STUDENT' AND m."userId" IN (${Prisma.join(userIds.length > 0 ? userIds : [""])})`;
}

const date = timestamp.transform((value) => value ?? new Date(0));

const questionRow = z.object({
  userId: z.string(),
  questionId: z.string(),
  lessonSlug: z.string(),
  isFirst: bool,
  response: z.unknown(),
  score: num,
  correct: bool,
  selfRating: z.string().nullable(),
  createdAt: date,
});

/** Quiz submissions since joining, per student in submission order. `response` is JSON text (SQLite) or a value (PostgreSQL). */
export async function visibleQuestionAttempts(database: Db, cohortId: string, userIds: string[]) {
  const rows = await database.$queryRaw<unknown[]>`
    SELECT a."userId" AS "userId", a."questionId" AS "questionId", a."lessonSlug" AS "lessonSlug", a."isFirst" AS "isFirst",
      a."response" AS "response", a."score" AS "score", a."correct" AS "correct", a."selfRating" AS "selfRating", a."createdAt" AS "createdAt"
    FROM "CohortMember" m JOIN "QuestionAttempt" a ON a."userId" = m."userId"
    WHERE ${members(cohortId, userIds)} AND ${visibleSql("a", "QuestionAttempt")}
    ORDER BY a."userId", a."createdAt", a."id"`;
  return z.array(questionRow).parse(rows);
}

const scenarioRow = z.object({
  id: z.string(),
  userId: z.string(),
  scenarioId: z.string(),
  number: int,
  isFirst: bool,
  status: z.enum(["IN_PROGRESS", "PASSED", "GAVE_UP"]),
  score: num,
  hintsUsed: int,
  commandCount: int,
  timeSpentSeconds: int,
  startedAt: date,
  lastActiveAt: date,
  completedAt: timestamp,
});

/** Scenario attempts started since joining, per student in start order. */
export async function visibleScenarioAttempts(database: Db, cohortId: string, userIds: string[]) {
  const rows = await database.$queryRaw<unknown[]>`
    SELECT s."id" AS "id", s."userId" AS "userId", s."scenarioId" AS "scenarioId", s."number" AS "number", s."isFirst" AS "isFirst",
      s."status" AS "status", s."score" AS "score", s."hintsUsed" AS "hintsUsed", s."commandCount" AS "commandCount",
      s."timeSpentSeconds" AS "timeSpentSeconds", s."startedAt" AS "startedAt", s."lastActiveAt" AS "lastActiveAt", s."completedAt" AS "completedAt"
    FROM "CohortMember" m JOIN "ScenarioAttempt" s ON s."userId" = m."userId"
    WHERE ${members(cohortId, userIds)} AND ${visibleSql("s", "ScenarioAttempt")}
    ORDER BY s."userId", s."startedAt", s."number"`;
  return z.array(scenarioRow).parse(rows);
}

export type ScenarioAttemptRow = z.output<typeof scenarioRow>;

/** The check results of these (already visible) attempts. */
export async function checkResults(database: Db, attemptIds: string[]) {
  if (attemptIds.length === 0) return [];
  return database.scenarioCheckResult.findMany({
    where: { attemptId: { in: attemptIds } },
    select: { attemptId: true, checkId: true, passed: true, updatedAt: true },
  });
}

const eventRow = z.object({
  attemptId: z.string(),
  kind: z.string(),
  detail: z.string(),
  exitCode: z.union([z.null(), int]),
  createdAt: date,
});

/** Events since joining of these attempts of the cohort's students, per attempt in time order. */
export async function visibleEvents(database: Db, cohortId: string, attemptIds: string[]) {
  if (attemptIds.length === 0) return [];
  const rows = await database.$queryRaw<unknown[]>`
    SELECT e."attemptId" AS "attemptId", e."kind" AS "kind", e."detail" AS "detail", e."exitCode" AS "exitCode", e."createdAt" AS "createdAt"
    FROM "ScenarioEvent" e
      JOIN "ScenarioAttempt" s ON s."id" = e."attemptId"
      JOIN "CohortMember" m ON m."userId" = s."userId" AND m."cohortId" = ${cohortId} AND m."role" = 'STUDENT'
    WHERE e."attemptId" IN (${Prisma.join(attemptIds)}) AND ${visibleSql("e", "ScenarioEvent")}
    ORDER BY e."attemptId", e."createdAt", e."id"`;
  return z.array(eventRow).parse(rows);
}

const bestRow = z.object({ userId: z.string(), scenarioId: z.string(), best: num });

/** Best visible score per (student, scenario). */
export async function bestScenarioScores(database: Db, cohortId: string, userIds: string[]): Promise<Map<string, number>> {
  const rows = await database.$queryRaw<unknown[]>`
    SELECT m."userId" AS "userId", s."scenarioId" AS "scenarioId", MAX(s."score") AS "best"
    FROM "CohortMember" m JOIN "ScenarioAttempt" s ON s."userId" = m."userId"
    WHERE ${members(cohortId, userIds)} AND ${visibleSql("s", "ScenarioAttempt")}
    GROUP BY m."userId", s."scenarioId"`;
  return new Map(
    z
      .array(bestRow)
      .parse(rows)
      .map((row) => [`${row.userId}/${row.scenarioId}`, row.best]),
  );
}
