import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { loadCourse } from "../content/load";
import { checkExams, loadExamCatalog, resolveHandsOn } from "./catalog";

/** A content root with the real course and scenarios, and exam files written by the test. */
let root: string;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "exam-catalog-"));
  for (const entry of ["course.yaml", "topics.yaml", "modules", "scenarios"])
    fs.symlinkSync(path.resolve("content", entry), path.join(root, entry));
  fs.mkdirSync(path.join(root, "exams", "tasks"), { recursive: true });
  const task = YAML.parse(fs.readFileSync("content/exams/tasks/group-role-binding.yaml", "utf8")) as Record<string, unknown>;
  fs.writeFileSync(
    path.join(root, "exams", "tasks", "team-access.yaml"),
    YAML.stringify({ ...task, id: "team-access", topics: ["rbac", "teams"] }),
  );
  fs.writeFileSync(path.join(root, "exams", "tasks", "broken.yaml"), YAML.stringify({ ...task, id: "broken", topics: [] }));
  fs.writeFileSync(path.join(root, "exams", "tasks", "renamed.yaml"), YAML.stringify({ ...task, id: "not-renamed" }));
  const exam = {
    id: "check",
    title: "Check",
    summary: "A check.",
    module: "authentication",
    durationMinutes: 30,
    passMark: 66,
    sections: [
      {
        id: "tasks",
        title: "Tasks",
        kind: "tasks",
        weight: 50,
        draw: 2,
        pool: [{ task: "team-access" }, { task: "broken" }, { scenario: "whoami" }],
      },
      { id: "questions", title: "Questions", kind: "questions", weight: 50, draws: [{ tags: ["x509"], count: 2 }] },
    ],
  };
  fs.writeFileSync(path.join(root, "exams", "check.yaml"), YAML.stringify(exam));
});

afterAll(() => {
  fs.rmSync(root, { recursive: true });
});

describe("checkExams", () => {
  it("reports invalid task files, task topics missing from topics.yaml, and references to tasks that failed to load", () => {
    const problems = checkExams(root, loadCourse(root));
    const shown = problems.map((problem) => [path.basename(problem.file), problem.code, problem.field ?? ""]);
    expect(shown).toEqual(
      expect.arrayContaining([
        ["broken.yaml", "schema", "topics"],
        ["renamed.yaml", "id-mismatch", "id"],
        ["check.yaml", "unknown-exam-task", "sections[0].pool[1]"],
        ["team-access.yaml", "unknown-exam-tag", "topics[1]"],
      ]),
    );
    expect(problems).toHaveLength(4);
    expect(() => loadExamCatalog(root)).toThrow(/content is invalid \(4 problems\)/);
  });

  it("the shipped content has no exam problem", () => {
    expect(checkExams("content", loadCourse())).toEqual([]);
  });
});

describe("resolveHandsOn", () => {
  const catalog = loadExamCatalog();

  it("runs an exam task as a scenario with its topics", () => {
    const source = resolveHandsOn({ task: "csr-new-developer" }, catalog);
    expect(source.key).toBe("task:csr-new-developer");
    expect(source.scenario.checks.map((check) => check.id)).toEqual([
      "certificate-identity",
      "context-is-maria",
      "context-namespace",
      "admin-still-current",
    ]);
    expect(source.topics).toEqual(["csr", "x509", "kubeconfig"]);
  });

  it("cuts a scenario to the picked checks, in the exam's order and with its weights, and takes topics from topics.yaml", () => {
    const source = resolveHandsOn({ scenario: "oidc", checks: ["bound-to-group", { id: "alice-authenticated", weight: 5 }] }, catalog);
    expect(source.scenario.checks.map((check) => [check.id, check.weight])).toEqual([
      ["bound-to-group", 1],
      ["alice-authenticated", 5],
    ]);
    expect(source.scenario.solution).toEqual(catalog.scenarios.get("oidc")?.solution);
    expect(source.topics.length).toBeGreaterThan(0);
  });
});
