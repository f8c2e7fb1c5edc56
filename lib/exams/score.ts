/**
 * Scoring a closed paper. A task earns its points in proportion to the weights of the checks that
 * passed (a guard check only counts once the checks it requires passed, as in scenarios); a
 * question earns its points times its grade (0..1, from lib/quiz). Missing outcomes count as
 * nothing: a task never touched or a question never answered. Section and topic percentages are
 * earned over possible points; an item counts towards every topic it is tagged with.
 */
import type { Paper, PaperItem } from "./paper";

export interface PaperOutcomes {
  /** Per task key: check id → passed, as evaluated on the task's instance when the paper closed. */
  checks?: Readonly<Record<string, Readonly<Record<string, boolean>>>>;
  /** Per question key: the grade's score, 0..1. */
  questions?: Readonly<Record<string, number>>;
}

export interface CheckScore {
  id: string;
  weight: number;
  passed: boolean;
  /** Passed, and every check it requires passed. */
  credited: boolean;
}

export interface ItemScore {
  key: string;
  kind: PaperItem["kind"];
  sectionId: string;
  earned: number;
  possible: number;
  /** 0..1 */
  fraction: number;
  /** Tasks only. */
  checks?: CheckScore[];
}

export interface PartScore {
  id: string;
  earned: number;
  possible: number;
  /** Rounded down to one decimal, for display. */
  percent: number;
}

export interface PaperScore {
  earned: number;
  possible: number;
  percent: number;
  passMark: number;
  passed: boolean;
  sections: (PartScore & { title: string })[];
  topics: PartScore[];
  items: ItemScore[];
}

function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Rounded down to one decimal, so a shown percentage never reads as a pass the exact one misses. */
function percentOf(earned: number, possible: number): number {
  return possible === 0 ? 0 : Math.floor((earned / possible) * 1000 + 1e-9) / 10;
}

function clampScore(score: number | undefined): number {
  return score === undefined || !Number.isFinite(score) ? 0 : Math.min(1, Math.max(0, score));
}

function scoreItem(item: PaperItem, sectionId: string, outcomes: PaperOutcomes): ItemScore {
  if (item.kind === "question") {
    const fraction = clampScore(own(outcomes.questions, item.key));
    return { key: item.key, kind: item.kind, sectionId, earned: item.points * fraction, possible: item.points, fraction };
  }
  const results = own(outcomes.checks, item.key);
  const passed = (id: string) => own(results, id) === true;
  const checks = item.checks.map((check) => ({
    id: check.id,
    weight: check.weight,
    passed: passed(check.id),
    credited: passed(check.id) && check.requires.every(passed),
  }));
  const total = checks.reduce((sum, check) => sum + check.weight, 0);
  const credited = checks.reduce((sum, check) => sum + (check.credited ? check.weight : 0), 0);
  const fraction = total === 0 ? 0 : credited / total;
  return { key: item.key, kind: item.kind, sectionId, earned: item.points * fraction, possible: item.points, fraction, checks };
}

export function scorePaper(paper: Paper, outcomes: PaperOutcomes): PaperScore {
  const items: ItemScore[] = [];
  const topics = new Map<string, { earned: number; possible: number }>();
  const sections = paper.sections.map((section) => {
    let earned = 0;
    let possible = 0;
    for (const item of section.items) {
      const score = scoreItem(item, section.id, outcomes);
      items.push(score);
      earned += score.earned;
      possible += score.possible;
      for (const topic of new Set(item.topics)) {
        const sum = topics.get(topic) ?? { earned: 0, possible: 0 };
        topics.set(topic, { earned: sum.earned + score.earned, possible: sum.possible + score.possible });
      }
    }
    return { id: section.id, title: section.title, earned, possible, percent: percentOf(earned, possible) };
  });
  const earned = sections.reduce((sum, section) => sum + section.earned, 0);
  const possible = sections.reduce((sum, section) => sum + section.possible, 0);
  const exact = possible === 0 ? 0 : (earned / possible) * 100;
  return {
    earned,
    possible,
    percent: percentOf(earned, possible),
    passMark: paper.passMark,
    // Compared unrounded, with room for floating-point sums only: 65.96% (shown 65.9) does not pass a 66% mark.
    passed: exact >= paper.passMark - 1e-9,
    sections,
    topics: [...topics]
      .map(([id, sum]) => ({ id, earned: sum.earned, possible: sum.possible, percent: percentOf(sum.earned, sum.possible) }))
      .sort((a, b) => a.id.localeCompare(b.id)),
    items,
  };
}
