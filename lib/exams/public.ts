/**
 * What the browser may see of a paper while the attempt is open: each task's situation and steps
 * (no hints, no checks, no solution), each question as `toPublicQuestion` shows it (no key, no
 * explanation, public option ids). Built field by field, like lib/quiz/public.ts, so a field
 * added to a schema later stays on the server until someone decides to publish it.
 */
import { toPublicQuestion, type PublicQuestion } from "../quiz/public";
import type { Exam } from "../content/exam-schema";
import { resolveHandsOn, type ExamCatalog } from "./catalog";
import type { Paper, PaperItem } from "./paper";

export interface PublicPaperTask {
  kind: "task";
  key: string;
  points: number;
  title: string;
  story: string;
  objectives: string[];
  steps: { title: string; text: string }[];
  estimatedMinutes: number;
  /** How many checks grade it; what they look at is shown only in the report. */
  checkCount: number;
}

export interface PublicPaperQuestion {
  kind: "question";
  key: string;
  points: number;
  question: PublicQuestion;
}

export type PublicPaperItem = PublicPaperTask | PublicPaperQuestion;

export interface PublicPaper {
  examId: string;
  title: string;
  durationMinutes: number;
  passMark: number;
  sections: { id: string; title: string; weight: number; items: PublicPaperItem[] }[];
}

function publicItem(item: PaperItem, catalog: ExamCatalog): PublicPaperItem {
  if (item.kind === "question") {
    const question = catalog.questions.get(item.questionId);
    if (question === undefined) throw new Error(`the paper names an unknown question ${item.questionId}`);
    return { kind: "question", key: item.key, points: item.points, question: toPublicQuestion(question) };
  }
  const { scenario } = resolveHandsOn(item.entry, catalog);
  return {
    kind: "task",
    key: item.key,
    points: item.points,
    title: scenario.title,
    story: scenario.story,
    objectives: [...scenario.objectives],
    steps: scenario.steps.map((step) => ({ title: step.title, text: step.text })),
    estimatedMinutes: scenario.estimatedMinutes,
    checkCount: item.checks.length,
  };
}

export function toPublicPaper(paper: Paper, exam: Exam, catalog: ExamCatalog): PublicPaper {
  return {
    examId: paper.examId,
    title: exam.title,
    durationMinutes: paper.durationMinutes,
    passMark: paper.passMark,
    sections: paper.sections.map((section) => ({
      id: section.id,
      title: section.title,
      weight: section.weight,
      items: section.items.map((item) => publicItem(item, catalog)),
    })),
  };
}
