import "server-only";
import type { Db } from "../db/client";
import { isUniqueViolation } from "../db/errors";
import { getLesson, type Lesson } from "../content/load";
import { DomainError } from "../http/errors";

import { writeWithSummaries, type Tx } from "../summaries/student-summary";
import { MAX_HEARTBEAT_SECONDS } from "./limits";

type LessonKey = { userId: string; moduleId: string; lessonSlug: string };

function keyOf(userId: string, lesson: Lesson): LessonKey {
  return { userId, moduleId: lesson.moduleId, lessonSlug: lesson.slug };
}

export const lessonProgressSelect = {
  moduleId: true,
  lessonSlug: true,
  firstVisitedAt: true,
  lastVisitedAt: true,
  completedAt: true,
  completedBy: true,
  timeSpentSeconds: true,
} as const;

export interface LessonProgressRow {
  moduleId: string;
  lessonSlug: string;
  firstVisitedAt: Date;
  lastVisitedAt: Date;
  completedAt: Date | null;
  completedBy: string | null;
  timeSpentSeconds: number;
}

/**
 * Upsert that survives two first requests racing to create the row; `then` runs in the same
 * transaction, and the learner's report summaries are recomputed in it.
 */
async function upsertProgress(
  database: Db,
  key: LessonKey,
  update: { lastVisitedAt?: Date },
  then?: (tx: Tx) => Promise<unknown>,
): Promise<LessonProgressRow> {
  const args = {
    where: { userId_moduleId_lessonSlug: key },
    create: { ...key },
    update,
    select: lessonProgressSelect,
  };
  const write = () =>
    writeWithSummaries(database, key.userId, async (tx) => {
      const row = await tx.lessonProgress.upsert(args);
      if (!then) return row;
      await then(tx);
      return tx.lessonProgress.findUniqueOrThrow({ where: { userId_moduleId_lessonSlug: key }, select: lessonProgressSelect });
    });
  try {
    return await write();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return write();
  }
}

/** A page view: first visit creates the row, later ones move `lastVisitedAt`. */
export function recordVisit(database: Db, userId: string, lesson: Lesson, now = new Date()): Promise<LessonProgressRow> {
  return upsertProgress(database, keyOf(userId, lesson), { lastVisitedAt: now });
}

/**
 * Adds visible time. A beat counts at most MAX_HEARTBEAT_SECONDS and at most the time since
 * the previous counted beat (plus a little slack for timers), so a client that sends beats
 * faster or bigger than real time cannot inflate the total.
 */
export async function recordHeartbeat(database: Db, userId: string, lesson: Lesson, seconds: number, now = new Date()): Promise<number> {
  const key = keyOf(userId, lesson);
  const row = await database.lessonProgress.findUnique({
    where: { userId_moduleId_lessonSlug: key },
    select: { id: true, lastHeartbeatAt: true },
  });
  if (!row) {
    await upsertProgress(database, key, {});
    return recordHeartbeat(database, userId, lesson, seconds, now);
  }
  const sinceLast = row.lastHeartbeatAt ? Math.floor((now.getTime() - row.lastHeartbeatAt.getTime()) / 1000) + 2 : MAX_HEARTBEAT_SECONDS;
  const counted = Math.max(0, Math.min(Math.floor(seconds), MAX_HEARTBEAT_SECONDS, sinceLast));
  // Compare-and-set on lastHeartbeatAt: of two beats racing, only one counts.
  const updated = await writeWithSummaries(database, userId, (tx) =>
    tx.lessonProgress.updateMany({
      where: { id: row.id, lastHeartbeatAt: row.lastHeartbeatAt },
      data: { timeSpentSeconds: { increment: counted }, lastHeartbeatAt: now, lastVisitedAt: now },
    }),
  );
  return updated.count === 1 ? counted : 0;
}

/** Marks a lesson complete once; the first reason (questions or manual) is kept. */
export async function markLessonComplete(
  database: Db,
  userId: string,
  lesson: Lesson,
  by: "questions" | "manual",
  now = new Date(),
): Promise<LessonProgressRow> {
  const key = keyOf(userId, lesson);
  return upsertProgress(database, key, {}, (tx) =>
    tx.lessonProgress.updateMany({ where: { ...key, completedAt: null }, data: { completedAt: now, completedBy: by, lastVisitedAt: now } }),
  );
}

/** Completes the lesson when every embedded question has at least one attempt. Returns whether it is complete. */
export async function completeIfAllAnswered(database: Db, userId: string, lesson: Lesson): Promise<boolean> {
  if (lesson.questionIds.length === 0) return false;
  const answered = await database.questionAttempt.groupBy({
    by: ["questionId"],
    where: { userId, questionId: { in: lesson.questionIds } },
  });
  if (answered.length < new Set(lesson.questionIds).size) return false;
  const row = await markLessonComplete(database, userId, lesson, "questions");
  return row.completedAt !== null;
}

export function getLessonProgress(database: Db, userId: string, lesson: Lesson): Promise<LessonProgressRow | null> {
  return database.lessonProgress.findUnique({
    where: { userId_moduleId_lessonSlug: keyOf(userId, lesson) },
    select: lessonProgressSelect,
  });
}

/** The lesson a progress request names, or 404. */
export function lessonOr404(ref: { moduleId: string; lessonSlug: string }): Lesson {
  const lesson = getLesson(ref.moduleId, ref.lessonSlug);
  if (!lesson) throw new DomainError(404, `There is no lesson "${ref.moduleId}/${ref.lessonSlug}".`);
  return lesson;
}
