/**
 * The node's own tools, as far as the control-plane lessons need them: crictl (ps, pods, logs),
 * systemctl (kubelet), journalctl -u kubelet. Output formats follow the tools' sources (see
 * docs/control-plane-node.md); the state they print is the kubelet model of kubelet.ts.
 */
import { createHash } from "node:crypto";
import type { ClusterState } from "../cluster/state";
import type { NodeState } from "../cluster/node-state";
import { tabwrite } from "../go";
import type { CommandHandler } from "../shell/types";
import { fail, ok } from "../shell/commands/util";
import { containerLog, containers, currentRun, klogHeader, renderLogLine, syncNode, type ContainerView } from "./kubelet";
import { KUBERNETES_VERSION } from "./paths";

/** docker/go-units HumanDuration, which crictl prints with " ago". */
export function unitsHumanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 1) return "Less than a second";
  if (seconds === 1) return "1 second";
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes === 1) return "About a minute";
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.floor(ms / 3_600_000 + 0.5);
  if (hours === 1) return "About an hour";
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(Math.floor(ms / 3_600_000) / 24 / 365)} years`;
}

/** crictl's newDefaultTableDisplay: tabwriter.NewWriter(os.Stdout, 20, 1, 3, ' ', 0). */
const CRICTL_TABLE = { minwidth: 20, padding: 3 };

function imageId(image: string): string {
  return createHash("sha256").update(image).digest("hex");
}

interface Row {
  id: string;
  image: string;
  createdMs: number;
  running: boolean;
  name: string;
  attempt: number;
  podId: string;
  pod: string;
  exitCode?: number;
  finishedMs?: number;
  view?: ContainerView;
}

/** The other control-plane containers, which the simulation keeps running since install. */
function steadyRows(state: ClusterState, node: NodeState): Row[] {
  const components: [string, string][] = [
    ["etcd", "registry.k8s.io/etcd:3.5.16-0"],
    ["kube-controller-manager", `registry.k8s.io/kube-controller-manager:${KUBERNETES_VERSION}`],
    ["kube-scheduler", `registry.k8s.io/kube-scheduler:${KUBERNETES_VERSION}`],
  ];
  return components.map(([name, image], index) => {
    const hash = (label: string) => createHash("sha256").update(`${state.random.seed}:${name}:${label}`).digest("hex");
    return {
      id: hash("container"),
      image,
      createdMs: state.bootstrapMs + 2000 + index * 700,
      running: true,
      name,
      attempt: 0,
      podId: hash("pod"),
      pod: `${name}-${node.name}`,
    };
  });
}

function apiServerRows(state: ClusterState, node: NodeState): Row[] {
  return containers(state).map((view) => ({
    id: view.id,
    image: `registry.k8s.io/kube-apiserver:${KUBERNETES_VERSION}`,
    createdMs: view.createdMs,
    running: view.finishedMs === undefined,
    name: "kube-apiserver",
    attempt: view.attempt,
    podId: view.podSandboxId,
    pod: `kube-apiserver-${node.name}`,
    ...(view.exitCode === undefined ? {} : { exitCode: view.exitCode }),
    ...(view.finishedMs === undefined ? {} : { finishedMs: view.finishedMs }),
    view,
  }));
}

function allRows(state: ClusterState, node: NodeState): Row[] {
  return [...steadyRows(state, node), ...apiServerRows(state, node)].sort((a, b) => b.createdMs - a.createdMs);
}

const RUNTIME_DENIED =
  'time="{time}" level=fatal msg="validate service connection: validate CRI v1 runtime API for endpoint \\"unix:///var/run/containerd/containerd.sock\\": rpc error: code = Unavailable desc = connection error: desc = \\"transport: Error while dialing: dial unix /var/run/containerd/containerd.sock: connect: permission denied\\""';

function isRoot(env: Record<string, string>): boolean {
  return env.USER === "root";
}

function flagValue(args: string[], names: string[]): { value?: string; rest: string[]; bools: Set<string> } {
  const rest: string[] = [];
  const bools = new Set<string>();
  let value: string | undefined;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? "";
    const eq = arg.indexOf("=");
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (names.includes(name)) {
      value = eq === -1 ? args[++index] : arg.slice(eq + 1);
      continue;
    }
    if (arg.startsWith("-")) {
      if (/^-[a-zA-Z]{2,}$/.test(arg)) for (const letter of arg.slice(1)) bools.add(`-${letter}`);
      else bools.add(arg);
      continue;
    }
    rest.push(arg);
  }
  return value === undefined ? { rest, bools } : { value, rest, bools };
}

export function crictlCommand(state: ClusterState): CommandHandler {
  return async ({ args, env }) => {
    const node = state.node;
    if (node === undefined) return fail("bash: crictl: command not found\n", 127);
    const [sub, ...rest] = args;
    if (sub === undefined || sub === "--help" || sub === "-h")
      return ok(
        "NAME:\n   crictl - client for CRI\n\nUSAGE:\n   crictl [global options] command [command options]\n\nCOMMANDS (simulated):\n   ps       List containers\n   pods     List pods\n   logs     Fetch the logs of a container\n",
      );
    if (!isRoot(env)) return fail(`${RUNTIME_DENIED.replace("{time}", new Date(state.clock.nowMs).toISOString().replace(".000Z", "Z"))}\n`);
    syncNode(state);
    const now = state.clock.nowMs;
    if (sub === "ps") {
      const parsed = flagValue(rest, ["--name", "--state", "-s", "--pod", "-p"]);
      const all = parsed.bools.has("-a") || parsed.bools.has("--all");
      const quiet = parsed.bools.has("-q") || parsed.bools.has("--quiet");
      let rows = allRows(state, node).filter((row) => all || row.running);
      const name = parsed.value;
      if (name !== undefined) {
        // crictl matches a regular expression; names here are plain words, so a substring match.
        rows = rows.filter((row) => row.name.includes(name));
      }
      if (quiet) return ok(rows.map((row) => `${row.id}\n`).join(""));
      const lines = ["CONTAINER\tIMAGE\tCREATED\tSTATE\tNAME\tATTEMPT\tPOD ID\tPOD\tNAMESPACE"];
      for (const row of rows)
        lines.push(
          [
            row.id.slice(0, 13),
            imageId(row.image).slice(0, 13),
            `${unitsHumanDuration(now - row.createdMs)} ago`,
            row.running ? "Running" : "Exited",
            row.name,
            String(row.attempt),
            row.podId.slice(0, 13),
            row.pod,
            "kube-system",
          ].join("\t"),
        );
      return ok(tabwrite(`${lines.join("\n")}\n`, CRICTL_TABLE));
    }
    if (sub === "pods") {
      const pods = new Map<string, { createdMs: number; ready: boolean; name: string }>();
      for (const row of allRows(state, node))
        pods.set(row.podId, {
          createdMs: row.view?.run.startedMs ?? row.createdMs - 500,
          ready: row.view === undefined || row.view.run === currentRun(node),
          name: row.pod,
        });
      const current = currentRun(node);
      if (current !== undefined && current.outcome === "no-container")
        pods.set(current.sandboxId, { createdMs: current.startedMs, ready: true, name: `kube-apiserver-${node.name}` });
      const lines = ["POD ID\tCREATED\tSTATE\tNAME\tNAMESPACE\tATTEMPT\tRUNTIME"];
      for (const [id, pod] of [...pods].sort(([, a], [, b]) => b.createdMs - a.createdMs))
        lines.push(
          [
            id.slice(0, 13),
            `${unitsHumanDuration(now - pod.createdMs)} ago`,
            pod.ready ? "Ready" : "NotReady",
            pod.name,
            "kube-system",
            "0",
            "(default)",
          ].join("\t"),
        );
      return ok(tabwrite(`${lines.join("\n")}\n`, CRICTL_TABLE));
    }
    if (sub === "logs") {
      const parsed = flagValue(rest, ["--tail"]);
      const id = parsed.rest[0];
      if (id === undefined)
        return fail(`time="${new Date(now).toISOString().replace(".000Z", "Z")}" level=fatal msg="ID cannot be empty"\n`);
      const matches = allRows(state, node).filter((row) => row.id.startsWith(id));
      const row = matches[0];
      if (row === undefined || matches.length > 1)
        return fail(
          `time="${new Date(now).toISOString().replace(".000Z", "Z")}" level=fatal msg="rpc error: code = NotFound desc = an error occurred when try to find container \\"${id}\\": not found"\n`,
        );
      if (row.view === undefined) return ok("", "");
      let lines = containerLog(row.view, now);
      const tail = parsed.value === undefined ? -1 : Number(parsed.value);
      if (Number.isInteger(tail) && tail >= 0) lines = lines.slice(Math.max(0, lines.length - tail));
      let stdout = "";
      let stderr = "";
      for (const line of lines) {
        const text = `${renderLogLine(line, row.view.createdMs)}\n`;
        if (line.stream === "stdout") stdout += text;
        else stderr += text;
      }
      return ok(stdout, stderr);
    }
    return fail(
      `time="${new Date(now).toISOString().replace(".000Z", "Z")}" level=fatal msg="the simulated crictl has ps, pods and logs; ${JSON.stringify(sub).slice(1, -1)} is not simulated"\n`,
    );
  };
}

/** systemd's timestamp: "Mon 2026-12-07 09:00:00 UTC". */
function systemdTime(ms: number): string {
  const date = new Date(ms);
  const day = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][date.getUTCDay()];
  return `${day} ${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, 19)} UTC`;
}

/** systemd's format_timespan for "…; 5min ago". */
function timespan(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}min ${seconds % 60}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h ${minutes % 60}min`;
  return `${Math.floor(hours / 24)} days`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** The kubelet's journal: what it logged about the API server Pod by now, newest last. */
function kubeletJournal(state: ClusterState, node: NodeState): string[] {
  const entries: { ms: number; text: string }[] = [];
  const push = (ms: number, severity: string, rest: string) =>
    entries.push({ ms, text: `${klogHeader(severity, ms, node.kubelet.pid, "")}`.replace(" ] ", " ") + rest });
  entries.push({ ms: node.kubelet.startedMs, text: "systemd[1]: Started kubelet.service - kubelet: The Kubernetes Node Agent." });
  for (const run of node.apiServer.runs) {
    for (const line of run.kubeletLog) {
      const [severity = "E", rest = ""] = line.split("|");
      push(run.startedMs, severity, rest);
    }
  }
  for (const view of containers(state)) {
    const probe = view.run.probeFailure;
    if (probe !== undefined) {
      const pod = `pod="kube-system/kube-apiserver-${node.name}" podUID="${view.podUid}" containerName="kube-apiserver"`;
      for (let at = view.createdMs + 10_000; at <= Math.min(view.finishedMs ?? state.clock.nowMs, view.createdMs + 60_000); at += 10_000)
        push(
          at + 71.9,
          "I",
          `prober.go:107] "Probe failed" probeType="Startup" ${pod} probeResult="failure" output=${JSON.stringify(probe)}`,
        );
      if (view.finishedMs !== undefined)
        push(
          view.finishedMs,
          "I",
          `kuberuntime_manager.go:1050] "Message for Container of pod" containerName="kube-apiserver" containerStatusID={"Type":"containerd","ID":"${view.id}"} pod="kube-system/kube-apiserver-${node.name}" containerMessage="Container kube-apiserver failed startup probe, will be restarted"`,
        );
    }
    if (view.exitCode === 1 && view.finishedMs !== undefined) {
      const backoff = Math.min(10 * 2 ** view.attempt, 300);
      push(
        view.finishedMs + 412.3,
        "E",
        `pod_workers.go:1301] "Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"kube-apiserver\\" with CrashLoopBackOff: \\"back-off ${backoff >= 60 ? `${Math.floor(backoff / 60)}m${backoff % 60}s` : `${backoff}s`} restarting failed container=kube-apiserver pod=kube-apiserver-${node.name}_kube-system(${view.podUid})\\"" pod="kube-system/kube-apiserver-${node.name}" podUID="${view.podUid}"`,
      );
    }
  }
  return entries
    .filter((entry) => entry.ms <= state.clock.nowMs)
    .sort((a, b) => a.ms - b.ms)
    .map((entry) => {
      const date = new Date(entry.ms);
      const stamp = `${MONTHS[date.getUTCMonth()]} ${String(date.getUTCDate()).padStart(2, "0")} ${date.toISOString().slice(11, 19)}`;
      const source = entry.text.startsWith("systemd[1]") ? "" : `kubelet[${node.kubelet.pid}]: `;
      return `${stamp} ${node.name} ${source}${entry.text}`;
    });
}

export function journalctlCommand(state: ClusterState): CommandHandler {
  return async ({ args, env }) => {
    const node = state.node;
    if (node === undefined) return fail("bash: journalctl: command not found\n", 127);
    syncNode(state);
    const parsed = flagValue(args, ["-u", "--unit", "-n", "--lines"]);
    const unit = parsed.value === undefined ? undefined : parsed.value.replace(/\.service$/, "");
    const unitGiven = args.some((arg) => arg === "-u" || arg === "--unit" || arg.startsWith("--unit=") || arg.startsWith("-u"));
    if (!unitGiven || unit !== "kubelet")
      return fail("journalctl: the simulated journal has the kubelet's unit only: journalctl -u kubelet\n");
    if (!isRoot(env))
      return ok(
        "-- No entries --\n",
        "Hint: You are currently not seeing messages from other users and the system.\n      Users in groups 'adm', 'systemd-journal' can see all messages.\n      Pass -q to turn off this notice.\n",
      );
    const lines = kubeletJournal(state, node);
    return ok(lines.length === 0 ? "-- No entries --\n" : `${lines.join("\n")}\n`);
  };
}

export function systemctlCommand(state: ClusterState): CommandHandler {
  return async ({ args, env }) => {
    const node = state.node;
    if (node === undefined) return fail("bash: systemctl: command not found\n", 127);
    const words = args.filter((arg) => !arg.startsWith("-"));
    const [verb, unitArg] = words;
    const unit = unitArg?.replace(/\.service$/, "");
    if (unit !== "kubelet" && unit !== "containerd")
      return fail(
        `${unitArg === undefined ? "Too few arguments." : `Unit ${unitArg}${unitArg.includes(".") ? "" : ".service"} could not be found.`}\n`,
        verb === "status" ? 4 : 1,
      );
    const now = state.clock.nowMs;
    if (verb === "restart" || verb === "start" || verb === "stop" || verb === "daemon-reload") {
      if (!isRoot(env))
        return fail(
          `Failed to ${verb} ${unit}.service: Access denied\nSee system logs and 'systemctl status ${unit}.service' for details.\n`,
        );
      if (unit === "kubelet" && verb === "restart") {
        node.kubelet.startedMs = now;
        node.kubelet.pid += 17;
        syncNode(state);
      }
      return ok();
    }
    if (verb === "is-active") return ok("active\n");
    if (verb !== "status") return fail(`systemctl: the simulated systemctl knows status, restart and is-active\n`);
    const started = unit === "kubelet" ? node.kubelet.startedMs : state.bootstrapMs;
    const lines =
      unit === "kubelet"
        ? [
            "● kubelet.service - kubelet: The Kubernetes Node Agent",
            "     Loaded: loaded (/usr/lib/systemd/system/kubelet.service; enabled; preset: enabled)",
            "    Drop-In: /usr/lib/systemd/system/kubelet.service.d",
            "             └─10-kubeadm.conf",
            `     Active: active (running) since ${systemdTime(started)}; ${timespan(now - started)} ago`,
            "       Docs: https://kubernetes.io/docs/",
            `   Main PID: ${node.kubelet.pid} (kubelet)`,
            "      Tasks: 12 (limit: 4558)",
            "     Memory: 38.6M (peak: 41.2M)",
            "     CGroup: /system.slice/kubelet.service",
            `             └─${node.kubelet.pid} /usr/bin/kubelet --bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf --config=/var/lib/kubelet/config.yaml --container-runtime-endpoint=unix:///var/run/containerd/containerd.sock --node-ip=${node.ip} --pod-infra-container-image=registry.k8s.io/pause:3.10`,
          ]
        : [
            "● containerd.service - containerd container runtime",
            "     Loaded: loaded (/usr/lib/systemd/system/containerd.service; enabled; preset: enabled)",
            `     Active: active (running) since ${systemdTime(started)}; ${timespan(now - started)} ago`,
            "       Docs: https://containerd.io",
          ];
    const journal = unit === "kubelet" && isRoot(env) ? kubeletJournal(state, node).slice(-10) : [];
    return ok(`${lines.join("\n")}\n${journal.length > 0 ? `\n${journal.join("\n")}\n` : ""}`);
  };
}
