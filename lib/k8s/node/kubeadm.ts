/**
 * `kubeadm certs check-expiration` and `kubeadm certs renew <name>|all` (cmd/kubeadm/app/cmd/certs.go,
 * phases/certs/renewal): the table of every kubeadm certificate with its expiry and CA, and renewal
 * from the node's own CA files with a fresh year, written back where kubeadm keeps each one.
 */
import { createPrivateKey } from "node:crypto";
import YAML from "yaml";
import type { ClusterState } from "../cluster/state";
import type { NodeState } from "../cluster/node-state";
import { certificatesFromPem } from "../pki/pem";
import { parseCertificateDer } from "../pki/certificate";
import { tabwrite } from "../go";
import type { KeyAlgorithm } from "../pki/keys";
import type { CommandHandler, CommandResult } from "../shell/types";
import { CA_FILES, issueLeaf, LEAF_VALIDITY_MS, leafSpecs, serverOf, writeLeaf, type LeafSpec } from "./create";

const RENEWED: Record<string, string> = {
  "admin.conf": "certificate embedded in the kubeconfig file for the admin to use and for kubeadm itself",
  apiserver: "certificate for serving the Kubernetes API",
  "apiserver-etcd-client": "certificate the apiserver uses to access etcd",
  "apiserver-kubelet-client": "certificate for the API server to connect to kubelet",
  "controller-manager.conf": "certificate embedded in the kubeconfig file for the controller manager to use",
  "etcd-healthcheck-client": "certificate for liveness probes to healthcheck etcd",
  "etcd-peer": "certificate for etcd nodes to communicate with each other",
  "etcd-server": "certificate for serving etcd",
  "front-proxy-client": "certificate for the front proxy client",
  "scheduler.conf": "certificate embedded in the kubeconfig file for the scheduler manager to use",
  "super-admin.conf": "certificate embedded in the kubeconfig file for the super-admin",
};

const READING = (phase: string) =>
  `[${phase}] Reading configuration from the "kubeadm-config" ConfigMap in namespace "kube-system"...\n[${phase}] Use 'kubeadm init phase upload-config --config your-config.yaml' to re-upload it.\n`;

/** apimachinery duration.ShortHumanDuration. */
function shortHumanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${Math.trunc(hours / 24)}d`;
  return `${Math.trunc(hours / 24 / 365)}y`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Go layout "Jan 02, 2006 15:04 MST" in UTC. */
function expiresText(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${MONTHS[date.getUTCMonth()]} ${pad(date.getUTCDate())}, ${date.getUTCFullYear()} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`;
}

function fileContent(node: NodeState, path: string): string | undefined {
  const file = node.files[path];
  return file?.type === "file" ? file.content : undefined;
}

/** The certificate PEM of a kubeadm leaf: the .crt file, or the kubeconfig's embedded client certificate. */
function leafCertificatePem(node: NodeState, spec: LeafSpec): string | undefined {
  const { target } = spec;
  if ("certFile" in target) return fileContent(node, target.certFile);
  const text = fileContent(node, target.kubeconfig);
  if (text === undefined) return undefined;
  try {
    const config = YAML.parse(text, { maxAliasCount: 10 }) as { users?: { user?: Record<string, string> }[] };
    const data = config.users?.[0]?.user?.["client-certificate-data"];
    return data === undefined ? undefined : Buffer.from(data, "base64").toString("utf8");
  } catch {
    return undefined;
  }
}

function notAfterOf(pem: string | undefined): Date | undefined {
  const der = pem === undefined ? undefined : certificatesFromPem(pem)[0];
  const parsed = der === undefined ? undefined : parseCertificateDer(der);
  return parsed?.ok ? parsed.cert.notAfter : undefined;
}

function checkExpiration(state: ClusterState, node: NodeState): CommandResult {
  const now = state.clock.nowMs;
  const yesNo = (value: boolean) => (value ? "yes" : "no").padEnd(8, " ");
  let leaves = "CERTIFICATE\tEXPIRES\tRESIDUAL TIME\tCERTIFICATE AUTHORITY\tEXTERNALLY MANAGED\n";
  for (const spec of leafSpecs(node)) {
    const notAfter = notAfterOf(leafCertificatePem(node, spec));
    if (notAfter === undefined) leaves += `!MISSING! ${spec.name}\t\t\t\t\n`;
    else leaves += `${spec.name}\t${expiresText(notAfter)}\t${shortHumanDuration(notAfter.getTime() - now)}\t${spec.ca}\t${yesNo(false)}\n`;
  }
  let cas = "CERTIFICATE AUTHORITY\tEXPIRES\tRESIDUAL TIME\tEXTERNALLY MANAGED\n";
  for (const [name, base] of Object.entries(CA_FILES)) {
    const notAfter = notAfterOf(fileContent(node, `${base}.crt`));
    if (notAfter === undefined) cas += `!MISSING! ${name}\t\t\t\n`;
    else cas += `${name}\t${expiresText(notAfter)}\t${shortHumanDuration(notAfter.getTime() - now)}\t${yesNo(false)}\n`;
  }
  const table = { minwidth: 10, padding: 3 };
  return { stdout: `${READING("check-expiration")}\n${tabwrite(leaves, table)}\n${tabwrite(cas, table)}`, stderr: "", exitCode: 0 };
}

async function renew(state: ClusterState, node: NodeState, names: string[]): Promise<CommandResult> {
  const specs = leafSpecs(node);
  const wanted = names[0] === "all" ? specs : specs.filter((spec) => names.includes(spec.name));
  if (wanted.length === 0)
    return { stdout: "", stderr: `error: unknown command "${names[0] ?? ""}" for "kubeadm certs renew"\n`, exitCode: 1 };
  let stdout = `${READING("renew")}\n`;
  const now = state.clock.nowMs;
  for (const spec of wanted) {
    const base = CA_FILES[spec.ca];
    const certPem = fileContent(node, `${base}.crt`);
    const keyPem = fileContent(node, `${base}.key`);
    if (certPem === undefined || keyPem === undefined)
      return {
        stdout,
        stderr: `error: failed to renew certificate ${spec.name}: failed to load existing certificate ${spec.ca}: open ${base}.crt: no such file or directory\nTo see the stack trace of this error execute with --v=5 or higher\n`,
        exitCode: 1,
      };
    let algorithm: KeyAlgorithm = "ECDSA";
    try {
      algorithm = createPrivateKey(keyPem).asymmetricKeyType === "rsa" ? "RSA" : "ECDSA";
    } catch {
      return {
        stdout,
        stderr: `error: failed to renew certificate ${spec.name}: failed to load existing key ${spec.ca}: couldn't load the private key file ${base}.key\n`,
        exitCode: 1,
      };
    }
    const leaf = await issueLeaf(state, spec, { certPem, keyPem }, algorithm, new Date(now - 5 * 60_000), new Date(now + LEAF_VALIDITY_MS));
    writeLeaf(node, spec, leaf, certPem, serverOf(node, state), now);
    stdout += `${RENEWED[spec.name] ?? spec.name} renewed\n`;
  }
  if (names[0] === "all")
    stdout +=
      "\nDone renewing certificates. You must restart the kube-apiserver, kube-controller-manager, kube-scheduler and etcd, so that they can use the new certificates.\n";
  return { stdout, stderr: "", exitCode: 0 };
}

export function kubeadmCommand(state: ClusterState): CommandHandler {
  return async ({ args, env }) => {
    const node = state.node;
    if (node === undefined) return { stdout: "", stderr: "bash: kubeadm: command not found\n", exitCode: 127 };
    const words = args.filter((arg) => !arg.startsWith("-"));
    if (words[0] === "version")
      return {
        stdout:
          'kubeadm version: &version.Info{Major:"1", Minor:"32", GitVersion:"v1.32.0", GitTreeState:"clean", BuildDate:"2024-12-11T18:04:20Z", GoVersion:"go1.23.3", Compiler:"gc", Platform:"linux/amd64"}\n',
        stderr: "",
        exitCode: 0,
      };
    if (words[0] !== "certs" || (words[1] !== "check-expiration" && words[1] !== "renew"))
      return {
        stdout: "",
        stderr:
          "kubeadm: the simulated kubeadm has `kubeadm certs check-expiration`, `kubeadm certs renew <name>|all` and `kubeadm version`\n",
        exitCode: 1,
      };
    if (env.USER !== "root")
      return {
        stdout: "",
        stderr: `${words[1] === "renew" ? "[renew]" : "[check-expiration]"} Reading configuration from the "kubeadm-config" ConfigMap in namespace "kube-system"...\nerror: open /etc/kubernetes/pki/ca.crt: permission denied\nTo see the stack trace of this error execute with --v=5 or higher\n`,
        exitCode: 1,
      };
    if (words[1] === "check-expiration") return checkExpiration(state, node);
    return renew(state, node, words.slice(2));
  };
}
