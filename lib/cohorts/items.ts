import "server-only";
import { z } from "zod";
import type { Db } from "../db/client";
import type { PublicUser } from "../accounts/users";
import { loadCourse } from "../content/load";
import { loadScenarios } from "../scenarios/catalog";
import { quizResponseSchema } from "../quiz/response";
import { Prisma } from "../db/generated/sqlite/client";
import { requireCohort, type CohortSummary } from "./access";
import { selfRatedQuestionIds } from "./overview";
import { int, num } from "./raw";
import { correlation, flagsFor, type Flag } from "./stats";
import { cachedReport } from "./report-cache";
import { visibleSql } from "./visibility";

export interface OptionShare {
  id: string;
  text: string;
  correct: boolean;
  count: number;
  /** Share of first attempts that chose this option (several per attempt for multiple choice). */
  share: number;
}

export interface QuestionItem {
  questionId: string;
  prompt: string;
  type: "single" | "multiple" | "short" | "open";
  difficulty: string;
  lessonSlug: string | null;
  attempts: number;
  /** Share of first attempts that were fully correct. */
  correctShare: number | null;
  /** Moodle's facility index: the mean first-attempt score, 0..1. */
  facility: number | null;
  /** Point-biserial correlation of item score with the rest of the questions' score, −1..1. */
  discrimination: number | null;
  flags: Flag[];
  options: OptionShare[];
  commonWrongAnswers: { text: string; count: number }[];
}

export interface CheckItem {
  scenarioId: string;
  scenarioTitle: string;
  checkId: string;
  description: string;
  attempts: number;
  facility: number | null;
  discrimination: number | null;
  flags: Flag[];
}

export interface ItemAnalysis {
  cohort: CohortSummary;
  students: number;
  questions: QuestionItem[];
  checks: CheckItem[];
  computedAt: Date;
}

const sumsRow = z.object({ item: z.string(), n: int, nCorrect: int, sx: num, sy: num, sxx: num, syy: num, sxy: num });
const groupRow = sumsRow.extend({ response: z.string(), correct: int });

/**
 * Item statistics over the cohort students' FIRST attempts (practice re-answers would inflate
 * facility). The "test" of a student is every question they answered on the first try; for
 * scenario checks it is every check of their first scenario attempts. All sums are SQL
 * aggregations, so the cost grows with the number of attempts, not with round trips.
 */
export async function itemAnalysis(database: Db, actor: Pick<PublicUser, "id" | "role">, cohortId: string, options: { fresh?: boolean } = {}): Promise<ItemAnalysis> {
  const cohort = await requireCohort(database, actor, cohortId);
  const { value, computedAt } = await cachedReport(`${cohort.id}:items`, () => computeItems(database, cohort.id), { fresh: options.fresh });
  return { cohort, ...value, computedAt };
}

async function computeItems(database: Db, cohortId: string): Promise<Omit<ItemAnalysis, "cohort" | "computedAt">> {
  const cohort = { id: cohortId };
  const students = await database.cohortMember.count({ where: { cohortId: cohort.id, role: "STUDENT" } });

  // One pass over the first attempts, grouped by question AND distinct response: the sums for
  // the correlation add up across a question's groups, and the groups are the option counts
  // (choice questions) and the wrong answers (short answers). JSON text is canonical per
  // provider (jsonb on PostgreSQL, JSON.stringify on SQLite).
  // Two passes, both over index columns only (see the report indexes in prisma/schema.prisma):
  // `tot` walks the cohort's members and sums each one's first-attempt scores through
  // (userId, isFirst, score); the main pass reads the first attempts in
  // (isFirst, questionId, response, correct) order, so SQLite groups them without sorting.
  // CROSS JOIN is SQLite's "keep this join order" (with statistics it would otherwise drive
  // from `tot` and read every attempt's row for its response, twice as slow); PostgreSQL
  // plans it as the inner join it is.
  // The "test" total is the knowledge score: self-rated (open) questions stay out of it, so for
  // their rows the rest-score is the whole total (`graded` is 1 for an auto-graded row, else 0).
  const selfRated = Prisma.join(selfRatedQuestionIds());
  const graded = Prisma.sql`(CASE WHEN a."questionId" IN (${selfRated}) THEN 0 ELSE 1 END)`;
  const groups = z.array(groupRow).parse(
    await database.$queryRaw<unknown[]>`
      WITH alltot AS (
        SELECT m."userId" AS "userId", MIN(m."joinedAt") AS "joinedAt", SUM(a."score") AS "t"
        FROM "CohortMember" m JOIN "QuestionAttempt" a ON a."userId" = m."userId" AND a."isFirst" = TRUE
        WHERE m."cohortId" = ${cohort.id} AND m."role" = 'STUDENT' AND ${visibleSql("a", "QuestionAttempt")}
        GROUP BY m."userId"
      ), selftot AS (
        SELECT a."userId" AS "userId", SUM(a."score") AS "s"
        FROM "QuestionAttempt" a JOIN "CohortMember" m ON m."userId" = a."userId" AND m."cohortId" = ${cohort.id} AND m."role" = 'STUDENT'
        WHERE a."isFirst" = TRUE AND a."questionId" IN (${selfRated}) AND ${visibleSql("a", "QuestionAttempt")}
        GROUP BY a."userId"
      ), tot AS (
        SELECT alltot."userId" AS "userId", alltot."joinedAt" AS "joinedAt", alltot."t" - COALESCE(selftot."s", 0) AS "t"
        FROM alltot LEFT JOIN selftot ON selftot."userId" = alltot."userId"
      )
      SELECT a."questionId" AS "item", CAST(a."response" AS TEXT) AS "response", CASE WHEN a."correct" THEN 1 ELSE 0 END AS "correct",
        COUNT(*) AS "n", SUM(CASE WHEN a."correct" THEN 1 ELSE 0 END) AS "nCorrect",
        SUM(a."score") AS "sx", SUM(tot."t" - ${graded} * a."score") AS "sy", SUM(a."score" * a."score") AS "sxx",
        SUM((tot."t" - ${graded} * a."score") * (tot."t" - ${graded} * a."score")) AS "syy", SUM(a."score" * (tot."t" - ${graded} * a."score")) AS "sxy"
      FROM "QuestionAttempt" a CROSS JOIN tot
      WHERE a."isFirst" = TRUE AND tot."userId" = a."userId" AND ${visibleSql("a", "QuestionAttempt", "tot")}
      GROUP BY a."questionId", a."response", a."correct"`,
  );
  const questionSums = new Map<string, z.output<typeof sumsRow>>();
  const responses: { questionId: string; response: string; correct: number; n: number }[] = [];
  for (const group of groups) {
    const sums = questionSums.get(group.item) ?? { item: group.item, n: 0, nCorrect: 0, sx: 0, sy: 0, sxx: 0, syy: 0, sxy: 0 };
    for (const key of ["n", "nCorrect", "sx", "sy", "sxx", "syy", "sxy"] as const) sums[key] += group[key];
    questionSums.set(group.item, sums);
    responses.push({ questionId: group.item, response: group.response, correct: group.correct, n: group.n });
  }
  // Same shape for the scenario checks: per-student totals first, then one pass from those
  // students through their first attempts to the check results (covering indexes on both).
  const checkSums = z.array(sumsRow).parse(
    await database.$queryRaw<unknown[]>`
      WITH tot AS (
        SELECT m."userId" AS "userId", MIN(m."joinedAt") AS "joinedAt", SUM(CASE WHEN r."passed" THEN 1.0 ELSE 0.0 END) AS "t"
        FROM "CohortMember" m
          JOIN "ScenarioAttempt" s ON s."userId" = m."userId" AND s."isFirst" = TRUE
          JOIN "ScenarioCheckResult" r ON r."attemptId" = s."id"
        WHERE m."cohortId" = ${cohort.id} AND m."role" = 'STUDENT' AND ${visibleSql("s", "ScenarioAttempt")}
        GROUP BY m."userId"
      ), fc AS (
        SELECT tot."userId" AS "userId", tot."t" AS "t", r."scenarioId" AS "scenarioId", r."checkId" AS "checkId",
          CASE WHEN r."passed" THEN 1.0 ELSE 0.0 END AS "x"
        FROM tot
          JOIN "ScenarioAttempt" s ON s."userId" = tot."userId" AND s."isFirst" = TRUE AND ${visibleSql("s", "ScenarioAttempt", "tot")}
          JOIN "ScenarioCheckResult" r ON r."attemptId" = s."id"
      )
      SELECT fc."scenarioId" || '/' || fc."checkId" AS "item", COUNT(*) AS "n", SUM(fc."x") AS "nCorrect",
        SUM(fc."x") AS "sx", SUM(fc."t" - fc."x") AS "sy", SUM(fc."x" * fc."x") AS "sxx",
        SUM((fc."t" - fc."x") * (fc."t" - fc."x")) AS "syy", SUM(fc."x" * (fc."t" - fc."x")) AS "sxy"
      FROM fc
      GROUP BY fc."scenarioId", fc."checkId"`,
  );

  const course = loadCourse();
  const lessonOf = new Map<string, string>();
  for (const courseModule of course.modules) for (const lesson of courseModule.lessons) for (const id of lesson.questionIds) lessonOf.set(id, lesson.slug);
  const sumsBy = questionSums;
  const responsesBy = new Map<string, (typeof responses)[number][]>();
  for (const row of responses) responsesBy.set(row.questionId, [...(responsesBy.get(row.questionId) ?? []), row]);

  const questions: QuestionItem[] = [...course.questions.values()].map((question) => {
    const sums = sumsBy.get(question.id);
    const attempts = sums?.n ?? 0;
    const facility = sums && attempts > 0 ? sums.sx / attempts : null;
    const discrimination = sums ? correlation(sums) : null;
    const rows = responsesBy.get(question.id) ?? [];
    let options: OptionShare[] = [];
    let commonWrongAnswers: { text: string; count: number }[] = [];
    if (question.type === "single" || question.type === "multiple") {
      const counts = new Map<string, number>();
      for (const row of rows) {
        const parsed = parseResponse(row.response);
        if (parsed && "optionIds" in parsed) for (const id of new Set(parsed.optionIds)) counts.set(id, (counts.get(id) ?? 0) + row.n);
      }
      const key = new Set(Array.isArray(question.answer) ? question.answer : [question.answer]);
      options = question.options.map((option) => {
        const count = counts.get(option.id) ?? 0;
        return { id: option.id, text: option.text, correct: key.has(option.id), count, share: attempts > 0 ? count / attempts : 0 };
      });
    } else if (question.type === "short") {
      const wrong = new Map<string, number>();
      for (const row of rows) {
        if (row.correct === 1) continue;
        const parsed = parseResponse(row.response);
        if (!parsed || !("text" in parsed)) continue;
        const text = parsed.text.trim().replace(/\s+/g, " ").toLowerCase().slice(0, 120);
        wrong.set(text, (wrong.get(text) ?? 0) + row.n);
      }
      commonWrongAnswers = [...wrong.entries()]
        .map(([text, count]) => ({ text: text || "(blank)", count }))
        .sort((a, b) => b.count - a.count || (a.text < b.text ? -1 : 1))
        .slice(0, 5);
    }
    return {
      questionId: question.id,
      prompt: question.prompt,
      type: question.type,
      difficulty: question.difficulty,
      lessonSlug: lessonOf.get(question.id) ?? null,
      attempts,
      correctShare: sums && attempts > 0 ? sums.nCorrect / attempts : null,
      facility,
      discrimination,
      flags: attempts > 0 ? flagsFor(facility, discrimination) : [],
      options,
      commonWrongAnswers,
    };
  });

  const checkBy = new Map(checkSums.map((row) => [row.item, row]));
  const checks: CheckItem[] = [];
  for (const scenario of loadScenarios().values()) {
    for (const check of scenario.checks) {
      const sums = checkBy.get(`${scenario.id}/${check.id}`);
      const attempts = sums?.n ?? 0;
      const facility = sums && attempts > 0 ? sums.sx / attempts : null;
      const discrimination = sums ? correlation(sums) : null;
      checks.push({
        scenarioId: scenario.id,
        scenarioTitle: scenario.title,
        checkId: check.id,
        description: check.description,
        attempts,
        facility,
        discrimination,
        flags: attempts > 0 ? flagsFor(facility, discrimination) : [],
      });
    }
  }
  return { students, questions, checks };
}

function parseResponse(text: string) {
  try {
    const parsed = quizResponseSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
