import "server-only";
import type { Db } from "../db/client";
import { lessonForAnswer } from "../quiz/lessons";
import { submitAnswer, type AnswerOutcome } from "../quiz/submit";
import type { AnswerRequest } from "../quiz/submission";
import { completeIfAllAnswered } from "./lessons";

/**
 * An answer as the quiz route takes it: graded and stored by lib/quiz, then the lesson it belongs to
 * is completed once all its questions are answered (progress builds on quiz, never the other way round).
 */
export async function answerQuestion(database: Db, userId: string | undefined, request: AnswerRequest): Promise<AnswerOutcome> {
  const outcome = await submitAnswer(database, userId, request);
  const lesson = lessonForAnswer(request.questionId, request.lesson);
  if (!outcome.stored || userId === undefined || lesson === undefined) return outcome;
  return { ...outcome, lessonCompleted: await completeIfAllAnswered(database, userId, lesson) };
}
