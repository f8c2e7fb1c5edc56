/**
 * The one definition of what content files may contain. Every loader, checker and page
 * derives its types from these schemas, so a field added here is typed everywhere.
 */
import { z } from "zod";

/** Stable identifiers that appear in URLs, file names and learner records. */
export const kebabId = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be kebab-case (lowercase letters, digits and single hyphens)");

const markdown = z.string().trim().min(1, "must not be empty");

/**
 * Why a refinement failed, attached to custom issues as `params.problem` so the checker can
 * report a precise problem code instead of a generic schema error.
 */
export type SchemaProblem =
  | "missing-explanation"
  | "answer-out-of-range"
  | "duplicate-option-id"
  | "empty-answer"
  | "grading-rule";

function addIssue(
  ctx: z.RefinementCtx,
  problem: SchemaProblem,
  path: (string | number)[],
  message: string,
): void {
  ctx.addIssue({ code: "custom", message, path, params: { problem } });
}

export const courseSchema = z.strictObject({
  id: kebabId,
  title: markdown,
  summary: markdown,
  modules: z.array(kebabId).min(1, "a course needs at least one module"),
});
export type CourseMeta = z.infer<typeof courseSchema>;

export const moduleSchema = z.strictObject({
  id: kebabId,
  title: markdown,
  summary: markdown,
  order: z.int().min(0),
});
export type ModuleMeta = z.infer<typeof moduleSchema>;

export const lessonFrontmatterSchema = z.strictObject({
  title: markdown,
  summary: markdown,
  order: z.int().min(0),
  estimatedMinutes: z.int().min(1).max(240),
  prerequisites: z.array(kebabId).default([]),
  objectives: z.array(markdown).min(1, "list at least one learning objective"),
});
export type LessonFrontmatter = z.infer<typeof lessonFrontmatterSchema>;

export const difficultySchema = z.enum(["easy", "medium", "hard"]);
export type Difficulty = z.infer<typeof difficultySchema>;

const explanation = z
  .string({ error: "every question needs an explanation" })
  .trim()
  .min(1, "every question needs an explanation");

const questionBase = {
  id: kebabId,
  prompt: markdown,
  explanation,
  tags: z.array(kebabId).min(1, "tag the question with at least one topic"),
  difficulty: difficultySchema,
};

export const optionSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]{1,32}$/, "option ids are short lowercase tokens such as a, b, c"),
  text: markdown,
  explanation: markdown.optional(),
});
export type QuestionOption = z.infer<typeof optionSchema>;

const options = z.array(optionSchema).min(2, "offer at least 2 options").max(6, "offer at most 6 options");

export const singleChoiceQuestionSchema = z.strictObject({
  ...questionBase,
  type: z.literal("single"),
  options,
  answer: z.string().min(1),
});

export const multipleChoiceQuestionSchema = z.strictObject({
  ...questionBase,
  type: z.literal("multiple"),
  options,
  answer: z.array(z.string().min(1)),
  scoring: z.enum(["all-or-nothing", "partial"]).default("all-or-nothing"),
});

export const shortAnswerQuestionSchema = z.strictObject({
  ...questionBase,
  type: z.literal("short"),
  /**
   * The accepted answers. For `match.kind: command` these are canonical commands: the learner's
   * command is parsed with the simulator's shell and kubectl parsers and compared by meaning, so
   * no permutations are listed here (lib/quiz/command.ts).
   */
  accepted: z.array(z.string().trim().min(1).max(500)).min(1, "list at least one accepted answer").max(20),
  match: z
    .strictObject({
      kind: z.enum(["text", "command"]).default("text"),
      /** Text answers: letter case counts. Then `caseNote` says why (shown to a learner who got only the case wrong). */
      caseSensitive: z.boolean().default(false),
      caseNote: markdown.optional(),
      /** Command answers: flags (long names) the learner may add to a canonical command, with any value. */
      optionalFlags: z.array(z.string().regex(/^[a-z][a-z0-9-]{0,40}$/, "a long flag name without dashes, such as output")).default([]),
    })
    .default({ kind: "text", caseSensitive: false, optionalFlags: [] }),
});

export const openQuestionSchema = z.strictObject({
  ...questionBase,
  type: z.literal("open"),
  modelAnswer: markdown,
});

function checkOptionsAndAnswer(
  question: { options: QuestionOption[]; answer: string | string[] },
  ctx: z.RefinementCtx,
): void {
  const seen = new Set<string>();
  question.options.forEach((option, index) => {
    if (seen.has(option.id)) {
      addIssue(ctx, "duplicate-option-id", ["options", index, "id"], `option id "${option.id}" is used twice`);
    }
    seen.add(option.id);
  });
  const answers = Array.isArray(question.answer) ? question.answer : [question.answer];
  if (answers.length === 0) {
    addIssue(ctx, "empty-answer", ["answer"], "a multiple-choice question needs at least one correct option");
  }
  answers.forEach((answer, index) => {
    if (!seen.has(answer)) {
      const path = Array.isArray(question.answer) ? ["answer", index] : ["answer"];
      addIssue(ctx, "answer-out-of-range", path, `answer "${answer}" is not one of the option ids`);
    }
  });
  if (Array.isArray(question.answer) && new Set(question.answer).size !== question.answer.length) {
    addIssue(ctx, "answer-out-of-range", ["answer"], "the answer lists the same option twice");
  }
}

function checkShortMatch(question: z.infer<typeof shortAnswerQuestionSchema>, ctx: z.RefinementCtx): void {
  const { kind, caseSensitive, caseNote, optionalFlags } = question.match;
  if (kind === "text" && caseSensitive && caseNote === undefined) {
    addIssue(ctx, "grading-rule", ["match", "caseNote"], "a case-sensitive answer needs a caseNote that tells the learner why case matters");
  }
  if (kind === "command" && (caseSensitive || caseNote !== undefined)) {
    addIssue(ctx, "grading-rule", ["match"], "command answers are compared by meaning; caseSensitive and caseNote apply to text answers only");
  }
  if (kind === "text" && optionalFlags.length > 0) {
    addIssue(ctx, "grading-rule", ["match", "optionalFlags"], "optionalFlags apply to command answers only");
  }
}

export const questionSchema = z
  .discriminatedUnion("type", [
    singleChoiceQuestionSchema,
    multipleChoiceQuestionSchema,
    shortAnswerQuestionSchema,
    openQuestionSchema,
  ])
  .superRefine((question, ctx) => {
    if (question.type === "single" || question.type === "multiple") checkOptionsAndAnswer(question, ctx);
    if (question.type === "short") checkShortMatch(question, ctx);
  });

export type Question = z.infer<typeof questionSchema>;
export type SingleChoiceQuestion = z.infer<typeof singleChoiceQuestionSchema>;
export type MultipleChoiceQuestion = z.infer<typeof multipleChoiceQuestionSchema>;
export type ShortAnswerQuestion = z.infer<typeof shortAnswerQuestionSchema>;
export type OpenQuestion = z.infer<typeof openQuestionSchema>;
export type QuestionType = Question["type"];
export type ChoiceQuestion = SingleChoiceQuestion | MultipleChoiceQuestion;

export const questionBankSchema = z.strictObject({
  bank: kebabId,
  questions: z.array(questionSchema).min(1, "a bank needs at least one question"),
});
export type QuestionBank = z.infer<typeof questionBankSchema>;

/** `content/topics.yaml`: each question tag in words, the lesson that teaches it, the scenarios that practise it. */
export const topicSchema = z.strictObject({
  id: kebabId,
  title: z.string().trim().min(1, "must not be empty").max(80, "at most 80 characters: it is a list entry"),
  /** Slug of the lesson that teaches the topic. */
  lesson: kebabId,
  /** Scenario ids that practise it, most fitting first. */
  scenarios: z.array(kebabId).default([]),
});
export const topicCatalogSchema = z.strictObject({ topics: z.array(topicSchema).min(1, "list at least one topic") });
export type Topic = z.infer<typeof topicSchema>;

/** Components a lesson may use, with their props. Every prop is a plain string. */
export const lessonComponents = {
  Callout: { required: ["kind"], optional: ["title"], selfClosing: false },
  Flow: { required: ["label", "steps"], optional: [], selfClosing: true },
  Question: { required: ["id"], optional: [], selfClosing: true },
  ScenarioLink: { required: ["id"], optional: [], selfClosing: false },
} as const satisfies Record<
  string,
  { required: readonly string[]; optional: readonly string[]; selfClosing: boolean }
>;
export type LessonComponentName = keyof typeof lessonComponents;

export const calloutKinds = ["note", "tip", "warning"] as const;
export type CalloutKind = (typeof calloutKinds)[number];

/** The separator of `<Flow steps="...">`. */
export const FLOW_STEP_SEPARATOR = " -> ";

export function splitFlowSteps(steps: string): string[] {
  return steps
    .split(FLOW_STEP_SEPARATOR)
    .map((step) => step.trim())
    .filter((step) => step.length > 0);
}
