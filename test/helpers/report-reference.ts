// The instructor reports as computed before the per-student summaries (lib/summaries): every
// figure aggregated from the raw attempt, lesson and scenario rows at read time, in SQL. Kept as
// the independent recomputation the summary tests compare against, and as the "before" path of
// `npm run bench:reports`. Not used by the app.
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/sqlite/client";
import { loadCourse } from "@/lib/content/load";
import { loadScenarios } from "@/lib/scenarios/catalog";
import { quizResponseSchema } from "@/lib/quiz/response";
import { courseTotals, INACTIVE_AFTER_DAYS, lessonWeeks, type StudentSummary, type WeekPoint } from "@/lib/cohorts/overview";
import type { CheckItem, ExamCheckItem, ExamItems, ExamQuestionItem, ItemAnalysis, OptionShare, QuestionItem } from "@/lib/cohorts/items";
import { cohortAssignments } from "@/lib/cohorts/exam-assignments";
import { loadExamCatalog } from "@/lib/exams/catalog";
import { int, latest, num, timestamp } from "@/lib/db/raw";
import { correlation, flagsFor } from "@/lib/cohorts/stats";
import { visibleDate, visibleSql } from "@/lib/cohorts/visibility";
import type { StudentStatus } from "@/lib/cohorts/schemas";

/** Ids of the open questions, whose scores are self-ratings; [""] when there are none (SQL IN needs a value). */
function selfRatedQuestionIds(): string[] {
  const ids = [...loadCourse().questions.values()].filter((question) => question.type === "open").map((question) => question.id);
  return ids.length > 0 ? ids : [""];
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
export async function referenceStudentSummaries(
  database: Db,
  cohortId: string,
  now = new Date(),
  userIds?: string[],
): Promise<StudentSummary[]> {
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
    SELECT f."userId" AS "userId", f."allSum" - COALESCE(o."selfSum", 0.0) AS "firstSum", COALESCE(o."selfSum", 0.0) AS "selfSum", COALESCE(o."selfRated", 0) AS "selfRated"
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

  return z
    .array(memberRow)
    .parse(members)
    .map((member) => {
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

/** Lessons completed per week and cumulatively, by the cohort's students; days bucketed in SQL. */
export async function referenceLessonsPerWeek(database: Db, cohortId: string): Promise<WeekPoint[]> {
  // SUBSTR of the text form gives YYYY-MM-DD on both providers (ISO text in SQLite, timestamp in PostgreSQL).
  const rows = z.array(z.object({ day: z.string(), n: int })).parse(
    await database.$queryRaw<unknown[]>`
      SELECT SUBSTR(CAST(p."completedAt" AS TEXT), 1, 10) AS "day", COUNT(*) AS "n"
      FROM "CohortMember" m JOIN "LessonProgress" p ON p."userId" = m."userId"
      WHERE m."cohortId" = ${cohortId} AND m."role" = 'STUDENT' AND p."completedAt" IS NOT NULL AND ${visibleSql("p", "LessonCompletion")}
      GROUP BY SUBSTR(CAST(p."completedAt" AS TEXT), 1, 10)`,
  );
  return lessonWeeks(rows);
}

const sumsRow = z.object({ item: z.string(), n: int, nCorrect: int, sx: num, sy: num, sxx: num, syy: num, sxy: num });
const groupRow = sumsRow.extend({ response: z.string(), correct: int });

/**
 * Item statistics over the cohort students' FIRST attempts (practice re-answers would inflate
 * facility). The "test" of a student is every question they answered on the first try; for
 * scenario checks it is every check of their first scenario attempts. All sums are SQL
 * aggregations, so the cost grows with the number of attempts, not with round trips.
 */
export async function referenceItems(database: Db, cohortId: string): Promise<Omit<ItemAnalysis, "cohort" | "computedAt" | "exams">> {
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
        SELECT alltot."userId" AS "userId", alltot."joinedAt" AS "joinedAt", alltot."t" - COALESCE(selftot."s", 0.0) AS "t"
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
  for (const courseModule of course.modules)
    for (const lesson of courseModule.lessons) for (const id of lesson.questionIds) lessonOf.set(id, lesson.slug);
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

// ---------------------------------------------------------------------------------------------
// Exam items

/** FROM … WHERE for the attempts that count for the cohort (the rule of lib/cohorts/exam-results.ts, written out again). */
function referenceCountedAttempts(cohortId: string): Prisma.Sql {
  return Prisma.sql`
    FROM "CohortMember" m
      JOIN "ExamAssignment" x ON x."cohortId" = m."cohortId"
      JOIN "ExamAttempt" a ON a."userId" = m."userId" AND a."examId" = x."examId"
    WHERE m."cohortId" = ${cohortId} AND m."role" = 'STUDENT'
      AND a."closedAt" IS NOT NULL AND a."percent" IS NOT NULL AND ${visibleSql("a", "ExamAttempt")}
      AND (x."opensAt" IS NULL OR a."startedAt" >= x."opensAt")
      AND (x."closesAt" IS NULL OR a."startedAt" < x."closesAt")`;
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
async function firstSittingItems(database: Db, cohortId: string) {
  const rows = await database.$queryRaw<unknown[]>`
    WITH firsts AS MATERIALIZED (
      SELECT "id", "examId" FROM (
        SELECT a."id" AS "id", a."examId" AS "examId",
          ROW_NUMBER() OVER (PARTITION BY a."userId", a."examId" ORDER BY a."number") AS "n"
        ${referenceCountedAttempts(cohortId)}
      ) ranked WHERE "n" = 1
    )
    SELECT 'sittings' AS "kind", f."examId" AS "examId", '' AS "item", COUNT(*) AS "n", 0 AS "correct", NULL AS "scoreSum", NULL AS "checks"
    FROM firsts f GROUP BY f."examId"
    UNION ALL
    SELECT 'question', f."examId", e."questionId", COUNT(*), SUM(CASE WHEN e."correct" THEN 1 ELSE 0 END), SUM(e."score"), NULL
    FROM firsts f JOIN "ExamAnswer" e ON e."attemptId" = f."id"
    GROUP BY f."examId", e."questionId"
    UNION ALL
    SELECT 'task', f."examId", t."itemKey", 1, 0, NULL, t."checks"
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

/**
 * The exam items of the cohort's assigned exams as computed before the exam totals
 * (lib/summaries/exam-totals.ts): each student's first counted sitting found in SQL over every
 * sitting of the cohort, its answers grouped and its task checks parsed at read time.
 */
export async function referenceExamItems(database: Db, cohortId: string): Promise<ExamItems[]> {
  const assignments = await cohortAssignments(database, cohortId);
  if (assignments.length === 0) return [];
  const { sittings, questions, checks } = await firstSittingItems(database, cohortId);
  const course = loadCourse();
  const catalog = loadExamCatalog();
  const task = (key: string) => {
    const [kind, id = ""] = key.split(/:(.*)/s);
    const taskFile = kind === "task" ? catalog.tasks.get(id) : undefined;
    return taskFile ?? (kind === "scenario" ? catalog.scenarios.get(id) : undefined);
  };
  return assignments.map((assignment): ExamItems => {
    const examQuestions = questions
      .filter((row) => row.examId === assignment.examId && row.answered > 0)
      .map((row): ExamQuestionItem => {
        const question = course.questions.get(row.questionId);
        return {
          questionId: row.questionId,
          prompt: question?.prompt ?? row.questionId,
          type: question?.type ?? "single",
          answered: row.answered,
          correctShare: row.correct / row.answered,
          facility: row.scoreSum / row.answered,
        };
      })
      .sort((a, b) => a.correctShare - b.correctShare || (a.questionId < b.questionId ? -1 : 1));
    const examChecks: ExamCheckItem[] = [];
    for (const [taskKey, byCheck] of checks.get(assignment.examId) ?? []) {
      const definition = task(taskKey);
      for (const [checkId, [runs, passed]] of byCheck) {
        examChecks.push({
          taskKey,
          taskTitle: definition?.title ?? taskKey,
          checkId,
          description: definition?.checks.find((check) => check.id === checkId)?.description ?? checkId,
          runs,
          passRate: runs > 0 ? passed / runs : 0,
        });
      }
    }
    examChecks.sort((a, b) => a.passRate - b.passRate || a.taskKey.localeCompare(b.taskKey) || a.checkId.localeCompare(b.checkId));
    return {
      examId: assignment.examId,
      title: assignment.title,
      sittings: sittings.get(assignment.examId) ?? 0,
      questions: examQuestions,
      checks: examChecks,
    };
  });
}
