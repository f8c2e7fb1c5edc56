/**
 * Checks that need the grader: every canonical command of a command short answer must parse with
 * the simulated shell and kubectl, or no learner could ever match it.
 */
import { analyzeCommand } from "@/lib/quiz/command";
import type { ContentProblem } from "./problems";
import type { Course } from "./read";

export function validateShortAnswers(course: Course): ContentProblem[] {
  const problems: ContentProblem[] = [];
  for (const [id, question] of course.questions) {
    if (question.type !== "short" || question.match.kind !== "command") continue;
    question.accepted.forEach((command, index) => {
      const analysis = analyzeCommand(command);
      if (!analysis.ok) {
        problems.push({
          severity: "error",
          code: "command-does-not-parse",
          file: course.questionFiles.get(id) ?? "",
          field: `${id}.accepted[${index}]`,
          message: `canonical command "${command}" does not parse: ${analysis.reason}`,
        });
      }
    });
  }
  return problems;
}
