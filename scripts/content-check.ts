/**
 * Validates everything under content/ and prints each problem with its file.
 * Usage: npx tsx scripts/content-check.ts [content-root]. Exits 1 on any error.
 */
import { checkContent } from "../lib/content/check";
import { formatProblem } from "../lib/content/problems";

const root = process.argv[2] ?? "content";
const report = await checkContent(root);
for (const problem of report.problems) {
  (problem.severity === "error" ? console.error : console.warn)(formatProblem(problem));
}
const course = report.course;
const lessons = course?.modules.reduce((n, m) => n + m.lessons.length, 0) ?? 0;
const questions = course?.questions.size ?? 0;
console.log(
  `content check: ${lessons} lessons, ${questions} questions, ${report.errors} error(s), ${report.warnings} warning(s)`,
);
process.exitCode = report.errors > 0 ? 1 : 0;
