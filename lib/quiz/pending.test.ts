import { describe, expect, it } from "vitest";
import { getQuestion } from "@/lib/content/load";
import { pendingRating } from "./pending";
import { MAX_TEXT_LENGTH } from "./response";

const open = getQuestion("why-no-user-objects-open");
const short = getQuestion("x509-username-short");

describe("pendingRating", () => {
  if (open?.type !== "open" || short === undefined) throw new Error("content fixture changed");

  it("brings back the stored text and the model answer of an unrated written answer", () => {
    const text = "Bindings name users; there is nothing to delete. ✓ 名前";
    expect(pendingRating(open, { submissionId: "s1", response: { text }, selfRating: null })).toEqual({
      submissionId: "s1",
      text,
      modelAnswer: open.modelAnswer,
      explanation: open.explanation,
    });
  });

  it("is gone once rated, and never exists without a stored non-empty text", () => {
    expect(
      pendingRating(open, { submissionId: "s1", response: { text: "mine", selfRating: "partly" }, selfRating: "partly" }),
    ).toBeUndefined();
    expect(pendingRating(open, { submissionId: "s1", response: { text: "mine" }, selfRating: "got-it" })).toBeUndefined();
    expect(pendingRating(open, { submissionId: "s1", response: { text: "  \n\t " }, selfRating: null })).toBeUndefined();
    expect(pendingRating(open, undefined)).toBeUndefined();
  });

  it("ignores rows that are not a written answer: choices, junk, oversized text, other question types", () => {
    expect(pendingRating(open, { submissionId: "s1", response: { optionIds: ["a"] }, selfRating: null })).toBeUndefined();
    expect(pendingRating(open, { submissionId: "s1", response: "text", selfRating: null })).toBeUndefined();
    expect(
      pendingRating(open, { submissionId: "s1", response: { text: "x".repeat(MAX_TEXT_LENGTH + 1) }, selfRating: null }),
    ).toBeUndefined();
    expect(pendingRating(short, { submissionId: "s1", response: { text: "maria" }, selfRating: null })).toBeUndefined();
  });
});
