/**
 * Validates everything under content/ and prints each problem with its file: the course (lessons,
 * question banks, topics) and the exams with their tasks, scenarios and question draws.
 * Usage: npx tsx scripts/content-check.ts [content-root]. Exits 1 on any error.
 */
import { checkContent } from "../lib/content/check";
import { formatProblem } from "../lib/content/problems";
import { checkExams } from "../lib/exams/catalog";

const root = process.argv[2] ?? "content";
const report = await checkContent(root);
const course = report.course;
const examProblems = course ? checkExams(root, course) : [];
const problems = [...report.problems, ...examProblems];
for (const problem of problems) {
  (problem.severity === "error" ? console.error : console.warn)(formatProblem(problem));
}
const lessons = course?.modules.reduce((n, m) => n + m.lessons.length, 0) ?? 0;
const questions = course?.questions.size ?? 0;
const errors = problems.filter((p) => p.severity === "error").length;
const warnings = problems.length - errors;
console.log(`content check: ${lessons} lessons, ${questions} questions, ${errors} error(s), ${warnings} warning(s)`);
process.exitCode = errors > 0 ? 1 : 0;
