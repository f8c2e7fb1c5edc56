/**
 * The course order across lessons and scenarios, and "what comes after this scenario". Pure
 * functions over the content (no database), shared by the dashboard, the progress page and the
 * scenario page's "Next scenario" link.
 */
import type { PublicScenario } from "./catalog";

type OrderedLesson = { slug: string };
type OrderedScenario = { id: string; order: number; lessons: readonly string[] };

export type CourseItem<L extends OrderedLesson, S extends OrderedScenario> =
  { kind: "lesson"; lesson: L } | { kind: "scenario"; scenario: S };

/**
 * Lessons in course order, each scenario right after the last lesson it builds on (a scenario
 * naming no known lesson comes at the end); scenarios after the same lesson keep their `order`.
 */
export function courseOrder<L extends OrderedLesson, S extends OrderedScenario>(
  lessons: readonly L[],
  scenarios: readonly S[],
): CourseItem<L, S>[] {
  const position = new Map(lessons.map((lesson, index) => [lesson.slug, index]));
  const after = (scenario: S): number => {
    const known = scenario.lessons.flatMap((slug) => position.get(slug) ?? []);
    return known.length === 0 ? lessons.length : Math.max(...known);
  };
  const sorted = [...scenarios].sort((a, b) => after(a) - after(b) || a.order - b.order || a.id.localeCompare(b.id));
  const items: CourseItem<L, S>[] = [];
  let next = 0;
  lessons.forEach((lesson, index) => {
    items.push({ kind: "lesson", lesson });
    while (next < sorted.length && after(sorted[next] as S) === index) items.push({ kind: "scenario", scenario: sorted[next++] as S });
  });
  items.push(...sorted.slice(next).map((scenario) => ({ kind: "scenario" as const, scenario })));
  return items;
}

/**
 * The scenario to offer after `currentId`: the first one later in `scenarios` (already in the
 * order to follow) that is not in `done`, else the first earlier one not done; undefined when
 * every other scenario is done or `currentId` is unknown.
 */
export function nextScenarioAfter(
  scenarios: readonly PublicScenario[],
  currentId: string,
  done: ReadonlySet<string> = new Set(),
): PublicScenario | undefined {
  const index = scenarios.findIndex((scenario) => scenario.id === currentId);
  if (index < 0) return undefined;
  const open = (scenario: PublicScenario) => scenario.id !== currentId && !done.has(scenario.id);
  return scenarios.slice(index + 1).find(open) ?? scenarios.slice(0, index).find(open);
}

/** Scenarios that build on a lesson (its `lessons` list names the slug), in scenario order. */
export function scenariosForLesson(scenarios: readonly PublicScenario[], lessonSlug: string): PublicScenario[] {
  return scenarios.filter((scenario) => scenario.lessons.includes(lessonSlug));
}

/** The scenarios alone, in course order (each after the lessons it builds on). */
export function scenariosInCourseOrder<S extends OrderedScenario>(lessons: readonly OrderedLesson[], scenarios: readonly S[]): S[] {
  return courseOrder(lessons, scenarios).flatMap((item) => (item.kind === "scenario" ? [item.scenario] : []));
}
