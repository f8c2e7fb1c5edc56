import "server-only";

// Cohort reports aggregate every attempt of every student: hundreds of thousands of rows at
// 10,000 students. Like Moodle's quiz statistics (cached, "recalculate now"), a computed report
// is kept in this process for a short time; membership changes here drop it at once, new
// attempts show up within the TTL or when the instructor asks for a recalculation.

interface Entry {
  at: number;
  value: Promise<unknown>;
}

const store = new Map<string, Entry>();
const MAX_ENTRIES = 200;

export const REPORT_TTL_MS = 60_000;

export interface Cached<T> {
  value: T;
  computedAt: Date;
}

export async function cachedReport<T>(
  key: string,
  compute: () => Promise<T>,
  options: { fresh?: boolean; ttlMs?: number; now?: number } = {},
): Promise<Cached<T>> {
  const now = options.now ?? Date.now();
  const ttl = options.ttlMs ?? REPORT_TTL_MS;
  const hit = store.get(key);
  if (hit && !options.fresh && now - hit.at < ttl) return { value: (await hit.value) as T, computedAt: new Date(hit.at) };
  const value = compute();
  store.set(key, { at: now, value });
  if (store.size > MAX_ENTRIES) {
    const oldest = store.keys().next().value;
    if (oldest !== undefined) store.delete(oldest);
  }
  try {
    return { value: await value, computedAt: new Date(now) };
  } catch (error) {
    store.delete(key);
    throw error;
  }
}

/** Forgets every report of a cohort (a student joined or left). */
export function invalidateCohortReports(cohortId: string): void {
  for (const key of store.keys()) if (key.startsWith(`${cohortId}:`)) store.delete(key);
}
