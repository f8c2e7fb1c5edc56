/**
 * Reads `content/exams/*.yaml` and checks what an exam refers to: the hands-on tasks and
 * scenarios of its pools and their checks, the question tags of its draws, and whether every pool
 * is large enough for its draw. What the referenced files contain is passed in (`ExamReferences`),
 * so this module reads no scenario itself; lib/exams/catalog.ts gathers them.
 */
import fs from "node:fs";
import path from "node:path";
import { examSchema, handsOnKey, type Exam, type QuestionDraw } from "./exam-schema";
import { displayPath, readYaml } from "./read";
import { problemsFromZod, type ContentProblem } from "./problems";
import type { Question } from "./schema";

export const EXAMS_DIR = "exams";

export interface ExamFile {
  exam: Exam;
  file: string;
}

/** What a hands-on source offers an exam: its checks (with the checks each requires) and its topics. */
export interface HandsOnSummary {
  checks: readonly { id: string; requires: readonly string[] }[];
  topics: readonly string[];
}

export interface ExamReferences {
  /** Each module of the course with the ids of its questions: an exam draws only from its own module. */
  modules: ReadonlyMap<string, ReadonlySet<string>>;
  scenarios: ReadonlyMap<string, HandsOnSummary>;
  /** Exam task files (`content/exams/tasks/<id>.yaml`). */
  tasks: ReadonlyMap<string, HandsOnSummary>;
  questions: ReadonlyMap<string, Question>;
  /** Tag ids of the topic catalogue. */
  topics: ReadonlySet<string>;
}

/** Every valid exam file of `<root>/exams`, with a problem for each invalid one. */
export function readExams(root: string): { exams: ExamFile[]; problems: ContentProblem[] } {
  const dir = path.join(root, EXAMS_DIR);
  const problems: ContentProblem[] = [];
  const exams: ExamFile[] = [];
  const names = fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => /\.ya?ml$/.test(name)).sort() : [];
  for (const name of names) {
    const full = path.join(dir, name);
    const file = displayPath(full);
    const raw = readYaml(full, problems);
    if (raw === undefined) continue;
    const parsed = examSchema.safeParse(raw);
    if (!parsed.success) {
      problems.push(...problemsFromZod(file, parsed.error));
      continue;
    }
    const expected = name.replace(/\.ya?ml$/, "");
    if (parsed.data.id !== expected) {
      problems.push({ severity: "error", code: "id-mismatch", file, field: "id", message: `exam id "${parsed.data.id}" must match the file name "${expected}"` });
      continue;
    }
    exams.push({ exam: parsed.data, file });
  }
  return { exams, problems };
}

/** The questions a draw may pick: auto-graded ones of the exam's module (open answers are self-rated, so never in an exam). */
export function questionsForDraw(draw: QuestionDraw, questions: ReadonlyMap<string, Question>, inModule: ReadonlySet<string>): Question[] {
  const result: Question[] = [];
  for (const question of questions.values()) {
    if (question.type === "open" || !inModule.has(question.id)) continue;
    if (!question.tags.some((tag) => draw.tags.includes(tag))) continue;
    if (draw.difficulty !== undefined && !draw.difficulty.includes(question.difficulty)) continue;
    result.push(question);
  }
  return result;
}

function validateExam({ exam, file }: ExamFile, refs: ExamReferences): ContentProblem[] {
  const problems: ContentProblem[] = [];
  const report = (problem: Omit<ContentProblem, "file" | "severity">) => problems.push({ severity: "error", file, ...problem });
  if (!refs.modules.has(exam.module)) report({ code: "unknown-module", field: "module", message: `module "${exam.module}" is not a module of the course` });

  // Question draws run in paper order and never pick a question twice; a draw is safe when its
  // pool, less what earlier draws may have taken from it, still holds its count.
  const earlier: { ids: Set<string>; count: number }[] = [];
  exam.sections.forEach((section, sectionIndex) => {
    const at = `sections[${sectionIndex}]`;
    if (section.kind === "tasks") {
      section.pool.forEach((entry, entryIndex) => {
        const field = `${at}.pool[${entryIndex}]`;
        const source = "task" in entry ? refs.tasks.get(entry.task) : refs.scenarios.get(entry.scenario);
        if (source === undefined) {
          const message = "task" in entry ? `no valid exam task "${entry.task}" in content/exams/tasks` : `no valid scenario "${entry.scenario}" in content/scenarios`;
          report({ code: "unknown-exam-task", field, message });
          return;
        }
        if (source.topics.length === 0) report({ code: "unknown-exam-tag", field, message: `${handsOnKey(entry)} has no topic: list it under a topic's scenarios in topics.yaml` });
        if ("task" in entry || entry.checks === undefined) return;
        const picked = entry.checks.map((check) => (typeof check === "string" ? check : check.id));
        picked.forEach((id, checkIndex) => {
          const check = source.checks.find((candidate) => candidate.id === id);
          if (check === undefined) {
            report({ code: "unknown-exam-check", field: `${field}.checks[${checkIndex}]`, message: `scenario "${entry.scenario}" has no check "${id}" (it has ${source.checks.map((c) => c.id).join(", ")})` });
            return;
          }
          for (const required of check.requires) {
            if (!picked.includes(required)) {
              report({ code: "unknown-exam-check", field: `${field}.checks[${checkIndex}]`, message: `check "${id}" earns credit only after "${required}", which is not picked` });
            }
          }
        });
      });
      if (section.pool.length < section.draw) {
        report({ code: "exam-pool-too-small", field: `${at}.draw`, message: `section "${section.id}" draws ${section.draw} tasks from a pool of ${section.pool.length}` });
      }
      return;
    }
    const inModule = refs.modules.get(exam.module);
    // An unknown module is reported once above; its draws cannot be checked.
    if (inModule === undefined) return;
    section.draws.forEach((draw, drawIndex) => {
      const field = `${at}.draws[${drawIndex}]`;
      draw.tags.forEach((tag, tagIndex) => {
        if (!refs.topics.has(tag)) report({ code: "unknown-exam-tag", field: `${field}.tags[${tagIndex}]`, message: `tag "${tag}" is not a topic of topics.yaml` });
      });
      const ids = new Set(questionsForDraw(draw, refs.questions, inModule).map((question) => question.id));
      const taken = earlier.reduce((sum, other) => sum + Math.min(other.count, [...ids].filter((id) => other.ids.has(id)).length), 0);
      if (ids.size - taken < draw.count) {
        const tags = draw.tags.join(", ");
        const levels = draw.difficulty === undefined ? "" : ` (${draw.difficulty.join(", ")})`;
        const shared = taken > 0 ? `, ${taken} of which earlier draws may take` : "";
        report({ code: "exam-pool-too-small", field: `${field}.count`, message: `draws ${draw.count} questions tagged ${tags}${levels}, but the banks hold ${ids.size} auto-graded ones${shared}` });
      }
      earlier.push({ ids, count: draw.count });
    });
  });
  return problems;
}

/** Cross-file rules of every exam, and the topics of the exam tasks. */
export function validateExams(exams: readonly ExamFile[], refs: ExamReferences, taskFiles: ReadonlyMap<string, string> = new Map()): ContentProblem[] {
  const problems = exams.flatMap((exam) => validateExam(exam, refs));
  for (const [id, task] of refs.tasks) {
    task.topics.forEach((topic, index) => {
      if (!refs.topics.has(topic)) {
        problems.push({ severity: "error", code: "unknown-exam-tag", file: taskFiles.get(id) ?? id, field: `topics[${index}]`, message: `topic "${topic}" is not in topics.yaml` });
      }
    });
  }
  return problems;
}
