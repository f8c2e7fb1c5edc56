import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { checkContent, type CheckReport } from "./check";
import type { ContentProblem, ProblemCode } from "./problems";

const fixtures = path.join(__dirname, "__fixtures__");
const lessons = path.join(fixtures, "broken", "modules", "alpha", "lessons");
const banks = path.join(fixtures, "broken", "modules", "alpha", "questions");
const rel = (file: string) => path.relative(process.cwd(), file);

describe("checkContent on deliberately broken content", () => {
  let report: CheckReport;
  beforeAll(async () => {
    report = await checkContent(path.join(fixtures, "broken"), { scenarioIds: ["known"] });
  });

  function find(code: ProblemCode, file: string, extra: Partial<ContentProblem> = {}): ContentProblem | undefined {
    return report.problems.find(
      (p) =>
        p.code === code &&
        p.file === rel(file) &&
        Object.entries(extra).every(([key, value]) => p[key as keyof ContentProblem] === value),
    );
  }

  it.each<[ProblemCode, string, Partial<ContentProblem>]>([
    ["schema", path.join(lessons, "03-bad-frontmatter.mdx"), { field: "frontmatter.title" }],
    ["schema", path.join(lessons, "03-bad-frontmatter.mdx"), { field: "frontmatter.order" }],
    ["schema", path.join(banks, "one.yaml"), { field: "questions[6].type" }],
    ["missing-explanation", path.join(banks, "one.yaml"), { field: "questions[1].explanation" }],
    ["answer-out-of-range", path.join(banks, "one.yaml"), { field: "questions[2].answer" }],
    ["empty-answer", path.join(banks, "one.yaml"), { field: "questions[3].answer" }],
    ["duplicate-option-id", path.join(banks, "one.yaml"), { field: "questions[4].options[1].id" }],
    ["duplicate-question-id", path.join(banks, "two.yaml"), { field: "questions[0].id" }],
    ["parse-error", path.join(banks, "bad-yaml.yaml"), {}],
    ["id-mismatch", path.join(banks, "renamed.yaml"), { field: "bank" }],
    ["unknown-module", path.join(fixtures, "broken", "course.yaml"), {}],
    ["file-name", path.join(lessons, "bad_name.mdx"), {}],
    ["unknown-prerequisite", path.join(lessons, "01-first.mdx"), { field: "frontmatter.prerequisites[0]" }],
    ["esm-statement", path.join(lessons, "01-first.mdx"), { line: 9 }],
    ["broken-link", path.join(lessons, "01-first.mdx"), { line: 13 }],
    ["broken-anchor", path.join(lessons, "01-first.mdx"), { line: 13 }],
    ["broken-anchor", path.join(lessons, "01-first.mdx"), { line: 14 }],
    ["unknown-component", path.join(lessons, "01-first.mdx"), { line: 16 }],
    ["js-expression", path.join(lessons, "01-first.mdx"), { line: 18 }],
    ["invalid-component-props", path.join(lessons, "01-first.mdx"), { line: 20 }],
    ["invalid-component-props", path.join(lessons, "01-first.mdx"), { line: 24 }],
    ["unknown-question", path.join(lessons, "01-first.mdx"), { line: 26 }],
    ["js-expression", path.join(lessons, "01-first.mdx"), { line: 28 }],
    ["html-comment", path.join(lessons, "01-first.mdx"), { line: 30 }],
    ["lesson-without-question", path.join(lessons, "02-second.mdx"), {}],
    ["mdx-compile", path.join(lessons, "05-unclosed.mdx"), { line: 10 }],
  ])("reports %s in %s %o as an error", (code, file, extra) => {
    const problem = find(code, file, extra);
    expect(problem, `${code} ${rel(file)} ${JSON.stringify(extra)}`).toBeDefined();
    expect(problem?.severity).toBe("error");
  });

  it.each<[ProblemCode, string]>([
    ["unknown-scenario", path.join(lessons, "01-first.mdx")],
    ["question-not-embedded", path.join(banks, "one.yaml")],
    ["question-embedded-twice", path.join(lessons, "05-unclosed.mdx")],
    ["module-not-in-course", path.join(fixtures, "broken", "modules", "orphan")],
  ])("reports %s in %s as a warning", (code, file) => {
    expect(find(code, file)?.severity).toBe("warning");
  });

  it("names the question that is never embedded", () => {
    const problem = find("question-not-embedded", path.join(banks, "one.yaml"));
    expect(problem?.message).toContain("never-embedded");
  });

  it("does not flag code, valid links or valid components", () => {
    const first = report.problems.filter((p) => p.file === rel(path.join(lessons, "01-first.mdx")));
    expect(first.some((p) => p.message.includes("second-heading"))).toBe(false);
    expect(first.some((p) => p.message.includes("good-one"))).toBe(false);
  });

  it("counts errors and warnings", () => {
    expect(report.errors).toBe(report.problems.filter((p) => p.severity === "error").length);
    expect(report.errors).toBeGreaterThan(20);
    expect(report.warnings).toBeGreaterThanOrEqual(4);
  });
});

describe("checkContent on questions with answer cues", () => {
  const cues = path.join(fixtures, "cues");
  const bank = rel(path.join(cues, "modules", "alpha", "questions", "cues.yaml"));
  let report: CheckReport;
  beforeAll(async () => {
    report = await checkContent(cues);
  });
  const byCode = (code: ProblemCode) => report.problems.filter((p) => p.code === code && p.severity === "error");

  it("rejects a key position holding more than 40% of single-choice keys", () => {
    expect(byCode("key-position-bias").map((p) => p.message)).toEqual([expect.stringContaining("5 of 8 single-choice keys are option 1")]);
  });

  it("rejects the correct option being the uniquely longest in more than 20% of single-choice questions", () => {
    const [problem, ...rest] = byCode("longest-option-cue");
    expect(rest).toEqual([]);
    expect(problem?.message).toContain("in 3 of 8");
    expect(problem?.message).toContain("q-one, q-two, q-three");
  });

  it("rejects ids that contain words of the answer or negate a distractor", () => {
    expect(byCode("id-reveals-answer").map((p) => [p.file, p.field, p.message.match(/\(([^)]*)\)/)?.[1]])).toEqual([
      [bank, "questions[5].id", "restart"],
      [bank, "questions[7].id", "not-anonymous"],
    ]);
  });

  it("rejects two options that read the same", () => {
    expect(byCode("duplicate-option-text").map((p) => [p.file, p.field])).toEqual([[bank, "questions[6].options[2].text"]]);
  });

  it("reports nothing else", () => {
    const codes = new Set(report.problems.map((p) => p.code));
    expect([...codes].sort()).toEqual(["duplicate-option-text", "id-reveals-answer", "key-position-bias", "longest-option-cue"]);
  });
});

describe("checkContent on valid content", () => {
  it("reports nothing, including code that looks like JSX or expressions", async () => {
    const report = await checkContent(path.join(fixtures, "valid"));
    expect(report.problems).toEqual([]);
  });
});

describe("checkContent on the real course", () => {
  it("has no errors", async () => {
    const report = await checkContent("content");
    expect(report.problems.filter((p) => p.severity === "error")).toEqual([]);
  });
});
