import { describe, expect, it } from "vitest";
import { questionSchema } from "@/lib/content/schema";
import { answerSubmissionSchema, parseResponseFor, quizResponseSchema } from "./response";

const base = { prompt: "p", explanation: "e", tags: ["t"], difficulty: "easy" };
const options = [
  { id: "a", text: "A" },
  { id: "b", text: "B" },
];
const single = questionSchema.parse({ ...base, id: "s", type: "single", options, answer: "a" });
const multiple = questionSchema.parse({ ...base, id: "m", type: "multiple", options, answer: ["a"] });
const short = questionSchema.parse({ ...base, id: "t", type: "short", accepted: ["x"] });
const open = questionSchema.parse({ ...base, id: "o", type: "open", modelAnswer: "m" });

describe("quizResponseSchema", () => {
  it("accepts the three shapes", () => {
    expect(quizResponseSchema.safeParse({ optionIds: ["a"] }).success).toBe(true);
    expect(quizResponseSchema.safeParse({ text: "x" }).success).toBe(true);
    expect(quizResponseSchema.safeParse({ text: "x", selfRating: "partly" }).success).toBe(true);
  });

  it("bounds text length and option count and rejects unknown keys", () => {
    expect(quizResponseSchema.safeParse({ text: "x".repeat(2000) }).success).toBe(true);
    expect(quizResponseSchema.safeParse({ text: "x".repeat(2001) }).success).toBe(false);
    expect(quizResponseSchema.safeParse({ optionIds: Array.from({ length: 11 }, (_, i) => `o${i}`) }).success).toBe(false);
    expect(quizResponseSchema.safeParse({ text: "x", selfRating: "perfect" }).success).toBe(false);
    expect(quizResponseSchema.safeParse({ text: "x", score: 1 }).success).toBe(false);
    expect(quizResponseSchema.safeParse(null).success).toBe(false);
  });

  it("validates a submission envelope", () => {
    expect(answerSubmissionSchema.safeParse({ questionId: "s", response: { optionIds: ["a"] } }).success).toBe(true);
    expect(answerSubmissionSchema.safeParse({ questionId: "", response: { optionIds: ["a"] } }).success).toBe(false);
  });
});

describe("parseResponseFor", () => {
  it("requires the shape that fits the question, with readable messages", () => {
    expect(parseResponseFor(single, { optionIds: ["a"] })).toEqual({ success: true, data: { optionIds: ["a"] } });
    expect(parseResponseFor(single, { optionIds: ["a", "b"] })).toEqual({ success: false, error: "choose exactly one option" });
    expect(parseResponseFor(multiple, { optionIds: [] })).toEqual({ success: false, error: "choose at least one option" });
    expect(parseResponseFor(multiple, { optionIds: ["zz"] })).toEqual({ success: false, error: 'unknown option "zz"' });
    expect(parseResponseFor(short, { text: "  " })).toEqual({ success: false, error: "type an answer" });
    expect(parseResponseFor(short, { optionIds: ["a"] }).success).toBe(false);
    // The written answer alone is the first step of an open question; it must not be blank.
    expect(parseResponseFor(open, { text: "mine" }).success).toBe(true);
    expect(parseResponseFor(open, { text: " " }).success).toBe(false);
    expect(parseResponseFor(open, { text: "", selfRating: "missed" }).success).toBe(false);
  });
});
