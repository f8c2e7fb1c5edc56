import { describe, expect, it } from "vitest";
import path from "node:path";
import { loadCourse } from "@/lib/content/load";
import { questionSchema, type Question } from "@/lib/content/schema";
import { gradeAnswer } from "./grade";
import { gradingFeedback, toPublicQuestion } from "./public";
import { publicOptionId } from "./options";

/** Every string a learner must not see before answering. */
function secretsOf(question: Question): string[] {
  const secrets = [question.explanation];
  if (question.type === "single" || question.type === "multiple") {
    for (const option of question.options) if (option.explanation) secrets.push(option.explanation);
  }
  if (question.type === "short") secrets.push(...question.accepted);
  if (question.type === "open") secrets.push(question.modelAnswer);
  return secrets;
}

function allStrings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(allStrings);
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => [k, ...allStrings(v)]);
  return [];
}

const ALLOWED_KEYS = new Set(["id", "type", "prompt", "multiple", "options", "text"]);

function assertNoLeak(question: Question): void {
  const output = toPublicQuestion(question);
  const strings = allStrings(output);
  const serialized = JSON.stringify(output);
  for (const secret of secretsOf(question)) {
    // A secret may legitimately equal visible text (an option reading "401" and an accepted answer "401"),
    // so only flag secrets that are not part of what the prompt and options already show.
    const visible = [question.prompt, ...(output.options ?? []).map((o) => o.text)];
    if (visible.some((text) => text.includes(secret))) continue;
    expect(serialized.includes(secret), `${question.id} leaks ${JSON.stringify(secret)}`).toBe(false);
    expect(strings).not.toContain(secret);
  }
  for (const key of Object.keys(output)) expect(ALLOWED_KEYS.has(key), key).toBe(true);
  for (const option of output.options ?? []) expect(Object.keys(option).sort()).toEqual(["id", "text"]);
  // Authored ids would reveal the authored order (and, in a badly authored bank, the key).
  if (question.type === "single" || question.type === "multiple") {
    for (const option of output.options ?? []) expect(question.options.map((o) => o.id)).not.toContain(option.id);
  }
  expect(serialized).not.toMatch(/"(answer|accepted|explanation|modelAnswer|scoring|match|tags|difficulty)"/);
}

const base = { prompt: "Which one?", tags: ["t"], difficulty: "hard" };
const fixtures: Question[] = [
  questionSchema.parse({
    ...base,
    id: "s",
    type: "single",
    options: [
      { id: "a", text: "Alpha", explanation: "SECRET-OPTION-A" },
      { id: "b", text: "Beta", explanation: "SECRET-OPTION-B" },
    ],
    answer: "b",
    explanation: "SECRET-EXPLANATION-S",
  }),
  questionSchema.parse({
    ...base,
    id: "m",
    type: "multiple",
    options: [
      { id: "a", text: "Alpha" },
      { id: "b", text: "Beta", explanation: "SECRET-OPTION-MB" },
      { id: "c", text: "Gamma" },
    ],
    answer: ["a", "c"],
    scoring: "partial",
    explanation: "SECRET-EXPLANATION-M",
  }),
  questionSchema.parse({
    ...base,
    id: "t",
    type: "short",
    accepted: ["SECRET-ACCEPTED-1", "SECRET-ACCEPTED-2"],
    explanation: "SECRET-EXPLANATION-T",
  }),
  questionSchema.parse({ ...base, id: "o", type: "open", modelAnswer: "SECRET-MODEL", explanation: "SECRET-EXPLANATION-O" }),
];

describe("toPublicQuestion", () => {
  it("returns only id, type, prompt, public option ids and texts, and whether several may be chosen", () => {
    const options = [
      { id: publicOptionId("s", "Alpha"), text: "Alpha" },
      { id: publicOptionId("s", "Beta"), text: "Beta" },
    ].sort((a, b) => a.id.localeCompare(b.id));
    expect(toPublicQuestion(fixtures[0] as Question)).toEqual({ id: "s", type: "single", prompt: "Which one?", multiple: false, options });
    expect(toPublicQuestion(fixtures[1] as Question).multiple).toBe(true);
    expect(toPublicQuestion(fixtures[2] as Question)).toEqual({ id: "t", type: "short", prompt: "Which one?", multiple: false });
    expect(toPublicQuestion(fixtures[3] as Question)).toEqual({ id: "o", type: "open", prompt: "Which one?", multiple: false });
  });

  it.each(fixtures.map((f) => [f.id, f] as const))("leaks nothing secret for fixture %s", (_id, question) => {
    assertNoLeak(question);
    expect(JSON.stringify(toPublicQuestion(question))).not.toContain("SECRET");
  });

  it("leaks nothing for any question of the real course", () => {
    const course = loadCourse(path.resolve("content"));
    expect(course.questions.size).toBeGreaterThan(0);
    for (const question of course.questions.values()) assertNoLeak(question);
  });
});

describe("gradingFeedback", () => {
  it("gives correctness, correct options, per-option explanations and picks for choice questions", () => {
    const question = fixtures[0] as Question;
    const feedback = gradingFeedback(question, gradeAnswer(question, { optionIds: ["a"] }));
    const [alpha, beta] = [publicOptionId("s", "Alpha"), publicOptionId("s", "Beta")];
    expect(feedback).toMatchObject({
      questionId: "s",
      correct: false,
      score: 0,
      status: "incorrect",
      correctOptionIds: [beta],
      explanation: "SECRET-EXPLANATION-S",
    });
    expect(feedback.options).toEqual(
      [
        { id: alpha, text: "Alpha", correct: false, picked: true, explanation: "SECRET-OPTION-A" },
        { id: beta, text: "Beta", correct: true, picked: false, explanation: "SECRET-OPTION-B" },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    );
  });

  it("shows partial credit for multiple choice", () => {
    const question = fixtures[1] as Question;
    const feedback = gradingFeedback(question, gradeAnswer(question, { optionIds: ["a"] }));
    const correct = [publicOptionId("m", "Alpha"), publicOptionId("m", "Gamma")].sort();
    expect(feedback).toMatchObject({ status: "partial", score: 0.5, correctOptionIds: correct });
    expect(feedback.options?.find((o) => o.id === publicOptionId("m", "Alpha"))).not.toHaveProperty("explanation");
  });

  it("gives an accepted answer for short answers", () => {
    const question = fixtures[2] as Question;
    const feedback = gradingFeedback(question, gradeAnswer(question, { text: "secret-accepted-2" }));
    expect(feedback).toMatchObject({ correct: true, acceptedAnswer: "SECRET-ACCEPTED-1", explanation: "SECRET-EXPLANATION-T" });
  });

  it("gives the model answer and the self-rating for open questions", () => {
    const question = fixtures[3] as Question;
    const feedback = gradingFeedback(question, gradeAnswer(question, { text: "mine", selfRating: "partly" }));
    expect(feedback).toMatchObject({ selfAssessed: true, selfRating: "partly", score: 0.5, modelAnswer: "SECRET-MODEL" });
  });
});
