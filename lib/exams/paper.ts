/**
 * A paper: one attempt's draw from an exam definition. Each section draws its fixed number of items
 * from its pool, ranked by a hash of the seed and the item, so the same seed always gives the same
 * paper and other seeds give other papers of the same shape (section sizes, weights, points).
 *
 * A paper is plain JSON, stored with the attempt; it carries what scoring needs (points, the checks
 * and their weights, topics), so a report stays the same if the content changes later. It holds
 * references and weights only, no question text, key or check expectation.
 */
import crypto from "node:crypto";
import { handsOnKey, type Exam, type HandsOnEntry } from "../content/exam-schema";
import { questionsForDraw } from "../content/exams";
import { resolveHandsOn, type ExamCatalog } from "./catalog";

export const PAPER_FORMAT = "kubeprep.exam-paper/v1";

export interface PaperCheck {
  id: string;
  weight: number;
  /** Checks that must pass before this one earns credit (a guard). */
  requires: string[];
}

export interface PaperTask {
  kind: "task";
  /** `task:<id>` or `scenario:<id>`: unique in the paper. */
  key: string;
  entry: HandsOnEntry;
  /** Share of the paper's 100 points. */
  points: number;
  topics: string[];
  checks: PaperCheck[];
}

export interface PaperQuestion {
  kind: "question";
  /** `question:<id>`: unique in the paper. */
  key: string;
  questionId: string;
  points: number;
  topics: string[];
}

export type PaperItem = PaperTask | PaperQuestion;

export interface PaperSection {
  id: string;
  title: string;
  kind: "tasks" | "questions";
  /** Percentage of the paper. */
  weight: number;
  items: PaperItem[];
}

export interface Paper {
  format: typeof PAPER_FORMAT;
  examId: string;
  seed: string;
  durationMinutes: number;
  passMark: number;
  sections: PaperSection[];
}

function rank(seed: string, examId: string, sectionId: string, key: string): string {
  return crypto.createHash("sha256").update(`${seed}\0${examId}\0${sectionId}\0${key}`).digest("hex");
}

function byRank<T>(items: readonly T[], keyOf: (item: T) => string, rankOf: (key: string) => string): T[] {
  return items
    .map((item) => ({ item, rank: rankOf(keyOf(item)) }))
    .sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0))
    .map(({ item }) => item);
}

export class PaperDrawError extends Error {
  override name = "PaperDrawError";
}

/** Draws the paper of `exam` for `seed` from the catalog's tasks, scenarios and questions. */
export function drawPaper(exam: Exam, catalog: ExamCatalog, seed: string): Paper {
  const taken = new Set<string>();
  const sections = exam.sections.map((section): PaperSection => {
    const rankOf = (key: string) => rank(seed, exam.id, section.id, key);
    if (section.kind === "tasks") {
      const drawn = byRank(section.pool, handsOnKey, rankOf).slice(0, section.draw);
      if (drawn.length < section.draw)
        throw new PaperDrawError(`section ${section.id} of ${exam.id} has ${drawn.length} tasks for a draw of ${section.draw}`);
      const points = section.weight / section.draw;
      const items = drawn.map((entry): PaperTask => {
        const source = resolveHandsOn(entry, catalog);
        return {
          kind: "task",
          key: source.key,
          entry,
          points,
          topics: [...source.topics],
          checks: source.scenario.checks.map((check) => ({ id: check.id, weight: check.weight, requires: [...check.requires] })),
        };
      });
      return { id: section.id, title: section.title, kind: "tasks", weight: section.weight, items };
    }
    const total = section.draws.reduce((sum, draw) => sum + draw.count, 0);
    const points = section.weight / total;
    const items: PaperQuestion[] = [];
    for (const draw of section.draws) {
      const candidates = questionsForDraw(draw, catalog.questions, catalog.modules.get(exam.module) ?? new Set()).filter(
        (question) => !taken.has(question.id),
      );
      const drawn = byRank(candidates, (question) => `question:${question.id}`, rankOf).slice(0, draw.count);
      if (drawn.length < draw.count)
        throw new PaperDrawError(
          `section ${section.id} of ${exam.id}: ${drawn.length} questions left for a draw of ${draw.count} (${draw.tags.join(", ")})`,
        );
      for (const question of drawn) {
        taken.add(question.id);
        items.push({ kind: "question", key: `question:${question.id}`, questionId: question.id, points, topics: [...question.tags] });
      }
    }
    // Shuffle across draws too, so a paper does not read as blocks by topic.
    return {
      id: section.id,
      title: section.title,
      kind: "questions",
      weight: section.weight,
      items: byRank(items, (item) => item.key, rankOf),
    };
  });
  return { format: PAPER_FORMAT, examId: exam.id, seed, durationMinutes: exam.durationMinutes, passMark: exam.passMark, sections };
}

/** Every item of a paper, in paper order. */
export function paperItems(paper: Paper): PaperItem[] {
  return paper.sections.flatMap((section) => section.items);
}
