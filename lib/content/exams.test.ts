import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { examSchema, type Exam } from "./exam-schema";
import { readExams, validateExams, type ExamReferences } from "./exams";
import { problemsFromZod, type ContentProblem } from "./problems";
import type { Question } from "./schema";

function single(id: string, tags: string[], difficulty: Question["difficulty"] = "easy"): Question {
  return {
    id,
    type: "single",
    prompt: `Question ${id}?`,
    explanation: "Because.",
    tags,
    difficulty,
    options: [
      { id: "a", text: "One" },
      { id: "b", text: "Two" },
    ],
    answer: "a",
  };
}

const openQuestion: Question = { id: "o1", type: "open", prompt: "Why?", explanation: "Because.", tags: ["x509"], difficulty: "easy", modelAnswer: "Self-rated." };

const refs: ExamReferences = {
  modules: new Map([["authentication", new Set(["x1", "x2", "x3", "c1", "o1"])]]),
  scenarios: new Map([
    [
      "whoami",
      {
        checks: [
          { id: "inspected", requires: [] },
          { id: "confirmed", requires: [] },
          { id: "guard", requires: ["confirmed"] },
        ],
        topics: ["x509"],
      },
    ],
    ["untopical", { checks: [{ id: "only", requires: [] }], topics: [] }],
  ]),
  tasks: new Map([["csr-task", { checks: [{ id: "issued", requires: [] }], topics: ["csr"] }]]),
  questions: new Map([single("x1", ["x509"]), single("x2", ["x509"], "hard"), single("x3", ["x509", "csr"]), single("c1", ["csr"]), openQuestion].map((q) => [q.id, q])),
  topics: new Set(["x509", "csr"]),
};

function exam(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: "sample",
    title: "Sample",
    summary: "A sample exam.",
    module: "authentication",
    durationMinutes: 30,
    passMark: 66,
    sections: [
      { id: "hands-on", title: "Hands-on", kind: "tasks", weight: 50, draw: 1, pool: [{ task: "csr-task" }, { scenario: "whoami", checks: ["inspected"] }] },
      { id: "knowledge", title: "Questions", kind: "questions", weight: 50, draws: [{ tags: ["x509"], count: 2 }] },
    ],
    ...overrides,
  };
}

/** Problems of one exam: the file's own rules, then (if it parses) the cross-file ones. */
function problemsOf(raw: Record<string, unknown>): ContentProblem[] {
  const parsed = examSchema.safeParse(raw);
  if (!parsed.success) return problemsFromZod("sample.yaml", parsed.error);
  return validateExams([{ exam: parsed.data, file: "sample.yaml" }], refs);
}

function codes(raw: Record<string, unknown>): string[] {
  return problemsOf(raw).map((problem) => problem.code);
}

function section(index: number, patch: Record<string, unknown>): Record<string, unknown>[] {
  const sections = exam()["sections"] as Record<string, unknown>[];
  return sections.map((s, i) => (i === index ? { ...s, ...patch } : s));
}

describe("exam definitions", () => {
  it("a valid exam has no problem", () => {
    expect(problemsOf(exam())).toEqual([]);
  });

  it.each([
    ["durationMinutes", 5, "the duration must be 10 to 240 minutes, not 5"],
    ["durationMinutes", 300, "the duration must be 10 to 240 minutes, not 300"],
    ["passMark", 0, "the pass mark is a whole percentage from 1 to 100, not 0"],
    ["passMark", 101, "the pass mark is a whole percentage from 1 to 100, not 101"],
    ["passMark", 66.5, "the pass mark is a whole percentage from 1 to 100, not 66.5"],
  ])("rejects %s %s as out of range", (field, value, message) => {
    const problems = problemsOf(exam({ [field]: value }));
    expect(problems).toEqual([expect.objectContaining({ code: "exam-out-of-range", field, message: `${field}: ${message}` })]);
  });

  it("rejects section weights that do not add up to 100", () => {
    const problems = problemsOf(exam({ sections: section(1, { weight: 40 }) }));
    expect(problems).toEqual([expect.objectContaining({ code: "exam-weights", field: "sections", message: expect.stringContaining("add up to 90") })]);
  });

  it("rejects a zero or negative section weight", () => {
    const problems = problemsOf(exam({ sections: section(0, { weight: 0 }).map((s, i) => (i === 1 ? { ...s, weight: 100 } : s)) }));
    expect(problems).toEqual([expect.objectContaining({ code: "exam-weights", field: "sections[0].weight" })]);
  });

  it("rejects a non-positive check weight", () => {
    expect(codes(exam({ sections: section(0, { pool: [{ scenario: "whoami", checks: [{ id: "inspected", weight: 0 }] }] }) }))).toContain("schema");
  });

  it("rejects duplicate section ids, a task twice in an exam and a check picked twice", () => {
    const sections = exam()["sections"] as Record<string, unknown>[];
    const twice = [...sections.map((s) => ({ ...s, weight: 25 })), { id: "hands-on", title: "Again", kind: "tasks", weight: 50, draw: 1, pool: [{ task: "csr-task" }] }];
    const problems = problemsOf(exam({ sections: twice }));
    expect(problems.map((p) => [p.code, p.field])).toEqual([
      ["duplicate-exam-id", "sections[2].id"],
      ["duplicate-exam-id", "sections[2].pool[0]"],
    ]);
    expect(problems[1]?.message).toContain('task:csr-task is already in the pool of section "hands-on"');
    const picked = problemsOf(exam({ sections: section(0, { pool: [{ scenario: "whoami", checks: ["inspected", "inspected"] }] }) }));
    expect(picked).toEqual([expect.objectContaining({ code: "duplicate-exam-id", message: expect.stringContaining('check "inspected" is picked twice') })]);
  });

  it("rejects an exam whose id is not its file name", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "exams-"));
    fs.mkdirSync(path.join(dir, "exams"));
    fs.writeFileSync(path.join(dir, "exams", "other.yaml"), JSON.stringify(exam()));
    const { exams, problems } = readExams(dir);
    expect(exams).toEqual([]);
    expect(problems).toEqual([expect.objectContaining({ code: "id-mismatch", message: 'exam id "sample" must match the file name "other"' })]);
    fs.rmSync(dir, { recursive: true });
  });

  it("rejects unknown tasks and scenarios", () => {
    const problems = problemsOf(exam({ sections: section(0, { pool: [{ task: "nope" }, { scenario: "gone" }] }) }));
    expect(problems.map((p) => [p.code, p.field, p.message])).toEqual([
      ["unknown-exam-task", "sections[0].pool[0]", 'no valid exam task "nope" in content/exams/tasks'],
      ["unknown-exam-task", "sections[0].pool[1]", 'no valid scenario "gone" in content/scenarios'],
    ]);
  });

  it("rejects unknown checks, and a guard picked without the check it requires", () => {
    const problems = problemsOf(exam({ sections: section(0, { pool: [{ task: "csr-task" }, { scenario: "whoami", checks: ["missing", "guard"] }] }) }));
    expect(problems.map((p) => [p.code, p.message])).toEqual([
      ["unknown-exam-check", 'scenario "whoami" has no check "missing" (it has inspected, confirmed, guard)'],
      ["unknown-exam-check", 'check "guard" earns credit only after "confirmed", which is not picked'],
    ]);
  });

  it("rejects unknown tags, and hands-on sources with no topic", () => {
    const problems = problemsOf(
      exam({
        sections: [
          { id: "hands-on", title: "Hands-on", kind: "tasks", weight: 50, draw: 1, pool: [{ scenario: "untopical" }] },
          { id: "knowledge", title: "Questions", kind: "questions", weight: 50, draws: [{ tags: ["x509", "no-such-tag"], count: 1 }] },
        ],
      }),
    );
    expect(problems.map((p) => [p.code, p.field])).toEqual([
      ["unknown-exam-tag", "sections[0].pool[0]"],
      ["unknown-exam-tag", "sections[1].draws[0].tags[1]"],
    ]);
    const task = validateExams([], { ...refs, tasks: new Map([["t", { checks: [], topics: ["x509", "bogus"] }]]) }, new Map([["t", "tasks/t.yaml"]]));
    expect(task).toEqual([expect.objectContaining({ code: "unknown-exam-tag", file: "tasks/t.yaml", field: "topics[1]" })]);
  });

  it("rejects a task pool smaller than its draw", () => {
    const problems = problemsOf(exam({ sections: section(0, { draw: 3 }) }));
    expect(problems).toEqual([expect.objectContaining({ code: "exam-pool-too-small", field: "sections[0].draw", message: 'section "hands-on" draws 3 tasks from a pool of 2' })]);
  });

  it("rejects a question draw larger than its pool; open questions and other difficulties do not count", () => {
    // x509: x1, x2 (hard), x3 and the open o1; easy only: x1, x3.
    expect(codes(exam({ sections: section(1, { draws: [{ tags: ["x509"], count: 3 }] }) }))).toEqual([]);
    const problems = problemsOf(exam({ sections: section(1, { draws: [{ tags: ["x509"], difficulty: ["easy"], count: 3 }] }) }));
    expect(problems).toEqual([
      expect.objectContaining({ code: "exam-pool-too-small", message: "draws 3 questions tagged x509 (easy), but the banks hold 2 auto-graded ones" }),
    ]);
  });

  it("counts what earlier draws may take from an overlapping pool", () => {
    // csr: c1, x3. An earlier x509 draw of 2 may take x3, leaving one.
    const draws = [
      { tags: ["x509"], count: 2 },
      { tags: ["csr"], count: 2 },
    ];
    const problems = problemsOf(exam({ sections: section(1, { draws }) }));
    expect(problems).toEqual([expect.objectContaining({ code: "exam-pool-too-small", message: expect.stringContaining("1 of which earlier draws may take") })]);
    expect(codes(exam({ sections: section(1, { draws: [draws[0], { tags: ["csr"], count: 1 }] }) }))).toEqual([]);
  });

  it("rejects an unknown module", () => {
    expect(problemsOf(exam({ module: "networking" }))).toEqual([expect.objectContaining({ code: "unknown-module", field: "module" })]);
  });
});

describe("exam schema types", () => {
  it("parses pools of task files, whole scenarios and scenario parts with weights", () => {
    const parsed: Exam = examSchema.parse(exam({ sections: section(0, { pool: [{ task: "csr-task" }, { scenario: "whoami" }, { scenario: "whoami2", checks: ["a", { id: "b", weight: 2 }] }] }) }));
    const pool = parsed.sections[0]?.kind === "tasks" ? parsed.sections[0].pool : [];
    expect(pool).toHaveLength(3);
  });
});
