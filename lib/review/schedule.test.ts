import { describe, expect, it } from "vitest";
import { Rating, State } from "ts-fsrs";
import { newReviewCard, ratingFor, recallProbability, reviewCard, type ReviewCard, type ReviewOutcome } from "./schedule";

const start = new Date("2026-12-07T09:00:00Z");
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const graded = (status: "correct" | "partial" | "incorrect", elapsedMs = 20_000, expectedMs = 30_000): ReviewOutcome => ({
  kind: "graded",
  status,
  elapsedMs,
  expectedMs,
});

describe("ratingFor", () => {
  it.each([
    [graded("incorrect", 5_000), Rating.Again],
    [graded("partial", 5_000), Rating.Hard],
    [graded("correct", 15_000), Rating.Easy],
    [graded("correct", 15_001), Rating.Good],
    [graded("correct", 60_000), Rating.Good],
    [graded("correct", 60_001), Rating.Hard],
    [graded("correct", -1), Rating.Good],
    [graded("correct", Number.NaN), Rating.Good],
    [graded("correct", 1_000, 0), Rating.Good],
    [{ kind: "self-rated", rating: "got-it" } as const, Rating.Good],
    [{ kind: "self-rated", rating: "partly" } as const, Rating.Hard],
    [{ kind: "self-rated", rating: "missed" } as const, Rating.Again],
  ])("%j → %i", (outcome, rating) => {
    expect(ratingFor(outcome)).toBe(rating);
  });
});

/** Reviews a card at each step's due date with the given outcomes. */
function history(outcomes: ReviewOutcome[]): ReviewCard[] {
  const cards: ReviewCard[] = [newReviewCard(start)];
  for (const outcome of outcomes) {
    const card = cards.at(-1);
    if (card === undefined) throw new Error("no card");
    cards.push(reviewCard(card, outcome, card.due).card);
  }
  return cards;
}

describe("reviewCard", () => {
  it("a new card is due at once", () => {
    expect(newReviewCard(start).due).toEqual(start);
    expect(newReviewCard(start).state).toBe(State.New);
  });

  it("a wrong answer comes back within minutes, a right one days later", () => {
    const card = newReviewCard(start);
    const wrong = reviewCard(card, graded("incorrect"), start).card;
    expect(wrong.due.getTime() - start.getTime()).toBeLessThanOrEqual(10 * MINUTE);
    const easy = reviewCard(card, graded("correct", 5_000), start).card;
    expect(easy.due.getTime() - start.getTime()).toBeGreaterThanOrEqual(DAY);
  });

  it("intervals grow while the learner keeps answering right, and shrink after a lapse", () => {
    const cards = history([graded("correct"), graded("correct"), graded("correct"), graded("correct"), graded("correct")]);
    const intervals = cards.slice(1).map((card) => card.scheduled_days);
    for (let index = 2; index < intervals.length; index += 1) expect(intervals[index]).toBeGreaterThan(intervals[index - 1] ?? 0);
    const last = cards.at(-1);
    if (last === undefined) throw new Error("no card");
    const lapsed = reviewCard(last, graded("incorrect"), last.due);
    expect(lapsed.rating).toBe(Rating.Again);
    expect(lapsed.card.lapses).toBe(last.lapses + 1);
    expect(lapsed.card.due.getTime() - last.due.getTime()).toBeLessThan(DAY);
  });

  it("caps intervals at about a year", () => {
    // ts-fsrs keeps each answer's interval above the one for the next lower rating, so it may pass the cap by a day or two.
    for (const elapsedMs of [1_000, 20_000]) {
      const longest = Math.max(
        ...history(Array.from({ length: 20 }, () => graded("correct", elapsedMs))).map((card) => card.scheduled_days),
      );
      expect(longest).toBeGreaterThan(300);
      expect(longest).toBeLessThanOrEqual(367);
    }
  });

  it("the same history gives the same dates (no fuzz)", () => {
    const outcomes = [graded("correct"), graded("partial"), graded("correct", 1_000)];
    expect(history(outcomes).map((card) => card.due.toISOString())).toEqual(history(outcomes).map((card) => card.due.toISOString()));
  });

  it("recall probability is high at review and falls with time", () => {
    const card = reviewCard(newReviewCard(start), graded("correct"), start).card;
    const soon = recallProbability(card, new Date(start.getTime() + MINUTE));
    const later = recallProbability(card, new Date(start.getTime() + 60 * DAY));
    expect(soon).toBeGreaterThan(0.95);
    expect(later).toBeLessThan(soon);
    expect(recallProbability(newReviewCard(start), start)).toBe(0);
  });
});
