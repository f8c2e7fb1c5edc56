/**
 * The grader takes untrusted text: it must never throw and must stay fast on any input, including
 * the longest answer a request may carry and inputs built to make parsers backtrack.
 */
import { describe, expect, it } from "vitest";
import { loadCourse } from "@/lib/content/load";
import { createSeededRandom } from "@/lib/k8s";
import { gradeAnswer } from "./grade";
import { MAX_TEXT_LENGTH } from "./response";

const PIECES = [
  "kubectl",
  "k",
  "config",
  "view",
  "use-context",
  "set",
  "current-context",
  "create",
  "token",
  "auth",
  "can-i",
  "whoami",
  "delete",
  "pods",
  "po",
  "csr",
  "sa",
  "--minify",
  "--raw",
  "--flatten=",
  "=true",
  "-n",
  "--namespace",
  "dev",
  "--duration",
  "2h",
  "0m",
  "1.5h",
  "-o",
  "json",
  "--as",
  "jane",
  "--",
  "-",
  "--=",
  "-n=",
  "'",
  '"',
  "`",
  "$",
  "$(",
  ")",
  "${",
  "}",
  "|",
  "&&",
  ";",
  "<<EOF",
  ">",
  "\\",
  "~",
  "*",
  "\u0000",
  "\u202e",
  "é",
  "🙂",
  "401",
  "HTTP",
  "(",
  "Unauthorized",
  ".",
  "#",
  "\n",
];

describe("grader fuzz", () => {
  const questions = [...loadCourse().questions.values()].filter((question) => question.type === "short");

  it("random answers never throw, always score 0..1", () => {
    const random = createSeededRandom("grade-fuzz");
    const started = Date.now();
    for (let i = 0; i < 4000; i++) {
      const parts: string[] = [];
      const count = 1 + random.int(14);
      for (let j = 0; j < count; j++) parts.push(PIECES[random.int(PIECES.length)] ?? "x");
      const text = parts.join(random.int(3) === 0 ? "" : " ");
      const question = questions[random.int(questions.length)];
      if (question === undefined) continue;
      const graded = gradeAnswer(question, { text });
      expect(graded.score).toBeGreaterThanOrEqual(0);
      expect(graded.score).toBeLessThanOrEqual(1);
    }
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it.each([
    ["a maximal answer of dashes", "-".repeat(MAX_TEXT_LENGTH)],
    ["nested substitutions", "$(".repeat(MAX_TEXT_LENGTH / 2)],
    ["a long duration", `kubectl create token builder -n dev --duration=${"1h".repeat(240)}`],
    ["many flags", `kubectl auth can-i delete pods ${"-n dev ".repeat(70)}`],
    ["many status words", `${"http ".repeat(390)}401`],
    ["an over-long answer", "x".repeat(MAX_TEXT_LENGTH + 1)],
  ])("%s is graded quickly and rejected", (_name, text) => {
    for (const question of questions) {
      const started = performance.now();
      expect(gradeAnswer(question, { text }).correct).toBe(false);
      expect(performance.now() - started).toBeLessThan(250);
    }
  });
});
