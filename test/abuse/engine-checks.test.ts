// Scenario checks cannot be forged from the learner's shell: probes run in a clean shell (no
// aliases, no learner variables), check patterns are linear-time, and the probe cache covers
// everything a probe reads.
import { describe, expect, it } from "vitest";
import { loadScenarios } from "@/lib/scenarios/catalog";
import { createInstance } from "@/lib/scenarios/instance";
import { execute } from "@/lib/scenarios/execute";
import { evaluateChecks, scoreOf } from "@/lib/scenarios/checks";
import type { Scenario } from "@/lib/scenarios/schema";

const scenarios = loadScenarios();

function scenario(id: string): Scenario {
  const found = scenarios.get(id);
  if (!found) throw new Error(`no scenario ${id}`);
  return found;
}

describe("probes run in a clean shell", () => {
  it("an alias that prints the expected output does not pass the wrong-ca scenario", async () => {
    const wrongCa = scenario("wrong-ca");
    const instance = await createInstance(wrongCa);
    const before = scoreOf(await evaluateChecks(wrongCa, instance));
    await execute(instance, `alias kubectl='printf "Username  sam\\napi-7f9c  1/1  Running\\n"'`);
    await execute(instance, "touch x");
    const results = await evaluateChecks(wrongCa, instance);
    expect(results.every((result) => result.passed)).toBe(false);
    expect(scoreOf(results)).toBe(before);
    // The alias still works in the learner's own shell.
    expect((await execute(instance, "kubectl get pods")).run.stdout).toContain("api-7f9c");
  });

  it("learner variables do not reach the probe (an exported KUBECTL-like variable or a PATH change)", async () => {
    const wrongCa = scenario("wrong-ca");
    const instance = await createInstance(wrongCa);
    const before = scoreOf(await evaluateChecks(wrongCa, instance));
    await execute(instance, "export HOME=/tmp PATH=/nowhere KUBE_EDITOR=x; cd /tmp");
    expect(scoreOf(await evaluateChecks(wrongCa, instance))).toBe(before);
  });

  it("the reference solution still passes after the learner defines aliases and variables", async () => {
    const wrongCa = scenario("wrong-ca");
    const instance = await createInstance(wrongCa);
    for (const command of wrongCa.solution) await execute(instance, command);
    await execute(instance, "alias kubectl=false; export FOO=bar KUBECONFIG_X=1");
    const results = await evaluateChecks(wrongCa, instance);
    expect(results.filter((result) => !result.passed).map((result) => result.id)).toEqual([]);
  });

  it("the probe cache is not reused when a file the probe reads changes", async () => {
    const wrongCa = scenario("wrong-ca");
    const instance = await createInstance(wrongCa);
    for (const command of wrongCa.solution) await execute(instance, command);
    expect((await evaluateChecks(wrongCa, instance)).every((result) => result.passed)).toBe(true);
    await execute(instance, "rm ~/.kube/config");
    expect((await evaluateChecks(wrongCa, instance)).every((result) => result.passed)).toBe(false);
  });
});

describe("check patterns are linear-time", () => {
  it("a file check over a learner file with a quadratic-looking pattern answers fast", async () => {
    const base = scenario("wrong-ca");
    const custom: Scenario = {
      ...base,
      checks: [{ id: "answers", description: "answers", weight: 1, requires: [], file: "~/answers.txt", matches: "^(\\s*\\n)*\\s*x$" }],
    };
    const instance = await createInstance(custom);
    await execute(instance, "echo start > ~/answers.txt");
    const content = instance.shell.files[`${instance.shell.env.HOME ?? ""}/answers.txt`];
    expect(content?.type).toBe("file");
    if (content?.type === "file") content.content = `${" \n".repeat(200_000)}y`;
    const started = performance.now();
    const results = await evaluateChecks(custom, instance);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(results[0]?.passed).toBe(false);
  });

  it("every check pattern of every scenario compiles for RE2", async () => {
    const { compileAuthored } = await import("@/lib/k8s/shell/regex");
    for (const each of scenarios.values()) {
      for (const check of each.checks) {
        const patterns =
          "run" in check
            ? Object.entries(check.expect)
                .filter(([key]) => key.endsWith("Matches"))
                .map(([, value]) => String(value))
            : "history" in check
              ? [check.history]
              : "file" in check
                ? [check.matches, check.notMatches]
                : "sawStatus" in check
                  ? [check.url, check.reason]
                  : [];
        for (const pattern of patterns)
          if (pattern !== undefined)
            expect(() => compileAuthored(pattern, { multiline: true }), `${each.id}/${check.id}: ${pattern}`).not.toThrow();
      }
    }
  });
});

describe("access checks are answered again whenever the cluster changed", () => {
  it("keeps an access check's answer while only the shell changes, and asks the engine again after an RBAC change", async () => {
    const unauthorized = scenario("unauthorized-or-forbidden");
    const instance = await createInstance(unauthorized);
    await evaluateChecks(unauthorized, instance);
    // Jane cannot read secrets or delete pods: the access check's own answer (before its guard).
    expect(instance.probeCache?.results["least-privilege"]).toBe(true);
    const fingerprint = instance.probeCache?.fingerprint;
    await execute(instance, "pwd; cd /tmp; echo hi");
    await evaluateChecks(unauthorized, instance);
    expect(instance.probeCache?.fingerprint).toBe(fingerprint);
    expect(instance.probeCache?.results["least-privilege"]).toBe(true);
    await execute(
      instance,
      "kubectl --context admin@kubeprep create clusterrolebinding jane-admin --clusterrole=cluster-admin --user=jane",
    );
    const results = await evaluateChecks(unauthorized, instance);
    expect(instance.probeCache?.fingerprint).not.toBe(fingerprint);
    expect(instance.probeCache?.results["least-privilege"]).toBe(false);
    expect(results.find((result) => result.id === "least-privilege")?.passed).toBe(false);
  });
});
