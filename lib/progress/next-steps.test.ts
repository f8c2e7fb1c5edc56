import { describe, expect, it } from "vitest";
import { chooseNextSteps } from "./next-steps";
import type { LessonSummary, ScenarioSummary, WeakTopic } from "./types";

function lesson(slug: string, status: LessonSummary["status"] = "not-started", lastVisitedAt: string | null = null): LessonSummary {
  return {
    moduleId: "m",
    slug,
    title: `Lesson ${slug}`,
    href: `/learn/m/${slug}`,
    status,
    questionCount: 1,
    answeredCount: 0,
    averageFirstScore: null,
    averageBestScore: null,
    selfRatedCount: 0,
    timeSpentSeconds: 0,
    lastVisitedAt,
    completedAt: null,
  };
}

function scenario(
  id: string,
  lessons: string[],
  status: ScenarioSummary["status"] = "not-started",
  lastActiveAt: string | null = null,
): ScenarioSummary {
  return {
    id,
    title: `Scenario ${id}`,
    href: `/scenarios/${id}`,
    difficulty: "easy",
    estimatedMinutes: 5,
    order: id.charCodeAt(0),
    lessons,
    status,
    score: status === "not-started" ? null : 0.5,
    attempts: status === "not-started" ? 0 : 1,
    timeSpentSeconds: 0,
    hintsUsed: 0,
    lastActiveAt,
    passedAt: null,
  };
}

function weak(tag: string, scenarios: WeakTopic["scenarios"], lessonHref: string | null): WeakTopic {
  return {
    tag,
    title: `Topic ${tag}`,
    averageBestScore: 0,
    answered: 1,
    lessons: [],
    scenarios,
    lesson: lessonHref ? { title: `L ${lessonHref}`, href: lessonHref } : null,
  };
}

describe("chooseNextSteps", () => {
  it("starts a new learner at the first lesson and has nothing to continue", () => {
    const steps = chooseNextSteps([lesson("one"), lesson("two")], [scenario("a", ["one"])], []);
    expect(steps).toEqual({
      continueWith: null,
      recommended: { kind: "lesson", title: "Lesson one", href: "/learn/m/one", reason: "start" },
    });
  });

  it("continues whichever of lessons and scenarios was touched last", () => {
    const lessons = [lesson("one", "in-progress", "2026-01-01T10:00:00.000Z"), lesson("two")];
    const scenarios = [scenario("a", ["one"], "in-progress", "2026-01-01T11:00:00.000Z")];
    expect(chooseNextSteps(lessons, scenarios, []).continueWith).toEqual({
      kind: "scenario",
      title: "Scenario a",
      href: "/scenarios/a",
      reason: "continue",
    });
    const later = [lesson("one", "in-progress", "2026-01-01T12:00:00.000Z"), lesson("two")];
    expect(chooseNextSteps(later, scenarios, []).continueWith?.href).toBe("/learn/m/one");
  });

  it("recommends in course order after finished work: the scenario after its lesson, skipping passed ones", () => {
    const lessons = [lesson("one", "completed", "2026-01-01T10:00:00.000Z"), lesson("two")];
    expect(chooseNextSteps(lessons, [scenario("a", ["one"])], []).recommended).toMatchObject({
      kind: "scenario",
      href: "/scenarios/a",
      reason: "course-order",
    });
    expect(chooseNextSteps(lessons, [scenario("a", ["one"], "passed")], []).recommended).toMatchObject({
      kind: "lesson",
      href: "/learn/m/two",
    });
    expect(chooseNextSteps([lesson("one", "completed")], [scenario("a", ["one"], "passed")], []).recommended).toBeNull();
  });

  it("goes on from the furthest finished item, then back to the gaps before it", () => {
    const lessons = [lesson("one"), lesson("two"), lesson("three", "completed", "2026-01-01T10:00:00.000Z"), lesson("four")];
    expect(chooseNextSteps(lessons, [], []).recommended).toMatchObject({ href: "/learn/m/four", reason: "course-order" });
    const lastDone = [lesson("one"), lesson("two", "completed"), lesson("three", "completed")];
    expect(chooseNextSteps(lastDone, [], []).recommended).toMatchObject({ href: "/learn/m/one", reason: "course-order" });
  });

  it("recommends practice for the weakest topic: an unpassed scenario first, else its lesson, never the one to continue", () => {
    const lessons = [lesson("one", "completed"), lesson("two", "in-progress", "2026-01-01T10:00:00.000Z")];
    const topics = [
      weak(
        "x509",
        [
          { title: "Scenario a", href: "/scenarios/a", status: "passed" },
          { title: "Scenario b", href: "/scenarios/b", status: "gave-up" },
        ],
        "/learn/m/one",
      ),
    ];
    expect(chooseNextSteps(lessons, [], topics).recommended).toEqual({
      kind: "scenario",
      title: "Scenario b",
      href: "/scenarios/b",
      reason: "weak-topic",
      topic: "Topic x509",
    });
    const allPassed = [weak("x509", [{ title: "Scenario a", href: "/scenarios/a", status: "passed" }], "/learn/m/one")];
    expect(chooseNextSteps(lessons, [], allPassed).recommended).toMatchObject({
      kind: "lesson",
      href: "/learn/m/one",
      reason: "weak-topic",
    });
    const onlyCurrent = [weak("x509", [], "/learn/m/two")];
    expect(chooseNextSteps(lessons, [], onlyCurrent).recommended).toBeNull();
  });
});
