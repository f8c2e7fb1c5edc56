import "server-only";
import type { Db } from "../db/client";
import { chooseNextSteps } from "./next-steps";
import { scenarioProgress } from "./scenarios";
import { courseProgress, weakTopics } from "./summary";
import type { CourseProgress, NextSteps, ScenarioSummary, WeakTopic } from "./types";

export interface LearnerOverview {
  course: CourseProgress;
  scenarios: ScenarioSummary[];
  scenariosPassed: number;
  topics: WeakTopic[];
  steps: NextSteps;
}

/** Everything the dashboard and the progress page show about one learner. */
export async function learnerOverview(database: Db, userId: string): Promise<LearnerOverview> {
  const [course, scenarios] = await Promise.all([courseProgress(database, userId), scenarioProgress(database, userId)]);
  const topics = await weakTopics(database, userId, 5, new Map(scenarios.map((s) => [s.id, s.status])));
  const lessons = course.modules.flatMap((m) => m.lessons);
  return {
    course,
    scenarios,
    scenariosPassed: scenarios.filter((s) => s.status === "passed").length,
    topics,
    steps: chooseNextSteps(lessons, scenarios, topics),
  };
}
