/**
 * The kubelet of the simulated node, as far as the kube-apiserver static Pod goes. The model is a
 * function of the manifest file and the simulated clock (nothing runs in the background):
 *
 * - the kubelet acts on a changed manifest KUBELET_PICKUP_MS after the file's modification time
 *   (its file watch and 20 s fileCheckFrequency; a `systemctl restart kubelet` acts at once);
 * - it then replaces the Pod: the old container stops, a new Pod (new UID, attempt 0) starts, and
 *   the API server answers APISERVER_READY_MS later (until then: connection refused);
 * - a container that fails exits after CRASH_RUN_MS and is restarted with the kubelet's
 *   CrashLoopBackOff: 10 s, doubling, at most 300 s (pkg/kubelet/kubelet.go MaxContainerBackOff);
 * - the simulated clock moves only with the learner's input (lib/k8s/node/session.ts).
 */
import { createHash } from "node:crypto";
import type { ClusterState } from "../cluster/state";
import type { ContainerLogLine, NodeState, StaticPodRun } from "../cluster/node-state";
import { derivedUid, nextRandomBytes } from "../cluster/ids";
import { goQuote } from "../go";
import { buildSettings, containerFiles, parseFlags, parseStaticPod } from "./apiserver";
import { APISERVER_MANIFEST, KUBERNETES_VERSION } from "./paths";
import { jwtAuthenticatorsFor } from "../cluster/jwt-authenticators";
import { resolveAnonymousConfig } from "../authn/anonymous";

export const KUBELET_PICKUP_MS = 5_000;
export const CONTAINER_START_MS = 1_000;
export const APISERVER_READY_MS = 10_000;
export const CRASH_RUN_MS = 1_500;
/** kubeadm's startup probe: initialDelaySeconds 10 + failureThreshold 24 × periodSeconds 10. */
export const STARTUP_PROBE_LIMIT_MS = 250_000;
const BACKOFF_START_MS = 10_000;
const BACKOFF_MAX_MS = 300_000;
const RUNS_KEPT = 3;

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

function info(afterMs: number, source: string, text: string): ContainerLogLine {
  return { afterMs, stream: "stderr", klog: { severity: "I", source }, text };
}

/** The first lines every kube-apiserver 1.32 prints (cmd/kube-apiserver/app/server.go, options.go). */
function startupLines(ip: string): ContainerLogLine[] {
  return [
    info(0.312, "options.go:238", `external host was not specified, using ${ip}`),
    info(2.105, "server.go:143", `Version: ${KUBERNETES_VERSION}`),
    info(2.161, "server.go:145", '"Golang settings" GOGC="" GOMAXPROCS="" GOTRACEBACK=""'),
  ];
}

/** cobra's flag error: the usage first (abridged here), then the error (component-base/cli/run.go). */
function flagErrorLines(error: string): ContainerLogLine[] {
  return [
    { afterMs: 0.2, stream: "stderr", text: "Usage:" },
    { afterMs: 0.2, stream: "stderr", text: "  kube-apiserver [flags]" },
    { afterMs: 0.2, stream: "stderr", text: "" },
    { afterMs: 0.2, stream: "stderr", text: "(the simulator leaves out the list of kube-apiserver's flags that follows here)" },
    { afterMs: 0.2, stream: "stderr", text: "" },
    { afterMs: 0.3, stream: "stderr", text: `Error: ${error}` },
  ];
}

function runIds(state: ClusterState): { uid: string; sandboxId: string } {
  const bytes = nextRandomBytes(state, 32);
  return { uid: derivedUid(state.random.seed, `static-pod:${hex(bytes)}`), sandboxId: hex(nextRandomBytes(state, 32)) };
}

/** The kubelet starts a new kube-apiserver Pod from `manifest` at `atMs` (null: the file is gone, no Pod). */
export function startRun(state: ClusterState, manifest: string | null, atMs: number): StaticPodRun {
  const node = state.node as NodeState;
  node.apiServer.seenManifest = manifest;
  delete node.apiServer.changedMs;
  const ids = runIds(state);
  const run: StaticPodRun = { ...ids, startedMs: atMs, outcome: "rejected", log: [], kubeletLog: [] };
  const pushRun = (): StaticPodRun => {
    node.apiServer.runs.push(run);
    if (node.apiServer.runs.length > RUNS_KEPT) node.apiServer.runs.splice(0, node.apiServer.runs.length - RUNS_KEPT);
    return run;
  };
  if (manifest === null) return pushRun();
  const parsed = parseStaticPod(manifest, APISERVER_MANIFEST);
  if (!parsed.ok) {
    run.kubeletLog.push(
      `E|file.go:240] "Could not process manifest file" err=${goQuote(parsed.error)} path=${goQuote(APISERVER_MANIFEST)}`,
    );
    return pushRun();
  }
  const { pod } = parsed;
  for (const volume of pod.hostPaths) {
    const existing = node.files[volume.path];
    const typeError =
      volume.type === "File" && existing?.type !== "file"
        ? `hostPath type check failed: ${volume.path} is not a file`
        : volume.type === "Directory" && existing?.type !== "dir"
          ? `hostPath type check failed: ${volume.path} is not a directory`
          : undefined;
    if (typeError !== undefined) {
      run.outcome = "no-container";
      run.kubeletLog.push(
        `E|nestedpendingoperations.go:348] Operation for "{volumeName:kubernetes.io/host-path/${run.uid}-${volume.name} podName:${run.uid} nodeName:}" failed. Error: MountVolume.SetUp failed for volume ${goQuote(volume.name)} (UniqueName: "kubernetes.io/host-path/${run.uid}-${volume.name}") pod "kube-apiserver-${node.name}" (UID: ${goQuote(run.uid)}) : ${typeError}`,
      );
      return pushRun();
    }
    if (existing === undefined && (volume.type === "DirectoryOrCreate" || volume.type === "FileOrCreate")) {
      const parts = volume.path.split("/").filter((part) => part !== "");
      let current = "";
      parts.forEach((part, index) => {
        current += `/${part}`;
        const isLeaf = index === parts.length - 1;
        if (isLeaf && volume.type === "FileOrCreate") node.files[current] ??= { type: "file", content: "", mode: 0o644, mtimeMs: atMs };
        else node.files[current] ??= { type: "dir", mode: 0o755, mtimeMs: atMs };
      });
    }
  }
  const [binary, ...args] = pod.command;
  if (binary !== "kube-apiserver" && binary !== "/usr/local/bin/kube-apiserver") {
    run.outcome = "crash";
    run.kubeletLog.push(
      `E|log.go:32] "CreateContainer in sandbox from runtime service failed" err="rpc error: code = Unknown desc = failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: ${goQuote(binary ?? "")}: executable file not found in $PATH: unknown"`,
    );
    return pushRun();
  }
  const flags = parseFlags(args);
  if (!flags.ok) {
    run.outcome = "crash";
    run.log = flagErrorLines(flags.error);
    return pushRun();
  }
  const built = buildSettings(flags.flags, containerFiles(node.files, pod.mounts), state.config);
  run.log = startupLines(node.ip);
  if (!built.ok) {
    run.outcome = "crash";
    run.log.push({
      afterMs: 112.482,
      stream: "stderr",
      klog: { severity: "E", source: "run.go:72" },
      text: `"command failed" err=${goQuote(built.error)}`,
    });
    return pushRun();
  }
  const jwt = jwtAuthenticatorsFor(built.settings.config);
  const anonymous = resolveAnonymousConfig({
    ...(built.settings.config.anonymousAuth === undefined ? {} : { flag: built.settings.config.anonymousAuth }),
    ...(jwt.anonymous === undefined ? {} : { fileConfig: jwt.anonymous }),
  });
  const startupError = jwt.errors[0] ?? (anonymous.ok ? undefined : anonymous.error);
  if (startupError !== undefined) {
    run.outcome = "crash";
    run.log.push({
      afterMs: 112.482,
      stream: "stderr",
      klog: { severity: "E", source: "run.go:72" },
      text: `"command failed" err=${goQuote(startupError)}`,
    });
    return pushRun();
  }
  // kubeadm's probes are anonymous HTTPS GETs of /livez (startup, liveness) and /readyz.
  if (
    anonymous.ok &&
    (!anonymous.config.enabled ||
      ((anonymous.config.conditions?.length ?? 0) > 0 && !anonymous.config.conditions?.some((condition) => condition.path === "/livez")))
  )
    run.probeFailure = "HTTP probe failed with statuscode: 401";
  run.outcome = "running";
  run.authorizationModes = built.settings.authorizationModes;
  run.admissionPlugins = built.settings.admissionPlugins;
  run.log.push(
    info(3921.533, "secure_serving.go:213", `Serving securely on [::]:${state.config.serverAddress.split(":").pop() ?? "6443"}`),
  );
  state.config = built.settings.config;
  return pushRun();
}

/** Applies what the kubelet has done by now: a changed manifest past its pickup delay starts a new Pod. */
export function syncNode(state: ClusterState): void {
  const node = state.node;
  if (node === undefined) return;
  const file = node.files[APISERVER_MANIFEST];
  const text = file?.type === "file" ? file.content : null;
  if (text !== node.apiServer.seenManifest) {
    // A file moved back keeps its old mtime; the kubelet's watch sees the move, so never before the last Pod.
    const lastStart = currentRun(node)?.startedMs ?? 0;
    const changedMs = Math.max(file?.type === "file" ? file.mtimeMs : (node.apiServer.changedMs ??= state.clock.nowMs), lastStart);
    const pickup = node.kubelet.startedMs > changedMs ? node.kubelet.startedMs + CONTAINER_START_MS : changedMs + KUBELET_PICKUP_MS;
    if (state.clock.nowMs >= pickup) startRun(state, text, pickup);
  }
  writePodLogs(state);
}

export function currentRun(node: NodeState): StaticPodRun | undefined {
  return node.apiServer.runs[node.apiServer.runs.length - 1];
}

/** Whether the API server answers now (a cluster without a node always does). */
export function apiServerServing(state: ClusterState): boolean {
  if (state.node === undefined) return true;
  syncNode(state);
  const run = currentRun(state.node);
  if (run === undefined || run.outcome !== "running") return false;
  if (run.probeFailure === undefined) return state.clock.nowMs >= run.startedMs + APISERVER_READY_MS;
  const now = state.clock.nowMs;
  const latest = attemptsOf(run, now, undefined).at(-1);
  return latest !== undefined && latest.finishedMs === undefined && now >= latest.createdMs + APISERVER_READY_MS - CONTAINER_START_MS;
}

export interface ContainerView {
  id: string;
  podSandboxId: string;
  podUid: string;
  attempt: number;
  createdMs: number;
  /** undefined: still running. */
  finishedMs?: number;
  exitCode?: number;
  run: StaticPodRun;
}

function containerId(run: StaticPodRun, attempt: number): string {
  return createHash("sha256").update(`${run.sandboxId}:${attempt}`).digest("hex");
}

/** Every container attempt of a run that has started by `nowMs` (oldest first). */
function attemptsOf(run: StaticPodRun, nowMs: number, endMs: number | undefined): ContainerView[] {
  const base = { podSandboxId: run.sandboxId, podUid: run.uid, run };
  if (run.outcome === "rejected" || run.outcome === "no-container") return [];
  const first = run.startedMs + CONTAINER_START_MS;
  if (first > nowMs) return [];
  if (run.outcome === "running" && run.probeFailure === undefined) {
    const view: ContainerView = { ...base, id: containerId(run, 0), attempt: 0, createdMs: first };
    if (endMs !== undefined) Object.assign(view, { finishedMs: endMs, exitCode: 0 });
    return [view];
  }
  const views: ContainerView[] = [];
  let start = first;
  for (let attempt = 0; start <= nowMs && (endMs === undefined || start < endMs) && attempt < 10_000; attempt++) {
    // A crashing server exits at once; one that fails its startup probe is killed when the probe gives up.
    const finished = start + (run.probeFailure === undefined ? CRASH_RUN_MS : STARTUP_PROBE_LIMIT_MS);
    const view: ContainerView = { ...base, id: containerId(run, attempt), attempt, createdMs: start };
    if (finished <= nowMs) Object.assign(view, { finishedMs: finished, exitCode: run.probeFailure === undefined ? 1 : 0 });
    views.push(view);
    start = finished + Math.min(BACKOFF_START_MS * 2 ** attempt, BACKOFF_MAX_MS);
  }
  return views;
}

/**
 * The containers the runtime still has: the current Pod's last two attempts (the kubelet keeps the
 * previous dead one for `logs --previous`) and the last container of the Pod it replaced.
 */
export function containers(state: ClusterState): ContainerView[] {
  const node = state.node;
  if (node === undefined) return [];
  const runs = node.apiServer.runs;
  const now = state.clock.nowMs;
  const current = runs[runs.length - 1];
  const previous = runs[runs.length - 2];
  const views: ContainerView[] = [];
  if (previous !== undefined && current !== undefined) views.push(...attemptsOf(previous, now, current.startedMs).slice(-1));
  if (current !== undefined) views.push(...attemptsOf(current, now, undefined).slice(-2));
  return views;
}

/** klog's header: `Lmmdd hh:mm:ss.uuuuuu threadid file:line] `. */
export function klogHeader(severity: string, ms: number, pid: number, source: string): string {
  const date = new Date(Math.floor(ms));
  const pad = (value: number, width = 2) => String(value).padStart(width, "0");
  const micros = Math.round((ms - Math.floor(ms / 1000) * 1000) * 1000);
  return `${severity}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(micros, 6)} ${String(pid).padStart(7, " ")} ${source}] `;
}

/** A container's log as `crictl logs` prints it (the lines written by `nowMs`). */
export function containerLog(container: ContainerView, nowMs: number): ContainerLogLine[] {
  return container.run.log.filter((line) => container.createdMs + line.afterMs <= nowMs);
}

export function renderLogLine(line: ContainerLogLine, createdMs: number): string {
  const at = createdMs + line.afterMs;
  return line.klog === undefined ? line.text : `${klogHeader(line.klog.severity, at, 1, line.klog.source)}${line.text}`;
}

/** time.RFC3339Nano as containerd writes it in CRI log files (trailing zeros trimmed). */
function rfc3339Nano(ms: number): string {
  const whole = Math.floor(ms);
  const nanos = Math.round((ms - Math.floor(ms / 1000) * 1000) * 1e6);
  const iso = new Date(whole).toISOString().slice(0, 19);
  const fraction = String(nanos).padStart(9, "0").replace(/0+$/, "");
  return `${iso}${fraction === "" ? "" : `.${fraction}`}Z`;
}

function podLogDir(node: NodeState, run: StaticPodRun): string {
  return `/var/log/pods/kube-system_kube-apiserver-${node.name}_${run.uid}`;
}

/** /var/log/pods/<ns>_<pod>_<uid>/kube-apiserver/<attempt>.log in the CRI format, for the containers the runtime keeps. */
function writePodLogs(state: ClusterState): void {
  const node = state.node;
  if (node === undefined) return;
  const kept = containers(state);
  const wanted = new Map<string, string>();
  for (const container of kept) {
    const text = containerLog(container, state.clock.nowMs)
      .map((line) => `${rfc3339Nano(container.createdMs + line.afterMs)} ${line.stream} F ${renderLogLine(line, container.createdMs)}\n`)
      .join("");
    wanted.set(`${podLogDir(node, container.run)}/kube-apiserver/${container.attempt}.log`, text);
  }
  for (const path of Object.keys(node.files)) {
    if (path.startsWith("/var/log/pods/kube-system_kube-apiserver-") && node.files[path]?.type === "file" && !wanted.has(path))
      delete node.files[path];
  }
  const dirs = new Set(
    [...wanted.keys()].flatMap((path) => [path.slice(0, path.lastIndexOf("/")), path.slice(0, path.lastIndexOf("/kube-apiserver/"))]),
  );
  for (const path of Object.keys(node.files)) {
    if (path.startsWith("/var/log/pods/kube-system_kube-apiserver-") && node.files[path]?.type === "dir" && !dirs.has(path))
      delete node.files[path];
  }
  for (const dir of [...dirs].sort()) node.files[dir] ??= { type: "dir", mode: 0o755, mtimeMs: state.clock.nowMs };
  for (const [path, content] of wanted) {
    const existing = node.files[path];
    if (existing?.type !== "file" || existing.content !== content)
      node.files[path] = { type: "file", content, mode: 0o640, mtimeMs: state.clock.nowMs };
  }
}
