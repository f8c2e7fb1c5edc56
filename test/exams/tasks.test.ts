// Every hands-on task written for the exams, run like a scenario in the default install (practice
// listener on): a fresh instance does not pass, the reference solution passes every check, and every
// known-wrong path fails at least one. Nothing is mocked: real cluster, kubectl emulation, certificates.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadExamCatalog, resolveHandsOn } from "@/lib/exams/catalog";
import { taskAsScenario } from "@/lib/exams/task-schema";
import { execute } from "@/lib/scenarios/execute";
import { evaluateChecks, scoreOf } from "@/lib/scenarios/checks";
import type { Scenario } from "@/lib/scenarios/schema";
import { createPracticeInstance, startPracticeListener, type PracticeListener } from "../helpers/practice";

const catalog = loadExamCatalog();
const tasks = [...catalog.tasks.values()].map(taskAsScenario);
let listener: PracticeListener;

beforeAll(async () => {
  listener = await startPracticeListener();
});

afterAll(async () => {
  await listener.server.close();
});

async function play(scenario: Scenario, commands: readonly string[]) {
  const { instance } = await createPracticeInstance(scenario, listener);
  const transcript: string[] = [];
  for (const command of commands) {
    const { output, run } = await execute(instance, command);
    transcript.push(`$ ${command}\n${output}[exit ${run.exitCode}]`);
  }
  return { transcript: transcript.join("\n"), results: await evaluateChecks(scenario, instance) };
}

describe("exam tasks", () => {
  it("the exams offer at least eight hands-on tasks written for them", () => {
    expect(tasks.length).toBeGreaterThanOrEqual(8);
  });
});

describe.each(tasks.map((task) => [task.id, task] as const))("exam task %s", (_id, task) => {
  it("a fresh instance fails the checks that need the learner's work and scores under half", async () => {
    const { results } = await play(task, []);
    expect(results.every((result) => result.passed)).toBe(false);
    expect(scoreOf(results)).toBeLessThan(0.5);
  });

  it("the reference solution passes every check", async () => {
    const { results, transcript } = await play(task, task.solution);
    expect(
      results.filter((result) => !result.passed).map((result) => result.id),
      transcript,
    ).toEqual([]);
  });

  it.each(task.wrongPaths.map((path) => [path.name, path.commands] as const))(
    "the wrong path “%s” fails a check",
    async (_name, commands) => {
      const { results, transcript } = await play(task, commands);
      expect(
        results.some((result) => !result.passed),
        transcript,
      ).toBe(true);
    },
  );
});

// Scenarios cut to some of their checks run with only those: the reference solution still earns all of them.
const cut = [...catalog.exams.values()].flatMap((exam) =>
  exam.sections.flatMap((section) =>
    section.kind === "tasks" ? section.pool.filter((entry) => "scenario" in entry && entry.checks !== undefined) : [],
  ),
);

describe.each(cut.map((entry) => [resolveHandsOn(entry, catalog).key, entry] as const))("exam part %s", (_key, entry) => {
  it("the scenario's solution passes the picked checks, a fresh instance does not", async () => {
    const { scenario } = resolveHandsOn(entry, catalog);
    const solved = await play(scenario, scenario.solution);
    expect(
      solved.results.filter((result) => !result.passed).map((result) => result.id),
      solved.transcript,
    ).toEqual([]);
    const fresh = await play(scenario, []);
    expect(fresh.results.every((result) => result.passed)).toBe(false);
  });
});
