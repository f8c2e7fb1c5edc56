/**
 * Contract between the simulated shell (lib/k8s/shell) and the commands it runs, including
 * kubectl (lib/k8s/kubectl). Nothing here runs a real process: a command is a function from
 * arguments, stdin and a virtual file system to stdout, stderr and an exit status.
 */
import type { ApiRequest, ApiResponse, TraceStep } from "../types";
import type { InputBudget } from "./limits";

/** One entry of the virtual file system. Contents are text (PEM, YAML, JSON, CSV ...). */
export type FileNode = { type: "file"; content: string; mode: number; mtimeMs: number } | { type: "dir"; mode: number; mtimeMs: number };

/** The learner's shell session: plain JSON, stored with the scenario instance. */
export interface ShellState {
  cwd: string;
  /** Exported and shell variables (HOME, USER, PATH, KUBECONFIG, ...). */
  env: Record<string, string>;
  /** Absolute normalized path -> node. "/" always exists. */
  files: Record<string, FileNode>;
  /** Most recent last; bounded by the shell. */
  history: string[];
  /** Added by the shell: `alias k=kubectl` and friends (name -> replacement text). */
  aliases?: Record<string, string>;
  /** Added by the shell: exit status of the last command line, for `$?`. */
  lastExitCode?: number;
  /** Set while the learner is logged in to the cluster's node (`ssh controlplane`, `sudo -i`): innermost login last. */
  remote?: { host: string; frames: { user: string; cwd: string; env: Record<string, string> }[] };
}

/** File-system operations every command gets; paths may be relative to the cwd or use ~. */
export interface Vfs {
  resolve(path: string): string;
  readFile(path: string): { ok: true; content: string } | { ok: false; error: string };
  writeFile(path: string, content: string, options?: { append?: boolean; mode?: number }): { ok: true } | { ok: false; error: string };
  exists(path: string): boolean;
  isDirectory(path: string): boolean;
  list(path: string): string[] | undefined;
  mkdir(path: string, options?: { parents?: boolean }): { ok: true } | { ok: false; error: string };
  remove(path: string, options?: { recursive?: boolean }): { ok: true } | { ok: false; error: string };
}

/** One HTTP exchange with the simulated API server, kept for the "why?" panel. */
export interface ApiExchange {
  request: { method: string; url: string; headers: Record<string, string | string[]>; identity: string };
  status: number;
  /** Response body as text (JSON usually), truncated for display by the caller. */
  responseBody: string;
  trace: TraceStep[];
}

/**
 * The network as kubectl sees it: which server URLs answer, the serving certificate chain the
 * client must verify against its kubeconfig CA, and the API server itself.
 */
export interface ClusterNetwork {
  /** e.g. ["https://127.0.0.1:6443", "https://kubernetes.default.svc"]; others: no such host / refused. */
  serverUrls: string[];
  /** PEM of the serving certificate (leaf first, then intermediates). */
  servingCertificateChainPem: string;
  /** True while nothing listens (the node's API server is down): clients get "connection refused". */
  refused?(): boolean;
  send(request: ApiRequest): Promise<{ response: ApiResponse; trace: TraceStep[] }>;
}

export interface CommandContext {
  /** argv without the command name, after the shell's expansion and quote removal. */
  args: string[];
  stdin: string;
  env: Record<string, string>;
  cwd: string;
  fs: Vfs;
  /** The simulated clock (scenario time), never the wall clock. */
  now: Date;
  /** Present when the scenario has a cluster. */
  network?: ClusterNetwork;
  /** Commands that talk to the API server append each exchange here. */
  exchanges: ApiExchange[];
  /** Deterministic randomness (key generation seeds, serials) from the scenario. */
  random(bytes: number): Uint8Array;
  /** The input's time and key-generation budget (absent: unbounded, e.g. a command called directly by a test). */
  budget?: InputBudget;
}

export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** Variables a builtin changes in the session (cd, export). */
  setEnv?: Record<string, string>;
  setCwd?: string;
  /** Added by the shell: vi/vim/nano ask the terminal to open its editor panel on this file. */
  openEditor?: EditorRequest;
}

/** A file for the terminal's editor panel; `vi` keys (normal, insert and `:` modes) for vi and vim, plain typing for nano. */
export interface EditorRequest {
  path: string;
  content: string;
  keys: "vi" | "plain";
}

export type CommandHandler = (context: CommandContext) => Promise<CommandResult>;
