/**
 * What the kubelet and kube-apiserver 1.32 make of a kube-apiserver static Pod manifest: the Pod is
 * read (YAML, bounded), its hostPath volumes checked, the container's command parsed as pflag
 * parses it, the flags validated, and the files they name read through the container's mounts (a
 * file outside every mounted hostPath does not exist for the API server). The result is either the
 * new authentication settings or the failure in the tools' own words (see docs/control-plane-node.md).
 */
import { createPublicKey } from "node:crypto";
import YAML from "yaml";
import type { ClusterConfig } from "../cluster/state";
import type { NodeFile } from "../cluster/node-state";
import { goAggregateText, goQuote } from "../go";
import { parseTokenFile } from "../authn/token-file";
import { parseAuthenticationConfiguration } from "../authn/oidc";
import { oidcFlagsToJwtAuthenticator, type OidcFlags } from "../authn/oidc";
import { certificatesFromPem } from "../pki/pem";

/** Manifests larger than this are refused before parsing (the file system allows 1 MiB per file). */
export const MAX_MANIFEST_BYTES = 256 * 1024;

/** Flags kube-apiserver 1.32 accepts whose value only matters as a file the server opens, or not at all here. */
const FILE_FLAGS = new Set([
  "tls-cert-file",
  "tls-private-key-file",
  "etcd-cafile",
  "etcd-certfile",
  "etcd-keyfile",
  "kubelet-client-certificate",
  "kubelet-client-key",
  "proxy-client-cert-file",
  "proxy-client-key-file",
  "requestheader-client-ca-file",
  "kubelet-certificate-authority",
  "audit-policy-file",
  "admission-control-config-file",
  "encryption-provider-config",
  "authorization-config",
  "authorization-policy-file",
  "authorization-webhook-config-file",
  "authentication-token-webhook-config-file",
  "egress-selector-config-file",
  "oidc-ca-file",
]);
const BOOL_FLAGS = new Set([
  "anonymous-auth",
  "allow-privileged",
  "enable-bootstrap-token-auth",
  "service-account-extend-token-expiration",
  "service-account-lookup",
  "profiling",
  "enable-aggregator-routing",
  "enable-priority-and-fairness",
  "logtostderr",
  "help",
]);
/** Other flags accepted as given (values not interpreted by the simulation). */
const OTHER_FLAGS = new Set([
  "advertise-address",
  "bind-address",
  "secure-port",
  "etcd-servers",
  "etcd-prefix",
  "service-cluster-ip-range",
  "service-node-port-range",
  "kubelet-preferred-address-types",
  "requestheader-allowed-names",
  "requestheader-extra-headers-prefix",
  "requestheader-group-headers",
  "requestheader-username-headers",
  "requestheader-uid-headers",
  "disable-admission-plugins",
  "runtime-config",
  "feature-gates",
  "v",
  "audit-log-path",
  "audit-log-maxage",
  "audit-log-maxbackup",
  "audit-log-maxsize",
  "event-ttl",
  "external-hostname",
  "tls-min-version",
  "tls-cipher-suites",
  "authentication-token-webhook-cache-ttl",
  "authorization-webhook-cache-authorized-ttl",
  "authorization-webhook-cache-unauthorized-ttl",
  "service-account-max-token-expiration",
  "endpoint-reconciler-type",
  "max-requests-inflight",
  "max-mutating-requests-inflight",
  "storage-backend",
]);
const AUTH_FLAGS = new Set([
  "client-ca-file",
  "token-auth-file",
  "authentication-config",
  "oidc-issuer-url",
  "oidc-client-id",
  "oidc-username-claim",
  "oidc-username-prefix",
  "oidc-groups-claim",
  "oidc-groups-prefix",
  "oidc-required-claim",
  "oidc-signing-algs",
  "service-account-issuer",
  "service-account-key-file",
  "service-account-signing-key-file",
  "api-audiences",
  "authorization-mode",
  "enable-admission-plugins",
]);

export function isKnownApiServerFlag(name: string): boolean {
  return FILE_FLAGS.has(name) || BOOL_FLAGS.has(name) || OTHER_FLAGS.has(name) || AUTH_FLAGS.has(name);
}

/** pkg/kubeapiserver/authorizer/modes: the valid --authorization-mode values. */
const AUTHORIZATION_MODES = ["AlwaysAllow", "AlwaysDeny", "ABAC", "Webhook", "RBAC", "Node"];
/** kube-apiserver 1.32's admission plugins (AllOrderedPlugins). */
const ADMISSION_PLUGINS = new Set([
  "AlwaysAdmit",
  "NamespaceAutoProvision",
  "NamespaceLifecycle",
  "NamespaceExists",
  "LimitPodHardAntiAffinityTopology",
  "LimitRanger",
  "ServiceAccount",
  "NodeRestriction",
  "TaintNodesByCondition",
  "AlwaysPullImages",
  "ImagePolicyWebhook",
  "PodSecurity",
  "PodNodeSelector",
  "Priority",
  "DefaultTolerationSeconds",
  "PodTolerationRestriction",
  "EventRateLimit",
  "ExtendedResourceToleration",
  "DefaultStorageClass",
  "StorageObjectInUseProtection",
  "OwnerReferencesPermissionEnforcement",
  "PersistentVolumeClaimResize",
  "RuntimeClass",
  "CertificateApproval",
  "CertificateSigning",
  "ClusterTrustBundleAttest",
  "CertificateSubjectRestriction",
  "DefaultIngressClass",
  "DenyServiceExternalIPs",
  "PodTopologyLabels",
  "MutatingAdmissionPolicy",
  "MutatingAdmissionWebhook",
  "ValidatingAdmissionPolicy",
  "ValidatingAdmissionWebhook",
  "ResourceQuota",
  "AlwaysDeny",
]);

export type Flags = Map<string, string[]>;

export type FlagParse = { ok: true; flags: Flags } | { ok: false; error: string };

/** pflag's parsing of the container's arguments (`--name=value`, `--name value`, bool `--name`). */
export function parseFlags(args: string[]): FlagParse {
  const flags: Flags = new Map();
  const positional: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? "";
    if (arg === "--") {
      positional.push(...args.slice(index + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positional.push(arg);
      continue;
    }
    if (!arg.startsWith("--")) {
      const short = arg.slice(1, 2);
      return {
        ok: false,
        error: `unknown shorthand flag: ${goQuote(short).slice(1, -1) === short ? `'${short}'` : goQuote(short)} in ${arg}`,
      };
    }
    const body = arg.slice(2);
    const eq = body.indexOf("=");
    const name = eq === -1 ? body : body.slice(0, eq);
    if (name === "" || name.startsWith("-") || name.startsWith("=")) return { ok: false, error: `bad flag syntax: ${arg}` };
    if (!isKnownApiServerFlag(name)) return { ok: false, error: `unknown flag: --${name}` };
    let value: string;
    if (eq !== -1) value = body.slice(eq + 1);
    else if (BOOL_FLAGS.has(name)) value = "true";
    else {
      const next = args[index + 1];
      if (next === undefined) return { ok: false, error: `flag needs an argument: --${name}` };
      value = next;
      index++;
    }
    if (BOOL_FLAGS.has(name) && parseBool(value) === undefined)
      return {
        ok: false,
        error: `invalid argument ${goQuote(value)} for ${goQuote(`--${name}`)} flag: strconv.ParseBool: parsing ${goQuote(value)}: invalid syntax`,
      };
    flags.set(name, [...(flags.get(name) ?? []), value]);
  }
  if (positional.length > 0)
    return { ok: false, error: `${goQuote("kube-apiserver")} does not take any arguments, got [${positional.map(goQuote).join(" ")}]` };
  return { ok: true, flags };
}

/** strconv.ParseBool. */
function parseBool(value: string): boolean | undefined {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(value)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(value)) return false;
  return undefined;
}

/** A string-slice flag: every occurrence, comma-split (pflag's StringSlice). */
function sliceFlag(flags: Flags, name: string): string[] | undefined {
  const values = flags.get(name);
  if (values === undefined) return undefined;
  return values.flatMap((value) => (value === "" ? [] : value.split(",")));
}

function last(flags: Flags, name: string): string | undefined {
  const values = flags.get(name);
  return values === undefined ? undefined : values[values.length - 1];
}

export interface ContainerFiles {
  /** Reads a path as the container sees it, through the hostPath mounts. */
  read(path: string): { ok: true; content: string } | { ok: false; error: string };
}

interface Mount {
  mountPath: string;
  hostPath: string;
}

/** The container's view of the node's files: only what its hostPath volumes mount. */
export function containerFiles(nodeFiles: Record<string, NodeFile>, mounts: Mount[]): ContainerFiles {
  const sorted = [...mounts].sort((a, b) => b.mountPath.length - a.mountPath.length);
  return {
    read(path) {
      const normalized = `/${path
        .split("/")
        .filter((part) => part !== "" && part !== ".")
        .join("/")}`;
      const mount = sorted.find(
        (candidate) => normalized === candidate.mountPath || normalized.startsWith(`${candidate.mountPath.replace(/\/$/, "")}/`),
      );
      const missing = { ok: false as const, error: `open ${path}: no such file or directory` };
      if (mount === undefined) return missing;
      const hostPath = `${mount.hostPath.replace(/\/$/, "")}${normalized.slice(mount.mountPath.replace(/\/$/, "").length)}` || "/";
      const node = nodeFiles[hostPath];
      if (node === undefined) return missing;
      if (node.type === "dir") return { ok: false, error: `read ${path}: is a directory` };
      return { ok: true, content: node.content };
    },
  };
}

export interface ApiServerSettings {
  config: ClusterConfig;
  authorizationModes: string[];
  admissionPlugins: string[];
}

export type BuildResult = { ok: true; settings: ApiServerSettings } | { ok: false; error: string };

/**
 * Validation (`completedOptions.Validate`, aggregated) then the files the server opens at start
 * (the first failure ends the start, as in the real server).
 */
export function buildSettings(flags: Flags, files: ContainerFiles, base: ClusterConfig): BuildResult {
  const errors: string[] = [];
  const issuers = flags.get("service-account-issuer") ?? [];
  const signingKeyFile = last(flags, "service-account-signing-key-file");
  if (issuers.length === 0 || signingKeyFile === undefined)
    errors.push("--service-account-signing-key-file and --service-account-issuer are required flags");
  const modes = sliceFlag(flags, "authorization-mode") ?? ["AlwaysAllow"];
  const seenModes = new Set<string>();
  for (const mode of modes) {
    if (!AUTHORIZATION_MODES.includes(mode)) errors.push(`authorization-mode ${goQuote(mode)} is not a valid mode`);
    if (seenModes.has(mode)) errors.push(`authorization-mode ${goQuote(mode)} has mode specified more than once`);
    seenModes.add(mode);
  }
  if (seenModes.has("ABAC") && last(flags, "authorization-policy-file") === undefined)
    errors.push("authorization-mode ABAC's authorization policy file not passed");
  if (seenModes.has("Webhook") && last(flags, "authorization-webhook-config-file") === undefined)
    errors.push("authorization-mode Webhook's authorization config file not passed");
  const plugins = sliceFlag(flags, "enable-admission-plugins") ?? [];
  for (const plugin of plugins)
    if (!ADMISSION_PLUGINS.has(plugin)) errors.push(`enable-admission-plugins plugin ${goQuote(plugin)} is unknown`);
  const oidcFlagNames = [...flags.keys()].filter((name) => name.startsWith("oidc-"));
  const authenticationConfigFile = last(flags, "authentication-config");
  if (authenticationConfigFile !== undefined && oidcFlagNames.length > 0)
    errors.push("authentication-config file and oidc-* flags are mutually exclusive");
  if (errors.length > 0) return { ok: false, error: goAggregateText(errors) };

  // The files the server opens while it starts, in the order it opens them.
  for (const name of FILE_FLAGS) {
    const path = last(flags, name);
    if (path === undefined || name === "oidc-ca-file") continue;
    const read = files.read(path);
    if (!read.ok) return { ok: false, error: read.error };
  }
  const config: ClusterConfig = structuredClone(base);
  // The serving certificate is read at start: a renewed apiserver.crt is served after a restart.
  const tlsCert = last(flags, "tls-cert-file");
  const tlsKey = last(flags, "tls-private-key-file");
  if (tlsCert !== undefined && tlsKey !== undefined) {
    const cert = files.read(tlsCert);
    const key = files.read(tlsKey);
    if (cert.ok && key.ok)
      config.serving = { caCertPem: base.serving?.caCertPem ?? base.clusterSigner.certPem, certPem: cert.content, keyPem: key.content };
  }
  const clientCaFile = last(flags, "client-ca-file");
  if (clientCaFile === undefined) config.clientCaBundlePem = "";
  else {
    const read = files.read(clientCaFile);
    if (!read.ok) return { ok: false, error: `unable to load client CA provider: ${read.error}` };
    if (certificatesFromPem(read.content).length === 0)
      return { ok: false, error: `unable to load client CA provider: data does not contain any valid RSA or ECDSA certificates` };
    config.clientCaBundlePem = read.content;
  }
  const tokenFile = last(flags, "token-auth-file");
  if (tokenFile === undefined) delete config.tokenAuthFileCsv;
  else {
    const read = files.read(tokenFile);
    if (!read.ok) return { ok: false, error: read.error };
    const parsed = parseTokenFile(read.content, tokenFile);
    if (!parsed.ok) return { ok: false, error: parsed.error };
    config.tokenAuthFileCsv = read.content;
  }
  const anonymous = last(flags, "anonymous-auth");
  if (anonymous === undefined) delete config.anonymousAuth;
  else config.anonymousAuth = parseBool(anonymous) ?? true;

  let oidc: ClusterConfig["oidc"];
  if (authenticationConfigFile !== undefined) {
    const read = files.read(authenticationConfigFile);
    if (!read.ok) return { ok: false, error: read.error };
    const parsed = parseAuthenticationConfiguration(read.content, issuers);
    if (!parsed.ok) return { ok: false, error: goAggregateText(parsed.errors) };
    oidc = { authenticationConfigYaml: read.content };
  } else if (oidcFlagNames.length > 0) {
    const oidcFlags: OidcFlags = {};
    const set = <K extends keyof OidcFlags>(key: K, value: OidcFlags[K] | undefined) => {
      if (value !== undefined) oidcFlags[key] = value;
    };
    set("issuerUrl", last(flags, "oidc-issuer-url"));
    set("clientId", last(flags, "oidc-client-id"));
    set("usernameClaim", last(flags, "oidc-username-claim"));
    set("usernamePrefix", last(flags, "oidc-username-prefix"));
    set("groupsClaim", last(flags, "oidc-groups-claim"));
    set("groupsPrefix", last(flags, "oidc-groups-prefix"));
    set("signingAlgs", sliceFlag(flags, "oidc-signing-algs"));
    const required = flags.get("oidc-required-claim");
    if (required !== undefined) {
      const claims: Record<string, string> = {};
      for (const pair of required.flatMap((value) => value.split(","))) {
        const eq = pair.indexOf("=");
        if (eq === -1)
          return {
            ok: false,
            error: `invalid argument ${goQuote(pair)} for "--oidc-required-claim" flag: ${pair} must be formatted as key=value`,
          };
        claims[pair.slice(0, eq)] = pair.slice(eq + 1);
      }
      oidcFlags.requiredClaims = claims;
    }
    const checked = oidcFlagsToJwtAuthenticator(oidcFlags);
    if (!checked.ok) return { ok: false, error: goAggregateText(checked.errors) };
    oidc = { flags: oidcFlags };
  }
  if (oidc === undefined) delete config.oidc;
  else config.oidc = oidc;

  const signing = files.read(signingKeyFile ?? "");
  if (!signing.ok) return { ok: false, error: `failed to parse service-account-issuer-key-file: ${signing.error}` };
  try {
    createPublicKey(signing.content);
  } catch {
    return { ok: false, error: `failed to parse service-account-issuer-key-file: data does not contain a valid RSA or ECDSA private key` };
  }
  const extraKeys: string[] = [];
  for (const path of flags.get("service-account-key-file") ?? []) {
    const read = files.read(path);
    if (!read.ok) return { ok: false, error: read.error };
    try {
      extraKeys.push(createPublicKey(read.content).export({ type: "spki", format: "pem" }).toString());
    } catch {
      return { ok: false, error: `error reading public key file ${path}: data does not contain any valid RSA or ECDSA public keys` };
    }
  }
  config.serviceAccount = { ...config.serviceAccount, issuers, signingKeyPem: signing.content, extraVerificationKeyPems: extraKeys };
  config.apiAudiences = sliceFlag(flags, "api-audiences") ?? [...issuers];
  return { ok: true, settings: { config, authorizationModes: modes, admissionPlugins: plugins } };
}

export interface ParsedPod {
  command: string[];
  mounts: Mount[];
  /** hostPath volumes with their type, for the kubelet's type check. */
  hostPaths: { name: string; path: string; type: string }[];
}

export type PodParse = { ok: true; pod: ParsedPod } | { ok: false; error: string };

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * The kubelet's reading of a manifest file (pkg/kubelet/config/common.go tryDecodeSinglePod and
 * validation): a Pod with one container named kube-apiserver, command strings, mounts that name
 * volumes. The error is the text the kubelet logs after the path.
 */
export function parseStaticPod(text: string, path: string): PodParse {
  if (text.length > MAX_MANIFEST_BYTES)
    return {
      ok: false,
      error: `${path}: couldn't parse as pod(the file is larger than ${MAX_MANIFEST_BYTES} bytes), please check config file`,
    };
  let document: unknown;
  try {
    const docs = YAML.parseAllDocuments(text, { uniqueKeys: false });
    if (docs.length === 0) throw new Error("empty file");
    const first = docs[0];
    if (first === undefined || first.errors.length > 0) throw new Error(first?.errors[0]?.message.split("\n")[0] ?? "invalid YAML");
    document = first.toJS({ maxAliasCount: 50 });
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return { ok: false, error: `${path}: couldn't parse as pod(yaml: ${message}), please check config file` };
  }
  const pod = record(document);
  if (pod === undefined || pod.kind !== "Pod")
    return {
      ok: false,
      error: `${path}: couldn't parse as pod(Object 'Kind' is missing in '${JSON.stringify(document ?? null).slice(0, 80)}'), please check config file`,
    };
  const spec = record(pod.spec);
  const containers = Array.isArray(spec?.containers) ? spec.containers : [];
  const container = record(containers[0]);
  if (container === undefined) return { ok: false, error: `invalid pod: [spec.containers: Required value]` };
  const rawCommand = [
    ...(Array.isArray(container.command) ? container.command : []),
    ...(Array.isArray(container.args) ? container.args : []),
  ];
  const command = rawCommand.map((item) =>
    typeof item === "string" ? item : typeof item === "number" || typeof item === "boolean" ? String(item) : JSON.stringify(item),
  );
  const volumes = Array.isArray(spec?.volumes) ? spec.volumes : [];
  const hostPaths: ParsedPod["hostPaths"] = [];
  const volumeNames = new Set<string>();
  for (const volume of volumes) {
    const entry = record(volume);
    const name = typeof entry?.name === "string" ? entry.name : "";
    volumeNames.add(name);
    const hostPath = record(entry?.hostPath);
    if (hostPath && typeof hostPath.path === "string")
      hostPaths.push({ name, path: hostPath.path, type: typeof hostPath.type === "string" ? hostPath.type : "" });
  }
  const mounts: Mount[] = [];
  const rawMounts = Array.isArray(container.volumeMounts) ? container.volumeMounts : [];
  for (const [index, raw] of rawMounts.entries()) {
    const mount = record(raw);
    const name = typeof mount?.name === "string" ? mount.name : "";
    if (!volumeNames.has(name))
      return { ok: false, error: `invalid pod: [spec.containers[0].volumeMounts[${index}].name: Not found: ${goQuote(name)}]` };
    const host = hostPaths.find((volume) => volume.name === name);
    if (host && typeof mount?.mountPath === "string") mounts.push({ mountPath: mount.mountPath, hostPath: host.path });
  }
  return { ok: true, pod: { command, mounts, hostPaths } };
}
