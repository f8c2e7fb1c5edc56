import { describe, expect, it } from "vitest";
import { questionSchema, type Question } from "@/lib/content/schema";
import { gradeAnswer, normalizeShortAnswer } from "./grade";

const q = (input: unknown): Question => questionSchema.parse(input);
const base = { prompt: "p", explanation: "e", tags: ["t"], difficulty: "easy" };
const options = [
  { id: "a", text: "A" },
  { id: "b", text: "B" },
  { id: "c", text: "C" },
  { id: "d", text: "D" },
];
const single = q({ ...base, id: "s", type: "single", options, answer: "b" });
const multipleAll = q({ ...base, id: "m1", type: "multiple", options, answer: ["a", "b"] });
const multiplePartial = q({ ...base, id: "m2", type: "multiple", options, answer: ["a", "b", "c"], scoring: "partial" });
const short = q({ ...base, id: "sh", type: "short", accepted: ["system:serviceaccount:dev:builder"] });
const shortCase = q({
  ...base,
  id: "sc",
  type: "short",
  accepted: ["Unauthorized"],
  match: { caseSensitive: true, caseNote: "The reason is a Go constant." },
});
const command = q({ ...base, id: "cmd", type: "short", accepted: ["kubectl auth whoami"] });
const open = q({ ...base, id: "o", type: "open", modelAnswer: "m" });

describe("single choice", () => {
  it("is correct only with exactly the answer", () => {
    expect(gradeAnswer(single, { optionIds: ["b"] })).toMatchObject({ score: 1, correct: true, status: "correct" });
    expect(gradeAnswer(single, { optionIds: ["a"] })).toMatchObject({ score: 0, correct: false, status: "incorrect" });
    expect(gradeAnswer(single, { optionIds: ["a", "b"] }).score).toBe(0);
    expect(gradeAnswer(single, { optionIds: [] }).score).toBe(0);
  });

  it("ignores a repeated pick", () => {
    expect(gradeAnswer(single, { optionIds: ["b", "b"] })).toMatchObject({ correct: true, pickedOptionIds: ["b"] });
  });
});

describe("multiple choice", () => {
  it("all-or-nothing needs the exact set, in any order", () => {
    expect(gradeAnswer(multipleAll, { optionIds: ["b", "a"] }).score).toBe(1);
    expect(gradeAnswer(multipleAll, { optionIds: ["a"] }).score).toBe(0);
    expect(gradeAnswer(multipleAll, { optionIds: ["a", "b", "c"] }).score).toBe(0);
  });

  it("partial gives (correct - wrong) / correct count, floored at 0", () => {
    expect(gradeAnswer(multiplePartial, { optionIds: ["a", "b", "c"] })).toMatchObject({ score: 1, correct: true });
    expect(gradeAnswer(multiplePartial, { optionIds: ["a", "b"] })).toMatchObject({
      score: 2 / 3,
      correct: false,
      status: "partial",
    });
    expect(gradeAnswer(multiplePartial, { optionIds: ["a", "b", "c", "d"] }).score).toBeCloseTo(2 / 3);
    expect(gradeAnswer(multiplePartial, { optionIds: ["a", "d"] }).score).toBe(0);
    expect(gradeAnswer(multiplePartial, { optionIds: ["d"] })).toMatchObject({ score: 0, status: "incorrect" });
    expect(gradeAnswer(multiplePartial, { optionIds: ["a", "a", "a"] }).score).toBeCloseTo(1 / 3);
  });

  it("counts an unknown option id as a wrong pick", () => {
    expect(gradeAnswer(multiplePartial, { optionIds: ["a", "b", "c", "zz"] }).score).toBeCloseTo(2 / 3);
  });
});

describe("short answer", () => {
  it.each([
    "system:serviceaccount:dev:builder",
    "  system:serviceaccount:dev:builder  ",
    "`system:serviceaccount:dev:builder`",
    '"system:serviceaccount:dev:builder"',
    "'system:serviceaccount:dev:builder'",
    "\u201csystem:serviceaccount:dev:builder\u201d",
    "System:ServiceAccount:Dev:Builder",
  ])("accepts %j", (text) => {
    expect(gradeAnswer(short, { text })).toMatchObject({ score: 1, correct: true });
  });

  it.each(["system:serviceaccount:builder:dev", "builder", "", "   ", "system:serviceaccounts:dev"])("rejects %j", (text) => {
    expect(gradeAnswer(short, { text })).toMatchObject({ score: 0, correct: false });
  });

  it("respects case sensitivity when the question asks for it, and says why case matters", () => {
    expect(gradeAnswer(shortCase, { text: "Unauthorized" }).correct).toBe(true);
    expect(gradeAnswer(shortCase, { text: "unauthorized" })).toMatchObject({ correct: false, note: "The reason is a Go constant." });
    expect(gradeAnswer(shortCase, { text: "Forbidden" }).note).toBeUndefined();
  });

  it("a case-sensitive text answer without a caseNote does not pass the schema", () => {
    expect(questionSchema.safeParse({ ...base, id: "x", type: "short", accepted: ["a"], match: { caseSensitive: true } }).success).toBe(
      false,
    );
    expect(
      questionSchema.safeParse({ ...base, id: "x", type: "short", accepted: ["a"], match: { optionalFlags: ["output"] } }).success,
    ).toBe(false);
  });

  it("tolerates a shell prompt, extra spaces and a code fence around a command", () => {
    for (const text of ["$ kubectl auth whoami", "kubectl   auth\twhoami", "`$ kubectl auth whoami`", "```kubectl auth whoami```"]) {
      expect(gradeAnswer(command, { text }).correct, text).toBe(true);
    }
    expect(gradeAnswer(command, { text: "kubectl auth can-i" }).correct).toBe(false);
  });

  it("normalizes predictably", () => {
    expect(normalizeShortAnswer("  `$  Kubectl  Get   Pods`  ")).toBe("kubectl get pods");
    expect(normalizeShortAnswer("'Jane'", true)).toBe("Jane");
    expect(normalizeShortAnswer("$HOME")).toBe("$home");
  });
});

describe("open answer", () => {
  it.each([
    ["got-it", 1, true, "correct"],
    ["partly", 0.5, false, "partial"],
    ["missed", 0, false, "incorrect"],
  ] as const)("self-rating %s scores %d", (selfRating, score, correct, status) => {
    expect(gradeAnswer(open, { text: "my answer", selfRating })).toMatchObject({
      score,
      correct,
      status,
      selfAssessed: true,
      selfRating,
    });
  });
});

describe("mismatched response shapes", () => {
  it("score 0 and are flagged instead of throwing", () => {
    expect(gradeAnswer(single, { text: "b" })).toMatchObject({ score: 0, invalidResponse: true });
    expect(gradeAnswer(multipleAll, { text: "a" })).toMatchObject({ score: 0, invalidResponse: true });
    expect(gradeAnswer(short, { optionIds: ["a"] })).toMatchObject({ score: 0, invalidResponse: true });
    expect(gradeAnswer(open, { optionIds: ["a"] })).toMatchObject({ score: 0, invalidResponse: true });
    expect(gradeAnswer(open, { text: "  " })).toMatchObject({ score: 0, invalidResponse: true });
  });

  it("an open answer without a rating is stored as awaiting the rating, score 0", () => {
    expect(gradeAnswer(open, { text: "no rating yet" })).toMatchObject({ score: 0, awaitingRating: true, selfAssessed: true });
  });
});
