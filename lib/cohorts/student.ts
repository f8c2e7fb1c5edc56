import "server-only";
import type { Db } from "../db/client";
import type { PublicUser } from "../accounts/users";
import { loadCourse } from "../content/load";
import { loadScenarios } from "../scenarios/catalog";
import { hintCountsByStep } from "../scenarios/hints";
import { requireCohort, requireCohortStudent, type CohortSummary } from "./access";
import { answerText } from "./export";
import { studentSummaries, type StudentSummary } from "./overview";
import { visibleWhere } from "./visibility";
import { cohortAssignments, type ExamAssignmentView } from "./exam-assignments";
import { examResults, type ExamResult } from "./exam-results";
import { reviewActivity, type ReviewActivity } from "./review-activity";

export interface QuestionAttemptView {
  id: string;
  questionId: string;
  prompt: string;
  lessonSlug: string;
  isFirst: boolean;
  answer: string;
  /** The answer is option text from the course (markdown, rendered like the lesson), not the learner's own words. */
  answerFromContent: boolean;
  score: number;
  correct: boolean;
  selfRating: string | null;
  createdAt: Date;
}

export interface ScenarioAttemptView {
  id: string;
  scenarioId: string;
  title: string;
  number: number;
  isFirst: boolean;
  status: "IN_PROGRESS" | "PASSED" | "GAVE_UP";
  score: number;
  hintsUsed: number;
  /** Hints used per step (index 0 is step 1); empty when the scenario no longer exists. */
  hintsByStep: number[];
  commandCount: number;
  timeSpentSeconds: number;
  startedAt: Date;
  completedAt: Date | null;
  events: { kind: string; detail: string; exitCode: number | null; createdAt: Date }[];
  checks: { checkId: string; description: string; passed: boolean }[];
}

export interface StudentDetail {
  cohort: CohortSummary;
  student: { id: string; name: string; email: string; joinedAt: Date };
  summary: StudentSummary | undefined;
  questionAttempts: QuestionAttemptView[];
  scenarioAttempts: ScenarioAttemptView[];
  /** The cohort's assigned exams with this student's counted sittings (undefined: none). */
  exams: { assignment: ExamAssignmentView; result: ExamResult | undefined }[];
  reviews: ReviewActivity;
}

/** Everything one student did since joining the cohort: quiz answers as given, scenario commands, hints, checks. */
export async function studentDetail(
  database: Db,
  actor: Pick<PublicUser, "id" | "role">,
  cohortId: string,
  userId: string,
): Promise<StudentDetail> {
  const cohort = await requireCohort(database, actor, cohortId);
  const student = await requireCohortStudent(database, cohort.id, userId);
  const [summary] = await studentSummaries(database, cohort.id, new Date(), [student.id]);
  const course = loadCourse();
  const scenarios = loadScenarios();
  const attempts = await database.questionAttempt.findMany({
    where: { userId: student.id, ...visibleWhere.questionAttempt(student.joinedAt) },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: 5000,
    select: {
      id: true,
      questionId: true,
      lessonSlug: true,
      isFirst: true,
      response: true,
      score: true,
      correct: true,
      selfRating: true,
      createdAt: true,
    },
  });
  const scenarioRows = await database.scenarioAttempt.findMany({
    where: { userId: student.id, ...visibleWhere.scenarioAttempt(student.joinedAt) },
    orderBy: [{ startedAt: "asc" }, { number: "asc" }],
    take: 500,
    select: {
      id: true,
      scenarioId: true,
      number: true,
      isFirst: true,
      status: true,
      score: true,
      hintsUsed: true,
      commandCount: true,
      timeSpentSeconds: true,
      startedAt: true,
      completedAt: true,
      events: {
        where: visibleWhere.scenarioEvent(student.joinedAt),
        orderBy: { createdAt: "asc" },
        take: 500,
        select: { kind: true, detail: true, exitCode: true, createdAt: true },
      },
      checks: { select: { checkId: true, passed: true } },
    },
  });
  const [assignments, results, reviews] = await Promise.all([
    cohortAssignments(database, cohort.id),
    examResults(database, cohort.id, [student.id]),
    reviewActivity(database, student.id, student.joinedAt),
  ]);
  const hintEvents = await database.scenarioEvent.findMany({
    where: { attemptId: { in: scenarioRows.map((row) => row.id) }, kind: "hint", ...visibleWhere.scenarioEvent(student.joinedAt) },
    select: { attemptId: true, hintStep: true },
  });
  return {
    cohort,
    student,
    summary,
    exams: assignments.map((assignment) => ({ assignment, result: results.get(student.id)?.get(assignment.examId) })),
    reviews,
    questionAttempts: attempts.map((a) => ({
      id: a.id,
      questionId: a.questionId,
      prompt: course.questions.get(a.questionId)?.prompt ?? a.questionId,
      lessonSlug: a.lessonSlug,
      isFirst: a.isFirst,
      answer: answerText(a.questionId, a.response),
      answerFromContent: ["single", "multiple"].includes(course.questions.get(a.questionId)?.type ?? ""),
      score: a.score,
      correct: a.correct,
      selfRating: a.selfRating,
      createdAt: a.createdAt,
    })),
    scenarioAttempts: scenarioRows.map((s) => {
      const definition = scenarios.get(s.scenarioId);
      const passed = new Map(s.checks.map((c) => [c.checkId, c.passed]));
      const checks = definition
        ? definition.checks.map((c) => ({ checkId: c.id, description: c.description, passed: passed.get(c.id) ?? false }))
        : s.checks.map((c) => ({ checkId: c.checkId, description: c.checkId, passed: c.passed }));
      const hintsByStep = definition
        ? hintCountsByStep(
            definition,
            hintEvents.filter((event) => event.attemptId === s.id),
          )
        : [];
      return { ...s, title: definition?.title ?? s.scenarioId, hintsByStep, checks };
    }),
  };
}
