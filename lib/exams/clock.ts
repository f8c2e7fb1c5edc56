/**
 * The exam clock. The server's clock is the truth: an attempt's deadline is its start plus the
 * paper's duration, whatever the browser shows, so closing the tab does not stop it and every
 * device sees the same time left. The browser only counts down from `remainingMs`.
 */

/** Minutes left at which the learner is alerted (those shorter than the exam itself). */
export const ALERT_MINUTES = [30, 15, 5] as const;

const MINUTE_MS = 60_000;

export interface ExamClock {
  deadline: Date;
  /** Never negative; never more than the duration (a clock behind the start counts as the start). */
  remainingMs: number;
  /** At or past the deadline: answers are refused and the attempt is scored. */
  closed: boolean;
  /** Alert thresholds (minutes) already reached, largest first. */
  alertsReached: number[];
  /** The next threshold to reach, or null when none is left (or the exam is closed). */
  nextAlert: { minutes: number; at: Date } | null;
}

function timeOf(date: Date, name: string): number {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`${name} is not a valid date`);
  return ms;
}

export function examClock(startedAt: Date, durationMinutes: number, now: Date): ExamClock {
  if (!Number.isFinite(durationMinutes) || durationMinutes <= 0)
    throw new RangeError(`the duration must be positive, not ${durationMinutes}`);
  const durationMs = durationMinutes * MINUTE_MS;
  const deadlineMs = timeOf(startedAt, "startedAt") + durationMs;
  const remainingMs = Math.min(durationMs, Math.max(0, deadlineMs - timeOf(now, "now")));
  const closed = remainingMs === 0;
  // A 30-minute exam does not start with a "30 minutes left" alert.
  const thresholds = ALERT_MINUTES.filter((minutes) => minutes < durationMinutes);
  const alertsReached = thresholds.filter((minutes) => remainingMs <= minutes * MINUTE_MS);
  const upcoming = closed ? undefined : thresholds.find((minutes) => remainingMs > minutes * MINUTE_MS);
  return {
    deadline: new Date(deadlineMs),
    remainingMs,
    closed,
    alertsReached,
    nextAlert: upcoming === undefined ? null : { minutes: upcoming, at: new Date(deadlineMs - upcoming * MINUTE_MS) },
  };
}
