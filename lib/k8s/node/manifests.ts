/**
 * The static Pod manifests kubeadm 1.32 writes (cmd/kubeadm/app/phases/controlplane/manifests.go,
 * cmd/kubeadm/app/util/staticpod/utils.go, phases/etcd/local.go): flags sorted by name as
 * `--name=value`, probes on /livez and /readyz, hostPath volumes sorted by name, keys in
 * alphabetical order as sigs.k8s.io/yaml marshals them. The API server's authentication flags are
 * derived from the cluster's configuration, so parsing the manifest back gives the same settings.
 */
import YAML from "yaml";
import type { ClusterConfig } from "../cluster/state";
import { AUTHENTICATION_CONFIG_FILE, CLIENT_CA_BUNDLE, KUBERNETES_VERSION, TOKEN_FILE } from "./paths";

const TOLERATED_HOST_DIRS = ["/etc/ca-certificates", "/usr/local/share/ca-certificates", "/usr/share/ca-certificates"];

/** sigs.k8s.io/yaml style: block style, sequences not indented under their key. */
export function kubeYaml(value: unknown): string {
  return YAML.stringify(value, { indentSeq: false, lineWidth: 0 });
}

function httpProbe(
  ip: string,
  path: string,
  port: number,
  scheme: string,
  initialDelay: number,
  timeout: number,
  failures: number,
  period: number,
) {
  return {
    failureThreshold: failures,
    httpGet: { host: ip, path, port, scheme },
    ...(initialDelay === 0 ? {} : { initialDelaySeconds: initialDelay }),
    periodSeconds: period,
    timeoutSeconds: timeout,
  };
}

function hostPathVolumes(entries: { name: string; path: string; type: string; readOnly?: boolean }[]) {
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : 1));
  return {
    volumeMounts: sorted.map((entry) => ({
      mountPath: entry.path,
      name: entry.name,
      ...(entry.readOnly === false ? {} : { readOnly: true }),
    })),
    volumes: sorted.map((entry) => ({ hostPath: { path: entry.path, type: entry.type }, name: entry.name })),
  };
}

function staticPod(options: {
  name: string;
  annotations?: Record<string, string>;
  command: string[];
  image: string;
  probes: Record<string, unknown>;
  cpu: string;
  volumes: { name: string; path: string; type: string; readOnly?: boolean }[];
}): string {
  const { volumeMounts, volumes } = hostPathVolumes(options.volumes);
  return kubeYaml({
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      ...(options.annotations ? { annotations: options.annotations } : {}),
      creationTimestamp: null,
      labels: { component: options.name, tier: "control-plane" },
      name: options.name,
      namespace: "kube-system",
    },
    spec: {
      containers: [
        {
          command: options.command,
          image: options.image,
          imagePullPolicy: "IfNotPresent",
          ...options.probes,
          name: options.name,
          resources: { requests: { cpu: options.cpu } },
          volumeMounts,
        },
      ].map((container) => Object.fromEntries(Object.entries(container).sort(([a], [b]) => (a < b ? -1 : 1)))),
      hostNetwork: true,
      priority: 2000001000,
      priorityClassName: "system-node-critical",
      securityContext: { seccompProfile: { type: "RuntimeDefault" } },
      volumes,
    },
    status: {},
  });
}

/** `--name=value` for each flag, sorted by name (a repeated flag keeps its values' order). */
function flagList(flags: [string, string][]): string[] {
  return [...flags].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, value]) => `--${name}=${value}`);
}

/** The kube-apiserver flags that carry the cluster's authentication settings. */
function authenticationFlags(config: ClusterConfig, caCertPem: string): [string, string][] {
  const flags: [string, string][] = [];
  if (config.anonymousAuth !== undefined) flags.push(["anonymous-auth", String(config.anonymousAuth)]);
  if (config.tokenAuthFileCsv !== undefined) flags.push(["token-auth-file", TOKEN_FILE]);
  if (config.oidc?.authenticationConfigYaml !== undefined) flags.push(["authentication-config", AUTHENTICATION_CONFIG_FILE]);
  const oidc = config.oidc?.flags;
  if (oidc) {
    if (oidc.issuerUrl !== undefined) flags.push(["oidc-issuer-url", oidc.issuerUrl]);
    if (oidc.clientId !== undefined) flags.push(["oidc-client-id", oidc.clientId]);
    if (oidc.usernameClaim !== undefined) flags.push(["oidc-username-claim", oidc.usernameClaim]);
    if (oidc.usernamePrefix !== undefined) flags.push(["oidc-username-prefix", oidc.usernamePrefix]);
    if (oidc.groupsClaim !== undefined) flags.push(["oidc-groups-claim", oidc.groupsClaim]);
    if (oidc.groupsPrefix !== undefined) flags.push(["oidc-groups-prefix", oidc.groupsPrefix]);
    for (const [key, value] of Object.entries(oidc.requiredClaims ?? {})) flags.push(["oidc-required-claim", `${key}=${value}`]);
    if (oidc.signingAlgs !== undefined) flags.push(["oidc-signing-algs", oidc.signingAlgs.join(",")]);
  }
  flags.push(["client-ca-file", config.clientCaBundlePem === caCertPem ? "/etc/kubernetes/pki/ca.crt" : CLIENT_CA_BUNDLE]);
  for (const issuer of config.serviceAccount.issuers) flags.push(["service-account-issuer", issuer]);
  const audiencesDefault = config.apiAudiences.join(",") === config.serviceAccount.issuers.join(",");
  if (!audiencesDefault) flags.push(["api-audiences", config.apiAudiences.join(",")]);
  return flags;
}

export function apiServerManifest(config: ClusterConfig, ip: string, port: number, caCertPem: string): string {
  const flags: [string, string][] = [
    ["advertise-address", ip],
    ["allow-privileged", "true"],
    ["authorization-mode", "Node,RBAC"],
    ["enable-admission-plugins", "NodeRestriction"],
    ["enable-bootstrap-token-auth", "true"],
    ["etcd-cafile", "/etc/kubernetes/pki/etcd/ca.crt"],
    ["etcd-certfile", "/etc/kubernetes/pki/apiserver-etcd-client.crt"],
    ["etcd-keyfile", "/etc/kubernetes/pki/apiserver-etcd-client.key"],
    ["etcd-servers", "https://127.0.0.1:2379"],
    ["kubelet-client-certificate", "/etc/kubernetes/pki/apiserver-kubelet-client.crt"],
    ["kubelet-client-key", "/etc/kubernetes/pki/apiserver-kubelet-client.key"],
    ["kubelet-preferred-address-types", "InternalIP,ExternalIP,Hostname"],
    ["proxy-client-cert-file", "/etc/kubernetes/pki/front-proxy-client.crt"],
    ["proxy-client-key-file", "/etc/kubernetes/pki/front-proxy-client.key"],
    ["requestheader-allowed-names", "front-proxy-client"],
    ["requestheader-client-ca-file", "/etc/kubernetes/pki/front-proxy-ca.crt"],
    ["requestheader-extra-headers-prefix", "X-Remote-Extra-"],
    ["requestheader-group-headers", "X-Remote-Group"],
    ["requestheader-username-headers", "X-Remote-User"],
    ["secure-port", String(port)],
    ["service-account-key-file", "/etc/kubernetes/pki/sa.pub"],
    ["service-account-signing-key-file", "/etc/kubernetes/pki/sa.key"],
    ["service-cluster-ip-range", "10.96.0.0/12"],
    ["tls-cert-file", "/etc/kubernetes/pki/apiserver.crt"],
    ["tls-private-key-file", "/etc/kubernetes/pki/apiserver.key"],
    ...authenticationFlags(config, caCertPem),
  ];
  return staticPod({
    name: "kube-apiserver",
    annotations: { "kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint": `${ip}:${port}` },
    command: ["kube-apiserver", ...flagList(flags)],
    image: `registry.k8s.io/kube-apiserver:${KUBERNETES_VERSION}`,
    probes: {
      livenessProbe: httpProbe(ip, "/livez", port, "HTTPS", 10, 15, 8, 10),
      readinessProbe: httpProbe(ip, "/readyz", port, "HTTPS", 0, 15, 3, 1),
      startupProbe: httpProbe(ip, "/livez", port, "HTTPS", 10, 15, 24, 10),
    },
    cpu: "250m",
    volumes: [
      { name: "ca-certs", path: "/etc/ssl/certs", type: "DirectoryOrCreate" },
      { name: "k8s-certs", path: "/etc/kubernetes/pki", type: "DirectoryOrCreate" },
      ...TOLERATED_HOST_DIRS.map((path) => ({ name: path.slice(1).replace(/\//g, "-"), path, type: "DirectoryOrCreate" })),
    ],
  });
}

export function controllerManagerManifest(): string {
  const flags: [string, string][] = [
    ["allocate-node-cidrs", "true"],
    ["authentication-kubeconfig", "/etc/kubernetes/controller-manager.conf"],
    ["authorization-kubeconfig", "/etc/kubernetes/controller-manager.conf"],
    ["bind-address", "127.0.0.1"],
    ["client-ca-file", "/etc/kubernetes/pki/ca.crt"],
    ["cluster-cidr", "10.244.0.0/16"],
    ["cluster-name", "kubernetes"],
    ["cluster-signing-cert-file", "/etc/kubernetes/pki/ca.crt"],
    ["cluster-signing-key-file", "/etc/kubernetes/pki/ca.key"],
    ["controllers", "*,bootstrapsigner,tokencleaner"],
    ["kubeconfig", "/etc/kubernetes/controller-manager.conf"],
    ["leader-elect", "true"],
    ["requestheader-client-ca-file", "/etc/kubernetes/pki/front-proxy-ca.crt"],
    ["root-ca-file", "/etc/kubernetes/pki/ca.crt"],
    ["service-account-private-key-file", "/etc/kubernetes/pki/sa.key"],
    ["service-cluster-ip-range", "10.96.0.0/12"],
    ["use-service-account-credentials", "true"],
  ];
  return staticPod({
    name: "kube-controller-manager",
    command: ["kube-controller-manager", ...flagList(flags)],
    image: `registry.k8s.io/kube-controller-manager:${KUBERNETES_VERSION}`,
    probes: {
      livenessProbe: httpProbe("127.0.0.1", "/healthz", 10257, "HTTPS", 10, 15, 8, 10),
      startupProbe: httpProbe("127.0.0.1", "/healthz", 10257, "HTTPS", 10, 15, 24, 10),
    },
    cpu: "200m",
    volumes: [
      { name: "ca-certs", path: "/etc/ssl/certs", type: "DirectoryOrCreate" },
      { name: "flexvolume-dir", path: "/usr/libexec/kubernetes/kubelet-plugins/volume/exec", type: "DirectoryOrCreate" },
      { name: "k8s-certs", path: "/etc/kubernetes/pki", type: "DirectoryOrCreate" },
      { name: "kubeconfig", path: "/etc/kubernetes/controller-manager.conf", type: "FileOrCreate" },
      ...TOLERATED_HOST_DIRS.map((path) => ({ name: path.slice(1).replace(/\//g, "-"), path, type: "DirectoryOrCreate" })),
    ],
  });
}

export function schedulerManifest(): string {
  return staticPod({
    name: "kube-scheduler",
    command: [
      "kube-scheduler",
      ...flagList([
        ["authentication-kubeconfig", "/etc/kubernetes/scheduler.conf"],
        ["authorization-kubeconfig", "/etc/kubernetes/scheduler.conf"],
        ["bind-address", "127.0.0.1"],
        ["kubeconfig", "/etc/kubernetes/scheduler.conf"],
        ["leader-elect", "true"],
      ]),
    ],
    image: `registry.k8s.io/kube-scheduler:${KUBERNETES_VERSION}`,
    probes: {
      livenessProbe: httpProbe("127.0.0.1", "/healthz", 10259, "HTTPS", 10, 15, 8, 10),
      startupProbe: httpProbe("127.0.0.1", "/healthz", 10259, "HTTPS", 10, 15, 24, 10),
    },
    cpu: "100m",
    volumes: [{ name: "kubeconfig", path: "/etc/kubernetes/scheduler.conf", type: "FileOrCreate" }],
  });
}

export function etcdManifest(name: string, ip: string): string {
  const flags: [string, string][] = [
    ["advertise-client-urls", `https://${ip}:2379`],
    ["cert-file", "/etc/kubernetes/pki/etcd/server.crt"],
    ["client-cert-auth", "true"],
    ["data-dir", "/var/lib/etcd"],
    ["experimental-initial-corrupt-check", "true"],
    ["experimental-watch-progress-notify-interval", "5s"],
    ["initial-advertise-peer-urls", `https://${ip}:2380`],
    ["initial-cluster", `${name}=https://${ip}:2380`],
    ["key-file", "/etc/kubernetes/pki/etcd/server.key"],
    ["listen-client-urls", `https://127.0.0.1:2379,https://${ip}:2379`],
    ["listen-metrics-urls", "http://127.0.0.1:2381"],
    ["listen-peer-urls", `https://${ip}:2380`],
    ["name", name],
    ["peer-cert-file", "/etc/kubernetes/pki/etcd/peer.crt"],
    ["peer-client-cert-auth", "true"],
    ["peer-key-file", "/etc/kubernetes/pki/etcd/peer.key"],
    ["peer-trusted-ca-file", "/etc/kubernetes/pki/etcd/ca.crt"],
    ["snapshot-count", "10000"],
    ["trusted-ca-file", "/etc/kubernetes/pki/etcd/ca.crt"],
  ];
  return staticPod({
    name: "etcd",
    annotations: { "kubeadm.kubernetes.io/etcd.advertise-client-urls": `https://${ip}:2379` },
    command: ["etcd", ...flagList(flags)],
    image: "registry.k8s.io/etcd:3.5.16-0",
    probes: {
      livenessProbe: httpProbe("127.0.0.1", "/livez", 2381, "HTTP", 10, 15, 8, 10),
      readinessProbe: httpProbe("127.0.0.1", "/readyz", 2381, "HTTP", 0, 15, 3, 1),
      startupProbe: httpProbe("127.0.0.1", "/readyz", 2381, "HTTP", 10, 15, 24, 10),
    },
    cpu: "100m",
    volumes: [
      { name: "etcd-certs", path: "/etc/kubernetes/pki/etcd", type: "DirectoryOrCreate", readOnly: false },
      { name: "etcd-data", path: "/var/lib/etcd", type: "DirectoryOrCreate", readOnly: false },
    ],
  });
}
