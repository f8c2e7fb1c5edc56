/** Scenario scores are fractions of the checks' total weight; pages show whole percents. */
export function percent(score: number): number {
  return Math.round(Math.min(1, Math.max(0, score)) * 100);
}
