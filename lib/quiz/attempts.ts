import "server-only";
import type { Db } from "../db/client";
import { isUniqueViolation } from "../db/errors";
import type { GradeResult } from "./grade";
import type { QuizResponse } from "./response";
import { quizResponseSchema } from "./response";
import { writeWithSummaries, type Tx } from "../summaries/student-summary";
import { enterReview } from "../review/cards";

export interface NewAttempt {
  userId: string;
  questionId: string;
  moduleId: string;
  lessonSlug: string;
  submissionId: string;
  response: QuizResponse;
  result: GradeResult;
  durationMs?: number;
}

export interface StoredAttempt {
  id: string;
  isFirst: boolean;
  score: number;
  correct: boolean;
  /** The response as first stored (for a repeated submissionId, the original one). */
  response: QuizResponse;
  /** True when this submissionId had been stored before: nothing new was written. */
  duplicate: boolean;
}

const attemptSelect = { id: true, isFirst: true, score: true, correct: true, response: true } as const;

/**
 * A question answered wrong or partly right (or an open answer rated "partly" or "missed") goes
 * into the learner's spaced review, in the attempt's transaction. A written open answer that
 * awaits its self-rating says nothing yet.
 */
function missed(result: GradeResult): boolean {
  if (result.awaitingRating) return false;
  return result.selfRating === undefined ? !result.correct : result.selfRating !== "got-it";
}

async function enterIfMissed(tx: Tx, userId: string, questionId: string, result: GradeResult): Promise<void> {
  if (missed(result)) await enterReview(tx, userId, [{ kind: "question", questionId }], "quiz");
}

function toStored(
  row: { id: string; isFirst: boolean; score: number; correct: boolean; response: unknown },
  duplicate: boolean,
): StoredAttempt {
  const response = quizResponseSchema.parse(row.response);
  return { id: row.id, isFirst: row.isFirst, score: row.score, correct: row.correct, response, duplicate };
}

async function findSubmission(database: Db, userId: string, submissionId: string): Promise<StoredAttempt | undefined> {
  const row = await database.questionAttempt.findUnique({
    where: { userId_submissionId: { userId, submissionId } },
    select: attemptSelect,
  });
  return row ? toStored(row, true) : undefined;
}

/**
 * Stores one graded submission. Exactly one row per (user, submissionId) and exactly one
 * first attempt per (user, question), both enforced by unique indexes rather than by a
 * read-then-write, so a double click, a retry or two tabs racing cannot break either rule.
 * Each insert is one transaction with the learner's report summaries (a unique violation rolls
 * both back before the retry).
 */
export async function recordAttempt(database: Db, attempt: NewAttempt): Promise<StoredAttempt> {
  const existing = await findSubmission(database, attempt.userId, attempt.submissionId);
  if (existing) return existing;
  const data = {
    userId: attempt.userId,
    questionId: attempt.questionId,
    moduleId: attempt.moduleId,
    lessonSlug: attempt.lessonSlug,
    submissionId: attempt.submissionId,
    response: attempt.response,
    score: attempt.result.score,
    correct: attempt.result.correct,
    selfRating: attempt.result.selfRating ?? null,
    durationMs: attempt.durationMs ?? null,
  };
  const answeredBefore = await database.questionAttempt.count({
    where: { userId: attempt.userId, questionId: attempt.questionId },
  });
  if (answeredBefore === 0) {
    try {
      const row = await writeWithSummaries(database, attempt.userId, async (tx) => {
        const created = await tx.questionAttempt.create({
          data: { ...data, isFirst: true, firstQuestionId: attempt.questionId },
          select: attemptSelect,
        });
        await enterIfMissed(tx, attempt.userId, attempt.questionId, attempt.result);
        return created;
      });
      return toStored(row, false);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Either this submission was stored meanwhile, or another one became the first attempt.
      const raced = await findSubmission(database, attempt.userId, attempt.submissionId);
      if (raced) return raced;
    }
  }
  try {
    const row = await writeWithSummaries(database, attempt.userId, async (tx) => {
      const created = await tx.questionAttempt.create({ data: { ...data, isFirst: false, firstQuestionId: null }, select: attemptSelect });
      await enterIfMissed(tx, attempt.userId, attempt.questionId, attempt.result);
      return created;
    });
    return toStored(row, false);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const raced = await findSubmission(database, attempt.userId, attempt.submissionId);
    if (raced) return raced;
    throw error;
  }
}

/**
 * Adds the learner's self-rating to their stored written answer of an open question (the same
 * submission, the same text, not rated before). Conditional update, so a repeat or a race rates once.
 */
export async function rateOpenAttempt(
  database: Db,
  attempt: { userId: string; questionId: string; submissionId: string; response: QuizResponse; result: GradeResult },
): Promise<boolean> {
  if (attempt.result.selfRating === undefined || !("text" in attempt.response)) return false;
  const stored = await database.questionAttempt.findUnique({
    where: { userId_submissionId: { userId: attempt.userId, submissionId: attempt.submissionId } },
    select: { questionId: true, response: true, selfRating: true },
  });
  const previous = stored ? quizResponseSchema.safeParse(stored.response) : undefined;
  if (!stored || stored.questionId !== attempt.questionId || stored.selfRating !== null || !previous?.success) return false;
  if (!("text" in previous.data) || previous.data.text !== attempt.response.text) return false;
  const updated = await writeWithSummaries(database, attempt.userId, async (tx) => {
    const rated = await tx.questionAttempt.updateMany({
      where: { userId: attempt.userId, submissionId: attempt.submissionId, selfRating: null },
      data: {
        response: attempt.response,
        selfRating: attempt.result.selfRating,
        score: attempt.result.score,
        correct: attempt.result.correct,
      },
    });
    if (rated.count === 1) await enterIfMissed(tx, attempt.userId, attempt.questionId, attempt.result);
    return rated;
  });
  return updated.count === 1;
}

/** Whether this learner has a stored, non-empty written answer to this question (the condition to reveal a model answer). */
export async function hasWrittenAttempt(database: Db, userId: string, questionId: string): Promise<boolean> {
  const rows = await database.questionAttempt.findMany({
    where: { userId, questionId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 20,
    select: { response: true },
  });
  return rows.some((row) => {
    const response = quizResponseSchema.safeParse(row.response);
    return response.success && "text" in response.data && response.data.text.trim() !== "";
  });
}

export interface QuestionStats {
  questionId: string;
  attempts: number;
  firstScore: number | null;
  bestScore: number;
  lastScore: number;
  lastAnsweredAt: Date;
  lastResponse: QuizResponse;
  /** The newest attempt's submission id and self-rating (open questions: null until rated). */
  lastSubmissionId: string;
  lastSelfRating: string | null;
}

/**
 * First, best and last score per question for one user (optionally only some questions):
 * one grouped aggregate for counts and best scores, the flagged first attempts, and the
 * newest attempt per question.
 */
export async function questionStats(database: Db, userId: string, questionIds?: string[]): Promise<Map<string, QuestionStats>> {
  const where = { userId, ...(questionIds ? { questionId: { in: questionIds } } : {}) };
  const [groups, firsts, lasts] = await Promise.all([
    database.questionAttempt.groupBy({
      by: ["questionId"],
      where,
      _count: { _all: true },
      _max: { score: true },
    }),
    database.questionAttempt.findMany({ where: { ...where, isFirst: true }, select: { questionId: true, score: true } }),
    database.questionAttempt.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      distinct: ["questionId"],
      select: { questionId: true, score: true, createdAt: true, response: true, submissionId: true, selfRating: true },
    }),
  ]);
  const firstScores = new Map(firsts.map((row) => [row.questionId, row.score]));
  const lastRows = new Map(lasts.map((row) => [row.questionId, row]));
  const stats = new Map<string, QuestionStats>();
  for (const group of groups) {
    const last = lastRows.get(group.questionId);
    if (!last) continue;
    const response = quizResponseSchema.safeParse(last.response);
    if (!response.success) continue;
    stats.set(group.questionId, {
      questionId: group.questionId,
      attempts: group._count._all,
      firstScore: firstScores.get(group.questionId) ?? null,
      bestScore: group._max.score ?? 0,
      lastScore: last.score,
      lastAnsweredAt: last.createdAt,
      lastResponse: response.data,
      lastSubmissionId: last.submissionId,
      lastSelfRating: last.selfRating,
    });
  }
  return stats;
}
