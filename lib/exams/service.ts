/**
 * Mock exams with the database: attempts (one open per learner and exam), answers graded on the
 * server and kept hidden until the close, flags and notepad, each hands-on task's own instance
 * (run on the learner worker pool like a scenario's), and the close: every task's checks
 * evaluated on its instance, then the paper scored, all stored in one transaction.
 *
 * The server's clock is the truth. Every request of a learner first closes their attempts found
 * past the deadline (closedBy "deadline", scored), so a learner who was offline at the deadline
 * finds the attempt closed and scored on their next request.
 */
import "server-only";
import crypto from "node:crypto";
import { db, type Db } from "../db/client";
import type { Tx } from "../summaries/student-summary";
import { closeWithTotals } from "../summaries/exam-totals";
import { DomainError } from "../http/errors";
import { isUniqueViolation } from "../db/errors";
import { getEnv, resolveAuthSecret } from "../env";
import { limitAnswer, limiters, limitTerminalCommand } from "../auth/rate-limit";
import { loadCourse } from "../content/load";
import type { Exam } from "../content/exam-schema";
import type { Question } from "../content/schema";
import { gradeAnswer } from "../quiz/grade";
import { gradingFeedback } from "../quiz/public";
import { authoredResponse, learnerOptionOrder, optionOrderKey, toPublicOptionId } from "../quiz/options";
import { parseResponseFor, type QuizResponse } from "../quiz/response";
import { KeyedQueue } from "../util/keyed-queue";
import { enterReview } from "../review/cards";
import type { ReviewItem } from "../review/items";
import { isTooLarge, type InstanceRef, type Job, type JobResults } from "../isolation/jobs";
import { InstanceJobs, type RowText, type TaggedRun } from "../isolation/instance-jobs";
import { LearnerJobStopped, learnerPool } from "../isolation/pool";
import type { TerminalOutput } from "../scenarios/api-types";
import { endpointFor, newInstanceId } from "../scenarios/endpoint";
import type { Scenario } from "../scenarios/schema";
import type {
  AttemptSummary,
  AttemptView,
  ExamAnswerRequest,
  ExamReport,
  ExamSummary,
  ExamTerminalSnapshot,
  ItemStatus,
  OpenAttemptView,
  PublicExamAnswer,
  ReportQuestion,
  ReportTask,
} from "./api-types";
import { loadExamCatalog, resolveHandsOn, type ExamCatalog } from "./catalog";
import { examClock } from "./clock";
import { drawPaper, paperItems, PAPER_FORMAT, type Paper, type PaperQuestion, type PaperTask } from "./paper";
import { toPublicPaper } from "./public";
import { scorePaper, type PaperOutcomes, type PaperScore } from "./score";

/** The short exam browser tests use to see the automatic submission (EXAM_TEST_SECONDS). */
const TEST_EXAM_ID = "deadline-test";

interface Exams {
  catalog: ExamCatalog;
  exams: ReadonlyMap<string, Exam>;
}

// On globalThis, as the database client: the server warms it at start (instrumentation.ts), which
// Next may bundle apart from the routes that read it.
const globalForExams = globalThis as typeof globalThis & { kubeprepExams?: Exams };

/**
 * Reads and validates the exam catalog now (about a second: the course's markdown and the
 * scenarios), so that the first exam requests after a start do not all queue behind it.
 */
export function warmExams(): void {
  examsOffered();
  loadCourse();
}

function examsOffered(): Exams {
  const cached = globalForExams.kubeprepExams;
  if (cached) return cached;
  const catalog = loadExamCatalog();
  const exams = new Map(catalog.exams);
  const seconds = getEnv().examTestSeconds;
  const quick = catalog.exams.get("authentication-quick-check");
  if (seconds !== undefined && quick !== undefined) {
    exams.set(TEST_EXAM_ID, {
      ...quick,
      id: TEST_EXAM_ID,
      title: "Deadline test",
      summary: `A test exam of ${seconds} seconds (EXAM_TEST_SECONDS), for browser tests of the automatic submission.`,
      durationMinutes: seconds / 60,
    });
  }
  globalForExams.kubeprepExams = { catalog, exams };
  return globalForExams.kubeprepExams;
}

function examOr404(examId: string): Exam {
  const exam = examsOffered().exams.get(examId);
  if (!exam) throw new DomainError(404, "No such exam.");
  return exam;
}

type AttemptRow = NonNullable<Awaited<ReturnType<Db["examAttempt"]["findUnique"]>>>;

function paperOf(row: { paper: string }): Paper {
  const paper = JSON.parse(row.paper) as Paper;
  if (paper.format !== PAPER_FORMAT) throw new Error(`unknown paper format ${String(paper.format)}`);
  return paper;
}

function flagsOf(row: { flags: string }): string[] {
  const flags: unknown = JSON.parse(row.flags);
  return Array.isArray(flags) ? flags.filter((flag): flag is string => typeof flag === "string") : [];
}

function isOpen(row: AttemptRow, now: Date): boolean {
  return row.closedAt === null && row.deadline.getTime() > now.getTime();
}

function closedMessage(at: Date): string {
  return `The exam closed at ${at.toISOString().replace("T", " ").slice(0, 19)} UTC; answers and commands are no longer accepted.`;
}

/** The learner's own attempt, or a 404 (someone else's attempt does not exist for them). */
async function ownAttempt(database: Db, userId: string, attemptId: string): Promise<AttemptRow> {
  const row = await database.examAttempt.findFirst({ where: { id: attemptId, userId } });
  if (!row) throw new DomainError(404, "No such exam attempt.");
  return row;
}

/** The attempt as it is now: closed and scored first if it is past its deadline. */
async function current(database: Db, userId: string, attemptId: string): Promise<AttemptRow> {
  const row = await ownAttempt(database, userId, attemptId);
  if (row.closedAt !== null || isOpen(row, new Date())) return row;
  await closeAttempt(database, row.id, "deadline");
  return ownAttempt(database, userId, attemptId);
}

/** The attempt, still open; a 409 saying when it closed otherwise. */
async function openAttempt(database: Db, userId: string, attemptId: string): Promise<AttemptRow> {
  const row = await current(database, userId, attemptId);
  if (row.closedAt !== null) throw new DomainError(409, closedMessage(row.closedAt));
  return row;
}

/**
 * Inside a write transaction: takes the attempt's row (PostgreSQL row lock, SQLite's write lock)
 * and fails with the 409 if it closed meanwhile, so nothing is written to a closed attempt and a
 * close that follows sees this write.
 */
async function lockOpen(tx: Tx, row: AttemptRow, now: Date): Promise<void> {
  const updated = await tx.examAttempt.updateMany({
    where: { id: row.id, closedAt: null, deadline: { gt: now } },
    data: { closedAt: null },
  });
  if (updated.count !== 1) throw new DomainError(409, closedMessage(row.closedAt ?? row.deadline));
}

/** Closes this learner's attempts found past their deadline (the offline learner's case). */
async function closeExpired(database: Db, userId: string): Promise<void> {
  const expired = await database.examAttempt.findMany({
    where: { userId, closedAt: null, deadline: { lte: new Date() } },
    select: { id: true },
  });
  for (const { id } of expired) await closeAttempt(database, id, "deadline");
}

/** At most this many overdue attempts are closed per instructor read; any more on the next read. */
const OVERDUE_PER_READ = 20;

/**
 * For instructor reads (lib/cohorts/exam-results.ts): closes and scores the cohort's students'
 * attempts found past their deadline (all students, or `userIds` among them), as the learner's
 * next request would, through the same close (one per attempt at a time, the first close's
 * transaction wins), so the instructor does not see an attempt as open that is over. Oldest
 * deadline first, at most OVERDUE_PER_READ per call. An attempt that cannot be closed now (a
 * full worker pool) stays as it is, for the next read or the learner's next request.
 */
export async function closeOverdueOfCohort(database: Db, cohortId: string, userIds?: readonly string[]): Promise<void> {
  if (userIds?.length === 0) return;
  const overdue = await database.examAttempt.findMany({
    where: {
      closedAt: null,
      deadline: { lte: new Date() },
      ...(userIds ? { userId: { in: [...userIds] } } : {}),
      user: { cohortMemberships: { some: { cohortId, role: "STUDENT" } } },
    },
    orderBy: { deadline: "asc" },
    select: { id: true },
    take: OVERDUE_PER_READ,
  });
  for (const { id } of overdue) {
    try {
      await closeAttempt(database, id, "deadline");
    } catch (error) {
      console.error(`exam attempt ${id}: the close past its deadline failed; tried again on the next read`, error);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Exams and attempts

export function listExams(): ExamSummary[] {
  return [...examsOffered().exams.values()].map((exam) => ({
    id: exam.id,
    title: exam.title,
    summary: exam.summary,
    durationMinutes: exam.durationMinutes,
    passMark: exam.passMark,
    taskCount: exam.sections.reduce((sum, section) => sum + (section.kind === "tasks" ? section.draw : 0), 0),
    questionCount: exam.sections.reduce(
      (sum, section) => sum + (section.kind === "questions" ? section.draws.reduce((n, draw) => n + draw.count, 0) : 0),
      0,
    ),
  }));
}

function examTitle(examId: string): string {
  return examsOffered().exams.get(examId)?.title ?? examId;
}

/** Every attempt of the learner, newest first (their history). */
export async function listAttempts(userId: string): Promise<AttemptSummary[]> {
  const database = db();
  await closeExpired(database, userId);
  const rows = await database.examAttempt.findMany({
    where: { userId },
    orderBy: { startedAt: "desc" },
    select: { id: true, examId: true, number: true, startedAt: true, closedAt: true, closedBy: true, percent: true, passed: true },
    take: 200,
  });
  return rows.map((row) => ({
    attemptId: row.id,
    examId: row.examId,
    title: examTitle(row.examId),
    number: row.number,
    startedAt: row.startedAt.toISOString(),
    open: row.closedAt === null,
    closedAt: row.closedAt?.toISOString() ?? null,
    closedBy: row.closedBy,
    percent: row.percent,
    passed: row.passed,
  }));
}

/**
 * Starts an attempt: a random seed, its paper, the deadline. A learner has at most one open
 * attempt per exam: a second start (another tab, another device) returns the open one. No
 * transaction is held, so a burst of starts does not queue behind one database lock: two starts
 * that count the same attempts create the same number and the unique (learner, exam, number) lets
 * one through; two that do not both see each other's attempt right after creating their own, and
 * the later one (higher number) deletes its own, untouched one and returns the earlier.
 */
export async function startAttempt(userId: string, examId: string, tries = 3): Promise<AttemptView> {
  const { catalog } = examsOffered();
  const exam = examOr404(examId);
  const database = db();
  // One round trip: the learner's unclosed attempts (of any exam, to close those past the
  // deadline, as every request does) and how many of this exam they have (the next number).
  const [unclosed, count] = await Promise.all([
    database.examAttempt.findMany({ where: { userId, closedAt: null } }),
    database.examAttempt.count({ where: { userId, examId } }),
  ]);
  const now = new Date();
  const expired = unclosed.filter((row) => !isOpen(row, now));
  for (const row of expired) await closeAttempt(database, row.id, "deadline");
  const open = unclosed.filter((row) => row.examId === examId && isOpen(row, now)).sort((a, b) => a.number - b.number)[0];
  if (open) return openView(database, userId, open, now);
  const seed = crypto.randomBytes(16).toString("hex");
  const paper = drawPaper(exam, catalog, seed);
  const startedAt = new Date();
  try {
    const created = await database.examAttempt.create({
      data: {
        userId,
        examId,
        number: count + 1,
        seed,
        paper: JSON.stringify(paper),
        startedAt,
        deadline: new Date(startedAt.getTime() + paper.durationMinutes * 60_000),
      },
    });
    const [first] = await database.examAttempt.findMany({
      where: { userId, examId, closedAt: null },
      orderBy: { number: "asc" },
      select: { id: true },
      take: 1,
    });
    if (first && first.id !== created.id) {
      await database.examAttempt.delete({ where: { id: created.id } });
      return getAttempt(userId, first.id);
    }
    // The view of the attempt as created: nothing answered, no task opened, the whole time left.
    return openView(database, userId, created, startedAt, { paper, fresh: true });
  } catch (error) {
    if (!isUniqueViolation(error) || tries <= 1) throw error;
    return startAttempt(userId, examId, tries - 1);
  }
}

function publicAnswer(question: Question | undefined, stored: QuizResponse): PublicExamAnswer {
  if ((question?.type === "single" || question?.type === "multiple") && "optionIds" in stored) {
    return { optionIds: stored.optionIds.flatMap((id) => toPublicOptionId(question, id) ?? []) };
  }
  return "text" in stored ? { text: stored.text } : { optionIds: [] };
}

/**
 * The open attempt as the exam page shows it. `known.fresh`: the attempt was just created by this
 * request, so it has no answers and no task runs yet (nothing to read back).
 */
async function openView(
  database: Db,
  userId: string,
  row: AttemptRow,
  now: Date,
  known: { paper?: Paper; fresh?: boolean } = {},
): Promise<OpenAttemptView> {
  const { catalog } = examsOffered();
  const paper = known.paper ?? paperOf(row);
  const exam = examOr404(row.examId);
  const publicPaper = toPublicPaper(paper, exam, catalog);
  // Each learner sees choice options in their own order, as in lessons.
  const key = optionOrderKey(resolveAuthSecret());
  for (const section of publicPaper.sections) {
    for (const item of section.items) {
      if (item.kind !== "question" || item.question.options === undefined) continue;
      const question = catalog.questions.get(item.question.id);
      if (question?.type !== "single" && question?.type !== "multiple") continue;
      const order = learnerOptionOrder(key, userId, question);
      const options = item.question.options;
      item.question.options = order.flatMap((id) => options.find((option) => option.id === id) ?? []);
    }
  }
  const [answers, runs] = known.fresh
    ? [[], []]
    : await Promise.all([
        database.examAnswer.findMany({ where: { attemptId: row.id }, select: { itemKey: true, questionId: true, response: true } }),
        database.examTaskRun.findMany({ where: { attemptId: row.id }, select: { itemKey: true, commandCount: true } }),
      ]);
  const itemStatus: Record<string, ItemStatus> = {};
  for (const item of paperItems(paper)) itemStatus[item.key] = "not-started";
  for (const answer of answers) itemStatus[answer.itemKey] = "attempted";
  for (const run of runs) if (run.commandCount > 0) itemStatus[run.itemKey] = "attempted";
  const clock = examClock(row.startedAt, paper.durationMinutes, now);
  return {
    status: "open",
    attemptId: row.id,
    examId: row.examId,
    number: row.number,
    startedAt: row.startedAt.toISOString(),
    deadline: row.deadline.toISOString(),
    remainingMs: Math.max(0, Math.min(clock.remainingMs, row.deadline.getTime() - now.getTime())),
    alertsReached: clock.alertsReached,
    paper: publicPaper,
    answers: Object.fromEntries(
      answers.map((answer) => [
        answer.itemKey,
        publicAnswer(catalog.questions.get(answer.questionId), JSON.parse(answer.response) as QuizResponse),
      ]),
    ),
    itemStatus,
    flags: flagsOf(row),
    notepad: row.notepad,
  };
}

/** The attempt as the exam page shows it: open (no grades), or closed with its score. */
export async function getAttempt(userId: string, attemptId: string): Promise<AttemptView> {
  const database = db();
  const row = await current(database, userId, attemptId);
  if (row.closedAt === null) return openView(database, userId, row, new Date());
  return {
    status: "closed",
    attemptId: row.id,
    examId: row.examId,
    closedAt: row.closedAt.toISOString(),
    closedBy: row.closedBy === "deadline" ? "deadline" : "submitted",
    percent: row.percent ?? 0,
    passed: row.passed ?? false,
  };
}

function questionItem(paper: Paper, itemKey: string): PaperQuestion {
  const item = paperItems(paper).find((candidate) => candidate.key === itemKey);
  if (item?.kind !== "question") throw new DomainError(404, "This paper has no such question.");
  return item;
}

function taskItem(paper: Paper, itemKey: string): PaperTask {
  const item = paperItems(paper).find((candidate) => candidate.key === itemKey);
  if (item?.kind !== "task") throw new DomainError(404, "This paper has no such task.");
  return item;
}

/**
 * Stores the learner's answer to one question, graded on the server (nothing of the grade is
 * returned). A new answer replaces the previous one; the same submission id again changes nothing.
 */
export async function saveAnswer(userId: string, attemptId: string, request: ExamAnswerRequest): Promise<{ itemKey: string }> {
  await limitAnswer(await limiters(), { userId });
  const database = db();
  const row = await openAttempt(database, userId, attemptId);
  const item = questionItem(paperOf(row), request.itemKey);
  const question = examsOffered().catalog.questions.get(item.questionId);
  if (!question) throw new DomainError(404, "This question is no longer available.");
  const authored = authoredResponse(question, request.response);
  if (!authored.success) throw new DomainError(422, authored.error);
  const parsed = parseResponseFor(question, authored.data);
  if (!parsed.success) throw new DomainError(422, parsed.error);
  const graded = gradeAnswer(question, parsed.data);
  const now = new Date();
  const elapsed = Math.min(request.timeSpentSeconds ?? 0, Math.ceil((now.getTime() - row.startedAt.getTime()) / 1000));
  try {
    await database.$transaction(async (tx) => {
      await lockOpen(tx, row, now);
      const where = { attemptId_itemKey: { attemptId: row.id, itemKey: item.key } };
      const existing = await tx.examAnswer.findUnique({ where, select: { submissionId: true } });
      if (existing?.submissionId === request.submissionId) return;
      const data = {
        response: JSON.stringify(parsed.data),
        score: graded.score,
        correct: graded.correct,
        submissionId: request.submissionId,
        answeredAt: now,
      };
      if (existing) await tx.examAnswer.update({ where, data: { ...data, timeSpentSeconds: { increment: elapsed } } });
      else
        await tx.examAnswer.create({
          data: { ...data, attemptId: row.id, itemKey: item.key, questionId: question.id, timeSpentSeconds: elapsed },
        });
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      // The same first save twice at once: the other one stored it. Another item's id: refused.
      const stored = await database.examAnswer.findUnique({
        where: { attemptId_submissionId: { attemptId: row.id, submissionId: request.submissionId } },
        select: { itemKey: true },
      });
      if (stored?.itemKey === item.key) return { itemKey: item.key };
      throw new DomainError(422, "This submission id was already used for another question.");
    }
    throw error;
  }
  return { itemKey: item.key };
}

export async function setFlag(userId: string, attemptId: string, itemKey: string, flagged: boolean): Promise<{ flags: string[] }> {
  const database = db();
  const row = await openAttempt(database, userId, attemptId);
  if (!paperItems(paperOf(row)).some((item) => item.key === itemKey)) throw new DomainError(404, "This paper has no such item.");
  const now = new Date();
  const flags = await database.$transaction(async (tx) => {
    await lockOpen(tx, row, now);
    const fresh = await tx.examAttempt.findUniqueOrThrow({ where: { id: row.id }, select: { flags: true } });
    const others = flagsOf(fresh).filter((key) => key !== itemKey);
    const next = flagged ? [...others, itemKey] : others;
    await tx.examAttempt.update({ where: { id: row.id }, data: { flags: JSON.stringify(next) } });
    return next;
  });
  return { flags };
}

export async function saveNotepad(userId: string, attemptId: string, text: string): Promise<{ saved: true }> {
  const database = db();
  const row = await openAttempt(database, userId, attemptId);
  const now = new Date();
  await database.$transaction(async (tx) => {
    await lockOpen(tx, row, now);
    await tx.examAttempt.update({ where: { id: row.id }, data: { notepad: text } });
  });
  return { saved: true };
}

/** "Finish exam": closes and scores the attempt; finishing twice counts once. */
export async function submitAttempt(userId: string, attemptId: string): Promise<AttemptView> {
  const database = db();
  const row = await current(database, userId, attemptId);
  if (row.closedAt === null) await closeAttempt(database, row.id, "submitted");
  return getAttempt(userId, attemptId);
}

// ---------------------------------------------------------------------------------------------
// Closing and scoring

class AlreadyClosed extends Error {}
class TaskChanged extends Error {}

const closing = new KeyedQueue();

function inPool<K extends Job["kind"]>(key: string, job: Extract<Job, { kind: K }>): Promise<JobResults[K]> {
  return learnerPool().run<K>(key, job);
}

/** A task's checks as they stand on its instance: check id → passed, for the paper's checks. */
async function evaluateTask(run: { id: string; state: string }, item: PaperTask, scenario: Scenario): Promise<Record<string, boolean>> {
  const failed = Object.fromEntries(item.checks.map((check) => [check.id, false]));
  let result: JobResults["check"];
  try {
    result = await inPool(run.id, { kind: "check", instance: { id: run.id, state: run.state }, definition: scenario });
  } catch (error) {
    // A full pool is not the learner's fault: the close is tried again on the next request.
    if (error instanceof LearnerJobStopped && error.reason !== "busy") return failed;
    throw error;
  }
  if (isTooLarge(result)) return failed;
  const passed = new Map(result.checks.map((check) => [check.id, check.passed]));
  return Object.fromEntries(item.checks.map((check) => [check.id, passed.get(check.id) === true]));
}

/**
 * What the closed paper sends to spaced review: every answered question not fully right, and every
 * check failing on a task the learner opened (a task never opened says nothing about a check).
 */
function missedItems(
  paper: Paper,
  checks: Readonly<Record<string, Readonly<Record<string, boolean>>>>,
  answers: readonly { questionId: string; score: number }[],
): ReviewItem[] {
  const items: ReviewItem[] = answers
    .filter((answer) => answer.score < 1)
    .map((answer) => ({ kind: "question", questionId: answer.questionId }));
  for (const item of paperItems(paper)) {
    const results = item.kind === "task" ? checks[item.key] : undefined;
    if (item.kind !== "task" || results === undefined) continue;
    const source =
      "task" in item.entry
        ? { source: "task" as const, sourceId: item.entry.task }
        : { source: "scenario" as const, sourceId: item.entry.scenario };
    for (const check of item.checks) if (results[check.id] !== true) items.push({ kind: "check", ...source, checkId: check.id });
  }
  return items;
}

/**
 * Closes and scores an attempt: each opened task's checks evaluated on its instance, the answers'
 * grades, `scorePaper`, stored in one transaction that only the first close gets to make. A task
 * changed while its checks ran (a command landing just before a submit) is evaluated again.
 */
function closeAttempt(database: Db, attemptId: string, by: "submitted" | "deadline"): Promise<void> {
  return closing.run(attemptId, async () => {
    const { catalog } = examsOffered();
    for (let round = 0; round < 3; round++) {
      const row = await database.examAttempt.findUniqueOrThrow({ where: { id: attemptId } });
      if (row.closedAt !== null) return;
      const paper = paperOf(row);
      const runs = await database.examTaskRun.findMany({
        where: { attemptId },
        select: { id: true, itemKey: true, state: true, revision: true },
      });
      const checks: Record<string, Record<string, boolean>> = {};
      for (const run of runs) {
        const item = taskItem(paper, run.itemKey);
        checks[run.itemKey] = await evaluateTask(run, item, resolveHandsOn(item.entry, catalog).scenario);
      }
      const now = new Date();
      const closedBy = by === "submitted" && now < row.deadline ? "submitted" : "deadline";
      const closedAt = closedBy === "deadline" ? row.deadline : now;
      try {
        await database.$transaction(async (tx) => {
          // The learner's row first, as every learner write takes it (lib/summaries, lib/review): the
          // review cards this close creates cannot race a quiz answer creating the same card.
          await tx.$executeRaw`UPDATE "User" SET "lastActiveAt" = "lastActiveAt" WHERE "id" = ${row.userId}`;
          // The learner's cohorts' exam item totals move with the close (lib/summaries/exam-totals.ts).
          await closeWithTotals(tx, row.userId, row.examId, async () => {
            const updated = await tx.examAttempt.updateMany({ where: { id: attemptId, closedAt: null }, data: { closedAt, closedBy } });
            if (updated.count !== 1) throw new AlreadyClosed();
            for (const run of runs) {
              const stored = await tx.examTaskRun.updateMany({
                where: { id: run.id, revision: run.revision },
                data: { checks: JSON.stringify(checks[run.itemKey]) },
              });
              if (stored.count !== 1) throw new TaskChanged();
            }
            if ((await tx.examTaskRun.count({ where: { attemptId } })) !== runs.length) throw new TaskChanged();
            // Read after the attempt's row is taken: an answer committed before is in, none can follow.
            const answers = await tx.examAnswer.findMany({
              where: { attemptId },
              select: { itemKey: true, questionId: true, score: true },
            });
            const outcomes: PaperOutcomes = {
              checks,
              questions: Object.fromEntries(answers.map((answer) => [answer.itemKey, answer.score])),
            };
            const score = scorePaper(paper, outcomes);
            await tx.examAttempt.update({
              where: { id: attemptId },
              data: { percent: score.percent, passed: score.passed, score: JSON.stringify(score) },
            });
            await enterReview(tx, row.userId, missedItems(paper, checks, answers), "exam", closedAt);
          });
        });
        return;
      } catch (error) {
        if (error instanceof AlreadyClosed) return;
        if (!(error instanceof TaskChanged)) throw error;
      }
    }
    throw new DomainError(409, "Your last commands were still being saved; try again in a moment.");
  });
}

// ---------------------------------------------------------------------------------------------
// Hands-on tasks

const tasks = new KeyedQueue();

type TaskRun = { id: string; state: string; revision: number; lastActiveAt: Date };

interface LoadedRun<Run = TaskRun> {
  row: AttemptRow;
  item: PaperTask;
  scenario: Scenario;
  run: Run;
}

/** A task's row read without its text, unless its instance was created just now. */
type RunMaybeText = Omit<TaskRun, "state"> & { state?: string };

const runSelect = { id: true, state: true, revision: true, lastActiveAt: true } as const;

/**
 * A task's terminal commands carry the instance's text only when no worker is known to hold the
 * row's current text (lib/isolation/instance-jobs.ts), as a scenario's do.
 */
const taskCommandJobs = new InstanceJobs(learnerPool);

/** The task row's text and revision (a command's instance when no worker holds it). */
async function runText(id: string): Promise<RowText | undefined> {
  return (await db().examTaskRun.findUnique({ where: { id }, select: { state: true, revision: true } })) ?? undefined;
}

/** The task's instance, made fresh on first use (its own cluster, as a scenario's). */
function loadRun(database: Db, userId: string, attemptId: string, itemKey: string): Promise<LoadedRun>;
function loadRun(database: Db, userId: string, attemptId: string, itemKey: string, withText: false): Promise<LoadedRun<RunMaybeText>>;
async function loadRun(
  database: Db,
  userId: string,
  attemptId: string,
  itemKey: string,
  withText = true,
): Promise<LoadedRun<RunMaybeText>> {
  const row = await openAttempt(database, userId, attemptId);
  const item = taskItem(paperOf(row), itemKey);
  const { scenario } = resolveHandsOn(item.entry, examsOffered().catalog);
  const where = { attemptId_itemKey: { attemptId: row.id, itemKey } };
  const existing = withText
    ? await database.examTaskRun.findUnique({ where, select: runSelect })
    : await database.examTaskRun.findUnique({ where, select: { id: true, revision: true, lastActiveAt: true } });
  if (existing) return { row, item, scenario, run: existing };
  const id = newInstanceId();
  const endpoint = endpointFor(id);
  const created = await inPool(id, { kind: "create", definition: scenario, ...(endpoint ? { endpoint } : {}) });
  if (isTooLarge(created)) throw new Error(`exam task ${itemKey}: a new instance is over the size limit (${created.tooLarge.bytes} bytes)`);
  try {
    const run = await database.$transaction(async (tx) => {
      await lockOpen(tx, row, new Date());
      return tx.examTaskRun.create({ data: { id, attemptId: row.id, itemKey, state: created.state }, select: runSelect });
    });
    return { row, item, scenario, run };
  } catch (error) {
    // Two first opens raced (two tabs): keep the other one's instance.
    if (!isUniqueViolation(error)) throw error;
    return withText ? loadRun(database, userId, attemptId, itemKey) : loadRun(database, userId, attemptId, itemKey, false);
  }
}

function ref(run: LoadedRun["run"]): InstanceRef {
  return { id: run.id, state: run.state };
}

function serializedTask<T>(attemptId: string, itemKey: string, work: () => Promise<T>): Promise<T> {
  return tasks.run(`${attemptId}:${itemKey}`, work);
}

/** Opens a task: its terminal's prompt, screen and history (no checks, no hints, no "why?"). */
export function openTask(userId: string, attemptId: string, itemKey: string): Promise<ExamTerminalSnapshot> {
  return serializedTask(attemptId, itemKey, async () => {
    const { run } = await loadRun(db(), userId, attemptId, itemKey);
    const view = await inPool(run.id, { kind: "view", instance: ref(run) });
    return { prompt: view.prompt, transcript: view.transcript, history: view.history };
  });
}

/** Counting time: a gap longer than this between commands is a pause, not work. */
const MAX_ACTIVE_GAP_SECONDS = 120;

const TASK_CHANGED = "This task was changed from another window. Reload the page to continue.";

/** The answer to an input that was stopped or refused: the message in the terminal, nothing saved. */
async function notApplied(run: RunMaybeText, message: string, exitCode: number): Promise<TerminalOutput> {
  let prompt = "$ ";
  try {
    const state = run.state ?? (await runText(run.id))?.state;
    if (state !== undefined) prompt = (await inPool(run.id, { kind: "view", instance: { id: run.id, state } })).prompt;
  } catch {
    // The instance's own prompt could not be read: a plain one.
  }
  return { output: `kubeprep: ${message}\n`, exitCode, prompt, why: [] };
}

export async function runTaskCommand(userId: string, attemptId: string, itemKey: string, input: string): Promise<TerminalOutput> {
  await limitTerminalCommand(await limiters(), userId);
  return serializedTask(attemptId, itemKey, async () => {
    const database = db();
    const { row, scenario, run } = await loadRun(database, userId, attemptId, itemKey, false);
    let ran: TaggedRun<"command"> | undefined;
    try {
      ran = await taskCommandJobs.run<"command">(
        run.id,
        run,
        () => runText(run.id),
        (instance, nextTag) => ({ kind: "command", instance, definition: scenario, input, nextTag }),
      );
    } catch (error) {
      if (!(error instanceof LearnerJobStopped)) throw error;
      return notApplied(run, error.message, error.reason === "deadline" ? 124 : error.reason === "memory" ? 137 : 1);
    }
    if (ran === undefined) throw new DomainError(409, TASK_CHANGED);
    const { result, revision, nextTag } = ran;
    if (isTooLarge(result)) return notApplied(run, "this command would make the task's saved state too large, so it was not kept", 1);
    const now = new Date();
    const gap = Math.min(MAX_ACTIVE_GAP_SECONDS, Math.max(0, Math.round((now.getTime() - run.lastActiveAt.getTime()) / 1000)));
    try {
      await database.$transaction(async (tx) => {
        await lockOpen(tx, row, now);
        const updated = await tx.examTaskRun.updateMany({
          where: { id: run.id, revision },
          data: {
            state: result.state,
            revision: { increment: 1 },
            commandCount: { increment: 1 },
            timeSpentSeconds: { increment: gap },
            lastActiveAt: now,
          },
        });
        if (updated.count !== 1) throw new DomainError(409, TASK_CHANGED);
      });
    } catch (error) {
      taskCommandJobs.storeFailed(run.id);
      throw error;
    }
    taskCommandJobs.stored(run.id, revision, nextTag);
    // No checks and no "why?" during an exam.
    return {
      output: result.output,
      exitCode: result.exitCode,
      ...(result.clear ? { clear: true } : {}),
      ...(result.openEditor ? { openEditor: result.openEditor } : {}),
      prompt: result.prompt,
      why: [],
    };
  });
}

export function completeTaskLine(userId: string, attemptId: string, itemKey: string, line: string, cursor: number) {
  return serializedTask(attemptId, itemKey, async () => {
    const { run } = await loadRun(db(), userId, attemptId, itemKey);
    try {
      return await inPool(run.id, { kind: "complete", instance: ref(run), line, cursor });
    } catch (error) {
      if (error instanceof LearnerJobStopped) return { candidates: [], start: cursor };
      throw error;
    }
  });
}

export function saveTaskFile(userId: string, attemptId: string, itemKey: string, path: string, content: string): Promise<void> {
  return serializedTask(attemptId, itemKey, async () => {
    const database = db();
    const { row, run } = await loadRun(database, userId, attemptId, itemKey);
    const written = await inPool(run.id, { kind: "write-file", instance: ref(run), path, content });
    if (isTooLarge(written)) throw new DomainError(413, `Saving ${path} would make the task's saved state too large; it was not kept.`);
    if ("error" in written) throw new DomainError(422, `${path}: ${written.error}`);
    await database.$transaction(async (tx) => {
      await lockOpen(tx, row, new Date());
      const updated = await tx.examTaskRun.updateMany({
        where: { id: run.id, revision: run.revision },
        data: { state: written.state, revision: { increment: 1 } },
      });
      if (updated.count !== 1) throw new DomainError(409, TASK_CHANGED);
    });
  });
}

export function taskKubeconfig(userId: string, attemptId: string, itemKey: string): Promise<string> {
  return serializedTask(attemptId, itemKey, async () => {
    const { run } = await loadRun(db(), userId, attemptId, itemKey);
    const file = await inPool(run.id, { kind: "read-file", instance: ref(run), path: "~/.kube/config" });
    if (file === undefined) throw new DomainError(404, "This task's terminal has no kubeconfig at ~/.kube/config.");
    return file.content;
  });
}

// ---------------------------------------------------------------------------------------------
// The report

/** An answer that picks nothing, to grade an unanswered question for its correct answer. */
function emptyResponse(question: Question): QuizResponse {
  return question.type === "single" || question.type === "multiple" ? { optionIds: [] } : { text: "" };
}

/** The score report, only once the attempt is closed: everything the paper held back. */
export async function getReport(userId: string, attemptId: string): Promise<ExamReport> {
  const database = db();
  const row = await current(database, userId, attemptId);
  if (row.closedAt === null || row.score === null) throw new DomainError(409, "The report is shown once the exam is finished.");
  const { catalog } = examsOffered();
  const paper = paperOf(row);
  const score = JSON.parse(row.score) as PaperScore;
  const [answers, runs] = await Promise.all([
    database.examAnswer.findMany({ where: { attemptId: row.id } }),
    database.examTaskRun.findMany({
      where: { attemptId: row.id },
      select: { itemKey: true, commandCount: true, timeSpentSeconds: true },
    }),
  ]);
  const answerOf = new Map(answers.map((answer) => [answer.itemKey, answer]));
  const runOf = new Map(runs.map((run) => [run.itemKey, run]));
  const scoreOf = new Map(score.items.map((item) => [item.key, item]));
  const topicTitles = new Map((loadCourse().topics ?? []).map((topic) => [topic.id, topic.title]));
  const items = paper.sections.flatMap((section) =>
    section.items.map((item): ReportTask | ReportQuestion => {
      const scored = scoreOf.get(item.key);
      const earned = scored?.earned ?? 0;
      if (item.kind === "task") {
        const { scenario } = resolveHandsOn(item.entry, catalog);
        const run = runOf.get(item.key);
        const checkScores = new Map((scored?.checks ?? []).map((check) => [check.id, check]));
        return {
          kind: "task",
          key: item.key,
          sectionId: section.id,
          title: scenario.title,
          earned,
          possible: item.points,
          opened: run !== undefined,
          commandCount: run?.commandCount ?? 0,
          timeSpentSeconds: run?.timeSpentSeconds ?? 0,
          checks: item.checks.map((check) => ({
            id: check.id,
            description: scenario.checks.find((candidate) => candidate.id === check.id)?.description ?? check.id,
            weight: check.weight,
            passed: checkScores.get(check.id)?.passed ?? false,
            credited: checkScores.get(check.id)?.credited ?? false,
          })),
          solution: [...scenario.solution],
        };
      }
      const question = catalog.questions.get(item.questionId);
      if (!question) throw new Error(`the paper names an unknown question ${item.questionId}`);
      const answer = answerOf.get(item.key);
      const response = answer ? (JSON.parse(answer.response) as QuizResponse) : emptyResponse(question);
      return {
        kind: "question",
        key: item.key,
        sectionId: section.id,
        prompt: question.prompt,
        earned,
        possible: item.points,
        answered: answer !== undefined,
        ...(answer && "text" in response ? { answerText: response.text } : {}),
        timeSpentSeconds: answer?.timeSpentSeconds ?? 0,
        feedback: gradingFeedback(question, gradeAnswer(question, response)),
      };
    }),
  );
  return {
    attemptId: row.id,
    examId: row.examId,
    title: examTitle(row.examId),
    number: row.number,
    startedAt: row.startedAt.toISOString(),
    closedAt: row.closedAt.toISOString(),
    closedBy: row.closedBy === "deadline" ? "deadline" : "submitted",
    durationMinutes: paper.durationMinutes,
    percent: score.percent,
    passMark: score.passMark,
    passed: score.passed,
    sections: score.sections.map((section) => ({ id: section.id, title: section.title, percent: section.percent })),
    // Weakest first: what to revisit.
    topics: score.topics
      .map((topic) => ({ id: topic.id, title: topicTitles.get(topic.id) ?? topic.id, percent: topic.percent }))
      .sort((a, b) => a.percent - b.percent || a.title.localeCompare(b.title)),
    items,
  };
}
