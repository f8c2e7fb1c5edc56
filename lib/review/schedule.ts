/**
 * Spaced review with FSRS (ts-fsrs): how a graded outcome becomes a rating, and a rating the card's
 * next due date. A card is a ts-fsrs `Card` (dates, stability, difficulty, counts), stored per
 * learner and item by whoever calls this; nothing here reads a clock or a database.
 */
import { createEmptyCard, fsrs, generatorParameters, Rating, type Card, type Grade, type ReviewLog } from "ts-fsrs";

export type { Card as ReviewCard, ReviewLog } from "ts-fsrs";

/**
 * The scheduler: 90% target retention, intervals up to a year (a certification is months away, not
 * decades), no fuzz, so the same history gives the same dates on every server.
 */
const scheduler = fsrs(generatorParameters({ request_retention: 0.9, maximum_interval: 365, enable_fuzz: false }));

/** What happened when the item came up: graded by the server, or rated by the learner (open questions). */
export type ReviewOutcome =
  | {
      kind: "graded";
      status: "correct" | "partial" | "incorrect";
      /** How long the learner took, and how long the item should take someone who knows it. */
      elapsedMs: number;
      expectedMs: number;
    }
  | { kind: "self-rated"; rating: "got-it" | "partly" | "missed" };

/** Correct in at most this share of the expected time: easy. */
const FAST = 0.5;
/** Correct but slower than this multiple of the expected time: it was hard. */
const SLOW = 2;

export function ratingFor(outcome: ReviewOutcome): Grade {
  if (outcome.kind === "self-rated") {
    // A learner's own "got it" is taken as good, never easy: self-ratings run optimistic.
    return outcome.rating === "got-it" ? Rating.Good : outcome.rating === "partly" ? Rating.Hard : Rating.Again;
  }
  if (outcome.status === "incorrect") return Rating.Again;
  if (outcome.status === "partial") return Rating.Hard;
  const { elapsedMs, expectedMs } = outcome;
  // A time we cannot trust (a clock jump, a missing value) says nothing: plain good.
  if (!(Number.isFinite(elapsedMs) && elapsedMs >= 0 && Number.isFinite(expectedMs) && expectedMs > 0)) return Rating.Good;
  if (elapsedMs <= expectedMs * FAST) return Rating.Easy;
  if (elapsedMs > expectedMs * SLOW) return Rating.Hard;
  return Rating.Good;
}

/** A card for an item that has just entered review (a missed question, a failed check), due now. */
export function newReviewCard(now: Date): Card {
  return createEmptyCard(now);
}

/** The card after a review at `now`, with its next due date, and the review's log entry. */
export function reviewCard(card: Card, outcome: ReviewOutcome, now: Date): { card: Card; log: ReviewLog; rating: Grade } {
  const rating = ratingFor(outcome);
  const { card: next, log } = scheduler.next(card, now, rating);
  return { card: next, log, rating };
}

/** The probability (0..1) that the learner still recalls the item at `now`; 0 for a card never reviewed. */
export function recallProbability(card: Card, now: Date): number {
  return scheduler.get_retrievability(card, now, false);
}
