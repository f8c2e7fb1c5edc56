/**
 * The two views of a question the browser may see. Built field by field (never by copying
 * the question and deleting keys) so a field added to the schema later stays server-side
 * until someone decides to publish it.
 */
import type { Question, QuestionType } from "@/lib/content/schema";
import type { GradeResult, GradeStatus } from "./grade";
import type { SelfRating } from "./response";
import { publicOptionId, publicOptions } from "./options";

/** Before answering: enough to render the question, nothing that reveals the answer. */
export interface PublicQuestion {
  id: string;
  type: QuestionType;
  prompt: string;
  /** True when several options may be chosen (multiple choice). */
  multiple: boolean;
  /** Choice questions only: public ids (see `options.ts`), in a canonical order that says nothing about the key. */
  options?: { id: string; text: string }[];
}

export function toPublicQuestion(question: Question): PublicQuestion {
  const base = { id: question.id, type: question.type, prompt: question.prompt };
  if (question.type === "single" || question.type === "multiple") {
    return {
      ...base,
      multiple: question.type === "multiple",
      options: publicOptions(question),
    };
  }
  return { ...base, multiple: false };
}

export interface FeedbackOption {
  id: string;
  text: string;
  /** Whether this option belongs to the correct answer. */
  correct: boolean;
  picked: boolean;
  explanation?: string;
}

/** After answering: the verdict and everything that explains it. */
export interface GradingFeedback {
  questionId: string;
  type: QuestionType;
  score: number;
  correct: boolean;
  status: GradeStatus;
  selfAssessed: boolean;
  selfRating?: SelfRating;
  explanation: string;
  /** Choice questions. */
  correctOptionIds?: string[];
  options?: FeedbackOption[];
  /** Short answers: the first accepted answer, shown as the expected one. */
  acceptedAnswer?: string;
  /** Short answers: why this one was not accepted when that is not obvious (letter case, kubectl's reading). */
  note?: string;
  /** Open questions: only once the learner has rated their stored answer. */
  modelAnswer?: string;
  /** Open questions: the written answer is stored; reveal the model answer, then rate. */
  awaitingRating?: boolean;
}

export function gradingFeedback(question: Question, result: GradeResult): GradingFeedback {
  const base: GradingFeedback = {
    questionId: question.id,
    type: question.type,
    score: result.score,
    correct: result.correct,
    status: result.status,
    selfAssessed: result.selfAssessed,
    explanation: question.explanation,
  };
  switch (question.type) {
    case "single":
    case "multiple": {
      // Authored ids stay on the server: the browser knows options by their public ids.
      const correctIds = question.type === "single" ? [question.answer] : question.answer;
      const picked = new Set(result.pickedOptionIds);
      const options = question.options
        .map((option) => ({
          id: publicOptionId(question.id, option.text),
          text: option.text,
          correct: correctIds.includes(option.id),
          picked: picked.has(option.id),
          ...(option.explanation === undefined ? {} : { explanation: option.explanation }),
        }))
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      return {
        ...base,
        correctOptionIds: options.filter((option) => option.correct).map((option) => option.id),
        options,
      };
    }
    case "short":
      return {
        ...base,
        ...(question.accepted[0] === undefined ? {} : { acceptedAnswer: question.accepted[0] }),
        ...(result.note === undefined ? {} : { note: result.note }),
      };
    case "open":
      // Before the rating nothing that hints at the model answer leaves the server, not even the explanation.
      if (result.selfRating === undefined) return { ...base, explanation: "", ...(result.awaitingRating ? { awaitingRating: true } : {}) };
      return { ...base, modelAnswer: question.modelAnswer, selfRating: result.selfRating };
  }
}
