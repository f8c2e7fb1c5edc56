import "server-only";
import type { Db } from "../db/client";
import { Prisma } from "../db/generated/sqlite/client";
import type { FirstAnswer, FirstCheck, Tx } from "./student-summary";

/**
 * The item analysis as running totals per cohort (CohortItemTotal): for each question, chosen
 * option, wrong short answer and scenario check, the sums over the cohort's computed summaries
 * (statsAt set) that the report needs. Whenever a summary is written or deleted, the difference
 * between its new and its old contribution is added in the same transaction (`applyTotals`), so
 * the totals always equal the sum over the summaries, and the item analysis reads O(items) rows
 * instead of parsing every student's first answers.
 *
 * Scores are counted in integer units of 1/60 of a point: a score is 0 or 1, a self-rating's 0.5,
 * or a multiple-choice partial score (correct − wrong) / (correct options), and a question has at
 * most 6 options (lib/content/schema.ts), so every score is a whole number of units (60 = lcm 1..6).
 * Integer sums have no rounding, so adding and taking away contributions never drifts.
 */

export const SCORE_UNITS = 60;

/** The course's items (below) and the exam items of exam-totals.ts: "es" sittings, "eq" exam questions, "ek" exam task checks. */
type TotalKind = "q" | "o" | "w" | "c" | "es" | "eq" | "ek";

/** [n, nCorrect, sx, sy, sxx, syy, sxy], integers (scores in units). */
export type Vector = [number, number, number, number, number, number, number];

/** One row's key: cohort, kind, item, detail. */
type Key = [string, TotalKind, string, string];

export interface QuestionKinds {
  open: ReadonlySet<string>;
  short: ReadonlySet<string>;
  choice: ReadonlySet<string>;
}

/** The contribution of one computed summary, keyed by JSON of [kind, item, detail]. */
export type Contribution = Map<string, Vector>;

function add(contribution: Contribution, kind: TotalKind, item: string, detail: string, x: number, y: number, correct: number): void {
  const key = JSON.stringify([kind, item, detail]);
  const entry = contribution.get(key);
  const vector: Vector = [1, correct, x, y, x * x, y * y, x * y];
  if (!entry) contribution.set(key, vector);
  else for (let i = 0; i < 7; i++) entry[i] = (entry[i] ?? 0) + (vector[i] ?? 0);
}

/**
 * What one summary adds to its cohort's totals. The "test" total of a student is the knowledge
 * score (auto-graded first attempts: a self-rated open question's rest-score is the whole total);
 * for checks, the checks passed in first scenario attempts.
 */
export function contributionOf(answers: FirstAnswer[], checks: FirstCheck[], kinds: QuestionKinds): Contribution {
  const contribution: Contribution = new Map();
  const units = answers.map(([, score]) => Math.round(score * SCORE_UNITS));
  let total = 0;
  answers.forEach(([questionId], index) => {
    if (!kinds.open.has(questionId)) total += units[index] ?? 0;
  });
  answers.forEach(([questionId, , correct, detail], index) => {
    const x = units[index] ?? 0;
    add(contribution, "q", questionId, "", x, total - (kinds.open.has(questionId) ? 0 : x), correct);
    if (detail === null) return;
    if (kinds.choice.has(questionId)) for (const id of detail.split(",")) add(contribution, "o", questionId, id, 0, 0, 0);
    else if (kinds.short.has(questionId) && correct === 0) add(contribution, "w", questionId, detail, 0, 0, 0);
  });
  const passed = checks.reduce((sum, check) => sum + check[2], 0);
  for (const [scenarioId, checkId, x] of checks) add(contribution, "c", `${scenarioId}/${checkId}`, "", x, passed - x, x);
  return contribution;
}

/** Adds `sign` × a contribution of a summary of this cohort into a change set. */
export function accumulate(changes: Map<string, Vector>, cohortId: string, contribution: Contribution, sign: 1 | -1): void {
  for (const [key, vector] of contribution) {
    const full = JSON.stringify([cohortId, ...(JSON.parse(key) as [TotalKind, string, string])]);
    const entry = changes.get(full) ?? [0, 0, 0, 0, 0, 0, 0];
    for (let i = 0; i < 7; i++) entry[i] = (entry[i] ?? 0) + sign * (vector[i] ?? 0);
    changes.set(full, entry);
  }
}

const ROWS_PER_STATEMENT = 500;

/**
 * Adds a change set to the totals: one upsert per 500 rows. The rows go in one global order (by
 * key), so on PostgreSQL two learners' transactions lock the shared total rows in the same order
 * and cannot deadlock.
 */
export async function applyTotals(tx: Tx, changes: Map<string, Vector>): Promise<void> {
  const rows = [...changes]
    .filter(([, vector]) => vector.some((value) => value !== 0))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, vector]) => [...(JSON.parse(key) as Key), ...vector] as const);
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const values = rows
      .slice(start, start + ROWS_PER_STATEMENT)
      .map(
        ([cohortId, kind, item, detail, n, nCorrect, sx, sy, sxx, syy, sxy]) =>
          Prisma.sql`(${cohortId}, ${kind}, ${item}, ${detail}, ${n}, ${nCorrect}, ${BigInt(sx)}, ${BigInt(sy)}, ${BigInt(sxx)}, ${BigInt(syy)}, ${BigInt(sxy)})`,
      );
    await tx.$executeRaw`
      INSERT INTO "CohortItemTotal" ("cohortId", "kind", "item", "detail", "n", "nCorrect", "sx", "sy", "sxx", "syy", "sxy")
      VALUES ${Prisma.join(values)}
      ON CONFLICT ("cohortId", "kind", "item", "detail") DO UPDATE SET
        "n" = "CohortItemTotal"."n" + excluded."n",
        "nCorrect" = "CohortItemTotal"."nCorrect" + excluded."nCorrect",
        "sx" = "CohortItemTotal"."sx" + excluded."sx",
        "sy" = "CohortItemTotal"."sy" + excluded."sy",
        "sxx" = "CohortItemTotal"."sxx" + excluded."sxx",
        "syy" = "CohortItemTotal"."syy" + excluded."syy",
        "sxy" = "CohortItemTotal"."sxy" + excluded."sxy"`;
  }
}

export interface ItemTotal {
  kind: TotalKind;
  item: string;
  detail: string;
  n: number;
  nCorrect: number;
  /** The sums in points (units converted back). */
  sx: number;
  sy: number;
  sxx: number;
  syy: number;
  sxy: number;
}

/** A cohort's totals (rows that count something), sums in points. */
export async function readItemTotals(database: Db, cohortId: string): Promise<ItemTotal[]> {
  const rows = await database.cohortItemTotal.findMany({ where: { cohortId, n: { gt: 0 } } });
  return rows.map((row) => {
    const scale = row.kind === "q" || row.kind === "eq" ? SCORE_UNITS : 1;
    return {
      kind: row.kind as TotalKind,
      item: row.item,
      detail: row.detail,
      n: row.n,
      nCorrect: row.nCorrect,
      sx: Number(row.sx) / scale,
      sy: Number(row.sy) / scale,
      sxx: Number(row.sxx) / (scale * scale),
      syy: Number(row.syy) / (scale * scale),
      sxy: Number(row.sxy) / (scale * scale),
    };
  });
}
