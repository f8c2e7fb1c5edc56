/** A fresh shell session: home folder, /tmp, the usual variables and the `k` alias. */
import type { ShellState } from "./types";
import { createVfs } from "./vfs";

export interface ShellDefaults {
  user?: string;
  hostname?: string;
  /** Extra variables (KUBECONFIG ...), applied last. */
  env?: Record<string, string>;
  /** Files to create: absolute or ~ paths -> content (parents are created). */
  files?: Record<string, string | { content: string; mode?: number }>;
  aliases?: Record<string, string>;
  now?: Date;
}

/** The aliases every session starts with: the exam environment's `k`. */
export const DEFAULT_ALIASES: Readonly<Record<string, string>> = { k: "kubectl" };

export function newShellState(defaults: ShellDefaults = {}): ShellState {
  const user = defaults.user ?? "student";
  const home = user === "root" ? "/root" : `/home/${user}`;
  const state: ShellState = {
    cwd: home,
    env: {
      HOME: home,
      USER: user,
      LOGNAME: user,
      SHELL: "/bin/bash",
      PATH: "/usr/local/bin:/usr/bin:/bin",
      PWD: home,
      TERM: "xterm-256color",
      LANG: "C.UTF-8",
      HOSTNAME: defaults.hostname ?? "controlplane",
      ...(defaults.env ?? {}),
    },
    files: {},
    history: [],
    aliases: { ...DEFAULT_ALIASES, ...(defaults.aliases ?? {}) },
    lastExitCode: 0,
  };
  const vfs = createVfs(state, { now: defaults.now });
  for (const dir of [home, "/tmp", "/etc", `${home}/.kube`]) vfs.mkdir(dir, { parents: true });
  for (const [path, value] of Object.entries(defaults.files ?? {})) {
    const absolute = vfs.resolve(path);
    vfs.mkdir(absolute.slice(0, absolute.lastIndexOf("/")) || "/", { parents: true });
    if (typeof value === "string") vfs.writeFile(absolute, value);
    else vfs.writeFile(absolute, value.content, value.mode === undefined ? {} : { mode: value.mode });
  }
  return state;
}
