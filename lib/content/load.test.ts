import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { clearContentCache, getLesson, getQuestion, lessonNeighbours, listLessonRoutes, loadCourse } from "./load";
import { ContentError } from "./problems";

const fixtures = path.join(__dirname, "__fixtures__");
const valid = path.join(fixtures, "valid");

afterEach(() => clearContentCache());

describe("loadCourse", () => {
  it("returns a typed tree with lessons in order and embedded question ids in reading order", () => {
    const course = loadCourse(valid);
    expect(course.id).toBe("fixture");
    const alpha = course.modules[0];
    expect(alpha?.id).toBe("alpha");
    expect(alpha?.lessons.map((l) => l.slug)).toEqual(["first", "second"]);
    expect(alpha?.lessons[0]?.questionIds).toEqual(["pick-one", "type-it"]);
    expect(alpha?.lessons[0]?.scenarioIds).toEqual(["known-scenario"]);
    expect(alpha?.lessons[0]?.headings[0]).toMatchObject({ depth: 2, anchor: "getting-started" });
    expect(alpha?.lessons[1]?.frontmatter.prerequisites).toEqual(["first"]);
    expect(alpha?.banks.map((b) => b.id)).toEqual(["basics"]);
    expect(course.questions.get("pick-many")).toMatchObject({ type: "multiple", scoring: "partial" });
    expect(course.questions.get("type-it")).toMatchObject({ match: { caseSensitive: false } });
  });

  it("keeps the body without frontmatter and knows where it starts", () => {
    const lesson = getLesson("alpha", "first", valid);
    expect(lesson?.body.startsWith("---")).toBe(false);
    expect(lesson?.bodyStartLine).toBe(9);
  });

  it("caches the course per root", () => {
    expect(loadCourse(valid)).toBe(loadCourse(valid));
  });

  it("throws a ContentError listing every error for broken content", () => {
    expect(() => loadCourse(path.join(fixtures, "broken"))).toThrow(ContentError);
    try {
      loadCourse(path.join(fixtures, "broken"));
    } catch (error) {
      expect(error instanceof ContentError && error.problems.length > 10).toBe(true);
    }
  });

  it("lists lesson routes and neighbours", () => {
    expect(listLessonRoutes(valid)).toEqual([
      { module: "alpha", lesson: "first" },
      { module: "alpha", lesson: "second" },
    ]);
    expect(lessonNeighbours("alpha", "second", valid).previous?.slug).toBe("first");
    expect(lessonNeighbours("alpha", "second", valid).next).toBeUndefined();
    expect(getQuestion("explain-it", valid)?.type).toBe("open");
  });

  it("loads the real course: every lesson embeds questions that exist", () => {
    const course = loadCourse();
    const lessons = course.modules.flatMap((m) => m.lessons);
    expect(lessons.length).toBeGreaterThanOrEqual(1);
    for (const lesson of lessons) {
      expect(lesson.questionIds.length).toBeGreaterThanOrEqual(2);
      for (const id of lesson.questionIds) expect(course.questions.has(id)).toBe(true);
    }
  });
});

describe("the authentication module meets its content targets", () => {
  it("has 7+ lessons, 50+ questions of all four types, and embeds every question exactly once", () => {
    clearContentCache();
    const course = loadCourse();
    const authentication = course.modules.find((m) => m.id === "authentication");
    expect(authentication?.lessons.length).toBeGreaterThanOrEqual(7);
    const questions = [...course.questions.values()];
    expect(questions.length).toBeGreaterThanOrEqual(50);
    const byType = (type: string) => questions.filter((q) => q.type === type).length;
    expect(byType("single")).toBeGreaterThan(0);
    expect(byType("multiple")).toBeGreaterThan(0);
    expect(byType("short")).toBeGreaterThanOrEqual(4);
    expect(byType("open")).toBeGreaterThanOrEqual(4);
    const embedded = course.modules.flatMap((m) => m.lessons.flatMap((l) => l.questionIds));
    expect(new Set(embedded).size).toBe(embedded.length);
    expect(new Set(embedded)).toEqual(new Set(course.questions.keys()));
  });
});
