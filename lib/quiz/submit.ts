import "server-only";
import type { Db } from "../db/client";
import { getQuestion } from "../content/load";
import { DomainError } from "../http/errors";
import { gradeAnswer } from "./grade";
import { gradingFeedback, type GradingFeedback } from "./public";
import { parseResponseFor } from "./response";
import { authoredResponse } from "./options";
import { lessonForAnswer } from "./lessons";
import { hasWrittenAttempt, rateOpenAttempt, recordAttempt } from "./attempts";
import type { AnswerRequest } from "./submission";

export interface AnswerOutcome {
  feedback: GradingFeedback;
  /** False for anonymous visitors: graded, nothing stored. */
  stored: boolean;
  isFirst?: boolean;
  /** The same submissionId was stored before; this is its original grading. */
  duplicate?: boolean;
  /** Set by lib/progress/answers.ts, which completes the lesson once all its questions are answered. */
  lessonCompleted?: boolean;
}

function questionOr404(questionId: string) {
  const question = getQuestion(questionId);
  if (!question) throw new DomainError(404, `There is no question "${questionId}".`);
  return question;
}

/**
 * Grades one submission on the server and, for a signed-in learner, stores it (lesson completion is
 * progress's job: lib/progress/answers.ts). The feedback (correct answer, explanations) leaves the server only here.
 */
export async function submitAnswer(database: Db, userId: string | undefined, request: AnswerRequest): Promise<AnswerOutcome> {
  const question = questionOr404(request.questionId);
  const authored = authoredResponse(question, request.response);
  if (!authored.success) throw new DomainError(422, authored.error);
  const parsed = parseResponseFor(question, authored.data);
  if (!parsed.success) throw new DomainError(422, parsed.error);
  const lesson = lessonForAnswer(question.id, request.lesson);
  if (!userId || !lesson) {
    return { feedback: gradingFeedback(question, gradeAnswer(question, parsed.data)), stored: false };
  }
  const graded = gradeAnswer(question, parsed.data);
  const stored = await recordAttempt(database, {
    userId,
    questionId: question.id,
    moduleId: lesson.moduleId,
    lessonSlug: lesson.slug,
    submissionId: request.submissionId,
    response: parsed.data,
    result: graded,
    ...(request.durationMs === undefined ? {} : { durationMs: request.durationMs }),
  });
  // The self-rating of a stored open answer completes that submission instead of adding one.
  const rated =
    stored.duplicate &&
    (await rateOpenAttempt(database, {
      userId,
      questionId: question.id,
      submissionId: request.submissionId,
      response: parsed.data,
      result: graded,
    }));
  // A repeated submission is answered with its original grading, not the repeated body's.
  const result = stored.duplicate && !rated ? gradeAnswer(question, stored.response) : graded;
  return { feedback: gradingFeedback(question, result), stored: true, isFirst: stored.isFirst, duplicate: stored.duplicate && !rated };
}

/**
 * Open questions: the model answer to compare with, only once this learner has a stored,
 * non-empty written answer to the question (submitted through submitAnswer first).
 */
export async function revealModelAnswer(
  database: Db,
  userId: string | undefined,
  questionId: string,
): Promise<{ questionId: string; modelAnswer: string; explanation: string }> {
  const question = questionOr404(questionId);
  if (question.type !== "open") throw new DomainError(422, "Only open questions have a model answer to reveal.");
  if (!userId)
    throw new DomainError(401, "Sign in to compare your answer with the model answer: it is shown once your written answer is saved.");
  if (!(await hasWrittenAttempt(database, userId, question.id))) {
    throw new DomainError(409, "Write your answer and submit it first; the model answer is shown after that.");
  }
  return { questionId: question.id, modelAnswer: question.modelAnswer, explanation: question.explanation };
}
