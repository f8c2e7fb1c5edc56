/**
 * Rules against answers that can be found without knowing the subject: a key that sits at the
 * same position most of the time, a correct option that stands out by length, a question id
 * (visible in the page) that repeats words of the answer, and options that say the same thing.
 */
import path from "node:path";
import type { ChoiceQuestion, Question } from "./schema";
import type { ContentProblem } from "./problems";

/** At most this share of single-choice keys may sit at one authored position. */
export const MAX_KEY_POSITION_SHARE = 0.4;
/** At most this share of single-choice questions may have the correct option as the uniquely longest one. */
export const MAX_LONGEST_CORRECT_SHARE = 0.2;
/** Below this many single-choice questions no spread is possible (2 of 3 is already 67%), so the share rules wait. */
export const MIN_SINGLE_FOR_SHARES = 5;

const STOP_WORDS = new Set([
  "the", "and", "for", "not", "from", "with", "what", "which", "who", "why", "how", "when", "its", "are", "was", "does", "vs",
  "into", "out", "your", "you", "one", "two", "open",
]);

/** Lowercase word stems of a text: letters and digits, common suffixes removed. */
function words(text: string): Set<string> {
  const found = new Set<string>();
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) found.add(stem(word));
  return found;
}

function stem(word: string): string {
  for (const suffix of ["ing", "ed", "es", "s"]) {
    if (word.length > suffix.length + 3 && word.endsWith(suffix)) return word.slice(0, -suffix.length);
  }
  return word;
}

/** Text as it reads: markdown code marks and repeated whitespace do not count. */
function visibleText(text: string): string {
  return text.replace(/`/g, "").replace(/\s+/g, " ").trim();
}

function correctIds(question: ChoiceQuestion): string[] {
  return question.type === "single" ? [question.answer] : question.answer;
}

/**
 * Words of the id that give the answer away: words found in a correct option and in no
 * distractor, and words negated in the id (`not-anonymous`, `no-prefix`) that a distractor uses.
 */
export function idGiveaways(question: ChoiceQuestion): string[] {
  const keys = new Set(correctIds(question));
  const correct = question.options.filter((o) => keys.has(o.id)).map((o) => words(o.text));
  const distractors = question.options.filter((o) => !keys.has(o.id)).map((o) => words(o.text));
  const inCorrect = (w: string) => correct.some((set) => set.has(w));
  const inDistractor = (w: string) => distractors.some((set) => set.has(w));
  const parts = question.id.split("-");
  const found = new Set<string>();
  parts.forEach((part, index) => {
    const w = stem(part);
    const meaningful = (part.length >= 3 || /^\d+$/.test(part)) && !STOP_WORDS.has(part);
    if (meaningful && inCorrect(w) && !inDistractor(w)) found.add(part);
    const previous = parts[index - 1];
    if ((previous === "not" || previous === "no") && meaningful && inDistractor(w) && !inCorrect(w)) found.add(`${previous}-${part}`);
  });
  return [...found];
}

export interface QuestionAt {
  question: Question;
  file: string;
  field: string;
}

/** Every cue rule over all questions of a course. */
export function checkCues(questions: readonly QuestionAt[], root: string): ContentProblem[] {
  const problems: ContentProblem[] = [];
  const single: (QuestionAt & { question: Extract<Question, { type: "single" }> })[] = [];
  for (const entry of questions) {
    const { question, file, field } = entry;
    if (question.type !== "single" && question.type !== "multiple") continue;
    if (question.type === "single") single.push({ ...entry, question });

    const seen = new Map<string, number>();
    question.options.forEach((option, index) => {
      const key = visibleText(option.text).toLowerCase();
      const first = seen.get(key);
      if (first !== undefined) {
        problems.push({
          severity: "error",
          code: "duplicate-option-text",
          file,
          field: `${field}.options[${index}].text`,
          message: `option "${option.id}" reads the same as option "${question.options[first]?.id}" of "${question.id}"`,
        });
      } else {
        seen.set(key, index);
      }
    });

    const giveaways = idGiveaways(question);
    if (giveaways.length > 0) {
      problems.push({
        severity: "error",
        code: "id-reveals-answer",
        file,
        field: `${field}.id`,
        message: `question id "${question.id}" gives the answer away (${giveaways.join(", ")}); learners see ids in the page, so name the topic, not the answer`,
      });
    }
  }

  if (single.length >= MIN_SINGLE_FOR_SHARES) {
    const courseFile = path.relative(process.cwd(), path.join(root, "course.yaml"));
    const byPosition = new Map<number, string[]>();
    for (const { question } of single) {
      const position = question.options.findIndex((o) => o.id === question.answer);
      byPosition.set(position, [...(byPosition.get(position) ?? []), question.id]);
    }
    for (const [position, ids] of byPosition) {
      if (ids.length / single.length > MAX_KEY_POSITION_SHARE) {
        problems.push({
          severity: "error",
          code: "key-position-bias",
          file: courseFile,
          message: `${ids.length} of ${single.length} single-choice keys are option ${position + 1} (more than ${MAX_KEY_POSITION_SHARE * 100}%); spread the keys: ${ids.join(", ")}`,
        });
      }
    }

    const longest = single.filter(({ question }) => {
      const lengths = question.options.map((o) => visibleText(o.text).length);
      const key = question.options.findIndex((o) => o.id === question.answer);
      const keyLength = lengths[key] ?? 0;
      return lengths.every((length, index) => index === key || length < keyLength);
    });
    if (longest.length / single.length > MAX_LONGEST_CORRECT_SHARE) {
      problems.push({
        severity: "error",
        code: "longest-option-cue",
        file: courseFile,
        message: `in ${longest.length} of ${single.length} single-choice questions the correct option is the uniquely longest (more than ${MAX_LONGEST_CORRECT_SHARE * 100}%): ${longest.map((e) => e.question.id).join(", ")}`,
      });
    }
  }
  return problems;
}
