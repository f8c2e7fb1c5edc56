import "server-only";
import { db } from "../db/client";
import { NOT_A_DRILL } from "../review/items";

export type ScenarioStatusName = "not-started" | "in-progress" | "passed" | "gave-up";

export interface ScenarioStatus {
  scenarioId: string;
  status: ScenarioStatusName;
  /** 0..1 of the current attempt; a passed scenario stays passed after a later reset. */
  score: number;
}

/** Per scenario the learner has opened: passed if any attempt passed, else the current attempt. */
export async function listScenarioStatuses(userId: string): Promise<ScenarioStatus[]> {
  const database = db();
  const [instances, passed] = await Promise.all([
    database.scenarioInstance.findMany({ where: { userId, ...NOT_A_DRILL }, select: { scenarioId: true, attemptId: true } }),
    database.scenarioAttempt.groupBy({ by: ["scenarioId"], where: { userId, status: "PASSED" }, _max: { score: true } }),
  ]);
  const current = await database.scenarioAttempt.findMany({
    where: { id: { in: instances.map((instance) => instance.attemptId) } },
    select: { scenarioId: true, status: true, score: true },
  });
  const passedIds = new Map(passed.map((row) => [row.scenarioId, row._max.score ?? 1]));
  return current.map((attempt) => {
    const best = passedIds.get(attempt.scenarioId);
    if (best !== undefined) return { scenarioId: attempt.scenarioId, status: "passed", score: Math.max(best, attempt.score) };
    return { scenarioId: attempt.scenarioId, status: attempt.status === "GAVE_UP" ? "gave-up" : "in-progress", score: attempt.score };
  });
}
