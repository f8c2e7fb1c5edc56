/**
 * Scenario files: loaded once, validated, and split into what a page may show (the public view)
 * and what only the server uses (checks, solution, wrong paths).
 */
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { scenarioSchema, type Scenario } from "./schema";

export const SCENARIO_DIR = path.join("content", "scenarios");

export interface PublicScenario {
  id: string;
  title: string;
  summary: string;
  order: number;
  difficulty: Scenario["difficulty"];
  estimatedMinutes: number;
  objectives: string[];
  story: string;
  lessons: string[];
  steps: { title: string; text: string; hintCount: number }[];
  checkCount: number;
}

export class ScenarioFileError extends Error {
  override name = "ScenarioFileError";
}

export function loadScenarioFile(file: string): Scenario {
  const raw: unknown = YAML.parse(fs.readFileSync(file, "utf8"));
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ScenarioFileError(`${file}:\n${lines.join("\n")}`);
  }
  const expected = path.basename(file, ".yaml");
  if (parsed.data.id !== expected) throw new ScenarioFileError(`${file}: id "${parsed.data.id}" must match the file name "${expected}"`);
  return parsed.data;
}

let cache: Map<string, Scenario> | undefined;

export function loadScenarios(root = process.cwd()): Map<string, Scenario> {
  if (cache) return cache;
  const dir = path.join(root, SCENARIO_DIR);
  const files = fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((name) => name.endsWith(".yaml"))
        .sort()
    : [];
  const scenarios = files.map((name) => loadScenarioFile(path.join(dir, name))).sort((a, b) => a.order - b.order);
  cache = new Map(scenarios.map((scenario) => [scenario.id, scenario]));
  return cache;
}

export function getScenarioDefinition(id: string): Scenario | undefined {
  return loadScenarios().get(id);
}

export function toPublicScenario(scenario: Scenario): PublicScenario {
  return {
    id: scenario.id,
    title: scenario.title,
    summary: scenario.summary,
    order: scenario.order,
    difficulty: scenario.difficulty,
    estimatedMinutes: scenario.estimatedMinutes,
    objectives: scenario.objectives,
    story: scenario.story,
    lessons: scenario.lessons,
    steps: scenario.steps.map((step) => ({ title: step.title, text: step.text, hintCount: step.hints.length })),
    checkCount: scenario.checks.length,
  };
}

export function listScenarios(): PublicScenario[] {
  return [...loadScenarios().values()].map(toPublicScenario);
}

export function getScenario(id: string): PublicScenario | undefined {
  const scenario = getScenarioDefinition(id);
  return scenario ? toPublicScenario(scenario) : undefined;
}
