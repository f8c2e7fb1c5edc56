import { describe, expect, it } from "vitest";
import { PAPER_FORMAT, type Paper } from "./paper";
import { scorePaper } from "./score";

const paper: Paper = {
  format: PAPER_FORMAT,
  examId: "sample",
  seed: "s",
  durationMinutes: 30,
  passMark: 66,
  sections: [
    {
      id: "hands-on",
      title: "Hands-on",
      kind: "tasks",
      weight: 60,
      items: [
        {
          kind: "task",
          key: "task:a",
          entry: { task: "a" },
          points: 30,
          topics: ["csr", "x509"],
          checks: [
            { id: "issued", weight: 3, requires: [] },
            { id: "context", weight: 1, requires: [] },
          ],
        },
        {
          kind: "task",
          key: "scenario:b",
          entry: { scenario: "b" },
          points: 30,
          topics: ["rbac"],
          checks: [
            { id: "works", weight: 2, requires: [] },
            { id: "least-privilege", weight: 2, requires: ["works"] },
          ],
        },
      ],
    },
    {
      id: "knowledge",
      title: "Questions",
      kind: "questions",
      weight: 40,
      items: [
        { kind: "question", key: "question:q1", questionId: "q1", points: 20, topics: ["x509"] },
        { kind: "question", key: "question:q2", questionId: "q2", points: 20, topics: ["rbac", "rbac"] },
      ],
    },
  ],
};

describe("scorePaper", () => {
  it("nothing done scores 0 and fails", () => {
    const score = scorePaper(paper, {});
    expect(score).toMatchObject({ earned: 0, possible: 100, percent: 0, passed: false });
    expect(score.items.map((item) => item.fraction)).toEqual([0, 0, 0, 0]);
  });

  it("weights checks within a task, splits sections and topics, and passes at the mark", () => {
    const score = scorePaper(paper, {
      checks: { "task:a": { issued: true, context: false }, "scenario:b": { works: true, "least-privilege": true } },
      questions: { "question:q1": 1, "question:q2": 0.5 },
    });
    // a: 3/4 of 30 = 22.5; b: 30; q1: 20; q2: 10.
    expect(score.items.map((item) => item.earned)).toEqual([22.5, 30, 20, 10]);
    expect(score.earned).toBeCloseTo(82.5, 9);
    expect(score.percent).toBe(82.5);
    expect(score.passed).toBe(true);
    expect(score.sections).toEqual([
      { id: "hands-on", title: "Hands-on", earned: 52.5, possible: 60, percent: 87.5 },
      { id: "knowledge", title: "Questions", earned: 30, possible: 40, percent: 75 },
    ]);
    expect(score.topics).toEqual([
      { id: "csr", earned: 22.5, possible: 30, percent: 75 },
      // b (30/30) and q2 once although tagged twice (10/20).
      { id: "rbac", earned: 40, possible: 50, percent: 80 },
      { id: "x509", earned: 42.5, possible: 50, percent: 85 },
    ]);
  });

  it("a guard check earns nothing before the check it requires passed", () => {
    const score = scorePaper(paper, { checks: { "scenario:b": { works: false, "least-privilege": true } } });
    expect(score.items[1]?.checks).toEqual([
      { id: "works", weight: 2, passed: false, credited: false },
      { id: "least-privilege", weight: 2, passed: true, credited: false },
    ]);
    expect(score.items[1]?.earned).toBe(0);
  });

  it("passes at exactly the mark and not a hair below it", () => {
    const at = { ...paper, passMark: 60 };
    const passing = scorePaper(at, {
      checks: { "task:a": { issued: true, context: true }, "scenario:b": { works: true, "least-privilege": true } },
    });
    expect(passing.percent).toBe(60);
    expect(passing.passed).toBe(true);
    const justUnder = scorePaper(
      { ...paper, passMark: 61 },
      {
        checks: { "task:a": { issued: true, context: true }, "scenario:b": { works: true, "least-privilege": true } },
        questions: { "question:q1": 0.049 },
      },
    );
    // 60.98%: shown rounded down, so the learner never reads 61% beside "not passed".
    expect(justUnder.percent).toBe(60.9);
    expect(justUnder.passed).toBe(false);
  });

  it("ignores outcomes for keys and checks the paper does not have, and clamps grades to 0..1", () => {
    const score = scorePaper(paper, {
      checks: { "task:zzz": { issued: true }, "task:a": { unknown: true } },
      questions: { "question:q1": 7, "question:q2": Number.NaN, "question:other": 1, ["__proto__"]: 1 },
    });
    expect(score.items.map((item) => item.earned)).toEqual([0, 0, 20, 0]);
  });
});
