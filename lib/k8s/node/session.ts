/**
 * The learner's terminal on a cluster with a kubeadm node: `ssh controlplane` moves the shell onto
 * the node (its files, its prompt, root through `sudo -i`), `exit` comes back; `sudo <command>`
 * runs one command as root. Every input moves the simulated clock INPUT_TICK_MS (and `sleep` by
 * its duration, at most MAX_SLEEP_S), then the kubelet model catches up (kubelet.ts).
 */
import type { ClusterState } from "../cluster/state";
import type { NodeState } from "../cluster/node-state";
import { runCommandLine, type RunOptions, type RunResult } from "../shell/run";
import type { CommandHandler, ShellState } from "../shell/types";
import { createClusterNetwork } from "../kubectl/network";
import { syncNode } from "./kubelet";
import { crictlCommand, journalctlCommand, systemctlCommand } from "./tools";
import { kubeadmCommand } from "./kubeadm";

export const INPUT_TICK_MS = 2_000;
export const MAX_SLEEP_S = 600;
/** ssh options that take the next word as their value (`-p 22`, `-i key`, `-o Option=value`). */
const SSH_OPTIONS_WITH_VALUE = /^-[BbcDEeFIiJLlmOoPpRSWw]$/;

/** One login on the node: `ssh` pushes the user's, `sudo -i` root's. */
export interface RemoteFrame {
  user: string;
  cwd: string;
  env: Record<string, string>;
}

function frameFor(user: string, node: NodeState, base: Record<string, string>): RemoteFrame {
  const home = user === "root" ? "/root" : `/home/${user}`;
  node.files[home] ??= { type: "dir", mode: 0o755, mtimeMs: 0 };
  if (user !== "root") node.files["/home"] ??= { type: "dir", mode: 0o755, mtimeMs: 0 };
  return {
    user,
    cwd: home,
    env: {
      HOME: home,
      USER: user,
      LOGNAME: user,
      SHELL: "/bin/bash",
      PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      HOSTNAME: node.name,
      TERM: base.TERM ?? "xterm-256color",
      LANG: "C.UTF-8",
    },
  };
}

/** Where the shell is: the workstation (no frame) or the node (the innermost frame). */
export function activeFrame(shell: ShellState): RemoteFrame | undefined {
  const frames = shell.remote?.frames;
  return frames === undefined ? undefined : frames[frames.length - 1];
}

/** The shell state commands see: on the node, the node's files with the frame's cwd and variables. */
function viewOf(shell: ShellState, node: NodeState | undefined): ShellState {
  const frame = activeFrame(shell);
  if (frame === undefined || node === undefined) return shell;
  return {
    cwd: frame.cwd,
    env: frame.env,
    files: node.files,
    history: shell.history,
    aliases: shell.aliases ?? {},
    lastExitCode: shell.lastExitCode ?? 0,
  };
}

/** The files the learner's editor panel reads and writes: the node's when the shell is on it. */
export function activeFiles(state: ClusterState, shell: ShellState): ShellState {
  return viewOf(shell, state.node);
}

/** C's ctime layout, as procps watch prints it: "Mon Dec  7 09:00:00 2026". */
function ctime(ms: number): string {
  const date = new Date(ms);
  const day = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][date.getUTCDay()];
  const month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][date.getUTCMonth()];
  return `${day} ${month} ${String(date.getUTCDate()).padStart(2, " ")} ${date.toISOString().slice(11, 19)} ${date.getUTCFullYear()}`;
}

function quote(word: string): string {
  return `'${word.replace(/'/g, "'\\''")}'`;
}

interface SessionContext {
  state: ClusterState;
  shell: ShellState;
  options: RunOptions;
  pending: { push?: RemoteFrame };
}

function sleepCommand(state: ClusterState): CommandHandler {
  return async ({ args }) => {
    if (args.length === 0) return { stdout: "", stderr: "sleep: missing operand\nTry 'sleep --help' for more information.\n", exitCode: 1 };
    let total = 0;
    for (const arg of args) {
      const match = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(arg);
      if (!match)
        return {
          stdout: "",
          stderr: `sleep: invalid time interval \u2018${arg}\u2019\nTry 'sleep --help' for more information.\n`,
          exitCode: 1,
        };
      total += Number(match[1]) * { "": 1, s: 1, m: 60, h: 3600, d: 86400 }[match[2] as "" | "s" | "m" | "h" | "d"];
    }
    const seconds = Math.min(total, MAX_SLEEP_S);
    state.clock.nowMs += Math.round(seconds * 1000);
    syncNode(state);
    return {
      stdout: "",
      stderr:
        total > MAX_SLEEP_S
          ? `sleep: the simulated clock moves at most ${MAX_SLEEP_S}s per sleep (kubeprep time advance moves it further)\n`
          : "",
      exitCode: 0,
    };
  };
}

function nodeCommands(context: SessionContext, onNode: boolean): Record<string, CommandHandler> {
  const { state } = context;
  const node = state.node as NodeState;
  const nested = async (view: ShellState, line: string): Promise<{ stdout: string; stderr: string; exitCode: number }> => {
    const result = await runCommandLine(view, line, {
      ...context.options,
      now: new Date(state.clock.nowMs),
      recordHistory: false,
      commands: { ...context.options.commands, ...nodeCommands(context, true) },
      network: onNode ? createClusterNetwork(state) : context.options.network,
    });
    return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode };
  };
  const commands: Record<string, CommandHandler> = {
    sleep: sleepCommand(state),
    ssh: async ({ args, env }) => {
      // OpenSSH's getopt stops at the destination: what follows is the remote command, dashes and all.
      let first = 0;
      while (args[first]?.startsWith("-")) first += SSH_OPTIONS_WITH_VALUE.test(args[first] ?? "") ? 2 : 1;
      const [target, ...remote] = args.slice(first);
      if (target === undefined)
        return {
          stdout: "",
          stderr:
            "usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-B bind_interface] [-b bind_address]\n           destination [command [argument ...]]\n",
          exitCode: 255,
        };
      const at = target.lastIndexOf("@");
      const user = at === -1 ? (env.USER ?? "student") : target.slice(0, at);
      const host = at === -1 ? target : target.slice(at + 1);
      if (host !== node.name && host !== node.ip)
        return { stdout: "", stderr: `ssh: Could not resolve hostname ${host}: Name or service not known\n`, exitCode: 255 };
      const frame = frameFor(user, node, env);
      if (remote.length > 0) {
        const view: ShellState = { cwd: frame.cwd, env: frame.env, files: node.files, history: [], aliases: {}, lastExitCode: 0 };
        return nested(view, remote.join(" "));
      }
      context.pending.push = frame;
      return { stdout: "", stderr: "", exitCode: 0 };
    },
    sudo: async ({ args, env, cwd }) => {
      const words = [...args];
      if (words[0] === "-i" || words[0] === "-s" || words[0] === "su" || (words[0] === "-u" && words[1] === "root" && words[2] === "-i")) {
        if (!onNode)
          return {
            stdout: "",
            stderr: "sudo: the practice workstation has no root shell here: `ssh controlplane` first, then `sudo -i`\n",
            exitCode: 1,
          };
        const frame = frameFor("root", node, env);
        if (words[0] === "-s") frame.cwd = cwd;
        context.pending.push = frame;
        return { stdout: "", stderr: "", exitCode: 0 };
      }
      while (words[0]?.startsWith("-")) words.shift();
      if (words.length === 0)
        return {
          stdout: "",
          stderr:
            "usage: sudo -h | -K | -k | -V\nusage: sudo [-AbEHknPS] [-C num] [-D directory] [-g group] [-h host] [-p prompt] [-R directory] [-T timeout] [-u user] [VAR=value] [-i | -s] [<command>]\n",
          exitCode: 1,
        };
      const rootEnv = { ...env, USER: "root", LOGNAME: "root", HOME: "/root" };
      const view: ShellState = onNode
        ? { cwd, env: rootEnv, files: node.files, history: [], aliases: {}, lastExitCode: 0 }
        : { ...context.shell, env: rootEnv, cwd, history: [], aliases: {}, lastExitCode: 0 };
      return nested(view, words.map(quote).join(" "));
    },
  };
  commands.watch = async ({ args, env, cwd }) => {
    const rest = [...args];
    let interval = 2;
    while (rest[0]?.startsWith("-")) {
      const flag = rest.shift() ?? "";
      const value = flag === "-n" || flag === "--interval" ? rest.shift() : flag.startsWith("-n") ? flag.slice(2) : undefined;
      if (value !== undefined) interval = Number(value);
    }
    if (rest.length === 0) return { stdout: "", stderr: "\nUsage:\n watch [options] command\n", exitCode: 1 };
    if (!Number.isFinite(interval) || interval < 0.1) interval = 2;
    interval = Math.min(interval, 60);
    state.clock.nowMs += Math.round(interval * 1000);
    syncNode(state);
    const view: ShellState = { cwd, env, files: onNode ? node.files : context.shell.files, history: [], aliases: {}, lastExitCode: 0 };
    const result = await nested(view, rest.join(" "));
    const left = `Every ${interval.toFixed(1)}s: ${rest.join(" ")}`;
    const right = `${onNode ? node.name : (env.HOSTNAME ?? "controlplane")}: ${ctime(state.clock.nowMs)}`;
    return {
      stdout: `${left}${" ".repeat(Math.max(1, 80 - left.length - right.length))}${right}\n\n${result.stdout}${result.stderr}`,
      stderr: "(watch: the simulated terminal shows one refresh, after the interval; run it again for the next)\n",
      exitCode: 0,
    };
  };
  if (onNode) {
    commands.crictl = crictlCommand(state);
    commands.systemctl = systemctlCommand(state);
    commands.journalctl = journalctlCommand(state);
    commands.kubeadm = kubeadmCommand(state);
  }
  return commands;
}

/** Runs set-up commands as root on the node (a scenario's starting state); a failing command is an error. */
export async function provisionNode(state: ClusterState, commands: string[]): Promise<void> {
  const node = state.node;
  if (node === undefined) throw new Error("the cluster has no kubeadm node to set up");
  const shell: ShellState = {
    cwd: "/root",
    env: {},
    files: {},
    history: [],
    remote: { host: node.name, frames: [frameFor("root", node, {})] },
  };
  for (const command of commands) {
    const result = await runInCluster(state, shell, command, { now: new Date(state.clock.nowMs), recordHistory: false, tick: false });
    if (result.exitCode !== 0) throw new Error(`node set-up command failed (${result.exitCode}): ${command}\n${result.stderr}`);
  }
}

/**
 * Runs one input in a scenario shell. Without a node this is runCommandLine; with one, the clock
 * ticks, the kubelet catches up, and the input runs where the shell is (workstation or node).
 */
export async function runInCluster(
  state: ClusterState,
  shell: ShellState,
  line: string,
  options: RunOptions & { tick?: boolean },
): Promise<RunResult> {
  const node = state.node;
  if (node === undefined) return runCommandLine(shell, line, options);
  if (options.tick !== false) state.clock.nowMs += INPUT_TICK_MS;
  syncNode(state);
  const frame = activeFrame(shell);
  if (frame !== undefined && /^\s*(exit|logout)(\s+\d+)?\s*;?\s*$/.test(line)) {
    const frames = shell.remote?.frames ?? [];
    frames.pop();
    if (frames.length === 0) delete shell.remote;
    if (options.recordHistory !== false) shell.history.push(line.trim());
    const text = frame.user === "root" && frames.length > 0 ? "logout\n" : `logout\nConnection to ${node.name} closed.\n`;
    return { stdout: "", stderr: text, exitCode: 0, exchanges: [], output: [{ stream: "stderr", text }] };
  }
  const context: SessionContext = { state, shell, options, pending: {} };
  const view = viewOf(shell, node);
  const result = await runCommandLine(view, line, {
    ...options,
    now: new Date(state.clock.nowMs),
    commands: { ...options.commands, ...nodeCommands(context, frame !== undefined) },
    network: frame !== undefined ? createClusterNetwork(state) : options.network,
    hostname: frame !== undefined ? node.name : options.hostname,
  });
  if (frame !== undefined) {
    frame.cwd = view.cwd;
    frame.env = view.env;
    shell.history = view.history;
    shell.aliases = view.aliases ?? {};
    shell.lastExitCode = view.lastExitCode ?? 0;
  }
  if (context.pending.push !== undefined) {
    shell.remote ??= { host: node.name, frames: [] };
    if (shell.remote.frames.length < 4) shell.remote.frames.push(context.pending.push);
  }
  syncNode(state);
  return result;
}
