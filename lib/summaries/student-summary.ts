import "server-only";
import { z } from "zod";
import type { Db } from "../db/client";
import { isSqlite } from "../db/create";
import type { Prisma } from "../db/generated/sqlite/client";
import { loadCourse } from "../content/load";
import { NOT_A_DRILL } from "../review/items";
import { accumulate, applyTotals, contributionOf, type QuestionKinds } from "./item-totals";
import { moveMembershipExamTotals } from "./exam-totals";

/**
 * The per-student, per-cohort report summary: the columns of CohortMember from `statsAt` on
 * (prisma/schema.prisma). The instructor reports read these instead of aggregating every attempt
 * of every student. A write that changes what a summary shows (a quiz answer, a lesson visit,
 * heartbeat or completion, a scenario attempt, its checks, hints and time) goes through
 * `writeWithSummaries`, which recomputes the learner's summaries from their own rows in the same
 * transaction: a summary is always what a recomputation from the raw rows would give
 * (test/summaries/summary.property.test.ts), with no increments to drift.
 *
 * Consent (lib/cohorts/visibility.ts): each membership sees only what the student did from its
 * joinedAt on, so each of a student's cohorts has its own summary.
 */

export type Tx = Prisma.TransactionClient;

/** [questionId, score, correct 0|1, chosen option ids joined by "," | a wrong short answer | null] */
export type FirstAnswer = [string, number, 0 | 1, string | null];
/** [scenarioId, checkId, passed 0|1] */
export type FirstCheck = [string, string, 0 | 1];

export interface SummaryColumns {
  activityAt: Date | null;
  questionsAnswered: number;
  gradedAnswered: number;
  firstScoreSum: number;
  bestScoreSum: number;
  latestScoreSum: number;
  selfRatedAnswered: number;
  selfRatedSum: number;
  lessonsCompleted: number;
  lessonSeconds: number;
  completionDays: string;
  scenariosPassed: number;
  hintsUsed: number;
  scenarioSeconds: number;
  firstAnswers: string;
  firstChecks: string;
}

interface AttemptRow {
  userId: string;
  questionId: string;
  score: number;
  correct: boolean;
  isFirst: boolean;
  createdAt: Date;
  response: unknown;
}
interface LessonRow {
  userId: string;
  firstVisitedAt: Date;
  lastVisitedAt: Date;
  completedAt: Date | null;
  timeSpentSeconds: number;
}
interface ScenarioRow {
  userId: string;
  scenarioId: string;
  isFirst: boolean;
  status: string;
  hintsUsed: number;
  timeSpentSeconds: number;
  startedAt: Date;
  lastActiveAt: Date;
  checks: { checkId: string; passed: boolean }[];
}
export interface LearnerRows {
  attempts: AttemptRow[];
  lessons: LessonRow[];
  scenarios: ScenarioRow[];
}

/** Only the two fields the item analysis counts; anything else in a stored response is ignored. */
const responseFields = z.object({ optionIds: z.array(z.string()).optional(), text: z.string().optional() });

/** The wrong-answer text as the item analysis groups it. */
export function normalizedAnswer(text: string): string {
  return text.trim().replace(/\s+/g, " ").toLowerCase().slice(0, 120);
}

function later(a: Date | null, b: Date): Date {
  return a && a >= b ? a : b;
}

/** One membership's summary from the student's rows (any rows from before joinedAt are skipped here). */
export function summarize(
  joinedAt: Date,
  rows: LearnerRows,
  openQuestionIds: ReadonlySet<string>,
  shortQuestionIds: ReadonlySet<string>,
): SummaryColumns {
  let activityAt: Date | null = null;
  const perQuestion = new Map<string, { best: number; latest: number; latestAt: Date }>();
  let firstScoreSum = 0;
  let selfRatedAnswered = 0;
  let selfRatedSum = 0;
  const firstAnswers: FirstAnswer[] = [];
  for (const attempt of rows.attempts) {
    if (attempt.createdAt < joinedAt) continue;
    activityAt = later(activityAt, attempt.createdAt);
    const seen = perQuestion.get(attempt.questionId);
    if (!seen) perQuestion.set(attempt.questionId, { best: attempt.score, latest: attempt.score, latestAt: attempt.createdAt });
    else {
      seen.best = Math.max(seen.best, attempt.score);
      // The newest attempt; of two at the same instant, the higher score.
      if (attempt.createdAt > seen.latestAt || (attempt.createdAt.getTime() === seen.latestAt.getTime() && attempt.score > seen.latest)) {
        seen.latest = attempt.score;
        seen.latestAt = attempt.createdAt;
      }
    }
    if (!attempt.isFirst) continue;
    const open = openQuestionIds.has(attempt.questionId);
    if (open) {
      selfRatedAnswered++;
      selfRatedSum += attempt.score;
    } else firstScoreSum += attempt.score;
    const response = responseFields.safeParse(attempt.response);
    const detail = !response.success
      ? null
      : response.data.optionIds
        ? [...new Set(response.data.optionIds)].join(",")
        : !attempt.correct && shortQuestionIds.has(attempt.questionId) && response.data.text !== undefined
          ? normalizedAnswer(response.data.text)
          : null;
    firstAnswers.push([attempt.questionId, attempt.score, attempt.correct ? 1 : 0, detail]);
  }
  let gradedAnswered = 0;
  let bestScoreSum = 0;
  let latestScoreSum = 0;
  for (const [questionId, scores] of perQuestion) {
    if (openQuestionIds.has(questionId)) continue;
    gradedAnswered++;
    bestScoreSum += scores.best;
    latestScoreSum += scores.latest;
  }

  let lessonsCompleted = 0;
  let lessonSeconds = 0;
  const completionDays: string[] = [];
  for (const lesson of rows.lessons) {
    if (lesson.lastVisitedAt < joinedAt) continue;
    activityAt = later(activityAt, lesson.lastVisitedAt);
    if (lesson.completedAt && lesson.completedAt >= joinedAt) {
      lessonsCompleted++;
      completionDays.push(lesson.completedAt.toISOString().slice(0, 10));
    }
    if (lesson.firstVisitedAt >= joinedAt) lessonSeconds += lesson.timeSpentSeconds;
  }

  const passed = new Set<string>();
  let hintsUsed = 0;
  let scenarioSeconds = 0;
  const firstChecks: FirstCheck[] = [];
  for (const attempt of rows.scenarios) {
    if (attempt.startedAt < joinedAt) continue;
    activityAt = later(activityAt, attempt.lastActiveAt);
    if (attempt.status === "PASSED") passed.add(attempt.scenarioId);
    hintsUsed += attempt.hintsUsed;
    scenarioSeconds += attempt.timeSpentSeconds;
    if (attempt.isFirst) for (const check of attempt.checks) firstChecks.push([attempt.scenarioId, check.checkId, check.passed ? 1 : 0]);
  }
  // A stable order, so the same rows always give the same text.
  firstAnswers.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  firstChecks.sort((a, b) => (a[0] !== b[0] ? (a[0] < b[0] ? -1 : 1) : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));

  return {
    activityAt,
    questionsAnswered: perQuestion.size,
    gradedAnswered,
    firstScoreSum,
    bestScoreSum,
    latestScoreSum,
    selfRatedAnswered,
    selfRatedSum,
    lessonsCompleted,
    lessonSeconds,
    completionDays: JSON.stringify(completionDays.sort()),
    scenariosPassed: passed.size,
    hintsUsed,
    scenarioSeconds,
    firstAnswers: JSON.stringify(firstAnswers),
    firstChecks: JSON.stringify(firstChecks),
  };
}

function questionKinds(): QuestionKinds {
  const open = new Set<string>();
  const short = new Set<string>();
  const choice = new Set<string>();
  for (const question of loadCourse().questions.values()) {
    if (question.type === "open") open.add(question.id);
    if (question.type === "short") short.add(question.id);
    if (question.type === "single" || question.type === "multiple") choice.add(question.id);
  }
  return { open, short, choice };
}

type Reader = Pick<Tx, "questionAttempt" | "lessonProgress" | "scenarioAttempt">;

/** Every row of these learners from `since` on (their earliest membership), grouped by learner. */
async function loadRows(database: Reader, userIds: string[], since: Date): Promise<Map<string, LearnerRows>> {
  const attempts = await database.questionAttempt.findMany({
    where: { userId: { in: userIds }, createdAt: { gte: since } },
    select: { userId: true, questionId: true, score: true, correct: true, isFirst: true, createdAt: true, response: true },
  });
  const lessons = await database.lessonProgress.findMany({
    where: { userId: { in: userIds }, lastVisitedAt: { gte: since } },
    select: { userId: true, firstVisitedAt: true, lastVisitedAt: true, completedAt: true, timeSpentSeconds: true },
  });
  const scenarios = await database.scenarioAttempt.findMany({
    // Review drills (lib/review) are practice: no summary counts them.
    where: { userId: { in: userIds }, startedAt: { gte: since }, ...NOT_A_DRILL },
    select: {
      userId: true,
      scenarioId: true,
      isFirst: true,
      status: true,
      hintsUsed: true,
      timeSpentSeconds: true,
      startedAt: true,
      lastActiveAt: true,
      checks: { select: { checkId: true, passed: true } },
    },
  });
  const byUser = new Map<string, LearnerRows>(userIds.map((id) => [id, { attempts: [], lessons: [], scenarios: [] }]));
  for (const row of attempts) byUser.get(row.userId)?.attempts.push(row);
  for (const row of lessons) byUser.get(row.userId)?.lessons.push(row);
  for (const row of scenarios) byUser.get(row.userId)?.scenarios.push(row);
  return byUser;
}

/** A membership with the summary a write replaces (statsAt null: none yet, so nothing in the item totals). */
const membershipSelect = {
  id: true,
  userId: true,
  cohortId: true,
  joinedAt: true,
  statsAt: true,
  firstAnswers: true,
  firstChecks: true,
} as const;
type Membership = Prisma.CohortMemberGetPayload<{ select: typeof membershipSelect }>;

/**
 * Locks a learner's User row: every write of their summaries (and so of their part of the item
 * totals) holds it, so the old summary it reads is the one it replaces. On SQLite the first write
 * also takes the database's write lock before anything is read.
 */
async function lockLearner(tx: Tx, userId: string): Promise<void> {
  await lockStatement(tx, userId);
}

/** The statement that locks the learner's row (Prisma's promises run when awaited or batched). */
function lockStatement(client: Tx | Db, userId: string): Prisma.PrismaPromise<number> {
  return client.$executeRaw`UPDATE "User" SET "lastActiveAt" = "lastActiveAt" WHERE "id" = ${userId}`;
}

/**
 * Recomputes and stores these student memberships' summaries (their learners locked), and moves
 * the cohorts' item totals by the difference between each new summary's contribution and the old
 * one's (lib/summaries/item-totals.ts). A write that leaves the first answers and first checks as
 * they were (a lesson heartbeat, a terminal command) changes no total.
 */
async function store(tx: Tx, members: Membership[]): Promise<void> {
  if (members.length === 0) return;
  const since = new Date(Math.min(...members.map((member) => member.joinedAt.getTime())));
  const rows = await loadRows(tx, [...new Set(members.map((member) => member.userId))], since);
  const kinds = questionKinds();
  const now = new Date();
  // A summary computed for the first time brings its membership's exam sittings into the exam
  // totals (lib/summaries/exam-totals.ts); a computed one has them already, and no write that
  // recomputes a summary changes a closed sitting.
  await moveMembershipExamTotals(
    tx,
    members.filter((member) => member.statsAt === null),
    1,
  );
  const changes: Parameters<typeof applyTotals>[1] = new Map();
  for (const member of members) {
    const learner = rows.get(member.userId) ?? { attempts: [], lessons: [], scenarios: [] };
    const summary = summarize(member.joinedAt, learner, kinds.open, kinds.short);
    await tx.cohortMember.update({ where: { id: member.id }, data: { ...summary, statsAt: now } });
    const counted = member.statsAt !== null;
    if (counted && member.firstAnswers === summary.firstAnswers && member.firstChecks === summary.firstChecks) continue;
    if (counted)
      accumulate(
        changes,
        member.cohortId,
        contributionOf(readFirstAnswers(member.firstAnswers), readFirstChecks(member.firstChecks), kinds),
        -1,
      );
    accumulate(
      changes,
      member.cohortId,
      contributionOf(readFirstAnswers(summary.firstAnswers), readFirstChecks(summary.firstChecks), kinds),
      1,
    );
  }
  await applyTotals(tx, changes);
}

/** Recomputes every cohort summary of one learner (inside the writer's transaction, learner locked). */
async function refreshSummaries(tx: Tx, userId: string): Promise<void> {
  await store(tx, await tx.cohortMember.findMany({ where: { userId, role: "STUDENT" }, select: membershipSelect }));
}

/**
 * What a write changes in the learner's summaries. "recompute": anything (the summaries are
 * computed again from the learner's rows); "none": nothing a summary shows (a command of a
 * finished attempt: only its event and the instance). `scenarioActivity`: only the time and last
 * activity of one scenario attempt (a terminal command that changed no check of a first attempt
 * and not the attempt's status), added to the summaries that see the attempt: the same as a
 * recomputation would give, without reading every row of the learner.
 */
export type SummaryChange = "recompute" | "none" | { scenarioActivity: { startedAt: Date; seconds: number; at: Date } };

/** The statements that add one scenario attempt's time and last activity to the summaries that see it. */
function activityStatements(
  client: Tx | Db,
  userId: string,
  { startedAt, seconds, at }: { startedAt: Date; seconds: number; at: Date },
): Prisma.PrismaPromise<unknown>[] {
  // The memberships that see the attempt (started since joining) and whose summary is computed
  // (a missing one is computed from the rows by the fill).
  const seeing = { userId, role: "STUDENT" as const, statsAt: { not: null }, joinedAt: { lte: startedAt } };
  return [
    ...(seconds !== 0 ? [client.cohortMember.updateMany({ where: seeing, data: { scenarioSeconds: { increment: seconds } } })] : []),
    client.cohortMember.updateMany({
      where: { ...seeing, OR: [{ activityAt: null }, { activityAt: { lt: at } }] },
      data: { activityAt: at },
    }),
  ];
}

async function addScenarioActivity(tx: Tx, userId: string, activity: { startedAt: Date; seconds: number; at: Date }) {
  for (const statement of activityStatements(tx, userId, activity)) await statement;
}

/**
 * Runs a write of the learner's progress and brings their summaries up to date in one
 * transaction (by default recomputed from their rows; see SummaryChange). The learner's User row
 * is locked first, so two writes of one learner (two tabs, two app instances), a join, a leave
 * and the fill happen one after the other and each recomputation sees the other's rows.
 */
export async function writeWithSummaries<T>(
  database: Db,
  userId: string,
  write: (tx: Tx) => Promise<T>,
  change: SummaryChange = "recompute",
): Promise<T> {
  return database.$transaction(async (tx) => {
    if (change === "none") return write(tx);
    await lockLearner(tx, userId);
    const result = await write(tx);
    if (change === "recompute") await refreshSummaries(tx, userId);
    else await addScenarioActivity(tx, userId, change.scenarioActivity);
    return result;
  });
}

/**
 * A write of the learner's progress made of statements that read nothing first, with a summary
 * change that reads nothing either ("none", or `scenarioActivity`): one batch transaction
 * (`first`, the learner's lock, the other `writes` in order, the activity added), without an
 * interactive transaction's round trips. A statement that fails (a unique violation, an update
 * that finds no row) rolls the whole batch back, as a throw inside `writeWithSummaries` would.
 *
 * `first` is a model statement that only inserts a row of the learner's own (a terminal command's
 * event): Prisma keeps the compiled plan of a batch only when its first statement is a model query,
 * and a batch that began with the raw lock was compiled afresh every time (about 2 ms of the web
 * server's CPU per terminal command). The lock still comes before every row the summaries read,
 * and an insert before it takes no lock another writer of this learner waits for while holding
 * theirs (on PostgreSQL the foreign key takes only a KEY SHARE lock on the parent row, which an
 * update of that row does not conflict with), so writers still cannot deadlock. On SQLite the lock
 * is left out: `first` has written, so the transaction holds the database's write lock already and
 * no other writer can come between its statements (the lock would only add a statement and a
 * changed page to every command's commit).
 */
export async function writeBatchWithSummaries(
  database: Db,
  userId: string,
  [first, ...writes]: [Prisma.PrismaPromise<unknown>, ...Prisma.PrismaPromise<unknown>[]],
  change: Exclude<SummaryChange, "recompute">,
): Promise<void> {
  if (change === "none") {
    await database.$transaction([first, ...writes]);
    return;
  }
  await database.$transaction([
    first,
    ...(isSqlite(database) ? [] : [lockStatement(database, userId)]),
    ...writes,
    ...activityStatements(database, userId, change.scenarioActivity),
  ]);
}

/** Deletes a membership and takes its summary (and its exam sittings) out of the cohort's item totals, in one transaction. */
export async function deleteMembership(database: Db, member: { id: string; userId: string }): Promise<void> {
  await database.$transaction(async (tx) => {
    await lockLearner(tx, member.userId);
    const row = await tx.cohortMember.findUnique({ where: { id: member.id }, select: membershipSelect });
    if (!row) return;
    if (row.statsAt !== null) await moveMembershipExamTotals(tx, [row], -1);
    await tx.cohortMember.delete({ where: { id: row.id } });
    if (row.statsAt === null) return;
    const changes: Parameters<typeof applyTotals>[1] = new Map();
    accumulate(
      changes,
      row.cohortId,
      contributionOf(readFirstAnswers(row.firstAnswers), readFirstChecks(row.firstChecks), questionKinds()),
      -1,
    );
    await applyTotals(tx, changes);
  });
}

const FILL_BATCH = 500;

/**
 * The one-time fill: computes the summaries that are still null (memberships from before the
 * summary columns existed, rows written by the bulk demo seeder) in batches. The reports call it
 * before reading, so an upgraded database needs no manual step; when every summary is there it
 * is one indexed look-up.
 */
export async function fillMissingSummaries(database: Db, cohortId: string): Promise<number> {
  let filled = 0;
  for (;;) {
    const candidates = await database.cohortMember.findMany({
      where: { cohortId, statsAt: null, role: "STUDENT" },
      select: { id: true, userId: true },
      take: FILL_BATCH,
    });
    if (candidates.length === 0) return filled;
    await database.$transaction(
      async (tx) => {
        // The learners locked one by one in one order (two fills cannot deadlock), then what is
        // still missing read under the locks: a learner's write committed meanwhile has filled it.
        for (const userId of [...new Set(candidates.map((member) => member.userId))].sort()) await lockLearner(tx, userId);
        await store(
          tx,
          await tx.cohortMember.findMany({
            where: { id: { in: candidates.map((member) => member.id) }, statsAt: null, role: "STUDENT" },
            select: membershipSelect,
          }),
        );
      },
      { timeout: 60_000 },
    );
    filled += candidates.length;
  }
}

function parseArray(text: string): unknown[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}

/** The stored first answers; entries of another shape are skipped (hand-checked: 300,000 of them per report at 10,000 students). */
export function readFirstAnswers(text: string): FirstAnswer[] {
  const answers: FirstAnswer[] = [];
  for (const entry of parseArray(text)) {
    if (!Array.isArray(entry)) continue;
    const [questionId, score, correct, detail] = entry as unknown[];
    if (typeof questionId !== "string" || typeof score !== "number" || (correct !== 0 && correct !== 1)) continue;
    answers.push([questionId, score, correct, typeof detail === "string" ? detail : null]);
  }
  return answers;
}

export function readCompletionDays(text: string): string[] {
  return parseArray(text).filter((day): day is string => typeof day === "string");
}

export function readFirstChecks(text: string): FirstCheck[] {
  const checks: FirstCheck[] = [];
  for (const entry of parseArray(text)) {
    if (!Array.isArray(entry)) continue;
    const [scenarioId, checkId, passed] = entry as unknown[];
    if (typeof scenarioId !== "string" || typeof checkId !== "string" || (passed !== 0 && passed !== 1)) continue;
    checks.push([scenarioId, checkId, passed]);
  }
  return checks;
}

/** Recomputes one learner's summaries on its own (after rows were written outside these write paths, as the tests and the demo seeder do). */
export function recomputeSummaries(database: Db, userId: string): Promise<void> {
  return writeWithSummaries(database, userId, async () => undefined);
}
