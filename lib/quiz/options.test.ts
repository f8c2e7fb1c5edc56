import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadCourse } from "@/lib/content/load";
import { questionSchema, type ChoiceQuestion } from "@/lib/content/schema";
import { gradeAnswer } from "./grade";
import { authoredResponse, learnerOptionOrder, optionOrderKey, publicOptions, toAuthoredOptionIds, toPublicOptionId } from "./options";
import { toPublicQuestion } from "./public";

const course = loadCourse(path.resolve("content"));
const choiceQuestions = [...course.questions.values()].filter((q): q is ChoiceQuestion => q.type === "single" || q.type === "multiple");
const key = optionOrderKey("a test secret that is at least thirty-two characters long");

function choice(raw: unknown): ChoiceQuestion {
  const question = questionSchema.parse(raw);
  if (question.type !== "single" && question.type !== "multiple") throw new Error("expected a choice question");
  return question;
}

const sample = choice({
  id: "sample",
  type: "single",
  prompt: "Which one?",
  options: ["Alpha", "Beta", "Gamma", "Delta"].map((text, index) => ({ id: "abcd"[index], text })),
  answer: "a",
  explanation: "Because.",
  tags: ["t"],
  difficulty: "easy",
});

/** Score of picking only the option a learner sees at `position`. */
function scoreAt(question: ChoiceQuestion, learner: string, position: number): number {
  const shown = learnerOptionOrder(key, learner, question)[position];
  if (shown === undefined) throw new Error(`${question.id} has no option ${position}`);
  const mapped = toAuthoredOptionIds(question, [shown]);
  if (!mapped.success) throw new Error(mapped.error);
  return gradeAnswer(question, { optionIds: mapped.ids }).score;
}

/** Expected score and variance of picking one option uniformly at random. */
function chance(question: ChoiceQuestion): { mean: number; variance: number } {
  const scores = question.options.map((option) => gradeAnswer(question, { optionIds: [option.id] }).score);
  const mean = scores.reduce((sum, s) => sum + s, 0) / scores.length;
  return { mean, variance: scores.reduce((sum, s) => sum + (s - mean) ** 2, 0) / scores.length };
}

describe("public option ids", () => {
  it("hide the authored ids and order, and map back to authored ids on the server", () => {
    const shown = publicOptions(sample);
    expect(shown.map((o) => o.text).sort()).toEqual(["Alpha", "Beta", "Delta", "Gamma"]);
    for (const option of shown) expect(option.id).toMatch(/^[0-9a-f]{10}$/);
    expect(shown.map((o) => o.id)).toEqual([...shown.map((o) => o.id)].sort());
    const alpha = toPublicOptionId(sample, "a") ?? "";
    expect(toAuthoredOptionIds(sample, [alpha])).toEqual({ success: true, ids: ["a"] });
    expect(toPublicQuestion(sample).options).toEqual(shown);
  });

  it("reject authored ids and unknown ids instead of grading them", () => {
    expect(toAuthoredOptionIds(sample, ["a"])).toEqual({ success: false, error: 'unknown option "a"' });
    expect(authoredResponse(sample, { optionIds: ["zz"] })).toEqual({ success: false, error: 'unknown option "zz"' });
    expect(authoredResponse(sample, { text: "x" })).toEqual({ success: true, data: { text: "x" } });
  });
});

describe("per-learner option order", () => {
  it("is a permutation of the public ids, stable for a learner and question", () => {
    const order = learnerOptionOrder(key, "learner-1", sample);
    expect([...order].sort()).toEqual(publicOptions(sample).map((o) => o.id));
    expect(learnerOptionOrder(key, "learner-1", sample)).toEqual(order);
  });

  it("depends on the server secret", () => {
    const other = optionOrderKey("another secret that is at least thirty-two characters");
    const differs = choiceQuestions.filter(
      (q) => learnerOptionOrder(key, "learner-1", q).join() !== learnerOptionOrder(other, "learner-1", q).join(),
    );
    expect(differs.length).toBeGreaterThan(choiceQuestions.length / 2);
  });

  it("spreads every option evenly over the first position across learners", () => {
    const counts = new Map<string, number>();
    const learners = 2400;
    for (let n = 0; n < learners; n++) {
      const first = learnerOptionOrder(key, `learner-${n}`, sample)[0] ?? "";
      counts.set(first, (counts.get(first) ?? 0) + 1);
    }
    expect(counts.size).toBe(4);
    // 600 expected per option; the standard deviation is about 21.
    for (const count of counts.values()) expect(Math.abs(count - learners / 4)).toBeLessThan(90);
  });
});

describe("the whole bank as two learners see it", () => {
  const learners = ["learner-one", "learner-two"];

  it("has enough choice questions to measure", () => {
    expect(choiceQuestions.length).toBeGreaterThanOrEqual(30);
  });

  it("shows the two learners different orders", () => {
    const same = choiceQuestions.filter(
      (q) => learnerOptionOrder(key, learners[0] ?? "", q).join() === learnerOptionOrder(key, learners[1] ?? "", q).join(),
    );
    // With 4 or more options two independent orders coincide with probability at most 1/24.
    expect(same.length).toBeLessThanOrEqual(Math.ceil(choiceQuestions.length / 10));
  });

  it("scores at chance level when always picking the first displayed option", () => {
    const expected = choiceQuestions.reduce((sum, q) => sum + chance(q).mean, 0) / choiceQuestions.length;
    // Standard deviation of the mean score over all (learner, question) pairs if each pick is random.
    const pairs = choiceQuestions.length * learners.length;
    const sd = Math.sqrt(choiceQuestions.reduce((sum, q) => sum + chance(q).variance, 0) * learners.length) / pairs;
    const observed = learners.reduce((sum, learner) => sum + choiceQuestions.reduce((s, q) => s + scoreAt(q, learner, 0), 0), 0) / pairs;
    // Chance is about 0.24 for this bank (1/4 on single choice, partial credit on multiple choice);
    // the tolerance is three standard deviations (about 0.13).
    expect(expected).toBeGreaterThan(0.15);
    expect(expected).toBeLessThan(0.45);
    expect(
      Math.abs(observed - expected),
      `observed ${observed.toFixed(3)}, chance ${expected.toFixed(3)} ± ${(3 * sd).toFixed(3)}`,
    ).toBeLessThanOrEqual(3 * sd);
    // No other fixed position beats chance either (one-sided: doing worse than chance is no strategy).
    for (let position = 1; position < 4; position++) {
      const score =
        learners.reduce((sum, learner) => sum + choiceQuestions.reduce((s, q) => s + scoreAt(q, learner, position), 0), 0) / pairs;
      expect(score - expected, `position ${position}: ${score.toFixed(3)}`).toBeLessThanOrEqual(3 * sd);
    }
  });

  it("single-choice first picks are right about one time in four", () => {
    const single = choiceQuestions.filter((q) => q.type === "single");
    const right = learners.reduce((sum, learner) => sum + single.filter((q) => scoreAt(q, learner, 0) === 1).length, 0);
    const n = single.length * learners.length;
    const expected = single.reduce((sum, q) => sum + 1 / q.options.length, 0) * learners.length;
    expect(Math.abs(right - expected), `${right} of ${n} right, ${expected.toFixed(1)} expected`).toBeLessThanOrEqual(
      3 * Math.sqrt(expected * (1 - expected / n)),
    );
  });
});
