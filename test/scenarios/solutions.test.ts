// Every scenario's reference solution, typed into the web terminal of the default install (the
// practice listener on: kubeconfig with tls-server-name, serving certificate signed by the cluster
// CA), must pass all its checks; every known-wrong path must fail at least one. Nothing is mocked:
// real cluster, real kubectl emulation, real certificates and tokens. The same solutions with the
// upstream kubectl binary: real-kubectl.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadScenarios } from "@/lib/scenarios/catalog";
import { execute } from "@/lib/scenarios/execute";
import { evaluateChecks } from "@/lib/scenarios/checks";
import type { Scenario } from "@/lib/scenarios/schema";
import { createPracticeInstance, startPracticeListener, type PracticeListener } from "../helpers/practice";

const scenarios = [...loadScenarios().values()];
let listener: PracticeListener;

beforeAll(async () => {
  listener = await startPracticeListener();
});

afterAll(async () => {
  await listener.server.close();
});

async function createInstance(scenario: Scenario) {
  return (await createPracticeInstance(scenario, listener)).instance;
}

async function play(scenario: Scenario, commands: string[]) {
  const instance = await createInstance(scenario);
  const transcript: string[] = [];
  for (const command of commands) {
    const { output, run } = await execute(instance, command);
    transcript.push(`$ ${command}\n${output}[exit ${run.exitCode}]`);
  }
  return { instance, transcript: transcript.join("\n"), results: await evaluateChecks(scenario, instance) };
}

describe("scenario files", () => {
  it("there are at least eight scenarios with unique order", () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(8);
    expect(new Set(scenarios.map((scenario) => scenario.order)).size).toBe(scenarios.length);
  });
});

describe.each(scenarios.map((scenario) => [scenario.id, scenario] as const))("scenario %s", (_id, scenario) => {
  it("a fresh instance passes no check that needs the learner's work", async () => {
    const instance = await createInstance(scenario);
    const results = await evaluateChecks(scenario, instance);
    expect(results.every((result) => result.passed)).toBe(false);
  });

  it("a guard check earns nothing before the check it guards passed", async () => {
    const instance = await createInstance(scenario);
    const results = await evaluateChecks(scenario, instance);
    for (const check of scenario.checks.filter((candidate) => candidate.requires.length > 0)) {
      expect(results.find((result) => result.id === check.id)?.passed, check.id).toBe(false);
    }
  });

  it("the reference solution passes every check", async () => {
    const { results, transcript } = await play(scenario, scenario.solution);
    const failed = results.filter((result) => !result.passed).map((result) => result.id);
    expect(failed, transcript).toEqual([]);
  });

  it.each(scenario.wrongPaths.map((path) => [path.name, path.commands] as const))(
    "the wrong path “%s” fails a check",
    async (_name, commands) => {
      const { results, transcript } = await play(scenario, commands);
      expect(
        results.some((result) => !result.passed),
        transcript,
      ).toBe(true);
    },
  );
});
