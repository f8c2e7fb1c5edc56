/**
 * The simulated kubeadm control-plane node, part of the cluster value (plain JSON). Its files use
 * the shell's file-node shape, so the shell's file system works on them when the learner is on the
 * node (`ssh controlplane`). What the kubelet did is derived from the manifest and the clock by
 * lib/k8s/node; only what cannot be derived again is stored here.
 */

/** Same shape as the shell's FileNode (lib/k8s/shell/types.ts), which this layer may not import. */
export type NodeFile = { type: "file"; content: string; mode: number; mtimeMs: number } | { type: "dir"; mode: number; mtimeMs: number };

/** One kube-apiserver static Pod the kubelet started from one manifest text. */
export interface StaticPodRun {
  /** Pod UID (uuid) and sandbox id (64 hex). */
  uid: string;
  sandboxId: string;
  /** When the kubelet started the Pod (the first container). */
  startedMs: number;
  /**
   * running: the container serves; crash: every attempt exits (restarted with back-off);
   * no-container: the Pod never gets a container (a hostPath type check failed); rejected: the
   * kubelet could not read the manifest (no Pod at all).
   */
  outcome: "running" | "crash" | "no-container" | "rejected";
  /** What each attempt of the container prints (klog lines or cobra's usage and error), without timestamps. */
  log: ContainerLogLine[];
  /** Lines the kubelet logs about this Pod (journal), at the Pod's start. */
  kubeletLog: string[];
  /**
   * Set when the kubelet's anonymous HTTPS probes on /livez fail against this server (anonymous
   * authentication off, or its conditions leave /livez out): the probe's output, e.g.
   * "HTTP probe failed with statuscode: 401". The container then serves until the startup probe
   * gives up, and is restarted.
   */
  probeFailure?: string;
  /** --authorization-mode and --enable-admission-plugins of a running Pod (for crictl inspect and the docs' model). */
  authorizationModes?: string[];
  admissionPlugins?: string[];
}

/** A log line relative to the attempt's start: klog lines carry their own header, rendered with the time. */
export interface ContainerLogLine {
  /** Milliseconds after the container started. */
  afterMs: number;
  stream: "stdout" | "stderr";
  /** klog severity letter and source (the header is built from the time), or undefined for a raw line. */
  klog?: { severity: "I" | "W" | "E"; source: string };
  text: string;
}

export interface NodeState {
  /** Node name (hostname) and its IP, the API server's advertise address. */
  name: string;
  ip: string;
  /** Absolute path -> file or directory, like ShellState.files. */
  files: Record<string, NodeFile>;
  kubelet: {
    /** When the kubelet (re)started: `systemctl restart kubelet` moves it. */
    startedMs: number;
    pid: number;
  };
  apiServer: {
    /** The manifest text the kubelet last acted on (null: the file was absent). */
    seenManifest: string | null;
    /** When the kubelet first saw the file differ from seenManifest and the file has no usable mtime (deleted). */
    changedMs?: number;
    /** The last runs, newest last (bounded). */
    runs: StaticPodRun[];
  };
}
