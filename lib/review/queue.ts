/**
 * The learner's due review queue: which cards are due at `now`, most overdue first. Linear in the
 * number of cards plus a sort of the due ones, so 5,000 cards take well under a millisecond or two.
 */

export interface DueEntry {
  id: string;
  /** Epoch milliseconds (what a database column or `Date.getTime()` gives). */
  dueMs: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The due cards, most overdue first (ties by id, so the order is stable), at most `limit` of them. */
export function dueQueue<T extends DueEntry>(cards: readonly T[], now: Date, limit = Number.POSITIVE_INFINITY): T[] {
  const nowMs = now.getTime();
  const due: T[] = [];
  for (const card of cards) if (card.dueMs <= nowMs) due.push(card);
  due.sort((a, b) => a.dueMs - b.dueMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return Number.isFinite(limit) ? due.slice(0, Math.max(0, Math.floor(limit))) : due;
}

/** How many cards are due now, and how many more fall due within the next 7 days (the "this week" count). */
export function dueCounts(cards: readonly DueEntry[], now: Date): { dueNow: number; dueThisWeek: number } {
  const nowMs = now.getTime();
  const weekMs = nowMs + 7 * DAY_MS;
  let dueNow = 0;
  let dueThisWeek = 0;
  for (const card of cards) {
    if (card.dueMs <= nowMs) dueNow += 1;
    else if (card.dueMs <= weekMs) dueThisWeek += 1;
  }
  return { dueNow, dueThisWeek };
}
