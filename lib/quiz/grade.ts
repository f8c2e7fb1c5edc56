/**
 * Pure grading: a question and a response in, a score out. No I/O, so the same function
 * grades a lesson check, a mock exam and a re-grade after a content fix.
 */
import type {
  MultipleChoiceQuestion,
  OpenQuestion,
  Question,
  QuestionType,
  ShortAnswerQuestion,
  SingleChoiceQuestion,
} from "@/lib/content/schema";
import { gradeCommand } from "./command";
import { explainNearMiss } from "./near-miss";
import { MAX_TEXT_LENGTH, type QuizResponse, type SelfRating } from "./response";

export type GradeStatus = "correct" | "partial" | "incorrect";

export interface GradeResult {
  questionId: string;
  type: QuestionType;
  /** 0..1 */
  score: number;
  correct: boolean;
  status: GradeStatus;
  /** True for open questions: the learner rated their own answer against the model answer. */
  selfAssessed: boolean;
  /** Options the learner picked (choice questions), deduplicated, in submission order. */
  pickedOptionIds: string[];
  /** The learner's text after normalization (short answers). */
  normalizedText?: string;
  selfRating?: SelfRating;
  /** Open questions: the written answer arrived without a self-rating yet (score 0, nothing to show). */
  awaitingRating?: boolean;
  /** Why a short answer was not accepted when that is not obvious (letter case, what kubectl would do). */
  note?: string;
  /** Set when the response does not fit the question type; the score is then 0. */
  invalidResponse?: boolean;
}

/** Score of each self-rating: full, half, nothing. */
export const SELF_RATING_SCORES: Record<SelfRating, number> = { "got-it": 1, partly: 0.5, missed: 0 };

const SURROUNDING_PAIRS: [string, string][] = [
  ["`", "`"],
  ['"', '"'],
  ["'", "'"],
  ["\u201c", "\u201d"],
  ["\u2018", "\u2019"],
];

/**
 * How short answers are compared: trim; drop surrounding backticks or quotes (also a fenced
 * or doubled pair); drop a leading shell prompt `$ `; collapse runs of whitespace; lowercase
 * unless the question is case-sensitive.
 */
export function normalizeShortAnswer(text: string, caseSensitive = false): string {
  let value = text.trim();
  for (let changed = true; changed;) {
    changed = false;
    for (const [open, close] of SURROUNDING_PAIRS) {
      if (value.length >= open.length + close.length && value.startsWith(open) && value.endsWith(close)) {
        value = value.slice(open.length, value.length - close.length).trim();
        changed = true;
      }
    }
  }
  value = value
    .replace(/^\$\s+/, "")
    .replace(/\s+/g, " ")
    .trim();
  return caseSensitive ? value : value.toLowerCase();
}

function status(score: number): GradeStatus {
  if (score >= 1) return "correct";
  return score > 0 ? "partial" : "incorrect";
}

function result(question: Question, score: number, extra: Partial<GradeResult> = {}): GradeResult {
  const bounded = Math.min(1, Math.max(0, score));
  return {
    questionId: question.id,
    type: question.type,
    score: bounded,
    correct: bounded >= 1,
    status: status(bounded),
    selfAssessed: false,
    pickedOptionIds: [],
    ...extra,
  };
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

function gradeSingle(question: SingleChoiceQuestion, picked: string[]): GradeResult {
  const right = picked.length === 1 && picked[0] === question.answer;
  return result(question, right ? 1 : 0, { pickedOptionIds: picked });
}

function gradeMultiple(question: MultipleChoiceQuestion, picked: string[]): GradeResult {
  const answer = new Set(question.answer);
  const correctPicks = picked.filter((id) => answer.has(id)).length;
  const wrongPicks = picked.length - correctPicks;
  const exact = correctPicks === answer.size && wrongPicks === 0;
  const score = question.scoring === "partial" ? Math.max(0, (correctPicks - wrongPicks) / answer.size) : exact ? 1 : 0;
  // (correct - wrong) / n reaches 1 only with the exact set, so `correct` means exactly that set.
  return result(question, exact ? 1 : score, { pickedOptionIds: picked });
}

/** Go net/http's status texts for the codes the course talks about, lowercased. */
const HTTP_STATUS_TEXT: Record<string, string> = {
  "200": "ok",
  "201": "created",
  "400": "bad request",
  "401": "unauthorized",
  "403": "forbidden",
  "404": "not found",
  "409": "conflict",
  "422": "unprocessable entity",
  "429": "too many requests",
  "500": "internal server error",
};
const STATUS_FILLERS = new Set(["http", "http/1.0", "http/1.1", "http/2", "status", "code", "error"]);

/**
 * "HTTP 401", "status code 401", "401 Unauthorized", "401 (Unauthorized)" all mean 401; "401
 * Forbidden" contradicts itself and is not accepted. Tokens, not a regular expression.
 */
function statusCodeOf(text: string): string | undefined {
  const words = text
    .toLowerCase()
    .replace(/[():,]/g, " ")
    .split(" ")
    .filter((word) => word !== "");
  // At most "HTTP status code 401": each filler word once, in any order.
  const seen = new Set<string>();
  while (words.length > 0 && STATUS_FILLERS.has(words[0] ?? "") && !seen.has(words[0] ?? "")) seen.add(words.shift() ?? "");
  const [code, ...reason] = words;
  if (code === undefined || !/^[1-5][0-9][0-9]$/.test(code)) return undefined;
  return reason.length === 0 || reason.join(" ") === HTTP_STATUS_TEXT[code] ? code : undefined;
}

function textMatches(given: string, accepted: string): boolean {
  if (given === accepted) return true;
  if (/^[1-5][0-9][0-9]$/.test(accepted)) return statusCodeOf(given) === accepted;
  return false;
}

/** The near-miss note, compared as the grader compared; for a case-sensitive answer also ignoring case (then saying so). */
function nearMissNote(given: string, accepted: readonly string[], caseSensitive: boolean): string | undefined {
  const exact = explainNearMiss(
    given,
    accepted.map((a) => normalizeShortAnswer(a, caseSensitive)),
  );
  if (exact !== undefined || !caseSensitive) return exact;
  const folded = explainNearMiss(
    given.toLowerCase(),
    accepted.map((a) => normalizeShortAnswer(a, false)),
  );
  return folded === undefined ? undefined : `${folded} Letter case counts here as well.`;
}

function gradeShort(question: ShortAnswerQuestion, text: string): GradeResult {
  if (text.length > MAX_TEXT_LENGTH) return result(question, 0, { invalidResponse: true });
  const { kind, caseSensitive, caseNote, optionalFlags } = question.match;
  if (kind === "command") {
    const given = normalizeShortAnswer(text, true);
    const graded = given === "" ? { correct: false } : gradeCommand(given, question.accepted, optionalFlags);
    return result(question, graded.correct ? 1 : 0, { normalizedText: given, ...(graded.note === undefined ? {} : { note: graded.note }) });
  }
  // A full stop at the end of a sentence-like answer is not part of the value.
  const given = normalizeShortAnswer(text, caseSensitive).replace(/\.$/, "");
  const matches = (ignoreCase: boolean) =>
    given !== "" &&
    question.accepted.some((a) =>
      textMatches(ignoreCase ? given.toLowerCase() : given, normalizeShortAnswer(a, !ignoreCase && caseSensitive)),
    );
  if (matches(false)) return result(question, 1, { normalizedText: given });
  const onlyCase = caseSensitive && matches(true);
  const note = onlyCase && caseNote !== undefined ? caseNote : nearMissNote(given, question.accepted, caseSensitive);
  return result(question, 0, { normalizedText: given, ...(note === undefined ? {} : { note }) });
}

function gradeOpen(question: OpenQuestion, rating: SelfRating | undefined): GradeResult {
  if (rating === undefined) return result(question, 0, { selfAssessed: true, awaitingRating: true });
  return result(question, SELF_RATING_SCORES[rating], { selfAssessed: true, selfRating: rating });
}

export function gradeAnswer(question: Question, response: QuizResponse): GradeResult {
  switch (question.type) {
    case "single":
      return "optionIds" in response ? gradeSingle(question, unique(response.optionIds)) : result(question, 0, { invalidResponse: true });
    case "multiple":
      return "optionIds" in response ? gradeMultiple(question, unique(response.optionIds)) : result(question, 0, { invalidResponse: true });
    case "short":
      return "text" in response ? gradeShort(question, response.text) : result(question, 0, { invalidResponse: true });
    case "open":
      if ("selfRating" in response) return gradeOpen(question, response.selfRating);
      return "text" in response && response.text.trim() !== ""
        ? gradeOpen(question, undefined)
        : result(question, 0, { invalidResponse: true, selfAssessed: true });
  }
}
