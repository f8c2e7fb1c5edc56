/**
 * An open question between its two steps: the learner's written answer is stored and the model
 * answer was revealed for it, but the learner has not rated it yet. The stored attempt row is
 * the pending state, so a reload (or another device) brings back the text and the model answer
 * until the rating completes that submission. Only a stored, non-empty written answer earns the
 * model answer, the same rule as `/api/quiz/reveal`.
 */
import type { Question } from "@/lib/content/schema";
import { MAX_TEXT_LENGTH, quizResponseSchema } from "./response";

export interface PendingRating {
  /** The stored submission the rating completes. */
  submissionId: string;
  /** The learner's own text, exactly as stored (the rating must repeat it). */
  text: string;
  modelAnswer: string;
  explanation: string;
}

export interface LastAttempt {
  submissionId: string;
  response: unknown;
  selfRating: string | null;
}

export function pendingRating(question: Question, last: LastAttempt | undefined): PendingRating | undefined {
  if (question.type !== "open" || last === undefined || last.selfRating !== null) return undefined;
  const response = quizResponseSchema.safeParse(last.response);
  if (!response.success || !("text" in response.data) || "selfRating" in response.data) return undefined;
  const { text } = response.data;
  if (text.trim() === "" || text.length > MAX_TEXT_LENGTH) return undefined;
  return { submissionId: last.submissionId, text, modelAnswer: question.modelAnswer, explanation: question.explanation };
}
