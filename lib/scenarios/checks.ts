/**
 * Server-side checks: predicates on the end state and on what the learner did. A probe command
 * runs in a throwaway copy of the instance, so checking never changes the learner's cluster, and
 * in a clean shell (see `cleanShell`), so the learner's aliases or variables cannot answer for it.
 * Check patterns run against learner-controlled text, so they are matched by RE2 (linear time).
 */
import crypto from "node:crypto";
import { handleRequest, getObject } from "../k8s";
import { pemToDer } from "../k8s/pki";
import { compileAuthored } from "../k8s/shell";
import type { ShellState } from "../k8s/shell";
import type { ScenarioProgressView } from "./api-types";
import { SUPER_ADMIN_CREDENTIAL, cloneInstance, type InstanceState } from "./instance";
import { execute } from "./execute";
import type { Scenario, ScenarioCheck } from "./schema";

export interface CheckResult {
  id: string;
  description: string;
  weight: number;
  passed: boolean;
  /** The check reads the web terminal (its files such as ~/.kube/config, or its command history). */
  readsTerminal: boolean;
}

/**
 * Whether a check looks at the web terminal rather than only at the cluster and the API requests
 * (which the learner's own kubectl reaches through the practice API as well): file and history
 * checks, and probes run as the learner, which use the terminal's kubeconfig.
 */
export function readsTerminal(check: ScenarioCheck): boolean {
  if ("run" in check) return check.as === "learner";
  return "file" in check || "history" in check;
}

const ADMIN_KUBECONFIG = "/var/lib/kubeprep/admin.kubeconfig";

function adminKubeconfig(instance: InstanceState): string {
  const admin = instance.cluster.credentials[SUPER_ADMIN_CREDENTIAL];
  const ca = instance.endpoint.caCertPem;
  const b64 = (text: string) => Buffer.from(text).toString("base64");
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "- name: kubeprep",
    "  cluster:",
    `    certificate-authority-data: ${b64(ca)}`,
    `    server: ${instance.endpoint.serverUrl}`,
    "contexts:",
    "- name: admin",
    "  context: {cluster: kubeprep, user: admin}",
    "current-context: admin",
    "users:",
    "- name: admin",
    "  user:",
    `    client-certificate-data: ${b64(admin?.certPem ?? "")}`,
    `    client-key-data: ${b64(admin?.keyPem ?? "")}`,
    "",
  ].join("\n");
}

function matches(pattern: string | undefined, text: string): boolean {
  return pattern === undefined || compileAuthored(pattern, { multiline: true }).test(text);
}

/**
 * The shell a probe runs in: the scenario's fresh session (home, user, PATH; no aliases, no
 * history, no other variables the learner set), commands resolved from the registry, over the
 * learner's files (their kubeconfig and certificates are what the check examines) and the
 * kubeconfig the learner's kubectl uses (`KUBECONFIG`, when they set it).
 */
function workspaceHome(scenario: Scenario): string {
  return scenario.workspace.user === "root" ? "/root" : `/home/${scenario.workspace.user}`;
}

function cleanShell(scenario: Scenario, learner: ShellState): ShellState {
  const user = scenario.workspace.user;
  const home = workspaceHome(scenario);
  const env: Record<string, string> = {
    HOME: home,
    USER: user,
    LOGNAME: user,
    SHELL: "/bin/bash",
    PATH: "/usr/local/bin:/usr/bin:/bin",
    HOSTNAME: scenario.workspace.hostname,
    TERM: "xterm-256color",
  };
  if (learner.env.KUBECONFIG !== undefined) env.KUBECONFIG = learner.env.KUBECONFIG;
  return { cwd: home, env, files: learner.files, history: [], aliases: {}, lastExitCode: 0 };
}

async function probe(scenario: Scenario, instance: InstanceState, check: Extract<ScenarioCheck, { run: string }>): Promise<boolean> {
  const copy = cloneInstance(instance);
  copy.shell = cleanShell(scenario, copy.shell);
  if (check.as === "admin") {
    copy.shell.files["/var"] ??= { type: "dir", mode: 0o755, mtimeMs: 0 };
    copy.shell.files["/var/lib"] ??= { type: "dir", mode: 0o755, mtimeMs: 0 };
    copy.shell.files["/var/lib/kubeprep"] = { type: "dir", mode: 0o700, mtimeMs: 0 };
    copy.shell.files[ADMIN_KUBECONFIG] = { type: "file", content: adminKubeconfig(copy), mode: 0o600, mtimeMs: 0 };
    copy.shell.env.KUBECONFIG = ADMIN_KUBECONFIG;
  }
  const { run } = await execute(copy, check.run, { recordHistory: false, tick: false });
  const { expect } = check;
  if (expect.exitCode !== undefined && run.exitCode !== expect.exitCode) return false;
  if (!matches(expect.stdoutMatches, run.stdout)) return false;
  if (expect.stdoutNotMatches !== undefined && matches(expect.stdoutNotMatches, run.stdout)) return false;
  if (expect.stderrNotMatches !== undefined && matches(expect.stderrNotMatches, run.stderr)) return false;
  return matches(expect.stderrMatches, run.stderr);
}

type AccessCheck = Extract<ScenarioCheck, { access: unknown }>["access"];

/** The client certificate (PEM) an access check asks as: a CSR's issued certificate, or a spec credential. */
function accessCertificate(instance: InstanceState, certificate: AccessCheck["certificate"]): string | undefined {
  if ("credential" in certificate) return instance.cluster.credentials[certificate.credential]?.certPem;
  const csr = getObject(instance.cluster, "certificatesigningrequests.certificates.k8s.io", "", certificate.csr);
  const status = csr?.status;
  const issued = typeof status === "object" && status !== null && !Array.isArray(status) ? status.certificate : undefined;
  return typeof issued === "string" && issued !== "" ? Buffer.from(issued, "base64").toString("utf8") : undefined;
}

/**
 * Asks the engine, as the certificate's identity (user and every group), whether each request is
 * allowed: a SelfSubjectAccessReview presented with the certificate, which is what that user's
 * `kubectl auth can-i` does. Runs on a copy, so the learner's cluster is untouched.
 */
async function access(instance: InstanceState, check: AccessCheck): Promise<boolean> {
  const certPem = accessCertificate(instance, check.certificate);
  if (certPem === undefined) return false;
  const der = pemToDer(certPem, "CERTIFICATE");
  if (der === undefined) return false;
  const cluster = structuredClone(instance.cluster);
  const ask = async (attributes: AccessCheck["allowed"][number]): Promise<boolean | undefined> => {
    const body = { apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectAccessReview", spec: { resourceAttributes: attributes } };
    const { response } = await handleRequest(cluster, {
      method: "POST",
      url: "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
      tls: true,
      headers: { "content-type": "application/json", accept: "application/json" },
      body: new TextEncoder().encode(JSON.stringify(body)),
      peerCertificates: [der],
    });
    if (response.status !== 201) return undefined;
    const text = typeof response.body === "string" ? response.body : new TextDecoder().decode(response.body);
    const review = JSON.parse(text) as { status?: { allowed?: unknown } };
    return review.status?.allowed === true;
  };
  for (const attributes of check.allowed) if ((await ask(attributes)) !== true) return false;
  for (const attributes of check.denied) if ((await ask(attributes)) !== false) return false;
  return true;
}

async function evaluate(scenario: Scenario, instance: InstanceState, check: ScenarioCheck): Promise<boolean> {
  if ("run" in check) return probe(scenario, instance, check);
  if ("access" in check) return access(instance, check.access);
  if ("history" in check) {
    const pattern = compileAuthored(check.history);
    return instance.shell.history.some((line) => pattern.testRemembered(line));
  }
  if ("sawStatus" in check) {
    const url = check.url === undefined ? undefined : compileAuthored(check.url);
    const reason = check.reason === undefined ? undefined : compileAuthored(check.reason);
    return instance.requests.some(
      (request) =>
        request.status === check.sawStatus &&
        (url === undefined || url.testRemembered(request.url)) &&
        (reason === undefined || reason.testRemembered(request.authError ?? "")),
    );
  }
  if ("nodeFile" in check) {
    const file = instance.cluster.node?.files[check.nodeFile];
    if (file?.type !== "file") return false;
    if (check.notMatches !== undefined && matches(check.notMatches, file.content)) return false;
    return matches(check.matches, file.content);
  }
  // `~` is the workspace's home, not whatever the learner set HOME to.
  const home = workspaceHome(scenario);
  const path = check.file.startsWith("~/") ? `${home}${check.file.slice(1)}` : check.file;
  const node = instance.shell.files[path];
  if (node?.type !== "file") return false;
  if (check.notMatches !== undefined && matches(check.notMatches, node.content)) return false;
  return matches(check.matches, node.content);
}

/**
 * Everything a probe reads (see `cleanShell`): the whole cluster, the endpoint, the learner's files
 * and the kubeconfig variable; an access check reads less (the cluster alone). When none of it
 * changed since the last evaluation, the previous answers of probes and access checks still hold
 * and are not computed again (a command such as `pwd` changes none of it).
 */
function probeFingerprint(instance: InstanceState): string {
  const { cluster, shell, endpoint } = instance;
  return crypto
    .createHash("sha256")
    .update(JSON.stringify(cluster))
    .update(JSON.stringify(endpoint))
    .update(JSON.stringify(shell.env.KUBECONFIG ?? null))
    .update(JSON.stringify(shell.files))
    .digest("base64url");
}

/** Checks whose answer depends only on what `probeFingerprint` covers, and costs a run of the engine. */
function cached(check: ScenarioCheck): boolean {
  return "run" in check || "access" in check;
}

export async function evaluateChecks(scenario: Scenario, instance: InstanceState): Promise<CheckResult[]> {
  const fingerprint = scenario.checks.some(cached) ? probeFingerprint(instance) : "";
  const previous = instance.probeCache?.fingerprint === fingerprint ? instance.probeCache.results : {};
  const probes: Record<string, boolean> = {};
  const results: CheckResult[] = [];
  for (const check of scenario.checks) {
    let passed = false;
    try {
      const known = cached(check) ? previous[check.id] : undefined;
      passed = known ?? (await evaluate(scenario, instance, check));
    } catch {
      passed = false;
    }
    if (cached(check)) probes[check.id] = passed;
    results.push({ id: check.id, description: check.description, weight: check.weight, passed, readsTerminal: readsTerminal(check) });
  }
  // Guards earn credit only once what they guard has passed.
  const own = new Map(results.map((result) => [result.id, result.passed]));
  for (const [index, check] of scenario.checks.entries()) {
    const result = results[index];
    if (result !== undefined && check.requires.some((required) => own.get(required) !== true)) result.passed = false;
  }
  instance.probeCache = { fingerprint, results: probes };
  instance.lastChecks = Object.fromEntries(results.map((result) => [result.id, result.passed]));
  return results;
}

export function scoreOf(results: CheckResult[]): number {
  const total = results.reduce((sum, result) => sum + result.weight, 0);
  const earned = results.reduce((sum, result) => sum + (result.passed ? result.weight : 0), 0);
  return total === 0 ? 0 : Math.round((earned / total) * 1000) / 1000;
}

export function progressView(results: CheckResult[], status: ScenarioProgressView["status"]): ScenarioProgressView {
  return {
    status,
    score: scoreOf(results),
    checks: results.map(({ id, description, weight, passed, readsTerminal: terminal }) => ({
      id,
      description,
      weight,
      passed,
      ...(terminal ? { readsTerminal: true } : {}),
    })),
  };
}
