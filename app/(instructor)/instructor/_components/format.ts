export const pct = (value: number | null | undefined, digits = 0) =>
  value === null || value === undefined ? "–" : `${(value * 100).toFixed(digits)}%`;

export function duration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function dateTime(date: Date | null): string {
  return date ? date.toISOString().slice(0, 16).replace("T", " ") : "–";
}

export function day(date: Date | null): string {
  return date ? date.toISOString().slice(0, 10) : "–";
}

export function relative(date: Date | null, now = new Date()): string {
  if (!date) return "never";
  const days = Math.floor((now.getTime() - date.getTime()) / 86_400_000);
  if (days <= 0) return "today";
  if (days === 1) return "yesterday";
  if (days < 60) return `${days} days ago`;
  return day(date);
}
