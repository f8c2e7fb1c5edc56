/**
 * Tab completion for the terminal: command names for the first word of a command, `$VARIABLES`,
 * file names for later words, and kubectl's own completion through a hook.
 */
import { defaultRegistry } from "./commands";
import { BUILTINS } from "./run";
import type { ShellState, Vfs } from "./types";
import { createVfs } from "./vfs";

export interface KubectlCompletionContext {
  fs: Vfs;
  env: Record<string, string>;
  cwd: string;
}

/**
 * kubectl's completer: `args` are the words after `kubectl` up to the cursor, the last one being
 * the partial word (possibly ""). Returns full replacement words for that last word.
 */
export type KubectlCompleter = (args: string[], context: KubectlCompletionContext) => string[];

export interface CompleteOptions {
  /** Extra command names (kubectl, k, ...) beyond the built-in ones. */
  commandNames?: string[];
  kubectl?: KubectlCompleter;
  /** Same as `kubectl` (either name works). */
  kubectlCompletions?: KubectlCompleter;
  /** Defaults to 200. */
  maxCandidates?: number;
}

export interface CompletionResult {
  /** Replacement words for line.slice(start, cursor), sorted; directories end with "/". */
  candidates: string[];
  start: number;
}

interface Token {
  text: string;
  start: number;
}

/** Splits the text before the cursor into the words of the current command (after | ; && ||). */
function currentCommandWords(text: string): { words: Token[]; trailingSpace: boolean } {
  let words: Token[] = [];
  let current = "";
  let start = -1;
  let quote: string | undefined;
  const flush = (): void => {
    if (start >= 0) words.push({ text: current, start });
    current = "";
    start = -1;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? "";
    if (quote) {
      if (ch === quote) quote = undefined;
      else current += ch;
      continue;
    }
    if (ch === "'" || ch === '"') {
      if (start < 0) start = i;
      quote = ch;
      continue;
    }
    if (ch === "\\" && i + 1 < text.length) {
      if (start < 0) start = i;
      current += text[++i] ?? "";
      continue;
    }
    if (ch === " " || ch === "\t") {
      flush();
      continue;
    }
    if (ch === "|" || ch === ";" || ch === "&" || ch === "\n" || ch === "(" || ch === ")") {
      flush();
      words = [];
      continue;
    }
    if (ch === "<" || ch === ">") {
      flush();
      continue;
    }
    if (start < 0) start = i;
    current += ch;
  }
  const trailingSpace = start < 0 && quote === undefined;
  flush();
  return { words, trailingSpace };
}

export function complete(state: ShellState, line: string, cursor: number, options: CompleteOptions = {}): CompletionResult {
  try {
    const safeCursor = Math.max(0, Math.min(typeof cursor === "number" && Number.isFinite(cursor) ? cursor : line.length, line.length));
    const before = line.slice(0, safeCursor);
    if (before.length > 10_000) return { candidates: [], start: safeCursor };
    const { words, trailingSpace } = currentCommandWords(before);
    const max = options.maxCandidates ?? 200;
    const partial: Token =
      trailingSpace || words.length === 0 ? { text: "", start: safeCursor } : (words[words.length - 1] ?? { text: "", start: safeCursor });
    const previous = trailingSpace ? words : words.slice(0, -1);
    const finish = (candidates: string[]): CompletionResult => ({
      candidates: [...new Set(candidates)].sort().slice(0, max),
      start: partial.start,
    });

    if (partial.text.startsWith("$")) {
      const prefix = partial.text.slice(1).replace(/^\{/, "");
      const brace = partial.text.startsWith("${");
      return finish(
        Object.keys(state.env)
          .filter((name) => name.startsWith(prefix))
          .map((name) => (brace ? `\${${name}}` : `$${name}`)),
      );
    }

    // Skip leading assignments (FOO=bar cmd).
    const commandIndex = previous.findIndex((token) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(token.text));
    if (commandIndex < 0) {
      const names = [
        ...BUILTINS,
        ...Object.keys(defaultRegistry),
        ...(options.commandNames ?? []),
        ...Object.keys(state.aliases ?? {}),
        "which",
      ];
      return finish(names.filter((name) => name.startsWith(partial.text) && name !== "." && name !== ":"));
    }

    const commandToken = previous[commandIndex];
    let command = commandToken?.text ?? "";
    const alias = state.aliases?.[command];
    let aliasArgs: string[] = [];
    if (alias !== undefined) {
      const [first = "", ...rest] = alias.trim().split(/\s+/);
      command = first;
      aliasArgs = rest;
    }
    const kubectl = options.kubectl ?? options.kubectlCompletions;
    const vfs = createVfs(state);
    if (command === "kubectl" && kubectl) {
      const args = [...aliasArgs, ...previous.slice(commandIndex + 1).map((token) => token.text), partial.text];
      const fromKubectl = kubectl(args, { fs: vfs, env: { ...state.env }, cwd: state.cwd });
      const previousWord = previous[previous.length - 1]?.text ?? "";
      // Flags taking a file (-f, --kubeconfig, --client-certificate ...) fall back to file names.
      if (
        fromKubectl.length > 0 ||
        !/^(-f|--filename|--kubeconfig|--client-certificate|--client-key|--certificate-authority|--from-file)$/.test(previousWord)
      ) {
        return finish(fromKubectl.filter((candidate) => candidate.startsWith(partial.text)));
      }
    }
    return finish(completeFiles(vfs, partial.text, command === "cd" || command === "rmdir"));
  } catch {
    return { candidates: [], start: typeof cursor === "number" ? cursor : 0 };
  }
}

function completeFiles(vfs: Vfs, word: string, directoriesOnly: boolean): string[] {
  // `--flag=path` completes the path part.
  const eq = word.startsWith("-") ? word.indexOf("=") : -1;
  const prefix = eq >= 0 ? word.slice(0, eq + 1) : "";
  const pathText = word.slice(prefix.length);
  const slash = pathText.lastIndexOf("/");
  const dirText = slash >= 0 ? pathText.slice(0, slash + 1) : "";
  const base = slash >= 0 ? pathText.slice(slash + 1) : pathText;
  const dir = dirText === "" ? "." : dirText;
  if (pathText === "~") return [`${prefix}~/`];
  const names = vfs.list(dir) ?? [];
  const out: string[] = [];
  for (const name of names) {
    if (!name.startsWith(base)) continue;
    if (name.startsWith(".") && !base.startsWith(".")) continue;
    const full = `${dirText}${name}`;
    const isDir = vfs.isDirectory(full);
    if (directoriesOnly && !isDir) continue;
    out.push(`${prefix}${full}${isDir ? "/" : ""}`);
  }
  return out;
}
