import { beforeAll, describe, expect, it } from "vitest";
import { createCluster } from "../setup/create-cluster";
import type { ClusterState } from "../cluster/state";
import { kubectlCommand } from "../kubectl";
import { createClusterNetwork } from "../kubectl/network";
import { newShellState } from "../shell/state";
import type { ShellState } from "../shell/types";
import { runInCluster } from "./session";
import { apiServerServing } from "./kubelet";
import { parseFlags } from "./apiserver";
import { unitsHumanDuration } from "./tools";

async function fresh(): Promise<{ state: ClusterState; shell: ShellState }> {
  const state = await createCluster({
    start: "2026-12-07T09:00:00Z",
    serverAddress: "192.168.56.10:6443",
    node: "kubeadm",
    namespaces: ["team"],
    users: [{ name: "kubernetes-admin", groups: ["kubeadm:cluster-admins"] }],
    objects: [
      {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRoleBinding",
        metadata: { name: "kubeadm:cluster-admins" },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
        subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "kubeadm:cluster-admins" }],
      },
    ],
  });
  return { state, shell: newShellState({ user: "student", hostname: "workstation" }) };
}

async function run(state: ClusterState, shell: ShellState, line: string) {
  const result = await runInCluster(state, shell, line, {
    now: new Date(state.clock.nowMs),
    commands: { kubectl: kubectlCommand },
    network: createClusterNetwork(state),
  });
  return result;
}

describe("kubeadm node", () => {
  let state: ClusterState;
  let shell: ShellState;
  beforeAll(async () => {
    ({ state, shell } = await fresh());
  });

  it("has kubeadm's layout and a serving API server", async () => {
    const node = state.node;
    expect(node).toBeDefined();
    for (const path of [
      "/etc/kubernetes/manifests/kube-apiserver.yaml",
      "/etc/kubernetes/manifests/etcd.yaml",
      "/etc/kubernetes/pki/ca.crt",
      "/etc/kubernetes/pki/apiserver.crt",
      "/etc/kubernetes/pki/front-proxy-client.key",
      "/etc/kubernetes/pki/etcd/server.crt",
      "/etc/kubernetes/pki/sa.pub",
      "/etc/kubernetes/admin.conf",
      "/etc/kubernetes/super-admin.conf",
      "/var/lib/kubelet/config.yaml",
    ])
      expect(node?.files[path]?.type, path).toBe("file");
    expect(apiServerServing(state)).toBe(true);
    const manifest = node?.files["/etc/kubernetes/manifests/kube-apiserver.yaml"];
    expect(manifest?.type === "file" ? manifest.content : "").toContain("    - --authorization-mode=Node,RBAC\n");
  });

  it("ssh passes a remote command's options through, and parses its own only before the destination", async () => {
    const { state: s, shell: sh } = await fresh();
    const remote = await run(s, sh, "ssh -p 22 controlplane sudo kubectl --kubeconfig /etc/kubernetes/admin.conf get ns -o name");
    expect(remote.stdout).toContain("namespace/team\n");
    expect(remote.exitCode).toBe(0);
    expect((await run(s, sh, "ssh controlplane ls -a /etc/kubernetes/manifests")).stdout).toContain("kube-apiserver.yaml");
    expect(sh.remote).toBeUndefined();
  });

  it("ssh, sudo -i, kubectl with admin.conf, a bad flag, crictl, the fix", async () => {
    expect((await run(state, shell, "ssh controlplane")).exitCode).toBe(0);
    expect(shell.remote?.frames.length).toBe(1);
    expect((await run(state, shell, "crictl ps")).stderr).toContain("permission denied");
    await run(state, shell, "sudo -i");
    expect(shell.remote?.frames[1]?.user).toBe("root");
    const ok = await run(state, shell, "kubectl --kubeconfig /etc/kubernetes/admin.conf get ns team");
    expect(ok.stdout).toContain("team");
    await run(
      state,
      shell,
      "sed -i 's/- --allow-privileged=true/- --allow-privileged=true\\n    - --this-flag-does-not-exist=1/' /etc/kubernetes/manifests/kube-apiserver.yaml",
    );
    await run(state, shell, "sleep 20");
    const refused = await run(state, shell, "kubectl --kubeconfig /etc/kubernetes/admin.conf get ns");
    expect(refused.stderr).toContain(
      "The connection to the server 192.168.56.10:6443 was refused - did you specify the right host or port?",
    );
    const ps = await run(state, shell, "crictl ps -a --name kube-apiserver");
    expect(ps.stdout).toMatch(/^CONTAINER\s+IMAGE\s+CREATED\s+STATE\s+NAME\s+ATTEMPT\s+POD ID\s+POD\s+NAMESPACE\n/);
    expect(ps.stdout).toMatch(/Exited\s+kube-apiserver\s+1\s/);
    const id = /\n([0-9a-f]{13})\s/.exec(ps.stdout)?.[1] ?? "";
    const logs = await run(state, shell, `crictl logs ${id}`);
    expect(logs.stderr).toContain("Error: unknown flag: --this-flag-does-not-exist");
    const podLogs = await run(state, shell, "cat /var/log/pods/kube-system_kube-apiserver-controlplane_*/kube-apiserver/0.log");
    expect(podLogs.stdout).toMatch(/Z stderr F Error: unknown flag: --this-flag-does-not-exist\n/);
    await run(state, shell, "sed -i '/this-flag-does-not-exist/d' /etc/kubernetes/manifests/kube-apiserver.yaml");
    await run(state, shell, "sleep 20");
    expect((await run(state, shell, "kubectl --kubeconfig /etc/kubernetes/admin.conf get ns team")).exitCode).toBe(0);
    await run(state, shell, "exit");
    await run(state, shell, "exit");
    expect(shell.remote).toBeUndefined();
  });

  it("a token file outside the mounts crash-loops with the open error", async () => {
    const { state: s, shell: sh } = await fresh();
    await run(s, sh, "ssh controlplane");
    await run(s, sh, "sudo -i");
    await run(s, sh, "mkdir -p /etc/kubernetes/auth && echo 'abc,jane,1001' > /etc/kubernetes/auth/tokens.csv");
    await run(
      s,
      sh,
      "sed -i 's|    - --allow-privileged=true|    - --allow-privileged=true\\n    - --token-auth-file=/etc/kubernetes/auth/tokens.csv|' /etc/kubernetes/manifests/kube-apiserver.yaml",
    );
    await run(s, sh, "sleep 30");
    expect(apiServerServing(s)).toBe(false);
    const id = /\n([0-9a-f]{13})\s/.exec((await run(s, sh, "crictl ps -a --name kube-apiserver")).stdout)?.[1] ?? "";
    const logs = await run(s, sh, `crictl logs ${id}`);
    expect(logs.stderr).toMatch(
      /^E1207 09:\d\d:\d\d\.\d{6} {7}1 run\.go:72\] "command failed" err="open \/etc\/kubernetes\/auth\/tokens\.csv: no such file or directory"$/m,
    );
    const journal = await run(s, sh, "journalctl -u kubelet");
    expect(journal.stdout).toContain("CrashLoopBackOff");
  });
});

describe("flag parsing", () => {
  it("reports pflag's errors", () => {
    expect(parseFlags(["--nope"])).toEqual({ ok: false, error: "unknown flag: --nope" });
    expect(parseFlags(["--anonymous-auth=maybe"])).toEqual({
      ok: false,
      error: 'invalid argument "maybe" for "--anonymous-auth" flag: strconv.ParseBool: parsing "maybe": invalid syntax',
    });
    expect(parseFlags(["--token-auth-file"])).toEqual({ ok: false, error: "flag needs an argument: --token-auth-file" });
    const parsed = parseFlags(["--service-account-issuer=a", "--service-account-issuer", "b", "--anonymous-auth"]);
    expect(parsed.ok && [...parsed.flags]).toEqual([
      ["service-account-issuer", ["a", "b"]],
      ["anonymous-auth", ["true"]],
    ]);
  });

  it("crictl's CREATED column is go-units' HumanDuration", () => {
    expect(unitsHumanDuration(500)).toBe("Less than a second");
    expect(unitsHumanDuration(1000)).toBe("1 second");
    expect(unitsHumanDuration(59_000)).toBe("59 seconds");
    expect(unitsHumanDuration(90_000)).toBe("About a minute");
    expect(unitsHumanDuration(45 * 60_000)).toBe("45 minutes");
    expect(unitsHumanDuration(3 * 3600_000)).toBe("3 hours");
  });
});
