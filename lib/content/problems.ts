import type { z } from "zod";
import type { SchemaProblem } from "./schema";
import type { MdxProblemCode } from "./mdx";
import type { ExamSchemaProblem } from "./exam-schema";

export type ProblemCode =
  | SchemaProblem
  | ExamSchemaProblem
  | MdxProblemCode
  | "missing-file"
  | "parse-error"
  | "schema"
  | "file-name"
  | "id-mismatch"
  | "duplicate-question-id"
  | "duplicate-lesson"
  | "unknown-module"
  | "module-not-in-course"
  | "unknown-prerequisite"
  | "unknown-question"
  | "question-embedded-twice"
  | "question-not-embedded"
  | "lesson-without-question"
  | "unknown-component"
  | "unknown-scenario"
  | "broken-link"
  | "broken-anchor"
  | "mdx-compile"
  | "duplicate-option-text"
  | "id-reveals-answer"
  | "key-position-bias"
  | "longest-option-cue"
  | "command-does-not-parse"
  | "no-topic-catalog"
  | "unknown-topic"
  | "duplicate-topic"
  | "unused-topic"
  | "unknown-topic-lesson"
  | "unknown-topic-scenario"
  | "unknown-exam-task"
  | "unknown-exam-check"
  | "unknown-exam-tag"
  | "exam-pool-too-small";

export type Severity = "error" | "warning";

export interface ContentProblem {
  severity: Severity;
  code: ProblemCode;
  /** Path of the file, relative to the working directory when possible. */
  file: string;
  /** Where inside the file: a field path such as `questions[3].answer`, or empty. */
  field?: string;
  line?: number;
  message: string;
}

/** `questions[3].options[0].id` from zod's `["questions", 3, "options", 0, "id"]`. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) => {
      if (typeof part === "number") return `[${part}]`;
      const name = String(part);
      return index === 0 ? name : `.${name}`;
    })
    .join("");
}

function problemCodeOf(issue: z.core.$ZodIssue): ProblemCode {
  if (issue.code === "custom") {
    const problem: unknown = issue.params?.["problem"];
    if (
      problem === "missing-explanation" ||
      problem === "answer-out-of-range" ||
      problem === "duplicate-option-id" ||
      problem === "empty-answer" ||
      problem === "grading-rule" ||
      problem === "exam-out-of-range" ||
      problem === "exam-weights" ||
      problem === "duplicate-exam-id"
    ) {
      return problem;
    }
  }
  if (issue.path.at(-1) === "explanation" && issue.path.at(-3) !== "options") return "missing-explanation";
  return "schema";
}

export function problemsFromZod(file: string, error: z.ZodError, prefix: readonly PropertyKey[] = []): ContentProblem[] {
  return error.issues.map((issue) => {
    const field = formatFieldPath([...prefix, ...issue.path]);
    return {
      severity: "error",
      code: problemCodeOf(issue),
      file,
      field,
      message: field ? `${field}: ${issue.message}` : issue.message,
    };
  });
}

export function formatProblem(problem: ContentProblem): string {
  const where = problem.line !== undefined ? `${problem.file}:${problem.line}` : problem.file;
  const field = problem.field && !problem.message.startsWith(problem.field) ? `${problem.field}: ` : "";
  return `${problem.severity.toUpperCase()} ${where} [${problem.code}] ${field}${problem.message}`;
}

export class ContentError extends Error {
  constructor(readonly problems: ContentProblem[]) {
    super(
      `content is invalid (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map(formatProblem).join("\n"),
    );
    this.name = "ContentError";
  }
}
