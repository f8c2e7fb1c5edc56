/** Test support: E4's test cluster, a kubeconfig with one context per credential, and a runner. */
import { createTestCluster } from "../api/test-helpers";
import type { ClusterState } from "../cluster/state";
import { createCertificateAuthority } from "../pki";
import type { CommandResult, ShellState } from "../shell/types";
import { createVfs } from "../shell/vfs";
import { kubectlCommand } from "./kubectl";
import { createClusterNetwork, type SimulatedNetwork } from "./network";
import type { KubectlContext } from "./runtime";

export interface Harness {
  state: ClusterState;
  shell: ShellState;
  network: SimulatedNetwork;
  exchanges: KubectlContext["exchanges"];
  run(args: string[], options?: { stdin?: string; env?: Record<string, string>; now?: Date }): Promise<CommandResult>;
}

const b64 = (text: string): string => Buffer.from(text).toString("base64");

export async function kubeconfigFor(state: ClusterState): Promise<string> {
  const ca = state.config.serving?.caCertPem ?? "";
  const foreign = await createCertificateAuthority({
    commonName: "other-ca",
    keyAlgorithm: "ECDSA",
    notBefore: new Date("2024-01-01T00:00:00Z"),
    notAfter: new Date("2034-01-01T00:00:00Z"),
  });
  const certUser = (id: string): string => {
    const credential = state.credentials[id];
    return `    client-certificate-data: ${b64(credential?.certPem ?? "")}\n    client-key-data: ${b64(credential?.keyPem ?? "")}`;
  };
  return `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: https://127.0.0.1:6443
    certificate-authority-data: ${b64(ca)}
- name: wrongca
  cluster:
    server: https://127.0.0.1:6443
    certificate-authority-data: ${b64(foreign.certPem)}
- name: refused
  cluster:
    server: https://127.0.0.1:6999
    certificate-authority-data: ${b64(ca)}
users:
- name: admin
  user:
    token: admintoken
- name: badtoken
  user:
    token: nope
- name: jane
  user:
${certUser("jane")}
- name: rogue
  user:
${certUser("rogue")}
contexts:
- name: kc-admin
  context: {cluster: c, user: admin, namespace: default}
- name: kc-badtoken
  context: {cluster: c, user: badtoken}
- name: kc-cert
  context: {cluster: c, user: jane}
- name: kc-rogue
  context: {cluster: c, user: rogue}
- name: kc-wrongca
  context: {cluster: wrongca, user: admin}
- name: kc-refused
  context: {cluster: refused, user: admin}
current-context: kc-admin
`;
}

export async function createHarness(state?: ClusterState): Promise<Harness> {
  const cluster = state ?? (await createTestCluster());
  const shell: ShellState = { cwd: "/root", env: { HOME: "/root", USER: "root", HOSTNAME: "kubeprep" }, files: {}, history: [] };
  const vfs = createVfs(shell);
  vfs.mkdir("/root/.kube", { parents: true });
  vfs.writeFile("/root/.kube/config", await kubeconfigFor(cluster));
  const network = createClusterNetwork(cluster);
  const exchanges: KubectlContext["exchanges"] = [];
  let counter = 0;
  return {
    state: cluster,
    shell,
    network,
    exchanges,
    run(args, options = {}) {
      const context: KubectlContext = {
        args,
        stdin: options.stdin ?? "",
        env: { ...shell.env, ...(options.env ?? {}) },
        cwd: shell.cwd,
        fs: createVfs(shell),
        now: options.now ?? new Date(cluster.clock.nowMs),
        network,
        exchanges,
        random: (bytes) => {
          counter += 1;
          return new Uint8Array(bytes).fill(counter % 256);
        },
      };
      return kubectlCommand(context);
    },
  };
}

/** Replaces klog timestamps and pids so E-lines compare byte for byte with the transcript text. */
export function normalizeKlog(text: string): string {
  return text.replace(/^E\d{4} \d{2}:\d{2}:\d{2}\.\d{6} +\d+ /gm, "E0000 00:00:00.000000   00000 ");
}
