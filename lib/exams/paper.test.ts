import { describe, expect, it } from "vitest";
import { loadExamCatalog } from "./catalog";
import { drawPaper, paperItems, type Paper } from "./paper";

const catalog = loadExamCatalog();
const exams = [...catalog.exams.values()];

/** What must be equal between two papers of one exam: sections, their sizes, weights and points. */
function shape(paper: Paper) {
  return paper.sections.map((section) => ({
    id: section.id,
    kind: section.kind,
    weight: section.weight,
    points: section.items.map((item) => item.points),
  }));
}

describe.each(exams.map((exam) => [exam.id, exam] as const))("papers of %s", (_id, exam) => {
  it("the same seed gives the same paper", () => {
    expect(drawPaper(exam, catalog, "seed-1")).toEqual(drawPaper(exam, catalog, "seed-1"));
  });

  it("other seeds give other papers of the same shape", () => {
    const papers = Array.from({ length: 40 }, (_, index) => drawPaper(exam, catalog, `seed-${index}`));
    const first = papers[0];
    if (first === undefined) throw new Error("no paper");
    for (const paper of papers) expect(shape(paper)).toEqual(shape(first));
    const contents = new Set(
      papers.map((paper) =>
        paperItems(paper)
          .map((item) => item.key)
          .join(" "),
      ),
    );
    expect(contents.size).toBeGreaterThan(30);
    expect(paperItems(drawPaper(exam, catalog, "a")).map((item) => item.key)).not.toEqual(
      paperItems(drawPaper(exam, catalog, "b")).map((item) => item.key),
    );
  });

  it("a paper has the exam's section sizes, its points add up to 100, and no item twice", () => {
    const paper = drawPaper(exam, catalog, "sizes");
    exam.sections.forEach((section, index) => {
      const drawn = paper.sections[index];
      const expected = section.kind === "tasks" ? section.draw : section.draws.reduce((sum, draw) => sum + draw.count, 0);
      expect(drawn?.items).toHaveLength(expected);
      const points = drawn?.items.reduce((sum, item) => sum + item.points, 0);
      expect(points).toBeCloseTo(section.weight, 9);
    });
    const keys = paperItems(paper).map((item) => item.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(paperItems(paper).reduce((sum, item) => sum + item.points, 0)).toBeCloseTo(100, 9);
  });

  it("every hands-on pool entry turns up over many seeds", () => {
    const seen = new Set<string>();
    for (let index = 0; index < 300; index += 1)
      for (const item of paperItems(drawPaper(exam, catalog, `cover-${index}`))) seen.add(item.key);
    for (const section of exam.sections) {
      if (section.kind !== "tasks") continue;
      for (const entry of section.pool) expect(seen.has("task" in entry ? `task:${entry.task}` : `scenario:${entry.scenario}`)).toBe(true);
    }
  });

  it("questions come from the exam's own module only, whatever other modules share its tags", () => {
    const own = catalog.modules.get(exam.module);
    for (let index = 0; index < 100; index += 1)
      for (const item of paperItems(drawPaper(exam, catalog, `module-${index}`)))
        if (item.kind === "question") expect(own?.has(item.questionId)).toBe(true);
  });

  it("questions drawn match their draw's tags and difficulty and are auto-graded", () => {
    const paper = drawPaper(exam, catalog, "tags");
    for (const section of paper.sections) {
      for (const item of section.items) {
        if (item.kind !== "question") continue;
        const question = catalog.questions.get(item.questionId);
        expect(question?.type).not.toBe("open");
        const definition = exam.sections.find((candidate) => candidate.id === section.id);
        const draws = definition?.kind === "questions" ? definition.draws : [];
        expect(
          draws.some(
            (draw) =>
              question !== undefined &&
              question.tags.some((tag) => draw.tags.includes(tag)) &&
              (draw.difficulty ?? [question.difficulty]).includes(question.difficulty),
          ),
        ).toBe(true);
      }
    }
  });
});

describe("scenario parts in a paper", () => {
  it("carry only the picked checks, with the weights the exam gives them", () => {
    const exam = catalog.exams.get("authentication-exam");
    if (exam === undefined) throw new Error("no exam");
    for (let index = 0; index < 100; index += 1) {
      const oidc = paperItems(drawPaper(exam, catalog, `oidc-${index}`)).find((item) => item.key === "scenario:oidc");
      if (oidc?.kind !== "task") continue;
      expect(oidc.checks.map((check) => [check.id, check.weight])).toEqual([
        ["alice-authenticated", 1],
        ["developers-list-pods", 3],
        ["bound-to-group", 1],
      ]);
      return;
    }
    throw new Error("the oidc scenario never came up");
  });
});
