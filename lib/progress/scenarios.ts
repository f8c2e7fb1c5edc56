import "server-only";
import type { Db } from "../db/client";
import { listScenarios, type PublicScenario } from "../scenarios/catalog";
import type { ScenarioSummary } from "./types";

/** What the database knows about one learner and one scenario, before it meets the content. */
export interface ScenarioFacts {
  attempts: number;
  timeSpentSeconds: number;
  hintsUsed: number;
  lastActiveAt: Date | null;
  /** Best score of a passed attempt; undefined when none passed. */
  passedScore?: number;
  firstPassedAt?: Date | null;
  /** The attempt the learner's instance is on now. */
  current?: { status: "IN_PROGRESS" | "PASSED" | "GAVE_UP"; score: number };
}

export function scenarioHref(id: string): string {
  return `/scenarios/${id}`;
}

/**
 * One scenario for one learner. Passed stays passed after a reset (as on the scenarios page);
 * otherwise the current attempt decides. A scenario with attempts but no instance (deleted or a
 * content change) counts as in progress.
 */
export function summarizeScenario(scenario: PublicScenario, facts: ScenarioFacts | undefined): ScenarioSummary {
  const base = {
    id: scenario.id,
    title: scenario.title,
    href: scenarioHref(scenario.id),
    difficulty: scenario.difficulty,
    estimatedMinutes: scenario.estimatedMinutes,
    order: scenario.order,
    lessons: scenario.lessons,
  };
  if (!facts || facts.attempts === 0) {
    return {
      ...base,
      status: "not-started",
      score: null,
      attempts: 0,
      timeSpentSeconds: 0,
      hintsUsed: 0,
      lastActiveAt: null,
      passedAt: null,
    };
  }
  const passed = facts.passedScore !== undefined;
  const status = passed ? "passed" : facts.current?.status === "GAVE_UP" ? "gave-up" : "in-progress";
  const score = passed ? Math.max(facts.passedScore ?? 0, facts.current?.score ?? 0) : (facts.current?.score ?? 0);
  return {
    ...base,
    status,
    score: Math.min(1, Math.max(0, score)),
    attempts: facts.attempts,
    timeSpentSeconds: facts.timeSpentSeconds,
    hintsUsed: facts.hintsUsed,
    lastActiveAt: facts.lastActiveAt?.toISOString() ?? null,
    passedAt: facts.firstPassedAt?.toISOString() ?? null,
  };
}

/** Every published scenario for one learner, in scenario order: three grouped queries and the current attempts. */
export async function scenarioProgress(
  database: Db,
  userId: string,
  scenarios: readonly PublicScenario[] = listScenarios(),
): Promise<ScenarioSummary[]> {
  const [totals, passed, instances] = await Promise.all([
    database.scenarioAttempt.groupBy({
      by: ["scenarioId"],
      where: { userId },
      _count: { _all: true },
      _sum: { timeSpentSeconds: true, hintsUsed: true },
      _max: { lastActiveAt: true },
    }),
    database.scenarioAttempt.groupBy({
      by: ["scenarioId"],
      where: { userId, status: "PASSED" },
      _max: { score: true },
      _min: { completedAt: true },
    }),
    database.scenarioInstance.findMany({ where: { userId }, select: { attemptId: true } }),
  ]);
  const current = await database.scenarioAttempt.findMany({
    where: { userId, id: { in: instances.map((instance) => instance.attemptId) } },
    select: { scenarioId: true, status: true, score: true },
  });
  const facts = new Map<string, ScenarioFacts>();
  for (const row of totals) {
    facts.set(row.scenarioId, {
      attempts: row._count._all,
      timeSpentSeconds: row._sum.timeSpentSeconds ?? 0,
      hintsUsed: row._sum.hintsUsed ?? 0,
      lastActiveAt: row._max.lastActiveAt,
    });
  }
  for (const row of passed) {
    const entry = facts.get(row.scenarioId);
    if (entry) Object.assign(entry, { passedScore: row._max.score ?? 1, firstPassedAt: row._min.completedAt });
  }
  for (const row of current) {
    const entry = facts.get(row.scenarioId);
    if (entry) entry.current = { status: row.status, score: row.score };
  }
  return scenarios.map((scenario) => summarizeScenario(scenario, facts.get(scenario.id)));
}
