/**
 * What a review card is about, named by its item key: `question:<questionId>` or
 * `check:<scenario:<id> | task:<id>>:<checkId>` (a failed check of a scenario or an exam task).
 * A check comes back as a drill: a scenario instance whose scenario id is `drill.<kind>.<id>.<check>`,
 * so the scenario service, worker pool, terminal and practice API run it unchanged, while progress,
 * reports and summaries leave such ids out (`NOT_A_DRILL`). Import-free: summaries and routes use it.
 */

export type ReviewItem =
  { kind: "question"; questionId: string } | { kind: "check"; source: "scenario" | "task"; sourceId: string; checkId: string };

export const DRILL_PREFIX = "drill.";

const ID = "[a-z0-9-]{1,64}";
const QUESTION_KEY = /^question:([a-z0-9-]{1,100})$/;
const CHECK_KEY = new RegExp(`^check:(scenario|task):(${ID}):(${ID})$`);
const DRILL_ID = new RegExp(`^drill\\.(scenario|task)\\.(${ID})\\.(${ID})$`);

/** A scenario route's id: a scenario's own, or a drill's. */
export const SCENARIO_ROUTE_ID = new RegExp(`^(?:${ID}|drill\\.(?:scenario|task)\\.${ID}\\.${ID})$`);

/** Prisma filter for scenario rows that are not review drills (reports, progress, summaries). */
export const NOT_A_DRILL = { scenarioId: { not: { startsWith: DRILL_PREFIX } } };

export function itemKey(item: ReviewItem): string {
  return item.kind === "question" ? `question:${item.questionId}` : `check:${item.source}:${item.sourceId}:${item.checkId}`;
}

export function parseItemKey(key: string): ReviewItem | undefined {
  const question = QUESTION_KEY.exec(key);
  if (question?.[1] !== undefined) return { kind: "question", questionId: question[1] };
  const check = CHECK_KEY.exec(key);
  if (check?.[2] === undefined || check[3] === undefined) return undefined;
  return { kind: "check", source: check[1] === "task" ? "task" : "scenario", sourceId: check[2], checkId: check[3] };
}

export function drillIdOf(item: Extract<ReviewItem, { kind: "check" }>): string {
  return `${DRILL_PREFIX}${item.source}.${item.sourceId}.${item.checkId}`;
}

/** The check a drill id practises; undefined for any other scenario id. */
export function drillItem(scenarioId: string): Extract<ReviewItem, { kind: "check" }> | undefined {
  const match = DRILL_ID.exec(scenarioId);
  if (match?.[2] === undefined || match[3] === undefined) return undefined;
  return { kind: "check", source: match[1] === "task" ? "task" : "scenario", sourceId: match[2], checkId: match[3] };
}
