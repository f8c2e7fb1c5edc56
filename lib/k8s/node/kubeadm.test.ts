import { describe, expect, it } from "vitest";
import { createCluster } from "../setup/create-cluster";
import type { ClusterState } from "../cluster/state";
import { kubectlCommand } from "../kubectl";
import { createClusterNetwork } from "../kubectl/network";
import { newShellState } from "../shell/state";
import type { ShellState } from "../shell/types";
import { runInCluster } from "./session";
import { apiServerServing, currentRun } from "./kubelet";
import { buildSettings, containerFiles, parseFlags, parseStaticPod } from "./apiserver";
import { APISERVER_MANIFEST } from "./paths";

const ADMINS = {
  apiVersion: "rbac.authorization.k8s.io/v1",
  kind: "ClusterRoleBinding",
  metadata: { name: "kubeadm:cluster-admins" },
  roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
  subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "kubeadm:cluster-admins" }],
};

async function nodeCluster(extra: Record<string, unknown> = {}): Promise<{ state: ClusterState; shell: ShellState }> {
  const state = await createCluster({
    start: "2026-12-07T09:00:00Z",
    installedAt: "2026-12-01T08:00:00Z",
    serverAddress: "192.168.56.10:6443",
    node: "kubeadm",
    objects: [ADMINS],
    ...extra,
  });
  return { state, shell: newShellState({ user: "student", hostname: "workstation" }) };
}

async function run(state: ClusterState, shell: ShellState, line: string) {
  return runInCluster(state, shell, line, {
    now: new Date(state.clock.nowMs),
    commands: { kubectl: kubectlCommand },
    network: createClusterNetwork(state),
  });
}

async function asRoot(state: ClusterState, shell: ShellState) {
  await run(state, shell, "ssh controlplane");
  await run(state, shell, "sudo -i");
}

function manifestOf(state: ClusterState): string {
  const file = state.node?.files[APISERVER_MANIFEST];
  return file?.type === "file" ? file.content : "";
}

describe("the generated kube-apiserver manifest", () => {
  it("carries the cluster's authentication settings and reads back to the same configuration", async () => {
    const { state } = await nodeCluster({
      anonymousAuth: false,
      tokenFile: [{ token: "t1", user: "jane", uid: "1", groups: ["dev"] }],
      serviceAccountIssuers: ["https://new.example", "https://kubernetes.default.svc.cluster.local"],
      apiAudiences: ["https://kubernetes.default.svc.cluster.local"],
      oidc: {
        flags: { issuerUrl: "https://idp.example", clientId: "kubernetes", usernameClaim: "email", requiredClaims: { hd: "example.com" } },
      },
    });
    const manifest = manifestOf(state);
    for (const line of [
      "    - --anonymous-auth=false",
      "    - --token-auth-file=/etc/kubernetes/pki/tokens.csv",
      "    - --service-account-issuer=https://new.example\n    - --service-account-issuer=https://kubernetes.default.svc.cluster.local",
      "    - --api-audiences=https://kubernetes.default.svc.cluster.local",
      "    - --oidc-required-claim=hd=example.com",
      "    image: registry.k8s.io/kube-apiserver:v1.32.0",
      "  - hostPath:\n      path: /etc/kubernetes/pki\n      type: DirectoryOrCreate\n    name: k8s-certs",
    ])
      expect(manifest).toContain(line);
    expect(
      manifest.startsWith(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint: 192.168.56.10:6443\n",
      ),
    ).toBe(true);
    expect(manifest.endsWith("status: {}\n")).toBe(true);
    const pod = parseStaticPod(manifest, APISERVER_MANIFEST);
    if (!pod.ok) throw new Error(pod.error);
    const flags = parseFlags(pod.pod.command.slice(1));
    if (!flags.ok) throw new Error(flags.error);
    const built = buildSettings(flags.flags, containerFiles(state.node?.files ?? {}, pod.pod.mounts), state.config);
    expect(built.ok && built.settings.config).toEqual(state.config);
    expect(state.node && currentRun(state.node)?.outcome).toBe("running");
  });
});

describe("what breaks the API server", () => {
  const cases: [string, string, RegExp][] = [
    [
      "an invalid authorization mode",
      "sed -i 's/--authorization-mode=Node,RBAC/--authorization-mode=Node,RBAC,Foo/' /etc/kubernetes/manifests/kube-apiserver.yaml",
      /run\.go:72\] "command failed" err="authorization-mode \\"Foo\\" is not a valid mode"$/m,
    ],
    [
      "an unknown admission plugin",
      "sed -i 's/--enable-admission-plugins=NodeRestriction/--enable-admission-plugins=NodeRestriction,Nope/' /etc/kubernetes/manifests/kube-apiserver.yaml",
      /"command failed" err="enable-admission-plugins plugin \\"Nope\\" is unknown"$/m,
    ],
    [
      "a bad boolean",
      "sed -i 's/--allow-privileged=true/--allow-privileged=yes/' /etc/kubernetes/manifests/kube-apiserver.yaml",
      /^Error: invalid argument "yes" for "--allow-privileged" flag: strconv.ParseBool: parsing "yes": invalid syntax$/m,
    ],
    [
      "a missing signing key",
      "mv /etc/kubernetes/pki/sa.key /root/ && sed -i 's/--allow-privileged=true/--allow-privileged=true\\n    - --v=2/' /etc/kubernetes/manifests/kube-apiserver.yaml",
      /err="failed to parse service-account-issuer-key-file: open \/etc\/kubernetes\/pki\/sa.key: no such file or directory"$/m,
    ],
  ];
  it.each(cases)("%s crash-loops with the server's message", async (_name, command, expected) => {
    const { state, shell } = await nodeCluster();
    await asRoot(state, shell);
    expect((await run(state, shell, command)).exitCode).toBe(0);
    await run(state, shell, "sleep 20");
    expect(apiServerServing(state)).toBe(false);
    const id = (await run(state, shell, "crictl ps -a -q --name kube-apiserver | head -1")).stdout.trim();
    const logs = await run(state, shell, `crictl logs ${id}`);
    expect(logs.stderr).toMatch(expected);
  });

  it("invalid YAML leaves no Pod and the kubelet says why", async () => {
    const { state, shell } = await nodeCluster();
    await asRoot(state, shell);
    await run(state, shell, "sed -i 's/^spec:$/spec: [/' /etc/kubernetes/manifests/kube-apiserver.yaml");
    await run(state, shell, "sleep 10");
    expect(apiServerServing(state)).toBe(false);
    expect((await run(state, shell, "crictl ps --name kube-apiserver")).stdout.split("\n").length).toBe(2);
    const journal = (await run(state, shell, "journalctl -u kubelet")).stdout;
    expect(journal).toMatch(
      /^Dec 07 09:00:\d\d controlplane kubelet\[1011\]: E1207 09:00:\d\d\.\d{6} {4}1011 file\.go:240\] "Could not process manifest file" err="\/etc\/kubernetes\/manifests\/kube-apiserver\.yaml: couldn't parse as pod\(yaml: .*\), please check config file" path="\/etc\/kubernetes\/manifests\/kube-apiserver\.yaml"$/m,
    );
  });

  it("a hostPath of type File that does not exist: the Pod gets no container", async () => {
    const { state, shell } = await nodeCluster();
    await asRoot(state, shell);
    await run(
      state,
      shell,
      "sed -i 's|  volumes:|  volumes:\\n  - hostPath:\\n      path: /etc/kubernetes/auth/tokens.csv\\n      type: File\\n    name: tokens|' /etc/kubernetes/manifests/kube-apiserver.yaml",
    );
    await run(state, shell, "sleep 10");
    expect(apiServerServing(state)).toBe(false);
    expect((await run(state, shell, "journalctl -u kubelet")).stdout).toContain('MountVolume.SetUp failed for volume "tokens"');
    expect((await run(state, shell, "journalctl -u kubelet")).stdout).toContain(
      "hostPath type check failed: /etc/kubernetes/auth/tokens.csv is not a file",
    );
    expect((await run(state, shell, "crictl pods --name kube-apiserver")).stdout).toMatch(
      /^POD ID\s+CREATED\s+STATE\s+NAME\s+NAMESPACE\s+ATTEMPT\s+RUNTIME\n/,
    );
  });
});

describe("kubeadm certs", () => {
  it("check-expiration prints kubeadm's two tables; renew gives admin.conf a fresh year and kubectl keeps working", async () => {
    const { state, shell } = await nodeCluster();
    await asRoot(state, shell);
    const table = (await run(state, shell, "kubeadm certs check-expiration")).stdout;
    expect(table).toContain(
      '[check-expiration] Reading configuration from the "kubeadm-config" ConfigMap in namespace "kube-system"...\n[check-expiration] Use \'kubeadm init phase upload-config --config your-config.yaml\' to re-upload it.\n\n',
    );
    expect(table).toContain(
      "CERTIFICATE                EXPIRES                  RESIDUAL TIME   CERTIFICATE AUTHORITY   EXTERNALLY MANAGED\n",
    );
    expect(table).toContain("admin.conf                 Dec 01, 2027 08:00 UTC   358d            ca                      no      \n");
    expect(table).toContain(
      "CERTIFICATE AUTHORITY   EXPIRES                  RESIDUAL TIME   EXTERNALLY MANAGED\nca                      Nov 28, 2036 08:00 UTC   9y              no      \n",
    );
    state.clock.nowMs += 400 * 24 * 3600 * 1000;
    expect((await run(state, shell, "kubeadm certs check-expiration")).stdout).toMatch(
      /^admin\.conf {17}Dec 01, 2027 08:00 UTC {3}<invalid> {7}ca/m,
    );
    expect((await run(state, shell, "kubectl --kubeconfig /etc/kubernetes/admin.conf get ns default")).stderr).toContain(
      "certificate has expired",
    );
    const renewed = await run(state, shell, "kubeadm certs renew admin.conf");
    expect(renewed.stdout).toMatch(
      /\n\ncertificate embedded in the kubeconfig file for the admin to use and for kubeadm itself renewed\n$/,
    );
    expect((await run(state, shell, "kubeadm certs check-expiration")).stdout).toMatch(
      /^admin\.conf {17}\w{3} \d\d, 2029 \d\d:\d\d UTC {3}364d /m,
    );
    // The API server still serves its expired certificate until it restarts with the renewed one.
    expect((await run(state, shell, "kubectl --kubeconfig /etc/kubernetes/admin.conf get ns default")).stderr).toContain(
      "certificate has expired",
    );
    const all = await run(state, shell, "kubeadm certs renew all");
    expect(all.stdout).toContain("certificate for serving the Kubernetes API renewed\n");
    await run(state, shell, "mv /etc/kubernetes/manifests/kube-apiserver.yaml /root/");
    await run(state, shell, "sleep 10");
    expect(apiServerServing(state)).toBe(false);
    await run(state, shell, "mv /root/kube-apiserver.yaml /etc/kubernetes/manifests/");
    await run(state, shell, "sleep 20");
    const after = await run(state, shell, "kubectl --kubeconfig /etc/kubernetes/admin.conf get ns default");
    expect(after.stderr).toBe("");
    expect(all.stdout).toMatch(
      /\nDone renewing certificates\. You must restart the kube-apiserver, kube-controller-manager, kube-scheduler and etcd, so that they can use the new certificates\.\n$/,
    );
  });
});

describe("ssh and sudo", () => {
  it("switch hosts, refuse unknown hosts and tools without root", async () => {
    const { state, shell } = await nodeCluster();
    expect((await run(state, shell, "crictl ps")).stderr).toBe("bash: crictl: command not found\n");
    expect((await run(state, shell, "ssh node01")).stderr).toBe("ssh: Could not resolve hostname node01: Name or service not known\n");
    expect((await run(state, shell, "sudo -i")).exitCode).toBe(1);
    expect((await run(state, shell, "ssh controlplane hostname")).stdout).toBe("controlplane\n");
    await run(state, shell, "ssh controlplane");
    expect((await run(state, shell, "pwd")).stdout).toBe("/home/student\n");
    expect((await run(state, shell, "systemctl restart kubelet")).stderr).toContain("Access denied");
    expect((await run(state, shell, "sudo crictl ps -q")).stdout.split("\n").filter(Boolean)).toHaveLength(4);
    expect((await run(state, shell, "sudo systemctl status kubelet")).stdout).toMatch(
      /^● kubelet\.service - kubelet: The Kubernetes Node Agent\n {5}Loaded: loaded/,
    );
    expect((await run(state, shell, "exit")).stderr).toBe("logout\nConnection to controlplane closed.\n");
    expect((await run(state, shell, "cat /etc/kubernetes/admin.conf")).stderr).toContain("No such file or directory");
  });
});

describe("hostile manifests", () => {
  it("an alias bomb, an oversized file and binary junk end as kubelet errors, quickly", async () => {
    const { state, shell } = await nodeCluster();
    await asRoot(state, shell);
    const bomb = [
      "a: &a [x, x, x, x, x, x, x, x, x, x]",
      ...Array.from(
        { length: 9 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`,
      ),
    ].join("\n");
    for (const content of [bomb, `kind: Pod\nx: "${"y".repeat(300 * 1024)}"\n`, "\u0000\u0001\u0002{{{[[[:::"]) {
      if (state.node) state.node.files[APISERVER_MANIFEST] = { type: "file", content, mode: 0o600, mtimeMs: state.clock.nowMs };
      const started = performance.now();
      await run(state, shell, "sleep 10");
      expect(performance.now() - started).toBeLessThan(3000);
      expect(apiServerServing(state)).toBe(false);
      expect(state.node && currentRun(state.node)?.outcome).toBe("rejected");
      expect((await run(state, shell, "journalctl -u kubelet | tail -1")).stdout).toContain('"Could not process manifest file"');
    }
  });
});

describe("anonymous access and kubeadm's probes", () => {
  it("--anonymous-auth=false: the server answers, then the startup probe (401) gets it restarted", async () => {
    const { state, shell } = await nodeCluster();
    await asRoot(state, shell);
    await run(
      state,
      shell,
      "sed -i 's/    - --allow-privileged=true/    - --allow-privileged=true\\n    - --anonymous-auth=false/' /etc/kubernetes/manifests/kube-apiserver.yaml",
    );
    await run(state, shell, "sleep 20");
    expect(apiServerServing(state)).toBe(true);
    expect(state.config.anonymousAuth).toBe(false);
    await run(state, shell, "sleep 240");
    expect(apiServerServing(state)).toBe(false);
    const journal = (await run(state, shell, "journalctl -u kubelet")).stdout;
    expect(journal).toContain('"Probe failed" probeType="Startup" pod="kube-system/kube-apiserver-controlplane"');
    expect(journal).toContain('output="HTTP probe failed with statuscode: 401"');
    expect(journal).toContain("Container kube-apiserver failed startup probe, will be restarted");
    await run(state, shell, "sleep 15");
    expect((await run(state, shell, "crictl ps --name kube-apiserver")).stdout).toMatch(/Running\s+kube-apiserver\s+1\s/);
  });
});

describe("watch", () => {
  it("shows one refresh after its interval, with procps' header", async () => {
    const { state, shell } = await nodeCluster();
    await asRoot(state, shell);
    const before = state.clock.nowMs;
    const watched = await run(state, shell, "watch -n 5 crictl ps --name kube-apiserver");
    expect(state.clock.nowMs - before).toBe(2000 + 5000);
    expect(watched.stdout).toMatch(
      /^Every 5\.0s: crictl ps --name kube-apiserver +controlplane: Mon Dec {2}7 09:00:\d\d 2026\n\nCONTAINER /,
    );
  });
});
