/** kubeconfig files for the practice server: one cluster entry (server URL + CA), one user, one context. */
import { stringify } from "yaml";

export type KubeconfigUser = { kind: "certificate"; certPem: string; keyPem: string } | { kind: "token"; token: string } | { kind: "none" };

export interface KubeconfigOptions {
  /** e.g. https://127.0.0.1:6443/i/fixture */
  server: string;
  caCertPem: string;
  userName: string;
  user: KubeconfigUser;
  clusterName?: string;
  namespace?: string;
}

const base64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");

function userEntry(user: KubeconfigUser): Record<string, string> {
  if (user.kind === "certificate") return { "client-certificate-data": base64(user.certPem), "client-key-data": base64(user.keyPem) };
  if (user.kind === "token") return { token: user.token };
  return {};
}

export function buildKubeconfig(options: KubeconfigOptions): string {
  const cluster = options.clusterName ?? "kubeprep-practice";
  const context = `${options.userName}@${cluster}`;
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: cluster, cluster: { server: options.server, "certificate-authority-data": base64(options.caCertPem) } }],
    contexts: [{ name: context, context: { cluster, user: options.userName, namespace: options.namespace ?? "default" } }],
    "current-context": context,
    users: [{ name: options.userName, user: userEntry(options.user) }],
    preferences: {},
  });
}
