import "server-only";
import type { Db } from "../db/client";
import { visibleWhere } from "./visibility";

// A student's spaced review (lib/review, the ReviewCard and ReviewLog rows) as a cohort's
// instructors see it: reviews done since joining, and the cards that entered review since joining
// (what a student got wrong before joining is not the cohort's business). Counts only: which
// items a student reviews stays on the student's own Review page. Both read through the
// (userId, reviewedAt) and (userId, due) indexes.

const DAY = 86_400_000;

/** A review rated good (3) or easy (4) counts as recalled; again (1) and hard (2) do not. */
const RECALLED_RATING = 3;

export interface ReviewActivity {
  reviewsLast7Days: number;
  reviewsLast30Days: number;
  /** Cards due now (due ≤ now). */
  cardsDue: number;
  /** Cards in review in all. */
  cards: number;
  /** Share of the last 30 days' reviews rated good or easy; null without reviews. */
  retention: number | null;
  lastReviewAt: Date | null;
}

const later = (a: Date, b: Date) => (a > b ? a : b);

/** One student's review activity for the cohort (the drill-down page); `joinedAt` is their membership's. */
export async function reviewActivity(database: Db, userId: string, joinedAt: Date, now = new Date()): Promise<ReviewActivity> {
  const since = (days: number) => ({ gte: later(new Date(now.getTime() - days * DAY), joinedAt) });
  const [last7, last30, recalled30, last, cards, cardsDue] = await Promise.all([
    database.reviewLog.count({ where: { userId, reviewedAt: since(7) } }),
    database.reviewLog.count({ where: { userId, reviewedAt: since(30) } }),
    database.reviewLog.count({ where: { userId, reviewedAt: since(30), rating: { gte: RECALLED_RATING } } }),
    database.reviewLog.findFirst({
      where: { userId, ...visibleWhere.reviewLog(joinedAt) },
      orderBy: { reviewedAt: "desc" },
      select: { reviewedAt: true },
    }),
    database.reviewCard.count({ where: { userId, ...visibleWhere.reviewCard(joinedAt) } }),
    database.reviewCard.count({ where: { userId, due: { lte: now }, ...visibleWhere.reviewCard(joinedAt) } }),
  ]);
  return {
    reviewsLast7Days: last7,
    reviewsLast30Days: last30,
    cardsDue,
    cards,
    retention: last30 > 0 ? recalled30 / last30 : null,
    lastReviewAt: last?.reviewedAt ?? null,
  };
}

/** Reviews in the last 7 days per student, for one page of the cohort's students (the overview's column). */
export async function reviewsLastWeek(
  database: Db,
  students: { userId: string; joinedAt: Date }[],
  now = new Date(),
): Promise<Map<string, number>> {
  if (students.length === 0) return new Map();
  const weekAgo = new Date(now.getTime() - 7 * DAY);
  const rows = await database.reviewLog.groupBy({
    by: ["userId"],
    // One branch per student of the page (25): each from the later of a week ago and their joining.
    where: { OR: students.map((student) => ({ userId: student.userId, reviewedAt: { gte: later(weekAgo, student.joinedAt) } })) },
    _count: { _all: true },
  });
  return new Map(rows.map((row) => [row.userId, row._count._all]));
}
