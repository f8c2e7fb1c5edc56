import "server-only";
import { closeOverdueOfCohort } from "../exams/service";
import type { Db } from "../db/client";
import type { PublicUser } from "../accounts/users";
import { loadCourse } from "../content/load";
import { loadScenarios } from "../scenarios/catalog";
import { requireCohort, type CohortSummary } from "./access";
import { correlation, flagsFor, type Flag } from "./stats";
import { cachedReport } from "./report-cache";
import { fillMissingSummaries } from "../summaries/student-summary";
import { readItemTotals, type ItemTotal } from "../summaries/item-totals";
import { loadExamCatalog } from "../exams/catalog";
import { cohortAssignments, type ExamAssignmentView } from "./exam-assignments";

export interface OptionShare {
  id: string;
  text: string;
  correct: boolean;
  count: number;
  /** Share of first attempts that chose this option (several per attempt for multiple choice). */
  share: number;
}

export interface QuestionItem {
  questionId: string;
  prompt: string;
  type: "single" | "multiple" | "short" | "open";
  difficulty: string;
  lessonSlug: string | null;
  attempts: number;
  /** Share of first attempts that were fully correct. */
  correctShare: number | null;
  /** Moodle's facility index: the mean first-attempt score, 0..1. */
  facility: number | null;
  /** Point-biserial correlation of item score with the rest of the questions' score, −1..1. */
  discrimination: number | null;
  flags: Flag[];
  options: OptionShare[];
  commonWrongAnswers: { text: string; count: number }[];
}

export interface CheckItem {
  scenarioId: string;
  scenarioTitle: string;
  checkId: string;
  description: string;
  attempts: number;
  facility: number | null;
  discrimination: number | null;
  flags: Flag[];
}

export interface ExamQuestionItem {
  questionId: string;
  prompt: string;
  type: QuestionItem["type"];
  /** Students who answered it in their first counted sitting (a drawn question left unanswered is not counted). */
  answered: number;
  /** Difficulty as the share of those answers that were fully correct. */
  correctShare: number;
  /** The mean score of those answers (partial credit), 0..1. */
  facility: number;
}

export interface ExamCheckItem {
  /** `task:<id>` or `scenario:<id>`, as in the paper. */
  taskKey: string;
  taskTitle: string;
  checkId: string;
  description: string;
  /** Students who opened the task in their first counted sitting (its checks evaluated at close). */
  runs: number;
  passRate: number;
}

/** One assigned exam's items, over each student's FIRST counted sitting of it (lib/cohorts/exam-results.ts). */
export interface ExamItems {
  examId: string;
  title: string;
  sittings: number;
  /** Hardest (lowest share correct) first. */
  questions: ExamQuestionItem[];
  /** Lowest pass rate first. */
  checks: ExamCheckItem[];
}

export interface ItemAnalysis {
  cohort: CohortSummary;
  students: number;
  questions: QuestionItem[];
  checks: CheckItem[];
  exams: ExamItems[];
  computedAt: Date;
}

/**
 * Item statistics over the cohort students' FIRST attempts (practice re-answers would inflate
 * facility). The "test" of a student is every question they answered on the first try; for
 * scenario checks it is every check of their first scenario attempts. The sums come from the
 * cohort's item totals, so the cost is one row per item.
 */
export async function itemAnalysis(
  database: Db,
  actor: Pick<PublicUser, "id" | "role">,
  cohortId: string,
  options: { fresh?: boolean } = {},
): Promise<ItemAnalysis> {
  const cohort = await requireCohort(database, actor, cohortId);
  const { value, computedAt } = await cachedReport(`${cohort.id}:items`, () => computeItems(database, cohort.id), { fresh: options.fresh });
  return { cohort, ...value, computedAt };
}

async function computeItems(database: Db, cohortId: string): Promise<Omit<ItemAnalysis, "cohort" | "computedAt">> {
  // The cohort's item totals (lib/summaries/item-totals.ts): running sums over the students'
  // summaries, kept up to date with every summary write, so the cost is one row per question,
  // option, wrong answer and check, not one per student. The "test" total of a student is the
  // knowledge score (self-rated open questions stay out of it); for checks it is the checks
  // passed in first attempts.
  await fillMissingSummaries(database, cohortId);
  // Overdue exam attempts are closed (and their sittings added to the totals) before reading.
  await closeOverdueOfCohort(database, cohortId);
  const [students, totals, assignments] = await Promise.all([
    database.cohortMember.count({ where: { cohortId, role: "STUDENT" } }),
    readItemTotals(database, cohortId),
    cohortAssignments(database, cohortId),
  ]);
  const course = loadCourse();
  const questionSums = new Map<string, ItemTotal>();
  const optionCounts = new Map<string, Map<string, number>>();
  const wrongAnswers = new Map<string, Map<string, number>>();
  const checkSums = new Map<string, ItemTotal>();
  for (const total of totals) {
    if (total.kind === "q") questionSums.set(total.item, total);
    else if (total.kind === "c") checkSums.set(total.item, total);
    else if (total.kind === "o" || total.kind === "w") {
      const byItem = total.kind === "o" ? optionCounts : wrongAnswers;
      const counts = byItem.get(total.item) ?? new Map<string, number>();
      byItem.set(total.item, counts);
      counts.set(total.detail, total.n);
    }
  }

  const lessonOf = new Map<string, string>();
  for (const courseModule of course.modules)
    for (const lesson of courseModule.lessons) for (const id of lesson.questionIds) lessonOf.set(id, lesson.slug);

  const questions: QuestionItem[] = [...course.questions.values()].map((question) => {
    const sums = questionSums.get(question.id);
    const attempts = sums?.n ?? 0;
    const facility = sums && attempts > 0 ? sums.sx / attempts : null;
    const discrimination = sums ? correlation(sums) : null;
    let options: OptionShare[] = [];
    let commonWrongAnswers: { text: string; count: number }[] = [];
    if (question.type === "single" || question.type === "multiple") {
      const counts = optionCounts.get(question.id);
      const key = new Set(Array.isArray(question.answer) ? question.answer : [question.answer]);
      options = question.options.map((option) => {
        const count = counts?.get(option.id) ?? 0;
        return { id: option.id, text: option.text, correct: key.has(option.id), count, share: attempts > 0 ? count / attempts : 0 };
      });
    } else if (question.type === "short") {
      commonWrongAnswers = [...(wrongAnswers.get(question.id) ?? new Map<string, number>()).entries()]
        .map(([text, count]) => ({ text: text || "(blank)", count }))
        .sort((a, b) => b.count - a.count || (a.text < b.text ? -1 : 1))
        .slice(0, 5);
    }
    return {
      questionId: question.id,
      prompt: question.prompt,
      type: question.type,
      difficulty: question.difficulty,
      lessonSlug: lessonOf.get(question.id) ?? null,
      attempts,
      correctShare: sums && attempts > 0 ? sums.nCorrect / attempts : null,
      facility,
      discrimination,
      flags: attempts > 0 ? flagsFor(facility, discrimination) : [],
      options,
      commonWrongAnswers,
    };
  });

  const checks: CheckItem[] = [];
  for (const scenario of loadScenarios().values()) {
    for (const check of scenario.checks) {
      const sums = checkSums.get(`${scenario.id}/${check.id}`);
      const attempts = sums?.n ?? 0;
      const facility = sums && attempts > 0 ? sums.sx / attempts : null;
      const discrimination = sums ? correlation(sums) : null;
      checks.push({
        scenarioId: scenario.id,
        scenarioTitle: scenario.title,
        checkId: check.id,
        description: check.description,
        attempts,
        facility,
        discrimination,
        flags: attempts > 0 ? flagsFor(facility, discrimination) : [],
      });
    }
  }
  return { students, questions, checks, exams: examItems(assignments, totals) };
}

/**
 * The exam items of the cohort's assigned exams: a separate section, never mixed into the
 * course's item statistics. From the exam totals (lib/summaries/exam-totals.ts), one row per
 * exam question and task check, over each student's first counted sitting.
 */
function examItems(assignments: ExamAssignmentView[], totals: ItemTotal[]): ExamItems[] {
  if (assignments.length === 0) return [];
  const sittings = new Map<string, number>();
  const questions = new Map<string, ItemTotal[]>();
  // examId → [taskKey, checkId, runs, passed]
  const checks = new Map<string, [string, string, number, number][]>();
  for (const total of totals) {
    if (total.kind === "es") sittings.set(total.item, total.n);
    else if (total.kind === "eq") questions.set(total.item, [...(questions.get(total.item) ?? []), total]);
    else if (total.kind === "ek") {
      const [taskKey, checkId] = JSON.parse(total.detail) as [string, string];
      checks.set(total.item, [...(checks.get(total.item) ?? []), [taskKey, checkId, total.n, total.nCorrect]]);
    }
  }
  const course = loadCourse();
  const catalog = loadExamCatalog();
  const task = (key: string) => {
    const [kind, id = ""] = key.split(/:(.*)/s);
    const taskFile = kind === "task" ? catalog.tasks.get(id) : undefined;
    return taskFile ?? (kind === "scenario" ? catalog.scenarios.get(id) : undefined);
  };
  return assignments.map((assignment): ExamItems => {
    const examQuestions = (questions.get(assignment.examId) ?? [])
      .map((row): ExamQuestionItem => {
        const question = course.questions.get(row.detail);
        return {
          questionId: row.detail,
          prompt: question?.prompt ?? row.detail,
          type: question?.type ?? "single",
          answered: row.n,
          correctShare: row.nCorrect / row.n,
          facility: row.sx / row.n,
        };
      })
      .sort((a, b) => a.correctShare - b.correctShare || (a.questionId < b.questionId ? -1 : 1));
    const examChecks = (checks.get(assignment.examId) ?? [])
      .map(([taskKey, checkId, runs, passed]): ExamCheckItem => {
        const definition = task(taskKey);
        return {
          taskKey,
          taskTitle: definition?.title ?? taskKey,
          checkId,
          description: definition?.checks.find((check) => check.id === checkId)?.description ?? checkId,
          runs,
          passRate: runs > 0 ? passed / runs : 0,
        };
      })
      .sort((a, b) => a.passRate - b.passRate || a.taskKey.localeCompare(b.taskKey) || a.checkId.localeCompare(b.checkId));
    return {
      examId: assignment.examId,
      title: assignment.title,
      sittings: sittings.get(assignment.examId) ?? 0,
      questions: examQuestions,
      checks: examChecks,
    };
  });
}
