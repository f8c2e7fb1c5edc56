import "server-only";
import { z } from "zod";

// $queryRaw returns numbers, bigints (PostgreSQL COUNT), Decimals or strings depending on the
// provider and the expression; these schemas turn every one into the JavaScript type we mean.
export const num = z.coerce.number().catch(0);
export const int = z.coerce
  .number()
  .transform((value) => Math.round(value))
  .catch(0);
export const bool = z.union([z.boolean(), z.coerce.number().transform((value) => value !== 0)]);
/** A timestamp: Date from PostgreSQL, ISO text from SQLite (MAX() over a DATETIME column). */
export const timestamp = z.union([z.null(), z.date(), z.string(), z.number()]).transform((value) => {
  if (value === null) return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
});

export function latest(...dates: (Date | null | undefined)[]): Date | null {
  let best: Date | null = null;
  for (const date of dates) if (date && (!best || date > best)) best = date;
  return best;
}
