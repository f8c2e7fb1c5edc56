import "server-only";
import type { z } from "zod";
import type { Db } from "../db/client";
import type { PublicUser } from "../accounts/users";
import { isUniqueViolation } from "../db/errors";
import { DomainError } from "../http/errors";
import { loadExamCatalog } from "../exams/catalog";
import { requireCohort, type CohortSummary } from "./access";
import { invalidateCohortReports } from "./report-cache";
import { rebuildExamTotals } from "../summaries/exam-totals";
import type { assignExamSchema, removeAssignmentSchema, updateAssignmentSchema } from "./schemas";

type Actor = Pick<PublicUser, "id" | "role">;

/** An exam set for a cohort, with its optional window (attempts started inside it count for the cohort). */
export interface ExamAssignmentView {
  id: string;
  examId: string;
  /** The exam's title, or its id when the exam is no longer in content/exams. */
  title: string;
  durationMinutes: number | null;
  passMark: number | null;
  opensAt: Date | null;
  closesAt: Date | null;
  createdAt: Date;
}

/** The exams an instructor may assign: every exam of content/exams, in title order. */
export function assignableExams(): { id: string; title: string; durationMinutes: number; passMark: number }[] {
  return [...loadExamCatalog().exams.values()]
    .map((exam) => ({ id: exam.id, title: exam.title, durationMinutes: exam.durationMinutes, passMark: exam.passMark }))
    .sort((a, b) => a.title.localeCompare(b.title, "en"));
}

const assignmentSelect = { id: true, examId: true, opensAt: true, closesAt: true, createdAt: true } as const;

function view(row: { id: string; examId: string; opensAt: Date | null; closesAt: Date | null; createdAt: Date }): ExamAssignmentView {
  const exam = loadExamCatalog().exams.get(row.examId);
  return {
    ...row,
    title: exam?.title ?? row.examId,
    durationMinutes: exam?.durationMinutes ?? null,
    passMark: exam?.passMark ?? null,
  };
}

/** A cohort's assignments, oldest first (the overview's and gradebook's column order). No access check: callers have made it. */
export async function cohortAssignments(database: Db, cohortId: string): Promise<ExamAssignmentView[]> {
  const rows = await database.examAssignment.findMany({
    where: { cohortId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: assignmentSelect,
  });
  return rows.map(view);
}

/** The cohort (when `actor` may manage it) and its assignments: the Exams tab. */
export async function listAssignments(
  database: Db,
  actor: Actor,
  cohortId: string,
): Promise<{ cohort: CohortSummary; assignments: ExamAssignmentView[] }> {
  const cohort = await requireCohort(database, actor, cohortId);
  return { cohort, assignments: await cohortAssignments(database, cohort.id) };
}

export async function assignExam(database: Db, actor: Actor, input: z.output<typeof assignExamSchema>): Promise<ExamAssignmentView> {
  const cohort = await requireCohort(database, actor, input.cohortId);
  if (!loadExamCatalog().exams.has(input.examId)) throw new DomainError(422, "There is no such exam.");
  try {
    // With the exam's item totals for the cohort (lib/summaries/exam-totals.ts), in one transaction.
    const row = await rebuildExamTotals(database, cohort.id, input.examId, (tx) =>
      tx.examAssignment.create({
        data: { cohortId: cohort.id, examId: input.examId, opensAt: input.opensAt, closesAt: input.closesAt, createdById: actor.id },
        select: assignmentSelect,
      }),
    );
    invalidateCohortReports(cohort.id);
    return view(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError(409, "This exam is already assigned to the cohort: change its window instead.");
    throw error;
  }
}

const NO_SUCH_ASSIGNMENT = "No such exam assignment in this cohort.";

export async function updateAssignmentWindow(
  database: Db,
  actor: Actor,
  input: z.output<typeof updateAssignmentSchema>,
): Promise<ExamAssignmentView> {
  const cohort = await requireCohort(database, actor, input.cohortId);
  // Scoped to the cohort: an assignment id of another cohort is "not found", whoever asks.
  const found = await database.examAssignment.findFirst({
    where: { id: input.assignmentId, cohortId: cohort.id },
    select: { examId: true },
  });
  if (!found) throw new DomainError(404, NO_SUCH_ASSIGNMENT);
  // The window decides which sittings count: the exam's item totals are rebuilt with it.
  const row = await rebuildExamTotals(database, cohort.id, found.examId, async (tx) => {
    const { count } = await tx.examAssignment.updateMany({
      where: { id: input.assignmentId, cohortId: cohort.id },
      data: { opensAt: input.opensAt, closesAt: input.closesAt },
    });
    if (count === 0) throw new DomainError(404, NO_SUCH_ASSIGNMENT);
    return tx.examAssignment.findUniqueOrThrow({ where: { id: input.assignmentId }, select: assignmentSelect });
  });
  invalidateCohortReports(cohort.id);
  return view(row);
}

/** Removes the assignment; the students' attempts stay theirs (they only stop counting for the cohort). */
export async function removeAssignment(database: Db, actor: Actor, input: z.output<typeof removeAssignmentSchema>): Promise<void> {
  const cohort = await requireCohort(database, actor, input.cohortId);
  const found = await database.examAssignment.findFirst({
    where: { id: input.assignmentId, cohortId: cohort.id },
    select: { examId: true },
  });
  if (!found) throw new DomainError(404, NO_SUCH_ASSIGNMENT);
  // With the exam's item totals (rebuilt without the assignment: none).
  await rebuildExamTotals(database, cohort.id, found.examId, async (tx) => {
    const { count } = await tx.examAssignment.deleteMany({ where: { id: input.assignmentId, cohortId: cohort.id } });
    if (count === 0) throw new DomainError(404, NO_SUCH_ASSIGNMENT);
  });
  invalidateCohortReports(cohort.id);
}

export interface AssignedExam extends ExamAssignmentView {
  cohortName: string;
}

/** The exams set for a student by the cohorts they joined, soonest closing first (the dashboard). */
export async function studentAssignedExams(database: Db, userId: string): Promise<AssignedExam[]> {
  const rows = await database.examAssignment.findMany({
    where: { cohort: { members: { some: { userId, role: "STUDENT" } } } },
    select: { ...assignmentSelect, cohort: { select: { name: true } } },
    take: 100,
  });
  const far = Number.MAX_SAFE_INTEGER;
  return rows
    .map(({ cohort, ...row }) => ({ ...view(row), cohortName: cohort.name }))
    .sort((a, b) => (a.closesAt?.getTime() ?? far) - (b.closesAt?.getTime() ?? far) || a.title.localeCompare(b.title, "en"));
}

const utc = (date: Date) => `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;

/** The window in words, as the instructor and the students read it: "opens … · closes …", relative to `now`. */
export function windowText(window: { opensAt: Date | null; closesAt: Date | null }, now = new Date()): string {
  const { opensAt, closesAt } = window;
  const opens = opensAt ? `${opensAt > now ? "opens" : "opened"} ${utc(opensAt)}` : null;
  if (closesAt && closesAt <= now) return [opens, `closed ${utc(closesAt)}`].filter(Boolean).join(" · ");
  return `${opens ?? "open now"} · ${closesAt ? `closes ${utc(closesAt)}` : "no closing date"}`;
}
