/**
 * Server-side checks: predicates on the end state and on what the learner did. A probe command
 * runs in a throwaway copy of the instance, so checking never changes the learner's cluster, and
 * in a clean shell (see `cleanShell`), so the learner's aliases or variables cannot answer for it.
 * Check patterns run against learner-controlled text, so they are matched by RE2 (linear time).
 */
import crypto from "node:crypto";
import { compileAuthored } from "../k8s/shell/regex";
import type { ShellState } from "../k8s/shell/types";
import type { ScenarioProgressView } from "./api-types";
import { ADMIN_CREDENTIAL, cloneInstance, type InstanceState } from "./instance";
import { execute } from "./execute";
import type { Scenario, ScenarioCheck } from "./schema";

export interface CheckResult {
  id: string;
  description: string;
  weight: number;
  passed: boolean;
}

const ADMIN_KUBECONFIG = "/var/lib/kubeprep/admin.kubeconfig";

function adminKubeconfig(instance: InstanceState): string {
  const admin = instance.cluster.credentials[ADMIN_CREDENTIAL];
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
  const env: Record<string, string> = { HOME: home, USER: user, LOGNAME: user, SHELL: "/bin/bash", PATH: "/usr/local/bin:/usr/bin:/bin", HOSTNAME: scenario.workspace.hostname, TERM: "xterm-256color" };
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
  const { run } = await execute(copy, check.run, { recordHistory: false });
  const { expect } = check;
  if (expect.exitCode !== undefined && run.exitCode !== expect.exitCode) return false;
  if (!matches(expect.stdoutMatches, run.stdout)) return false;
  if (expect.stdoutNotMatches !== undefined && matches(expect.stdoutNotMatches, run.stdout)) return false;
  if (expect.stderrNotMatches !== undefined && matches(expect.stderrNotMatches, run.stderr)) return false;
  return matches(expect.stderrMatches, run.stderr);
}

async function evaluate(scenario: Scenario, instance: InstanceState, check: ScenarioCheck): Promise<boolean> {
  if ("run" in check) return probe(scenario, instance, check);
  if ("history" in check) {
    const pattern = compileAuthored(check.history);
    return instance.shell.history.some((line) => pattern.test(line));
  }
  if ("sawStatus" in check) {
    const url = check.url === undefined ? undefined : compileAuthored(check.url);
    return instance.requests.some((request) => request.status === check.sawStatus && (url === undefined || url.test(request.url)));
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
 * and the kubeconfig variable. When none of it changed since the last evaluation, the probes'
 * previous answers still hold and are not run again.
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

export async function evaluateChecks(scenario: Scenario, instance: InstanceState): Promise<CheckResult[]> {
  const fingerprint = scenario.checks.some((check) => "run" in check) ? probeFingerprint(instance) : "";
  const cached = instance.probeCache?.fingerprint === fingerprint ? instance.probeCache.results : {};
  const probes: Record<string, boolean> = {};
  const results: CheckResult[] = [];
  for (const check of scenario.checks) {
    let passed = false;
    try {
      const known = "run" in check ? cached[check.id] : undefined;
      passed = known ?? (await evaluate(scenario, instance, check));
    } catch {
      passed = false;
    }
    if ("run" in check) probes[check.id] = passed;
    results.push({ id: check.id, description: check.description, weight: check.weight, passed });
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
  return { status, score: scoreOf(results), checks: results.map(({ id, description, weight, passed }) => ({ id, description, weight, passed })) };
}
