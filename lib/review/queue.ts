/**
 * The learner's due review queue: which cards are due at `now`, most overdue first. Linear in the
 * number of cards plus a sort of the due ones, so 5,000 cards take well under a millisecond or two.
 * (The counts for now and the week come from index counts in the database: lib/review/service.ts.)
 */

export interface DueEntry {
  id: string;
  /** Epoch milliseconds (what a database column or `Date.getTime()` gives). */
  dueMs: number;
}

/** The due cards, most overdue first (ties by id, so the order is stable), at most `limit` of them. */
export function dueQueue<T extends DueEntry>(cards: readonly T[], now: Date, limit = Number.POSITIVE_INFINITY): T[] {
  const nowMs = now.getTime();
  const due: T[] = [];
  for (const card of cards) if (card.dueMs <= nowMs) due.push(card);
  due.sort((a, b) => a.dueMs - b.dueMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return Number.isFinite(limit) ? due.slice(0, Math.max(0, Math.floor(limit))) : due;
}
