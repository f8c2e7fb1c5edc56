import "server-only";

/** Sums over the students who answered one item: x = item score, y = rest of the test (total − item). */
export interface PairSums {
  n: number;
  sx: number;
  sy: number;
  sxx: number;
  syy: number;
  sxy: number;
}

/**
 * Pearson correlation from sums (the point-biserial when x is 0/1), as Moodle's discrimination
 * index: the correlation between the item score and the score on the rest of the test. Null when
 * it is undefined (fewer than 3 students, or everyone scored the same on the item or on the rest).
 */
export function correlation({ n, sx, sy, sxx, syy, sxy }: PairSums): number | null {
  if (n < 3) return null;
  const covariance = n * sxy - sx * sy;
  const varianceX = n * sxx - sx * sx;
  const varianceY = n * syy - sy * sy;
  // Relative tolerance: sums of floats over thousands of rows leave rounding noise.
  if (varianceX <= 1e-9 * Math.max(1, n * sxx) || varianceY <= 1e-9 * Math.max(1, n * syy)) return null;
  const r = covariance / Math.sqrt(varianceX * varianceY);
  return Math.max(-1, Math.min(1, r));
}

export const FLAGS = {
  tooEasy: { label: "Too easy", text: "More than 90% facility: almost everyone gets it, so it tells students apart poorly." },
  tooHard: { label: "Too hard", text: "Less than 20% facility: check the wording, the key, and whether the lesson covers it." },
  negative: {
    label: "Negative discrimination",
    text: "Students who do well elsewhere do worse here: often a wrong key or a misleading option.",
  },
} as const;
export type Flag = keyof typeof FLAGS;

export function flagsFor(facility: number | null, discrimination: number | null): Flag[] {
  const flags: Flag[] = [];
  if (facility !== null && facility > 0.9) flags.push("tooEasy");
  if (facility !== null && facility < 0.2) flags.push("tooHard");
  if (discrimination !== null && discrimination < 0) flags.push("negative");
  return flags;
}
