import "server-only";
import { stringify } from "csv-stringify/sync";
import type { Db } from "../db/client";
import type { PublicUser } from "../accounts/users";
import { loadCourse } from "../content/load";
import { quizResponseSchema } from "../quiz/response";
import { requireCohort } from "./access";
import { courseTotals, studentSummaries, type StudentSummary } from "./overview";
import { loadScenarios } from "../scenarios/catalog";
import { bestScenarioScores, checkResults, visibleQuestionAttempts, visibleScenarioAttempts } from "./export-rows";
import { cohortAssignments, type ExamAssignmentView } from "./exam-assignments";
import { examResults, type ExamResult } from "./exam-results";

/** Students per database round trip while streaming. */
export const EXPORT_CHUNK = 500;

/**
 * A spreadsheet runs a cell as a formula when its first character that is not white space is
 * = + - @ (spreadsheets trim leading spaces before parsing), or when it starts with tab or CR;
 * prefixing ' makes it text (OWASP "CSV injection").
 */
export function neutralizeFormula(value: string): string {
  return /^[\t\r]|^\s*[=+\-@]/.test(value) ? `'${value}` : value;
}

export function csv(rows: (string | number | null)[][], header: boolean): string {
  // quoted_match: csv-stringify quotes a field holding the record delimiter (\r\n) but not a bare
  // \n, and a multi-line command (a heredoc) unquoted would break the row in every reader.
  return stringify(rows, { bom: header, cast: { string: neutralizeFormula }, record_delimiter: "\r\n", quoted_match: /[\r\n]/ });
}

export const percent = (value: number | null) => (value === null ? "" : (Math.round(value * 1000) / 10).toFixed(1));
export const iso = (date: Date | null) => (date ? date.toISOString() : "");

export async function* memberPages(database: Db, cohortId: string, size: number): AsyncGenerator<{ userId: string; joinedAt: Date }[]> {
  let cursor = "";
  for (;;) {
    const page = await database.cohortMember.findMany({
      where: { cohortId, role: "STUDENT", userId: { gt: cursor } },
      orderBy: { userId: "asc" },
      take: size,
      select: { userId: true, joinedAt: true },
    });
    if (page.length === 0) return;
    yield page;
    cursor = page.at(-1)?.userId ?? cursor;
    if (page.length < size) return;
  }
}

/** A byte stream that pulls one chunk of CSV text at a time (backpressure: nothing is read ahead). */
export function streamOf(chunks: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

export const GRADEBOOK_HEADER = [
  "name",
  "email",
  "status",
  "joined",
  "last active",
  "lessons completed",
  "lessons total",
  "questions answered",
  "questions total",
  "knowledge score % (first attempts on auto-graded questions)",
  "first-attempt accuracy on answered %",
  "practice: best score %",
  "practice: latest score %",
  "self-rated answered",
  "self-rated total",
  "self-rating mean % (not in the knowledge score)",
  "scenarios passed",
  "scenarios total",
  "time spent (minutes)",
  "hints used",
];

/** One column per scenario of the catalogue: the student's best score on it (blank when never started since joining). */
export function scenarioScoreHeader(): string[] {
  return [...loadScenarios().values()].map((scenario) => `scenario ${scenario.id}: best score %`);
}

/** Four columns per exam assigned to the cohort, over the sittings that count for it (lib/cohorts/exam-results.ts). */
export function examHeader(exams: Pick<ExamAssignmentView, "examId">[]): string[] {
  return exams.flatMap(({ examId }) => [
    `exam ${examId}: best %`,
    `exam ${examId}: latest %`,
    `exam ${examId}: passed`,
    `exam ${examId}: attempts`,
  ]);
}

function examCells(exams: Pick<ExamAssignmentView, "examId">[], results: Map<string, ExamResult> | undefined): (string | number)[] {
  return exams.flatMap(({ examId }) => {
    const result = results?.get(examId);
    if (!result) return ["", "", "no", 0];
    return [result.best.percent.toFixed(1), result.latest.percent.toFixed(1), result.passed ? "yes" : "no", result.attempts];
  });
}

function gradebookRow(row: StudentSummary, totals: ReturnType<typeof courseTotals>, best: Map<string, number>): (string | number | null)[] {
  return [
    row.name,
    row.email,
    row.status,
    iso(row.joinedAt),
    iso(row.lastActiveAt),
    row.lessonsCompleted,
    totals.lessons,
    row.questionsAnswered,
    totals.questions,
    percent(row.quizScore),
    percent(row.answeredScore),
    percent(row.practiceBestScore),
    percent(row.practiceLatestScore),
    row.selfRatedAnswered,
    totals.selfRatedQuestions,
    percent(row.selfRatedScore),
    row.scenariosPassed,
    totals.scenarios,
    Math.round(row.timeSpentSeconds / 60),
    row.hintsUsed,
    ...[...loadScenarios().keys()].map((scenarioId) => {
      const score = best.get(`${row.userId}/${scenarioId}`);
      return score === undefined ? "" : percent(score);
    }),
  ];
}

/** One row per student (the overview's figures). Authorization first, so a 404 is a real status. */
export async function gradebookCsv(database: Db, actor: Pick<PublicUser, "id" | "role">, cohortId: string, now = new Date()) {
  const cohort = await requireCohort(database, actor, cohortId);
  const totals = courseTotals();
  const exams = await cohortAssignments(database, cohort.id);
  async function* chunks(): AsyncGenerator<string> {
    yield csv([[...GRADEBOOK_HEADER, ...scenarioScoreHeader(), ...examHeader(exams)]], true);
    for await (const members of memberPages(database, cohort.id, EXPORT_CHUNK)) {
      const ids = members.map((m) => m.userId);
      const [rows, best, results] = await Promise.all([
        studentSummaries(database, cohort.id, now, ids),
        bestScenarioScores(database, cohort.id, ids),
        examResults(database, cohort.id, ids),
      ]);
      rows.sort((a, b) => (a.userId < b.userId ? -1 : 1));
      yield csv(
        rows.map((row) => [...gradebookRow(row, totals, best), ...examCells(exams, results.get(row.userId))]),
        false,
      );
    }
  }
  return { cohort, filename: `${slug(cohort.name)}-gradebook.csv`, stream: streamOf(chunks()) };
}

export const ATTEMPTS_HEADER = [
  "email",
  "name",
  "type",
  "question or scenario",
  "lesson",
  "attempt",
  "answer or outcome",
  "score",
  "correct",
  "self rating",
  "submitted at",
];

/** The answer as a person reads it: option texts for choice questions, the text otherwise. */
export function answerText(questionId: string, response: unknown): string {
  const parsed = quizResponseSchema.safeParse(typeof response === "string" ? parseJson(response) : response);
  if (!parsed.success) return "";
  if ("optionIds" in parsed.data) {
    const question = loadCourse().questions.get(questionId);
    const options = question && (question.type === "single" || question.type === "multiple") ? question.options : [];
    return parsed.data.optionIds.map((optionId) => options.find((o) => o.id === optionId)?.text ?? optionId).join(" | ");
  }
  return parsed.data.text;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A scenario attempt in one cell: its status, each check's result, hints and commands. */
export function scenarioOutcome(attempt: {
  scenarioId: string;
  status: string;
  hintsUsed: number;
  commandCount: number;
  checks: { checkId: string; passed: boolean }[];
}): string {
  const definition = loadScenarios().get(attempt.scenarioId);
  const passed = new Map(attempt.checks.map((check) => [check.checkId, check.passed]));
  const ids = definition ? definition.checks.map((check) => check.id) : [...passed.keys()];
  const results = ids.map((checkId) => `${checkId} ${passed.get(checkId) ? "passed" : "not passed"}`);
  const count = ids.filter((checkId) => passed.get(checkId)).length;
  return `${attempt.status.toLowerCase().replace("_", " ")}; checks ${count}/${ids.length}: ${results.join(", ")}; ${attempt.hintsUsed} hints; ${attempt.commandCount} commands`;
}

/**
 * Every quiz submission and every scenario attempt of the cohort's students since they joined,
 * first and practice, in time order per student (scenario attempts at their start).
 */
export async function attemptsCsv(database: Db, actor: Pick<PublicUser, "id" | "role">, cohortId: string) {
  const cohort = await requireCohort(database, actor, cohortId);
  async function* chunks(): AsyncGenerator<string> {
    yield csv([ATTEMPTS_HEADER], true);
    for await (const members of memberPages(database, cohort.id, 200)) {
      const ids = members.map((m) => m.userId);
      const [users, attempts, scenarioAttempts] = await Promise.all([
        database.user.findMany({ where: { id: { in: ids } }, select: { id: true, email: true, name: true } }),
        visibleQuestionAttempts(database, cohort.id, ids),
        visibleScenarioAttempts(database, cohort.id, ids),
      ]);
      const checksOf = new Map<string, { checkId: string; passed: boolean }[]>();
      for (const check of await checkResults(
        database,
        scenarioAttempts.map((a) => a.id),
      ))
        checksOf.set(check.attemptId, [...(checksOf.get(check.attemptId) ?? []), check]);
      // Most answers repeat (the same options chosen by many students): describe each once.
      const answers = new Map<string, string>();
      const describe = (questionId: string, response: unknown) => {
        const key = `${questionId}\u0000${typeof response === "string" ? response : JSON.stringify(response)}`;
        const known = answers.get(key);
        if (known !== undefined) return known;
        const text = answerText(questionId, response);
        answers.set(key, text);
        return text;
      };
      const userBy = new Map(users.map((u) => [u.id, u]));
      const who = (userId: string) => [userBy.get(userId)?.email ?? "", userBy.get(userId)?.name ?? ""];
      const rows: { userId: string; at: number; cells: (string | number | null)[] }[] = [
        ...attempts.map((a) => ({
          userId: a.userId,
          at: a.createdAt.getTime(),
          cells: [
            ...who(a.userId),
            "question",
            a.questionId,
            a.lessonSlug,
            a.isFirst ? "first" : "practice",
            describe(a.questionId, a.response),
            Math.round(a.score * 1000) / 1000,
            // A self-rated (open) answer is the learner's own judgement, not a graded result.
            a.selfRating !== null ? "self-rated" : a.correct ? "yes" : "no",
            a.selfRating ?? "",
            a.createdAt.toISOString(),
          ],
        })),
        ...scenarioAttempts.map((s) => ({
          userId: s.userId,
          at: s.startedAt.getTime(),
          cells: [
            ...who(s.userId),
            "scenario",
            s.scenarioId,
            "",
            s.isFirst ? "first" : `retry (attempt ${s.number})`,
            scenarioOutcome({ ...s, checks: checksOf.get(s.id) ?? [] }),
            Math.round(s.score * 1000) / 1000,
            s.status === "PASSED" ? "yes" : "no",
            "",
            (s.completedAt ?? s.lastActiveAt).toISOString(),
          ],
        })),
      ];
      // Stable: within a student, question rows keep their order and come before a scenario started at the same instant.
      rows.sort((x, y) => (x.userId < y.userId ? -1 : x.userId > y.userId ? 1 : x.at - y.at));
      yield csv(
        rows.map((row) => row.cells),
        false,
      );
    }
  }
  return { cohort, filename: `${slug(cohort.name)}-attempts.csv`, stream: streamOf(chunks()) };
}

export function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60) || "cohort"
  );
}
