/**
 * How choice options are identified and ordered in the browser, so that neither the ids nor the
 * order give the answer away.
 *
 * - The browser never sees authored option ids (`a`, `b`, ...): they would reveal the authored
 *   order. It sees a public id derived from the question id and the option's text, which tells
 *   nothing the text does not already show. Static pages list options sorted by public id.
 * - Each signed-in learner sees the options in an order of their own, stable per question:
 *   a permutation keyed by an HMAC of the learner's id and the question id under a server
 *   secret. No table is needed; the server can always recompute it. Anonymous visitors get a
 *   random order in the browser.
 * - Answers come back as public ids; the server maps them to authored ids before grading and
 *   storing, so stored attempts and item statistics keep using authored ids.
 */
import crypto from "node:crypto";
import type { ChoiceQuestion, Question, QuestionOption } from "@/lib/content/schema";
import type { QuizResponse } from "./response";

const PUBLIC_ID_LENGTH = 10;

/** The id the browser uses for an option: a hash of the question id and the option's text. */
export function publicOptionId(questionId: string, text: string): string {
  return crypto.createHash("sha256").update(`kubeprep-option\0${questionId}\0${text}`).digest("hex").slice(0, PUBLIC_ID_LENGTH);
}

export interface PublicOption {
  id: string;
  text: string;
}

/** The options as the browser may see them, in a canonical order (by public id) that ignores the authored order. */
export function publicOptions(question: ChoiceQuestion): PublicOption[] {
  return question.options
    .map((option) => ({ id: publicOptionId(question.id, option.text), text: option.text }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function publicToAuthored(question: ChoiceQuestion): Map<string, QuestionOption> {
  return new Map(question.options.map((option) => [publicOptionId(question.id, option.text), option]));
}

/** The public id of an authored option id (for feedback); undefined for an unknown id. */
export function toPublicOptionId(question: ChoiceQuestion, authoredId: string): string | undefined {
  const option = question.options.find((o) => o.id === authoredId);
  return option ? publicOptionId(question.id, option.text) : undefined;
}

export type AuthoredIds = { success: true; ids: string[] } | { success: false; error: string };

/** Maps the browser's public ids to authored ids; an id that is not a public id of this question is an error. */
export function toAuthoredOptionIds(question: ChoiceQuestion, publicIds: readonly string[]): AuthoredIds {
  const map = publicToAuthored(question);
  const ids: string[] = [];
  for (const id of publicIds) {
    const option = map.get(id);
    if (!option) return { success: false, error: `unknown option "${id}"` };
    ids.push(option.id);
  }
  return { success: true, ids };
}

/** The key every learner's option order is derived from, itself derived from the server secret. */
export function optionOrderKey(serverSecret: string): Buffer {
  return crypto.createHmac("sha256", serverSecret).update("kubeprep option order v1").digest();
}

/**
 * Public option ids in the order one learner sees them. Sorting by an HMAC per option gives
 * every permutation the same probability and needs no state: the same learner and question
 * always get the same order, another learner an independent one.
 */
export function learnerOptionOrder(key: Buffer, learnerId: string, question: ChoiceQuestion): string[] {
  const rank = (id: string) => crypto.createHmac("sha256", key).update(`${learnerId}\0${question.id}\0${id}`).digest("hex");
  return publicOptions(question)
    .map((option) => ({ id: option.id, rank: rank(option.id) }))
    .sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0))
    .map((option) => option.id);
}

/**
 * A response as the browser sent it, with choice options translated to authored ids. Responses
 * of other shapes pass through unchanged (their shape is checked by `parseResponseFor`).
 */
export function authoredResponse(
  question: Question,
  response: QuizResponse,
): { success: true; data: QuizResponse } | { success: false; error: string } {
  if ((question.type !== "single" && question.type !== "multiple") || !("optionIds" in response)) return { success: true, data: response };
  const mapped = toAuthoredOptionIds(question, response.optionIds);
  return mapped.success ? { success: true, data: { optionIds: mapped.ids } } : mapped;
}
