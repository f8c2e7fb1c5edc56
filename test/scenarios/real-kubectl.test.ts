// Every scenario solved with the upstream kubectl 1.32 binary against the practice API, with the
// kubeconfig the scenario page hands out (server https://127.0.0.1:<port>, tls-server-name
// <instance>.instances.kubeprep.internal, the cluster CA): the reference solution passes every
// check, every known-wrong path fails at least one. Steps without kubectl, and steps on the
// simulated kubeadm node, run in the web terminal.
// Skipped only when the binary is absent (`npx tsx scripts/get-kubectl.ts` fetches it).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadScenarios } from "@/lib/scenarios/catalog";
import { execute } from "@/lib/scenarios/execute";
import { evaluateChecks } from "@/lib/scenarios/checks";
import type { Scenario } from "@/lib/scenarios/schema";
import { findKubectl } from "../../scripts/get-kubectl";
import { createPracticeInstance, runReal, startPracticeListener, usesKubectl, type PracticeListener } from "../helpers/practice";

const kubectl = findKubectl();
if (kubectl === undefined) console.warn("real-kubectl scenario tests SKIPPED: no kubectl 1.32 (run `npx tsx scripts/get-kubectl.ts`)");
const scenarios = [...loadScenarios().values()];
// Each step starts the kubectl binary; a scenario takes a few seconds, more on a busy machine.
vi.setConfig({ testTimeout: 120_000 });

let listener: PracticeListener;
let work: string;

beforeAll(async () => {
  listener = await startPracticeListener();
  work = fs.mkdtempSync(path.join(os.tmpdir(), "kubeprep-real-kubectl-"));
});

afterAll(async () => {
  await listener.server.close();
  fs.rmSync(work, { recursive: true, force: true });
});

async function play(scenario: Scenario, commands: string[]) {
  if (kubectl === undefined) throw new Error("kubectl missing");
  const { id, instance } = await createPracticeInstance(scenario, listener);
  const root = path.join(work, id);
  const transcript: string[] = [];
  for (const command of commands) {
    // On the simulated kubeadm node (after `ssh controlplane`) kubectl reads the node's files: web terminal.
    if (usesKubectl(command) && instance.shell.remote === undefined) {
      const { output, exitCode } = await runReal(instance, command, kubectl, root);
      transcript.push(`$ ${command}   # real kubectl 1.32\n${output}[exit ${exitCode}]`);
    } else {
      const { output, run } = await execute(instance, command);
      transcript.push(`$ ${command}   # web terminal\n${output}[exit ${run.exitCode}]`);
    }
  }
  const results = await evaluateChecks(scenario, instance);
  return { instance, transcript: transcript.join("\n"), results };
}

describe.skipIf(kubectl === undefined).each(scenarios.map((scenario) => [scenario.id, scenario] as const))(
  "scenario %s with real kubectl",
  (_id, scenario) => {
    it("the reference solution passes every check", async () => {
      const { results, transcript } = await play(scenario, scenario.solution);
      if (process.env.KUBEPREP_TRANSCRIPT === scenario.id) console.log(transcript);
      const failed = results.filter((result) => !result.passed).map((result) => result.id);
      expect(failed, transcript).toEqual([]);
    });

    it.each(scenario.wrongPaths.map((wrong) => [wrong.name, wrong.commands] as const))(
      "the wrong path “%s” fails a check",
      async (_name, commands) => {
        const { results, transcript } = await play(scenario, commands);
        expect(
          results.some((result) => !result.passed),
          transcript,
        ).toBe(true);
      },
    );
  },
);

describe.skipIf(kubectl === undefined)("the downloaded kubeconfig with real kubectl", () => {
  const scenario = scenarios.find((candidate) => candidate.id === "expired-cert");

  it("serves every command the scenarios mention, with kubeadm's admin identity", async () => {
    if (scenario === undefined || kubectl === undefined) throw new Error("no expired-cert scenario");
    const { id, instance } = await createPracticeInstance(scenario, listener);
    const root = path.join(work, `${id}-commands`);
    const real = (command: string) => runReal(instance, `kubectl --context admin@kubeprep ${command}`, kubectl, root);
    expect(await real("get --raw /healthz")).toEqual({ output: "ok", exitCode: 0 });
    const version = await real("get --raw /version");
    expect(version.exitCode).toBe(0);
    expect(JSON.parse(version.output)).toMatchObject({ major: "1", minor: "32" });
    const api = await real("get --raw /api");
    expect(JSON.parse(api.output)).toMatchObject({ kind: "APIVersions", versions: ["v1"] });
    const openapi = await real("get --raw /openapi/v2");
    expect(openapi.exitCode).toBe(0);
    expect(JSON.parse(openapi.output)).toMatchObject({ swagger: "2.0", info: { title: "Kubernetes" } });
    const resources = await real("api-resources");
    expect(resources.exitCode).toBe(0);
    expect(resources.output).toMatch(/^certificatesigningrequests\s+csr\s+certificates\.k8s\.io\/v1\s+false\s+CertificateSigningRequest$/m);
    // kubeadm 1.29+: admin.conf's user is only in kubeadm:cluster-admins, bound to cluster-admin.
    const whoami = await real("auth whoami");
    expect(whoami.output).toMatch(/^Username\s+kubernetes-admin\nGroups\s+\[kubeadm:cluster-admins system:authenticated\]$/m);
    const rules = await real("auth can-i --list");
    expect(rules.exitCode).toBe(0);
    expect(rules.output).toMatch(/^\*\.\*\s+\[\]\s+\[\]\s+\[\*\]$/m);
    // client-go refuses impersonation details without --as before any request; the web terminal's
    // kubectl prints the same.
    for (const flags of ["--as-group dev", "--as-uid 42"]) {
      const refused = await real(`get pods ${flags}`);
      expect(refused).toEqual({
        output: "error: requesting uid, groups or user-extra for kubernetes-admin without impersonating a user\n",
        exitCode: 1,
      });
      const simulated = await execute(instance, `kubectl --context admin@kubeprep get pods ${flags}`);
      expect({ output: simulated.output, exitCode: simulated.run.exitCode }).toEqual(refused);
    }
  });
});
