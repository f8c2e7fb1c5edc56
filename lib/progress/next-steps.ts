/**
 * "Continue where you left off" and "what next" across lessons and scenarios. Pure: it takes the
 * learner's summaries (already in course order) and weak topics, so it is tested without a database.
 */
import { courseOrder } from "../scenarios/order";
import type { CourseStep, LessonSummary, NextSteps, ScenarioSummary, WeakTopic } from "./types";

function lessonStep(lesson: LessonSummary): CourseStep {
  return { kind: "lesson", title: lesson.title, href: lesson.href };
}

function scenarioStep(scenario: ScenarioSummary): CourseStep {
  return { kind: "scenario", title: scenario.title, href: scenario.href };
}

/** The unfinished lesson or scenario touched last; ties go to the one earlier in the course. */
function latestUnfinished(lessons: readonly LessonSummary[], scenarios: readonly ScenarioSummary[]): CourseStep | null {
  const candidates = [
    ...lessons
      .filter((l) => l.status === "in-progress" && l.lastVisitedAt !== null)
      .map((l) => ({ at: l.lastVisitedAt ?? "", step: lessonStep(l) })),
    ...scenarios
      .filter((s) => s.status === "in-progress" && s.lastActiveAt !== null)
      .map((s) => ({ at: s.lastActiveAt ?? "", step: scenarioStep(s) })),
  ];
  let best: (typeof candidates)[number] | undefined;
  for (const candidate of candidates) if (best === undefined || candidate.at > best.at) best = candidate;
  return best?.step ?? null;
}

export function chooseNextSteps(
  lessons: readonly LessonSummary[],
  scenarios: readonly ScenarioSummary[],
  weak: readonly WeakTopic[],
): NextSteps {
  const current = latestUnfinished(lessons, scenarios);
  const continueWith = current ? { ...current, reason: "continue" as const } : null;
  const isCurrent = (href: string) => current?.href === href;

  // The weakest topic first: a scenario on it not yet passed, else the lesson that teaches it.
  for (const topic of weak) {
    const scenario = topic.scenarios.find((s) => s.status !== "passed" && !isCurrent(s.href));
    if (scenario)
      return {
        continueWith,
        recommended: { kind: "scenario", title: scenario.title, href: scenario.href, reason: "weak-topic", topic: topic.title },
      };
    if (topic.lesson && !isCurrent(topic.lesson.href)) {
      return {
        continueWith,
        recommended: { kind: "lesson", title: topic.lesson.title, href: topic.lesson.href, reason: "weak-topic", topic: topic.title },
      };
    }
  }

  const started = lessons.some((l) => l.status !== "not-started") || scenarios.some((s) => s.status !== "not-started");
  const order = courseOrder(lessons, scenarios);
  const done = (item: (typeof order)[number]) =>
    item.kind === "lesson" ? item.lesson.status === "completed" : item.scenario.status === "passed";
  // Up next is the first unfinished item after the furthest one finished (a learner who began
  // with lesson 3 goes on to what follows it), then the gaps left before it.
  const furthest = order.findLastIndex(done);
  for (const item of [...order.slice(furthest + 1), ...order.slice(0, furthest + 1)]) {
    if (done(item)) continue;
    const step = item.kind === "lesson" ? lessonStep(item.lesson) : scenarioStep(item.scenario);
    if (!isCurrent(step.href)) return { continueWith, recommended: { ...step, reason: started ? "course-order" : "start" } };
  }
  return { continueWith, recommended: null };
}
