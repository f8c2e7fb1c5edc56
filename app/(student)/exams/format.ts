/** Percentages as the exam pages show them (already rounded down to one decimal by the scorer). */
export function formatPercent(percent: number): string {
  return `${Number.isInteger(percent) ? percent : percent.toFixed(1)}%`;
}

export function formatMinutes(seconds: number): string {
  if (seconds < 60) return seconds === 0 ? "no time" : "under a minute";
  const minutes = Math.round(seconds / 60);
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}
