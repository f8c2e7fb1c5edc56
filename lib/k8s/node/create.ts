/**
 * `kubeadm init` on the simulated node: the PKI under /etc/kubernetes/pki (the cluster's own CA,
 * the API server's serving certificate with kubeadm's SANs, which becomes the cluster's serving
 * certificate, the front-proxy and etcd CAs and their leaves, sa.key/sa.pub), the kubeconfig files,
 * the static Pod manifests, the kubelet's config.yaml, and the first running kube-apiserver Pod.
 * Certificates are real (lib/k8s/pki): openssl on the node reads them.
 */
import { createPublicKey } from "node:crypto";
import { createCertificateAuthority, issueCertificate, type CertificateAndKey } from "../pki/issue";
import { generateKeyPair, type KeyAlgorithm } from "../pki/keys";
import { positiveSerialHex } from "../clock";
import { nextRandomBytes } from "../cluster/ids";
import type { ClusterState } from "../cluster/state";
import type { NodeFile, NodeState } from "../cluster/node-state";
import { apiServerManifest, controllerManagerManifest, etcdManifest, kubeYaml, schedulerManifest } from "./manifests";
import { APISERVER_MANIFEST, AUTHENTICATION_CONFIG_FILE, CLIENT_CA_BUNDLE, MANIFESTS_DIR, TOKEN_FILE } from "./paths";
import { APISERVER_READY_MS, CONTAINER_START_MS, startRun } from "./kubelet";

const DAY_MS = 24 * 3600 * 1000;
/** kubeadm's CertificateValidityPeriod (leaves, kubeconfig client certificates). */
export const LEAF_VALIDITY_MS = 365 * DAY_MS;

export interface LeafSpec {
  /** kubeadm's name in `kubeadm certs` (apiserver, admin.conf, etcd-server ...). */
  name: string;
  ca: "ca" | "front-proxy-ca" | "etcd-ca";
  commonName: string;
  organizations?: string[];
  usages: ("clientAuth" | "serverAuth")[];
  dnsNames?: string[];
  ipAddresses?: string[];
  /** Where the certificate and key are written: a pair of files, or a kubeconfig. */
  target: { certFile: string; keyFile: string } | { kubeconfig: string; user: string; embedded: boolean };
}

/** Every certificate `kubeadm certs check-expiration` lists, in its order (the table is sorted by name). */
export function leafSpecs(node: { name: string; ip: string }): LeafSpec[] {
  const pki = (file: string) => ({ certFile: `/etc/kubernetes/pki/${file}.crt`, keyFile: `/etc/kubernetes/pki/${file}.key` });
  const etcdHosts = { dnsNames: [node.name, "localhost"], ipAddresses: [node.ip, "127.0.0.1", "::1"] };
  return [
    {
      name: "admin.conf",
      ca: "ca",
      commonName: "kubernetes-admin",
      organizations: ["kubeadm:cluster-admins"],
      usages: ["clientAuth"],
      target: { kubeconfig: "/etc/kubernetes/admin.conf", user: "kubernetes-admin", embedded: true },
    },
    {
      name: "apiserver",
      ca: "ca",
      commonName: "kube-apiserver",
      usages: ["serverAuth"],
      dnsNames: ["kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local", node.name],
      ipAddresses: ["10.96.0.1", node.ip],
      target: pki("apiserver"),
    },
    {
      name: "apiserver-etcd-client",
      ca: "etcd-ca",
      commonName: "kube-apiserver-etcd-client",
      usages: ["clientAuth"],
      target: pki("apiserver-etcd-client"),
    },
    {
      name: "apiserver-kubelet-client",
      ca: "ca",
      commonName: "kube-apiserver-kubelet-client",
      organizations: ["kubeadm:cluster-admins"],
      usages: ["clientAuth"],
      target: pki("apiserver-kubelet-client"),
    },
    {
      name: "controller-manager.conf",
      ca: "ca",
      commonName: "system:kube-controller-manager",
      usages: ["clientAuth"],
      target: { kubeconfig: "/etc/kubernetes/controller-manager.conf", user: "system:kube-controller-manager", embedded: true },
    },
    {
      name: "etcd-healthcheck-client",
      ca: "etcd-ca",
      commonName: "kube-etcd-healthcheck-client",
      usages: ["clientAuth"],
      target: pki("etcd/healthcheck-client"),
    },
    {
      name: "etcd-peer",
      ca: "etcd-ca",
      commonName: node.name,
      usages: ["serverAuth", "clientAuth"],
      ...etcdHosts,
      target: pki("etcd/peer"),
    },
    {
      name: "etcd-server",
      ca: "etcd-ca",
      commonName: node.name,
      usages: ["serverAuth", "clientAuth"],
      ...etcdHosts,
      target: pki("etcd/server"),
    },
    {
      name: "front-proxy-client",
      ca: "front-proxy-ca",
      commonName: "front-proxy-client",
      usages: ["clientAuth"],
      target: pki("front-proxy-client"),
    },
    {
      name: "scheduler.conf",
      ca: "ca",
      commonName: "system:kube-scheduler",
      usages: ["clientAuth"],
      target: { kubeconfig: "/etc/kubernetes/scheduler.conf", user: "system:kube-scheduler", embedded: true },
    },
    {
      name: "super-admin.conf",
      ca: "ca",
      commonName: "kubernetes-super-admin",
      organizations: ["system:masters"],
      usages: ["clientAuth"],
      target: { kubeconfig: "/etc/kubernetes/super-admin.conf", user: "kubernetes-super-admin", embedded: true },
    },
  ];
}

export const CA_FILES = {
  ca: "/etc/kubernetes/pki/ca",
  "front-proxy-ca": "/etc/kubernetes/pki/front-proxy-ca",
  "etcd-ca": "/etc/kubernetes/pki/etcd/ca",
} as const;

function b64(text: string): string {
  return Buffer.from(text).toString("base64");
}

/** A kubeconfig as kubeadm writes it (clientcmd's key order). */
export function kubeadmKubeconfig(options: { server: string; caPem: string; user: string; certPem: string; keyPem: string }): string {
  return kubeYaml({
    apiVersion: "v1",
    clusters: [{ cluster: { "certificate-authority-data": b64(options.caPem), server: options.server }, name: "kubernetes" }],
    contexts: [{ context: { cluster: "kubernetes", user: options.user }, name: `${options.user}@kubernetes` }],
    "current-context": `${options.user}@kubernetes`,
    kind: "Config",
    preferences: {},
    users: [{ name: options.user, user: { "client-certificate-data": b64(options.certPem), "client-key-data": b64(options.keyPem) } }],
  });
}

const KUBELET_CONFIG_YAML = `apiVersion: kubelet.config.k8s.io/v1beta1
authentication:
  anonymous:
    enabled: false
  webhook:
    cacheTTL: 0s
    enabled: true
  x509:
    clientCAFile: /etc/kubernetes/pki/ca.crt
authorization:
  mode: Webhook
  webhook:
    cacheAuthorizedTTL: 0s
    cacheUnauthorizedTTL: 0s
cgroupDriver: systemd
clusterDNS:
- 10.96.0.10
clusterDomain: cluster.local
containerRuntimeEndpoint: ""
cpuManagerReconcilePeriod: 0s
crashLoopBackOff: {}
evictionPressureTransitionPeriod: 0s
fileCheckFrequency: 0s
healthzBindAddress: 127.0.0.1
healthzPort: 10248
httpCheckFrequency: 0s
imageMaximumGCAge: 0s
imageMinimumGCAge: 0s
kind: KubeletConfiguration
logging:
  flushFrequency: 0
  options:
    json:
      infoBufferSize: "0"
    text:
      infoBufferSize: "0"
  verbosity: 0
memorySwap: {}
nodeStatusReportFrequency: 0s
nodeStatusUpdateFrequency: 0s
resolvConf: /run/systemd/resolve/resolv.conf
rotateCertificates: true
runtimeRequestTimeout: 0s
shutdownGracePeriod: 0s
shutdownGracePeriodCriticalPods: 0s
staticPodPath: /etc/kubernetes/manifests
streamingConnectionIdleTimeout: 0s
syncFrequency: 0s
volumeStatsAggPeriod: 0s
`;

/** Writes a file (and its parent folders) into a node's file map. */
export function putNodeFile(files: Record<string, NodeFile>, path: string, content: string, mtimeMs: number, mode = 0o644): void {
  const parts = path.split("/").filter((part) => part !== "");
  let current = "";
  for (const part of parts.slice(0, -1)) {
    current += `/${part}`;
    files[current] ??= { type: "dir", mode: 0o755, mtimeMs };
  }
  files[path] = { type: "file", content, mode, mtimeMs };
}

/** Issues one of kubeadm's leaf certificates from its CA. */
export async function issueLeaf(
  state: ClusterState,
  spec: LeafSpec,
  ca: CertificateAndKey,
  algorithm: KeyAlgorithm,
  notBefore: Date,
  notAfter: Date,
) {
  const keys = generateKeyPair(algorithm);
  const issued = await issueCertificate({
    issuer: ca,
    subject: { commonName: spec.commonName, organizations: spec.organizations ?? [] },
    publicKeyPem: keys.publicKeyPem,
    notBefore,
    notAfter,
    extKeyUsage: spec.usages,
    ...(spec.dnsNames ? { dnsNames: spec.dnsNames } : {}),
    ...(spec.ipAddresses ? { ipAddresses: spec.ipAddresses } : {}),
    serialNumber: positiveSerialHex(nextRandomBytes(state, 8)),
  });
  return { certPem: issued.certPem, keyPem: keys.privateKeyPem };
}

/** Writes an issued leaf where kubeadm keeps it (a pair of files or a kubeconfig). */
export function writeLeaf(node: NodeState, spec: LeafSpec, leaf: CertificateAndKey, caPem: string, server: string, mtimeMs: number): void {
  const { target } = spec;
  if ("certFile" in target) {
    putNodeFile(node.files, target.certFile, leaf.certPem, mtimeMs);
    putNodeFile(node.files, target.keyFile, leaf.keyPem, mtimeMs, 0o600);
  } else {
    putNodeFile(
      node.files,
      target.kubeconfig,
      kubeadmKubeconfig({ server, caPem, user: target.user, certPem: leaf.certPem, keyPem: leaf.keyPem }),
      mtimeMs,
      0o600,
    );
  }
}

export function serverOf(node: NodeState, state: ClusterState): string {
  return `https://${node.ip}:${portOf(state)}`;
}

export function portOf(state: ClusterState): number {
  const port = Number(state.config.serverAddress.split(":").pop());
  return Number.isInteger(port) && port > 0 ? port : 6443;
}

/** Sets up the node of a kubeadm cluster (mutates the state: the serving certificate becomes apiserver.crt). */
export async function createKubeadmNode(state: ClusterState, algorithm: KeyAlgorithm, name = "controlplane"): Promise<void> {
  const installed = state.bootstrapMs;
  const host = state.config.serverAddress.replace(/:\d+$/, "").replace(/^\[|\]$/g, "");
  const node: NodeState = {
    name,
    ip: host,
    files: {},
    kubelet: { startedMs: installed, pid: 1011 },
    apiServer: { seenManifest: null, runs: [] },
  };
  const caNotBefore = new Date(installed - DAY_MS);
  const caNotAfter = new Date(installed + 3650 * DAY_MS);
  const ca = state.config.clusterSigner;
  const frontProxyCa = await createCertificateAuthority({
    commonName: "front-proxy-ca",
    keyAlgorithm: algorithm,
    notBefore: caNotBefore,
    notAfter: caNotAfter,
  });
  const etcdCa = await createCertificateAuthority({
    commonName: "etcd-ca",
    keyAlgorithm: algorithm,
    notBefore: caNotBefore,
    notAfter: caNotAfter,
  });
  const cas = { ca, "front-proxy-ca": frontProxyCa, "etcd-ca": etcdCa };
  for (const [key, base] of Object.entries(CA_FILES) as [keyof typeof CA_FILES, string][]) {
    putNodeFile(node.files, `${base}.crt`, cas[key].certPem, installed);
    putNodeFile(node.files, `${base}.key`, cas[key].keyPem, installed, 0o600);
  }
  const server = serverOf(node, state);
  for (const spec of leafSpecs(node)) {
    const leaf = await issueLeaf(state, spec, cas[spec.ca], algorithm, caNotBefore, new Date(installed + LEAF_VALIDITY_MS));
    writeLeaf(node, spec, leaf, ca.certPem, server, installed);
    if (spec.name === "apiserver") state.config.serving = { caCertPem: ca.certPem, certPem: leaf.certPem, keyPem: leaf.keyPem };
  }
  const saPublic = createPublicKey(state.config.serviceAccount.signingKeyPem).export({ type: "spki", format: "pem" }).toString();
  putNodeFile(node.files, "/etc/kubernetes/pki/sa.key", state.config.serviceAccount.signingKeyPem, installed, 0o600);
  putNodeFile(node.files, "/etc/kubernetes/pki/sa.pub", saPublic, installed);
  if (state.config.tokenAuthFileCsv !== undefined) putNodeFile(node.files, TOKEN_FILE, state.config.tokenAuthFileCsv, installed, 0o600);
  if (state.config.oidc?.authenticationConfigYaml !== undefined)
    putNodeFile(node.files, AUTHENTICATION_CONFIG_FILE, state.config.oidc.authenticationConfigYaml, installed);
  if (state.config.clientCaBundlePem !== ca.certPem) putNodeFile(node.files, CLIENT_CA_BUNDLE, state.config.clientCaBundlePem, installed);

  const kubeletCert = await issueLeaf(
    state,
    {
      name: "kubelet",
      ca: "ca",
      commonName: `system:node:${name}`,
      organizations: ["system:nodes"],
      usages: ["clientAuth"],
      target: { certFile: "", keyFile: "" },
    },
    ca,
    algorithm,
    caNotBefore,
    new Date(installed + LEAF_VALIDITY_MS),
  );
  putNodeFile(
    node.files,
    "/var/lib/kubelet/pki/kubelet-client-current.pem",
    `${kubeletCert.certPem}${kubeletCert.keyPem}`,
    installed,
    0o600,
  );
  putNodeFile(
    node.files,
    "/etc/kubernetes/kubelet.conf",
    kubeYaml({
      apiVersion: "v1",
      clusters: [{ cluster: { "certificate-authority-data": b64(ca.certPem), server }, name: "kubernetes" }],
      contexts: [{ context: { cluster: "kubernetes", user: `system:node:${name}` }, name: `system:node:${name}@kubernetes` }],
      "current-context": `system:node:${name}@kubernetes`,
      kind: "Config",
      preferences: {},
      users: [
        {
          name: `system:node:${name}`,
          user: {
            "client-certificate": "/var/lib/kubelet/pki/kubelet-client-current.pem",
            "client-key": "/var/lib/kubelet/pki/kubelet-client-current.pem",
          },
        },
      ],
    }),
    installed,
    0o600,
  );
  putNodeFile(node.files, "/var/lib/kubelet/config.yaml", KUBELET_CONFIG_YAML, installed);
  putNodeFile(node.files, `${MANIFESTS_DIR}/etcd.yaml`, etcdManifest(name, node.ip), installed, 0o600);
  putNodeFile(node.files, `${MANIFESTS_DIR}/kube-controller-manager.yaml`, controllerManagerManifest(), installed, 0o600);
  putNodeFile(node.files, `${MANIFESTS_DIR}/kube-scheduler.yaml`, schedulerManifest(), installed, 0o600);
  const manifest = apiServerManifest(state.config, node.ip, portOf(state), ca.certPem);
  putNodeFile(node.files, APISERVER_MANIFEST, manifest, installed, 0o600);
  for (const dir of [
    "/etc/ssl/certs",
    "/etc/ca-certificates",
    "/usr/local/share/ca-certificates",
    "/usr/share/ca-certificates",
    "/var/log/pods",
    "/root",
  ])
    node.files[dir] ??= { type: "dir", mode: 0o755, mtimeMs: installed };
  let parent = "";
  for (const part of ["etc", "ssl", "certs"]) {
    parent += `/${part}`;
    node.files[parent] ??= { type: "dir", mode: 0o755, mtimeMs: installed };
  }
  node.files["/"] = { type: "dir", mode: 0o755, mtimeMs: installed };
  for (const dir of [
    "/etc/ca-certificates",
    "/usr",
    "/usr/local",
    "/usr/local/share",
    "/usr/local/share/ca-certificates",
    "/usr/share",
    "/usr/share/ca-certificates",
    "/var",
    "/var/log",
    "/var/log/pods",
  ])
    node.files[dir] ??= { type: "dir", mode: 0o755, mtimeMs: installed };
  node.files[MANIFESTS_DIR] = { type: "dir", mode: 0o700, mtimeMs: installed };
  state.node = node;
  // The API server Pod kubeadm's kubelet started at install time, from this manifest.
  startRun(state, manifest, installed - APISERVER_READY_MS - CONTAINER_START_MS);
}
