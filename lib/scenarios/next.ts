import type { Db } from "../db/client";
import { loadCourse } from "../content/load";
import { listScenarios } from "./catalog";
import { nextScenarioAfter, scenariosInCourseOrder } from "./order";

/**
 * "Next scenario" after `currentId` for one learner: the next one in course order that they have
 * not passed (wrapping to earlier ones); undefined when every other scenario is passed.
 */
export async function nextScenarioFor(database: Db, userId: string, currentId: string): Promise<{ id: string; title: string } | undefined> {
  const passed = await database.scenarioAttempt.groupBy({ by: ["scenarioId"], where: { userId, status: "PASSED" } });
  const ordered = scenariosInCourseOrder(
    loadCourse().modules.flatMap((module) => module.lessons),
    listScenarios(),
  );
  const next = nextScenarioAfter(ordered, currentId, new Set(passed.map((row) => row.scenarioId)));
  return next ? { id: next.id, title: next.title } : undefined;
}
