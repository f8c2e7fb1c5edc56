/**
 * What a browser may submit as an answer. Bounded so a request can never carry more than a
 * page of text or more ids than any question has options.
 */
import { z } from "zod";
import type { Question } from "@/lib/content/schema";

export const MAX_TEXT_LENGTH = 2000;
export const MAX_OPTION_IDS = 10;

export const selfRatings = ["got-it", "partly", "missed"] as const;
export type SelfRating = (typeof selfRatings)[number];

export const choiceResponseSchema = z.strictObject({
  optionIds: z.array(z.string().min(1).max(32)).max(MAX_OPTION_IDS, `at most ${MAX_OPTION_IDS} options`),
});
export const textResponseSchema = z.strictObject({
  text: z.string().max(MAX_TEXT_LENGTH, `at most ${MAX_TEXT_LENGTH} characters`),
});
export const selfAssessedResponseSchema = z.strictObject({
  text: z.string().max(MAX_TEXT_LENGTH, `at most ${MAX_TEXT_LENGTH} characters`),
  selfRating: z.enum(selfRatings),
});

/** Any well-formed response; which shape fits which question is checked by `parseResponseFor`. */
export const quizResponseSchema = z.union([choiceResponseSchema, selfAssessedResponseSchema, textResponseSchema]);

export type ChoiceResponse = z.infer<typeof choiceResponseSchema>;
export type TextResponse = z.infer<typeof textResponseSchema>;
export type SelfAssessedResponse = z.infer<typeof selfAssessedResponseSchema>;
export type QuizResponse = z.infer<typeof quizResponseSchema>;

/** The body of an answer submission. */
export const answerSubmissionSchema = z.strictObject({
  questionId: z.string().min(1).max(100),
  response: quizResponseSchema,
});
export type AnswerSubmission = z.infer<typeof answerSubmissionSchema>;

/** The response schema that fits one question, with option ids limited to that question's. */
export function responseSchemaFor(question: Question): z.ZodType<QuizResponse> {
  switch (question.type) {
    case "single":
    case "multiple": {
      const ids = new Set(question.options.map((o) => o.id));
      return choiceResponseSchema.superRefine((response, ctx) => {
        if (question.type === "single" && response.optionIds.length !== 1) {
          ctx.addIssue({ code: "custom", path: ["optionIds"], message: "choose exactly one option" });
        }
        if (question.type === "multiple" && response.optionIds.length === 0) {
          ctx.addIssue({ code: "custom", path: ["optionIds"], message: "choose at least one option" });
        }
        response.optionIds.forEach((id, index) => {
          if (!ids.has(id)) ctx.addIssue({ code: "custom", path: ["optionIds", index], message: `unknown option "${id}"` });
        });
      });
    }
    case "short":
      return textResponseSchema.refine((r) => r.text.trim().length > 0, { message: "type an answer", path: ["text"] });
    case "open":
      // First the written answer alone (stored, so /api/quiz/reveal may show the model answer),
      // then the same submission with the learner's rating. Never an empty text.
      return z
        .union([selfAssessedResponseSchema, textResponseSchema])
        .refine((r) => r.text.trim().length > 0, { message: "write an answer first", path: ["text"] });
  }
}

export type ParsedResponse = { success: true; data: QuizResponse } | { success: false; error: string };

/** Validates untrusted input for one question; the error is a message fit to show the learner. */
export function parseResponseFor(question: Question, input: unknown): ParsedResponse {
  const result = responseSchemaFor(question).safeParse(input);
  if (result.success) return { success: true, data: result.data };
  const issue = result.error.issues[0];
  return { success: false, error: issue ? issue.message : "invalid answer" };
}
