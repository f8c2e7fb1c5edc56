import "server-only";
import type { Db } from "../db/client";
import type { Tx } from "../summaries/student-summary";
import { itemKey, type ReviewItem } from "./items";
import { newReviewCard, type ReviewCard } from "./schedule";

/** Where an item entered review. */
export type ReviewSource = "quiz" | "scenario" | "exam" | "manual";

/** A card row's FSRS fields, as ts-fsrs takes them. */
export interface CardRow {
  due: Date;
  stability: number;
  difficulty: number;
  elapsedDays: number;
  scheduledDays: number;
  learningSteps: number;
  reps: number;
  lapses: number;
  state: number;
  lastReview: Date | null;
}

export const cardFields = {
  due: true,
  stability: true,
  difficulty: true,
  elapsedDays: true,
  scheduledDays: true,
  learningSteps: true,
  reps: true,
  lapses: true,
  state: true,
  lastReview: true,
} as const;

export function toFsrs(row: CardRow): ReviewCard {
  return {
    due: row.due,
    stability: row.stability,
    difficulty: row.difficulty,
    elapsed_days: row.elapsedDays,
    scheduled_days: row.scheduledDays,
    learning_steps: row.learningSteps,
    reps: row.reps,
    lapses: row.lapses,
    state: row.state,
    ...(row.lastReview ? { last_review: row.lastReview } : {}),
  };
}

export function fromFsrs(card: ReviewCard): CardRow {
  return {
    due: card.due,
    stability: card.stability,
    difficulty: card.difficulty,
    elapsedDays: card.elapsed_days,
    scheduledDays: card.scheduled_days,
    learningSteps: card.learning_steps,
    reps: card.reps,
    lapses: card.lapses,
    state: card.state,
    lastReview: card.last_review ?? null,
  };
}

/**
 * Puts missed items into the learner's review, inside the caller's transaction (a quiz answer, a
 * scenario given up, an exam closed, "Add to review"). An item gets one card per learner: a new
 * one is due at once; an existing one keeps its FSRS memory (stability, difficulty, reps, lapses)
 * and is only brought forward to `now` when it was due later, so a fresh miss comes back in the
 * next session, where its review records the lapse as FSRS does. Never resets a schedule.
 * Returns how many cards were created.
 */
export async function enterReview(
  tx: Tx,
  userId: string,
  items: readonly ReviewItem[],
  source: ReviewSource,
  now = new Date(),
): Promise<number> {
  const keys = new Map(items.map((item) => [itemKey(item), item.kind]));
  if (keys.size === 0) return 0;
  const existing = await tx.reviewCard.findMany({ where: { userId, itemKey: { in: [...keys.keys()] } }, select: { itemKey: true } });
  const known = new Set(existing.map((row) => row.itemKey));
  const fresh = fromFsrs(newReviewCard(now));
  let created = 0;
  for (const [key, kind] of keys) {
    if (known.has(key)) continue;
    await tx.reviewCard.create({ data: { userId, itemKey: key, kind, source, ...fresh }, select: { id: true } });
    created += 1;
  }
  if (known.size > 0)
    await tx.reviewCard.updateMany({ where: { userId, itemKey: { in: [...known] }, due: { gt: now } }, data: { due: now } });
  return created;
}

/**
 * A write of one learner's review data, serialized with that learner's other writes by locking
 * their User row first (as lib/summaries does), so two tabs cannot review one card twice at once.
 */
export function reviewWrite<T>(database: Db, userId: string, write: (tx: Tx) => Promise<T>): Promise<T> {
  return database.$transaction(async (tx) => {
    await tx.$executeRaw`UPDATE "User" SET "lastActiveAt" = "lastActiveAt" WHERE "id" = ${userId}`;
    return write(tx);
  });
}

/** How many of the learner's cards are due now: one count on the (userId, due) index (navigation, dashboard). */
export function dueCount(database: Db, userId: string, now = new Date()): Promise<number> {
  return database.reviewCard.count({ where: { userId, due: { lte: now } } });
}
