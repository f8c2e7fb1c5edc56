/**
 * A failed check as a small hands-on drill: the scenario (or exam task) it belongs to, with the same
 * cluster, workspace and steps, cut to that check and the checks it requires. The worker and the
 * scenario service resolve drill ids here (`runnableScenario`), so drills run on the scenario
 * machinery unchanged. No database: the worker threads call it.
 */
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { getScenarioDefinition } from "../scenarios/catalog";
import type { Scenario } from "../scenarios/schema";
import { EXAMS_DIR } from "../content/exams";
import { examTaskSchema, taskAsScenario } from "../exams/task-schema";
import { drillItem, type ReviewItem } from "./items";

const tasks = new Map<string, Scenario | undefined>();

/** One exam task file, read on its own (the worker must not load the whole course for it). */
function examTask(id: string): Scenario | undefined {
  if (tasks.has(id)) return tasks.get(id);
  const file = path.join("content", EXAMS_DIR, "tasks", `${id}.yaml`);
  const parsed = fs.existsSync(file) ? examTaskSchema.safeParse(YAML.parse(fs.readFileSync(file, "utf8"))) : undefined;
  const scenario = parsed?.success && parsed.data.id === id ? taskAsScenario(parsed.data) : undefined;
  tasks.set(id, scenario);
  return scenario;
}

/** The scenario or exam task a check belongs to, whole. */
export function checkSource(item: Extract<ReviewItem, { kind: "check" }>): Scenario | undefined {
  return item.source === "task" ? examTask(item.sourceId) : getScenarioDefinition(item.sourceId);
}

/** The check and, transitively, the checks it requires (a guard says nothing without its objective). */
function withRequired(scenario: Scenario, checkId: string): Scenario["checks"] | undefined {
  const wanted = new Set<string>();
  const visit = (id: string) => {
    if (wanted.has(id)) return;
    const check = scenario.checks.find((candidate) => candidate.id === id);
    if (check === undefined) return;
    wanted.add(id);
    check.requires.forEach(visit);
  };
  visit(checkId);
  return wanted.has(checkId) ? scenario.checks.filter((check) => wanted.has(check.id)) : undefined;
}

const drills = new Map<string, Scenario | undefined>();

/** The drill a drill id names, or undefined (not a drill id, or the check no longer exists). */
export function drillScenario(drillId: string): Scenario | undefined {
  if (drills.has(drillId)) return drills.get(drillId);
  const item = drillItem(drillId);
  const source = item && checkSource(item);
  const checks = source && item && withRequired(source, item.checkId);
  const drill =
    source && checks
      ? {
          ...source,
          id: drillId,
          title: `Drill: ${checks.find((check) => check.id === item?.checkId)?.description ?? source.title}`,
          checks,
          // About the share of the whole scenario's time this check takes, at least three minutes.
          estimatedMinutes: Math.max(3, Math.round((source.estimatedMinutes * checks.length) / source.checks.length)),
        }
      : undefined;
  drills.set(drillId, drill);
  return drill;
}

/** A scenario the scenario machinery can run: a scenario of the catalog, or a review drill. */
export function runnableScenario(id: string): Scenario | undefined {
  return getScenarioDefinition(id) ?? drillScenario(id);
}
