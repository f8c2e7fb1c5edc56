import { describe, expect, it } from "vitest";
import { loadCourse } from "../content/load";
import { listScenarios, type PublicScenario } from "./catalog";
import { courseOrder, nextScenarioAfter, scenariosForLesson } from "./order";

function scenario(id: string, order: number, lessons: string[]): PublicScenario {
  return {
    id,
    title: id,
    summary: "",
    order,
    difficulty: "easy",
    estimatedMinutes: 5,
    objectives: [],
    story: "",
    lessons,
    steps: [],
    checkCount: 1,
  };
}

const lessons = [{ slug: "one" }, { slug: "two" }, { slug: "three" }];

describe("courseOrder", () => {
  it("puts each scenario after the last lesson it builds on, in scenario order, unknown lessons at the end", () => {
    const items = courseOrder(lessons, [
      scenario("late", 1, ["ghost"]),
      scenario("b", 3, ["one", "two"]),
      scenario("a", 2, ["two"]),
      scenario("first", 9, ["one"]),
    ]);
    expect(items.map((item) => (item.kind === "lesson" ? item.lesson.slug : `[${item.scenario.id}]`))).toEqual([
      "one",
      "[first]",
      "two",
      "[a]",
      "[b]",
      "three",
      "[late]",
    ]);
  });

  it("orders the real course: every lesson and scenario once, each scenario after its lessons", () => {
    const courseLessons = loadCourse().modules.flatMap((m) => m.lessons);
    const scenarios = listScenarios();
    const items = courseOrder(courseLessons, scenarios);
    expect(items).toHaveLength(courseLessons.length + scenarios.length);
    const seen = new Set<string>();
    for (const item of items) {
      if (item.kind === "lesson") seen.add(item.lesson.slug);
      else for (const slug of item.scenario.lessons) expect(seen.has(slug), `${item.scenario.id} after ${slug}`).toBe(true);
    }
  });
});

describe("nextScenarioAfter", () => {
  const list = [scenario("a", 1, []), scenario("b", 2, []), scenario("c", 3, []), scenario("d", 4, [])];

  it("offers the next one not done, then wraps to an earlier one not done", () => {
    expect(nextScenarioAfter(list, "a")?.id).toBe("b");
    expect(nextScenarioAfter(list, "a", new Set(["b"]))?.id).toBe("c");
    expect(nextScenarioAfter(list, "d")?.id).toBe("a");
    expect(nextScenarioAfter(list, "c", new Set(["a", "d"]))?.id).toBe("b");
  });

  it("offers nothing when every other one is done or the id is unknown", () => {
    expect(nextScenarioAfter(list, "b", new Set(["a", "c", "d"]))).toBeUndefined();
    expect(nextScenarioAfter(list, "../etc/passwd")).toBeUndefined();
    expect(nextScenarioAfter([], "a")).toBeUndefined();
  });
});

describe("scenariosForLesson", () => {
  it("lists the scenarios that name the lesson", () => {
    const list = [scenario("a", 1, ["one"]), scenario("b", 2, ["two", "one"]), scenario("c", 3, ["three"])];
    expect(scenariosForLesson(list, "one").map((s) => s.id)).toEqual(["a", "b"]);
    expect(scenariosForLesson(list, "nope")).toEqual([]);
  });
});
