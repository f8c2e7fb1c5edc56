// The practice API follows the simulated kubeadm node: while the node's kube-apiserver Pod is not
// serving, the learner's own kubectl (the upstream 1.32 binary, the scenario's kubeconfig) cannot
// connect to that instance, and the web terminal's kubectl gets "connection refused"; once the Pod
// is back, the same kubeconfig works again.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadScenarios } from "@/lib/scenarios/catalog";
import { execute } from "@/lib/scenarios/execute";
import { findKubectl } from "../../scripts/get-kubectl";
import { createPracticeInstance, runReal, startPracticeListener, type PracticeListener } from "../helpers/practice";

const kubectl = findKubectl();
vi.setConfig({ testTimeout: 120_000 });

let listener: PracticeListener;
let work: string;

beforeAll(async () => {
  listener = await startPracticeListener();
  work = fs.mkdtempSync(path.join(os.tmpdir(), "kubeprep-node-"));
});

afterAll(async () => {
  await listener.server.close();
  fs.rmSync(work, { recursive: true, force: true });
});

describe("a kubeadm node's API server, down and back", () => {
  const scenario = loadScenarios().get("recover-apiserver");

  it("the web terminal's kubectl is refused while the static Pod crash-loops, and works after the fix", async () => {
    if (scenario === undefined) throw new Error("recover-apiserver scenario missing");
    const { instance } = await createPracticeInstance(scenario, listener);
    const host = new URL(listener.server.origin).host;
    const down = await execute(instance, "kubectl get ns");
    expect(down.run.exitCode).toBe(1);
    expect(down.run.stderr).toContain(`The connection to the server ${host} was refused - did you specify the right host or port?\n`);
    expect(instance.apiServerDown).toBe(true);
    for (const line of [
      "ssh controlplane",
      "sudo -i",
      "sed -i 's/--enable-admission-plugin=/--enable-admission-plugins=/' /etc/kubernetes/manifests/kube-apiserver.yaml",
    ])
      expect((await execute(instance, line)).run.exitCode).toBe(0);
    // The kubelet has not acted yet (5 s pickup), then the new Pod needs 10 s to serve.
    expect((await execute(instance, "kubectl --kubeconfig /etc/kubernetes/admin.conf get ns web")).run.stderr).toContain(
      "The connection to the server 192.168.56.10:6443 was refused",
    );
    await execute(instance, "sleep 15");
    const up = await execute(instance, "kubectl --kubeconfig /etc/kubernetes/admin.conf get ns web");
    expect(up.run.stdout).toMatch(/^NAME\s+STATUS\s+AGE\nweb\s+Active\s/);
    expect(instance.apiServerDown).toBe(false);
  });

  it.skipIf(kubectl === undefined)("real kubectl cannot connect while it is down, and the same kubeconfig works after", async () => {
    if (scenario === undefined || kubectl === undefined) throw new Error("missing scenario or kubectl");
    const { id, instance } = await createPracticeInstance(scenario, listener);
    const root = path.join(work, id);
    const down = await runReal(instance, "kubectl get ns", kubectl, root);
    expect(down.exitCode).toBe(1);
    expect(down.output).toContain("Unable to connect to the server: remote error: tls: internal error\n");
    for (const line of [
      "ssh controlplane",
      "sudo -i",
      "sed -i 's/--enable-admission-plugin=/--enable-admission-plugins=/' /etc/kubernetes/manifests/kube-apiserver.yaml",
      "sleep 20",
      "exit",
      "exit",
    ])
      await execute(instance, line);
    const up = await runReal(instance, "kubectl get ns web", kubectl, root);
    expect(up.exitCode).toBe(0);
    expect(up.output).toMatch(/^NAME\s+STATUS\s+AGE\nweb\s+Active\s/);
  });
});
