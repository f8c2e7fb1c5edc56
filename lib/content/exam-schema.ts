/**
 * Mock exam definitions (`content/exams/<id>.yaml`). An exam is a timed paper of sections; each
 * section draws a fixed number of items from a pool, so two attempts get different papers of the
 * same shape (lib/exams/draw.ts). Rules that need only this file are here; references to
 * scenarios, exam tasks, question tags and pool sizes are checked in `exams.ts`.
 */
import { z } from "zod";
import { difficultySchema, kebabId } from "./schema";

/** Limits an exam must stay within: a check takes minutes, a real CKA/CKS paper two hours. */
export const EXAM_LIMITS = {
  minDurationMinutes: 10,
  maxDurationMinutes: 240,
  minPassMark: 1,
  maxPassMark: 100,
  /** Section weights are percentages of the paper and must add up to this. */
  totalWeight: 100,
  maxDraw: 40,
} as const;

export type ExamSchemaProblem = "exam-out-of-range" | "exam-weights" | "duplicate-exam-id";

function addIssue(ctx: z.RefinementCtx, problem: ExamSchemaProblem, path: (string | number)[], message: string): void {
  ctx.addIssue({ code: "custom", message, path, params: { problem } });
}

/** A check of a scenario picked into an exam task, optionally with its own weight. */
const pickedCheckSchema = z.union([kebabId, z.strictObject({ id: kebabId, weight: z.number().positive("a check weight must be positive") })]);

/**
 * One hands-on task in a pool: an exam task file (`content/exams/tasks/<id>.yaml`), or a scenario;
 * a scenario may be cut down to some of its checks (a task built from scenario parts).
 */
export const handsOnEntrySchema = z.union([
  z.strictObject({ task: kebabId }),
  z.strictObject({ scenario: kebabId, checks: z.array(pickedCheckSchema).min(1, "pick at least one check, or leave checks out for all").optional() }),
]);
export type HandsOnEntry = z.infer<typeof handsOnEntrySchema>;

/** Questions of the banks that carry any of `tags` (and one of `difficulty`, when given); `count` of them are drawn. */
export const questionDrawSchema = z.strictObject({
  tags: z.array(kebabId).min(1, "draw by at least one tag"),
  difficulty: z.array(difficultySchema).min(1).optional(),
  count: z.int().min(1).max(EXAM_LIMITS.maxDraw),
});
export type QuestionDraw = z.infer<typeof questionDrawSchema>;

const sectionBase = {
  id: kebabId,
  title: z.string().trim().min(1, "must not be empty"),
  /** Percentage of the paper's score; the sections of an exam add up to 100. */
  weight: z.number(),
};

export const taskSectionSchema = z.strictObject({
  ...sectionBase,
  kind: z.literal("tasks"),
  /** How many tasks of the pool each paper gets; each is worth weight / draw. */
  draw: z.int().min(1).max(EXAM_LIMITS.maxDraw),
  pool: z.array(handsOnEntrySchema).min(1, "a pool needs at least one task"),
});

export const questionSectionSchema = z.strictObject({
  ...sectionBase,
  kind: z.literal("questions"),
  /** Drawn in order, never the same question twice in a paper; each question is worth weight / (sum of counts). */
  draws: z.array(questionDrawSchema).min(1, "a question section needs at least one draw"),
});

export const examSectionSchema = z.discriminatedUnion("kind", [taskSectionSchema, questionSectionSchema]);
export type ExamSection = z.infer<typeof examSectionSchema>;
export type TaskSection = z.infer<typeof taskSectionSchema>;
export type QuestionSection = z.infer<typeof questionSectionSchema>;

/** The key a hands-on entry is known by in a paper and in results: `task:<id>` or `scenario:<id>`. */
export function handsOnKey(entry: HandsOnEntry): string {
  return "task" in entry ? `task:${entry.task}` : `scenario:${entry.scenario}`;
}

export const examSchema = z
  .strictObject({
    id: kebabId,
    title: z.string().trim().min(1, "must not be empty"),
    summary: z.string().trim().min(1, "must not be empty"),
    /** The course module the exam covers. */
    module: kebabId,
    durationMinutes: z.int(),
    /** Percentage needed to pass (the CKA asks 66, the CKS 67). */
    passMark: z.number(),
    sections: z.array(examSectionSchema).min(1, "an exam needs at least one section"),
  })
  .superRefine((exam, ctx) => {
    const { minDurationMinutes, maxDurationMinutes, minPassMark, maxPassMark, totalWeight } = EXAM_LIMITS;
    if (exam.durationMinutes < minDurationMinutes || exam.durationMinutes > maxDurationMinutes) {
      addIssue(ctx, "exam-out-of-range", ["durationMinutes"], `the duration must be ${minDurationMinutes} to ${maxDurationMinutes} minutes, not ${exam.durationMinutes}`);
    }
    if (!Number.isInteger(exam.passMark) || exam.passMark < minPassMark || exam.passMark > maxPassMark) {
      addIssue(ctx, "exam-out-of-range", ["passMark"], `the pass mark is a whole percentage from ${minPassMark} to ${maxPassMark}, not ${exam.passMark}`);
    }
    const sectionIds = new Set<string>();
    const handsOnKeys = new Map<string, string>();
    let sum = 0;
    exam.sections.forEach((section, index) => {
      if (sectionIds.has(section.id)) addIssue(ctx, "duplicate-exam-id", ["sections", index, "id"], `section id "${section.id}" is used twice`);
      sectionIds.add(section.id);
      if (!(section.weight > 0)) addIssue(ctx, "exam-weights", ["sections", index, "weight"], `a section weight is a positive percentage, not ${section.weight}`);
      sum += section.weight;
      if (section.kind !== "tasks") return;
      section.pool.forEach((entry, entryIndex) => {
        const key = handsOnKey(entry);
        const first = handsOnKeys.get(key);
        if (first !== undefined) addIssue(ctx, "duplicate-exam-id", ["sections", index, "pool", entryIndex], `${key} is already in the pool of section "${first}": a task appears once per exam`);
        else handsOnKeys.set(key, section.id);
        if ("scenario" in entry && entry.checks !== undefined) {
          const picked = entry.checks.map((check) => (typeof check === "string" ? check : check.id));
          const seen = new Set<string>();
          picked.forEach((id, checkIndex) => {
            if (seen.has(id)) addIssue(ctx, "duplicate-exam-id", ["sections", index, "pool", entryIndex, "checks", checkIndex], `check "${id}" is picked twice`);
            seen.add(id);
          });
        }
      });
    });
    if (Math.abs(sum - totalWeight) > 1e-9) {
      addIssue(ctx, "exam-weights", ["sections"], `the section weights add up to ${sum}; they are percentages of the paper and must add up to ${totalWeight}`);
    }
  });
export type Exam = z.infer<typeof examSchema>;
