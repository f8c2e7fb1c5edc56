/**
 * A learner's scenario instance: the simulated cluster, the shell session (virtual home folder
 * with kubeconfig and files), and what the "why?" panel and the checks need to know about past
 * requests. Plain JSON, stored in the database after every command.
 */
import "reflect-metadata";
import YAML from "yaml";
import { advanceClock, createCluster, handleRequest, identityProviderFrom, type ApiRequest, type ClusterState } from "../k8s";
import { createCertificateAuthority, pemToDer } from "../k8s/pki";
import { createVfs } from "../k8s/shell";
import { createClusterNetwork } from "../k8s/kubectl";
import { provisionNode } from "../k8s/node";
import type { ClusterNetwork, ShellState } from "../k8s/shell";
import type { WhyEntry } from "./api-types";
import type { CredentialSource, Scenario } from "./schema";
import { keepTailInBlocks, REQUESTS_KEPT } from "./storage";

/**
 * The administrator credentials of every scenario cluster, as kubeadm 1.29+ issues them:
 * admin.conf's `kubernetes-admin` in the group `kubeadm:cluster-admins` only (cluster-admin through
 * the ClusterRoleBinding kubeadm creates, so RBAC changes can lock it out), and super-admin.conf's
 * `kubernetes-super-admin` in `system:masters` (break-glass; checks probe with it so that the
 * learner's RBAC changes cannot blind them).
 */
export const ADMIN_CREDENTIAL = "kubeprep-admin";
export const SUPER_ADMIN_CREDENTIAL = "kubeprep-super-admin";

/** The ClusterRoleBinding `kubeadm init` creates for admin.conf's group. */
const KUBEADM_CLUSTER_ADMINS = {
  apiVersion: "rbac.authorization.k8s.io/v1",
  kind: "ClusterRoleBinding",
  metadata: { name: "kubeadm:cluster-admins" },
  roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
  subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "kubeadm:cluster-admins" }],
};

export interface RequestRecord {
  method: string;
  /** The API path and query (never the practice listener's `/i/<id>` prefix). */
  url: string;
  status: number;
  /** Set when the request came through the practice API (the learner's own kubectl). */
  via?: "practice-api";
  /** Why authentication failed (authenticator errors from the trace), for checks on a 401's cause. */
  authError?: string;
}

/**
 * Successful discovery reads (every kubectl command makes several) tell the checks nothing: `/api`,
 * `/api/<version>`, `/apis`, `/apis/<group>`, `/apis/<group>/<version>`. (`/api/v1/nodes` is a list.)
 */
export function isDiscoveryRead(request: { method: string; url: string; status: number }): boolean {
  return request.status === 200 && request.method === "GET" && /^\/(api(\/[^/?]+)?|apis(\/[^/?]+){0,2})(\?|$)/.test(request.url);
}

/** Appends request records, keeping the last LIMITS.requests (or up to a storage block more: keepTailInBlocks). */
export function recordRequests(instance: InstanceState, records: RequestRecord[]): void {
  const kept = records.filter((record) => !isDiscoveryRead(record));
  if (kept.length === 0) return;
  instance.requests = keepTailInBlocks([...instance.requests, ...kept], LIMITS.requests, "requests");
}

/** Where kubectl reaches this instance's API server: the practice listener, or the cluster itself. */
export interface Endpoint {
  serverUrl: string;
  /** The TLS server name that routes to this instance on the practice listener (kubeconfig `tls-server-name`). */
  tlsServerName?: string;
  /** The CA a kubeconfig trusts for this server. */
  caCertPem: string;
  /** The serving certificate the server presents (checked against the kubeconfig's CA). */
  servingCertPem: string;
  /** Its key, when the practice listener presents this certificate for the instance. */
  servingKeyPem?: string;
}

export interface InstanceState {
  format: "kubeprep.instance/v1";
  scenarioId: string;
  endpoint: Endpoint;
  cluster: ClusterState;
  shell: ShellState;
  /** Every API request's method, URL and status (bounded): checks such as "saw a 401". */
  requests: RequestRecord[];
  /** The last requests with their traces, for the "why?" panel (bounded). */
  why: WhyEntry[];
  /** The end of the terminal screen, to restore it after a reload (bounded). */
  transcript: string;
  /** Probe check answers and the state they were computed on (lib/scenarios/checks.ts). */
  probeCache?: { fingerprint: string; results: Record<string, boolean> };
  /** The node's API server was down after the last command or request (read at the practice listener's handshake). */
  apiServerDown?: boolean;
  /** Every check's answer after the last command, to store only what changed. */
  lastChecks?: Record<string, boolean>;
}

/** Entries kept; of requests at least this many once reached, and fewer than a storage block more (keepTailInBlocks). */
export const LIMITS = { requests: REQUESTS_KEPT, why: 15, transcriptChars: 16_000 } as const;

const DAY_MS = 24 * 3600 * 1000;

/** The cluster's own address and certificates: used when no practice listener is configured. */
export function clusterEndpoint(cluster: ClusterState): Endpoint {
  return {
    serverUrl: `https://${cluster.config.serverAddress}`,
    caCertPem: cluster.config.serving?.caCertPem ?? "",
    servingCertPem: cluster.config.serving?.certPem ?? "",
  };
}

/** The API server as kubectl reaches it from the instance's terminal: the endpoint's URL and certificate. */
export function clusterNetwork(instance: InstanceState): ClusterNetwork {
  return createClusterNetwork(instance.cluster, {
    serverUrls: [instance.endpoint.serverUrl],
    servingCertificateChainPem: instance.endpoint.servingCertPem,
  });
}

async function adminRequest(cluster: ClusterState, method: string, url: string, body?: unknown) {
  const admin = cluster.credentials[SUPER_ADMIN_CREDENTIAL];
  const adminDer = admin ? pemToDer(admin.certPem) : undefined;
  if (!adminDer) throw new Error("scenario cluster has no admin credential");
  const request: ApiRequest = {
    method,
    url,
    tls: true,
    headers: { "content-type": "application/json", accept: "application/json" },
    body: body === undefined ? undefined : new TextEncoder().encode(JSON.stringify(body)),
    peerCertificates: [adminDer],
  };
  const { response } = await handleRequest(cluster, request);
  const text = typeof response.body === "string" ? response.body : new TextDecoder().decode(response.body);
  if (response.status >= 300) throw new Error(`setup request ${method} ${url} failed: ${response.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

async function serviceAccountToken(
  cluster: ClusterState,
  source: { namespace: string; name: string; audiences?: string[]; expirationSeconds?: number },
): Promise<string> {
  const review = await adminRequest(cluster, "POST", `/api/v1/namespaces/${source.namespace}/serviceaccounts/${source.name}/token`, {
    apiVersion: "authentication.k8s.io/v1",
    kind: "TokenRequest",
    spec: { audiences: source.audiences ?? null, expirationSeconds: source.expirationSeconds ?? 3600 },
  });
  const status = review.status as { token?: unknown } | undefined;
  if (typeof status?.token !== "string") throw new Error("TokenRequest returned no token");
  return status.token;
}

async function idToken(
  cluster: ClusterState,
  source: { provider: number; claims: Record<string, unknown>; expiresIn: string },
): Promise<string> {
  const config = cluster.config.identityProviders[source.provider];
  if (!config) throw new Error(`no identity provider #${source.provider}`);
  const seconds =
    Number(source.expiresIn.slice(0, -1)) * { s: 1, m: 60, h: 3600, d: 86400 }[source.expiresIn.slice(-1) as "s" | "m" | "h" | "d"];
  return identityProviderFrom(config).issueIdToken({
    claims: { iss: config.issuer, ...source.claims },
    now: new Date(cluster.clock.nowMs),
    expiresInSeconds: seconds,
  });
}

async function credentialFields(cluster: ClusterState, source: CredentialSource): Promise<Record<string, string>> {
  if ("clientCertificate" in source) {
    const credential = cluster.credentials[source.clientCertificate];
    if (!credential) throw new Error(`no certificate ${source.clientCertificate} in the cluster spec`);
    return {
      "client-certificate-data": Buffer.from(credential.certPem).toString("base64"),
      "client-key-data": Buffer.from(credential.keyPem).toString("base64"),
    };
  }
  if ("token" in source) return { token: source.token };
  if ("serviceAccountToken" in source) return { token: await serviceAccountToken(cluster, source.serviceAccountToken) };
  if ("idToken" in source) return { token: await idToken(cluster, source.idToken) };
  return {};
}

async function buildKubeconfig(cluster: ClusterState, endpoint: Endpoint, scenario: Scenario): Promise<string | undefined> {
  const spec = scenario.workspace.kubeconfig;
  if (!spec) return undefined;
  const servingCa = endpoint.caCertPem;
  let wrongCa: string | undefined;
  const clusters: { name: string; cluster: Record<string, string> }[] = [];
  const users: { name: string; user: Record<string, string> }[] = [];
  const contexts: { name: string; context: Record<string, string> }[] = [];
  for (const context of spec.contexts) {
    let clusterName = spec.clusterName;
    if (context.serverCa === "wrong") {
      wrongCa ??= (
        await createCertificateAuthority({
          commonName: "kubernetes",
          keyAlgorithm: "ECDSA",
          notBefore: new Date(cluster.clock.nowMs - DAY_MS),
          notAfter: new Date(cluster.clock.nowMs + 3650 * DAY_MS),
        })
      ).certPem;
      clusterName = `${spec.clusterName}-old`;
    }
    if (!clusters.some((entry) => entry.name === clusterName)) {
      clusters.push({
        name: clusterName,
        cluster: {
          "certificate-authority-data": Buffer.from(clusterName === spec.clusterName ? servingCa : (wrongCa ?? "")).toString("base64"),
          server: endpoint.serverUrl,
          ...(endpoint.tlsServerName === undefined ? {} : { "tls-server-name": endpoint.tlsServerName }),
        },
      });
    }
    if (!users.some((entry) => entry.name === context.user)) {
      users.push({ name: context.user, user: await credentialFields(cluster, context.credential) });
    }
    contexts.push({
      name: context.name,
      context: { cluster: clusterName, user: context.user, ...(context.namespace ? { namespace: context.namespace } : {}) },
    });
  }
  return YAML.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters,
    contexts,
    "current-context": spec.currentContext ?? spec.contexts[0]?.name ?? "",
    preferences: {},
    users,
  });
}

async function fileContent(
  cluster: ClusterState,
  endpoint: Endpoint,
  source: Scenario["workspace"]["files"][number]["from"],
): Promise<string> {
  if ("content" in source) return source.content;
  if ("credentialCertificate" in source || "credentialKey" in source) {
    const id = "credentialCertificate" in source ? source.credentialCertificate : source.credentialKey;
    const credential = cluster.credentials[id];
    if (!credential) throw new Error(`no certificate ${id} in the cluster spec`);
    return "credentialCertificate" in source ? credential.certPem : credential.keyPem;
  }
  if ("clientCa" in source) return cluster.config.clientCaBundlePem;
  if ("clientCaKey" in source) return cluster.config.clusterSigner.keyPem;
  if ("servingCa" in source) return endpoint.caCertPem;
  if ("tokenFile" in source) return cluster.config.tokenAuthFileCsv ?? "";
  if ("serviceAccountToken" in source) return `${await serviceAccountToken(cluster, source.serviceAccountToken)}\n`;
  return `${await idToken(cluster, source.idToken)}\n`;
}

/**
 * Builds a fresh instance of a scenario: cluster, credentials, kubeconfig and home folder. The
 * endpoint decides the kubeconfig's server URL and CA (default: the cluster's own).
 */
export async function createInstance(
  scenario: Scenario,
  endpointFor?: (cluster: ClusterState) => Endpoint | Promise<Endpoint>,
): Promise<InstanceState> {
  const cluster = await createCluster({
    ...scenario.cluster,
    users: [
      ...(scenario.cluster.users ?? []),
      { id: ADMIN_CREDENTIAL, name: "kubernetes-admin", groups: ["kubeadm:cluster-admins"] },
      { id: SUPER_ADMIN_CREDENTIAL, name: "kubernetes-super-admin", groups: ["system:masters"] },
    ],
    objects: [KUBEADM_CLUSTER_ADMINS, ...(scenario.cluster.objects ?? [])],
  });
  const user = scenario.workspace.user;
  const home = user === "root" ? "/root" : `/home/${user}`;
  const shell: ShellState = {
    cwd: home,
    env: {
      HOME: home,
      USER: user,
      LOGNAME: user,
      SHELL: "/bin/bash",
      PATH: "/usr/local/bin:/usr/bin:/bin",
      HOSTNAME: scenario.workspace.hostname,
      TERM: "xterm-256color",
    },
    files: {},
    history: [],
  };
  const vfs = createVfs(shell, { now: new Date(cluster.clock.nowMs) });
  vfs.mkdir(home, { parents: true });
  vfs.mkdir("/tmp", { parents: true });
  const endpoint = endpointFor ? await endpointFor(cluster) : clusterEndpoint(cluster);
  const kubeconfig = await buildKubeconfig(cluster, endpoint, scenario);
  if (kubeconfig) {
    vfs.mkdir(`${home}/.kube`, { parents: true });
    vfs.writeFile(`${home}/.kube/config`, kubeconfig, { mode: 0o600 });
  }
  for (const file of scenario.workspace.files) {
    const path = vfs.resolve(file.path);
    vfs.mkdir(path.slice(0, path.lastIndexOf("/")) || "/", { parents: true });
    const written = vfs.writeFile(path, await fileContent(cluster, endpoint, file.from), { mode: file.mode });
    if (!written.ok) throw new Error(`scenario ${scenario.id}: cannot write ${file.path}: ${written.error}`);
  }
  if (scenario.workspace.nodeSetup.length > 0) await provisionNode(cluster, scenario.workspace.nodeSetup);
  if (scenario.workspace.advanceClock) advanceClock(cluster, scenario.workspace.advanceClock);
  return { format: "kubeprep.instance/v1", scenarioId: scenario.id, endpoint, cluster, shell, requests: [], why: [], transcript: "" };
}

export function cloneInstance(instance: InstanceState): InstanceState {
  return structuredClone(instance);
}
