/** File commands: ls, cat, mkdir, rmdir, cp, mv, rm, touch, tee, chmod, basename, dirname, realpath, find, stat. */
import type { CommandHandler, CommandResult, Vfs } from "../types";
import { compileGlob, globMatch, type Glob } from "../glob";
import { asShellVfs, baseName, parentOf } from "../vfs";
import { fail, ok, parseOptions, quoteName, readInputs, statOf } from "./util";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function modeString(type: "file" | "dir", mode: number): string {
  const bits = "rwxrwxrwx";
  let out = type === "dir" ? "d" : "-";
  for (let i = 0; i < 9; i++) out += mode & (1 << (8 - i)) ? bits[i] : "-";
  return out;
}

function lsTime(mtimeMs: number, now: Date): string {
  const date = new Date(mtimeMs);
  const day = String(date.getUTCDate()).padStart(2, " ");
  const month = MONTHS[date.getUTCMonth()] ?? "Jan";
  const sixMonths = 182 * 24 * 3600 * 1000;
  if (Math.abs(now.getTime() - mtimeMs) < sixMonths) {
    return `${month} ${day} ${String(date.getUTCHours()).padStart(2, "0")}:${String(date.getUTCMinutes()).padStart(2, "0")}`;
  }
  return `${month} ${day}  ${date.getUTCFullYear()}`;
}

function humanSize(size: number): string {
  if (size < 1024) return String(size);
  const units = ["K", "M", "G"];
  let value = size;
  let unit = "";
  for (const candidate of units) {
    value /= 1024;
    unit = candidate;
    if (value < 1024) break;
  }
  return value < 10 ? `${Math.ceil(value * 10) / 10}${unit}` : `${Math.ceil(value)}${unit}`;
}

/** GNU ls column layout for a terminal 80 columns wide (column-major). */
function columns(names: string[], width = 80): string {
  if (names.length === 0) return "";
  for (let cols = Math.min(names.length, Math.floor(width / 3)); cols >= 1; cols--) {
    const rows = Math.ceil(names.length / cols);
    const widths: number[] = [];
    for (let c = 0; c < cols; c++) {
      const column = names.slice(c * rows, (c + 1) * rows);
      widths.push(Math.max(0, ...column.map((name) => name.length)));
    }
    const total = widths.reduce((sum, w) => sum + w, 0) + 2 * (cols - 1);
    if (total <= width || cols === 1) {
      let out = "";
      for (let r = 0; r < rows; r++) {
        const cells: string[] = [];
        for (let c = 0; c < cols; c++) {
          const name = names[c * rows + r];
          if (name === undefined) continue;
          cells.push(name);
        }
        out += cells.map((cell, index) => (index === cells.length - 1 ? cell : cell.padEnd((widths[index] ?? 0) + 2, " "))).join("") + "\n";
      }
      return out;
    }
  }
  return names.join("\n") + "\n";
}

export const ls: CommandHandler = async ({ args, fs, env, now }) => {
  const parsed = parseOptions("ls", args, {
    flags: "laA1RdhtrSF",
    long: { all: "a", "almost-all": "A", recursive: "R", directory: "d", "human-readable": "h", reverse: "r" },
  });
  if (!parsed.ok) return fail(parsed.error, 2);
  const { flags, operands } = parsed.options;
  const long = flags.has("l");
  const owner = env.USER ?? "student";
  let stderr = "";
  let exitCode = 0;
  const entryLine = (path: string, name: string): string => {
    const stat = statOf(fs, path);
    if (!stat) return name;
    if (!long) return name + (flags.has("F") && stat.type === "dir" ? "/" : "");
    return `${modeString(stat.type, stat.mode)} 1 ${owner} ${owner} \uE000${flags.has("h") ? humanSize(stat.size) : String(stat.size)} ${lsTime(stat.mtimeMs, now)} ${name}`;
  };
  const alignSizes = (rows: string[]): string[] => {
    const sizes = rows.map((row) => /\uE000(\S+)/.exec(row)?.[1] ?? "");
    const width = Math.max(0, ...sizes.map((size) => size.length));
    return rows.map((row, index) => row.replace(/\uE000\S+/, (sizes[index] ?? "").padStart(width, " ")));
  };
  const render = (rows: string[], names: string[]): string =>
    long
      ? alignSizes(rows)
          .map((row) => `${row}\n`)
          .join("")
      : flags.has("1")
        ? names.map((n) => `${n}\n`).join("")
        : columns(names);
  const sortNames = (dir: string, names: string[]): string[] => {
    // C.UTF-8 (the terminal's locale) sorts by code point, dot files first.
    let sorted = [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (flags.has("t")) sorted.sort((a, b) => (statOf(fs, joinPath(dir, b))?.mtimeMs ?? 0) - (statOf(fs, joinPath(dir, a))?.mtimeMs ?? 0));
    if (flags.has("S")) sorted.sort((a, b) => (statOf(fs, joinPath(dir, b))?.size ?? 0) - (statOf(fs, joinPath(dir, a))?.size ?? 0));
    if (flags.has("r")) sorted = sorted.reverse();
    return sorted;
  };
  const listDir = (dir: string): { text: string; subdirs: string[] } => {
    const children = fs.list(dir) ?? [];
    let names = children.filter((name) => flags.has("a") || flags.has("A") || !name.startsWith("."));
    names = sortNames(dir, names);
    if (flags.has("a")) names = [".", "..", ...names];
    const rows = names.map((name) => entryLine(name === "." ? dir : name === ".." ? parentOf(fs.resolve(dir)) : joinPath(dir, name), name));
    let text = "";
    if (long) {
      const blocks = names.reduce((sum, name) => {
        const stat = statOf(fs, name === "." ? dir : name === ".." ? parentOf(fs.resolve(dir)) : joinPath(dir, name));
        return sum + (stat ? Math.ceil(stat.size / 4096) * 4 : 0);
      }, 0);
      text += `total ${blocks}\n`;
    }
    text += render(rows, rows);
    const subdirs = names
      .filter((name) => name !== "." && name !== ".." && fs.isDirectory(joinPath(dir, name)))
      .map((name) => joinPath(dir, name));
    return { text, subdirs };
  };
  const targets = operands.length === 0 ? ["."] : operands;
  const fileTargets: string[] = [];
  const dirTargets: string[] = [];
  for (const target of targets) {
    const stat = statOf(fs, target);
    if (!stat) {
      stderr += `ls: cannot access ${quoteName(target).startsWith("'") ? quoteName(target) : `'${target}'`}: No such file or directory\n`;
      exitCode = 2;
    } else if (stat.type === "dir" && !flags.has("d")) dirTargets.push(target);
    else fileTargets.push(target);
  }
  let stdout = "";
  if (fileTargets.length > 0) {
    const sorted = sortNames(".", fileTargets);
    stdout += render(
      sorted.map((target) => entryLine(target, target)),
      sorted,
    );
  }
  const showHeaders = dirTargets.length + fileTargets.length > 1 || flags.has("R") || (exitCode !== 0 && targets.length > 1);
  const queue = sortNames(".", dirTargets);
  let first = fileTargets.length === 0;
  let guard = 0;
  while (queue.length > 0 && guard++ < 2000) {
    const dir = queue.shift() ?? ".";
    const { text, subdirs } = listDir(dir);
    if (!first) stdout += "\n";
    first = false;
    if (showHeaders) stdout += `${dir}:\n`;
    stdout += text;
    if (flags.has("R")) queue.unshift(...subdirs);
  }
  return { stdout, stderr, exitCode };
};

function joinPath(dir: string, name: string): string {
  if (dir === "." || dir === "") return name;
  return dir.endsWith("/") ? `${dir}${name}` : `${dir}/${name}`;
}

export const cat: CommandHandler = async ({ args, fs, stdin }) => {
  const parsed = parseOptions("cat", args, { flags: "nAEsvT", long: { number: "n" } });
  if (!parsed.ok) return fail(parsed.error);
  const { inputs, errors, failed } = readInputs("cat", fs, parsed.options.operands, stdin);
  let stdout = inputs.map((input) => input.content).join("");
  if (parsed.options.flags.has("n")) {
    const all = stdout.split("\n");
    const trailing = stdout.endsWith("\n");
    if (trailing) all.pop();
    stdout = all.map((line, index) => `${String(index + 1).padStart(6, " ")}\t${line}`).join("\n") + (trailing ? "\n" : "");
  }
  return { stdout, stderr: errors, exitCode: failed ? 1 : 0 };
};

export const mkdir: CommandHandler = async ({ args, fs }) => {
  const parsed = parseOptions("mkdir", args, { flags: "pv", valued: "m", long: { parents: "p", verbose: "v" } });
  if (!parsed.ok) return fail(parsed.error);
  const { operands, flags } = parsed.options;
  if (operands.length === 0) return fail("mkdir: missing operand\nTry 'mkdir --help' for more information.");
  let stderr = "";
  let stdout = "";
  for (const dir of operands) {
    const result = fs.mkdir(dir, { parents: flags.has("p") });
    if (!result.ok) stderr += `mkdir: cannot create directory \u2018${dir}\u2019: ${result.error}\n`;
    else if (flags.has("v")) stdout += `mkdir: created directory '${dir}'\n`;
  }
  return { stdout, stderr, exitCode: stderr === "" ? 0 : 1 };
};

export const rmdir: CommandHandler = async ({ args, fs }) => {
  const operands = args.filter((arg) => !arg.startsWith("-"));
  if (operands.length === 0) return fail("rmdir: missing operand\nTry 'rmdir --help' for more information.");
  let stderr = "";
  for (const dir of operands) {
    const list = fs.list(dir);
    if (!fs.exists(dir)) stderr += `rmdir: failed to remove '${dir}': No such file or directory\n`;
    else if (!list) stderr += `rmdir: failed to remove '${dir}': Not a directory\n`;
    else if (list.length > 0) stderr += `rmdir: failed to remove '${dir}': Directory not empty\n`;
    else fs.remove(dir, { recursive: true });
  }
  return { stdout: "", stderr, exitCode: stderr === "" ? 0 : 1 };
};

export const rm: CommandHandler = async ({ args, fs }) => {
  const parsed = parseOptions("rm", args, { flags: "rRfvid", long: { recursive: "r", force: "f", verbose: "v" } });
  if (!parsed.ok) return fail(parsed.error);
  const { operands, flags } = parsed.options;
  const recursive = flags.has("r") || flags.has("R");
  const force = flags.has("f");
  if (operands.length === 0) return force ? ok() : fail("rm: missing operand\nTry 'rm --help' for more information.");
  let stderr = "";
  let stdout = "";
  for (const target of operands) {
    const resolved = fs.resolve(target);
    if (resolved === "/") {
      stderr += "rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n";
      continue;
    }
    if (!fs.exists(target)) {
      if (!force) stderr += `rm: cannot remove '${target}': No such file or directory\n`;
      continue;
    }
    if (fs.isDirectory(target) && !recursive) {
      stderr += `rm: cannot remove '${target}': Is a directory\n`;
      continue;
    }
    const result = fs.remove(target, { recursive });
    if (!result.ok) stderr += `rm: cannot remove '${target}': ${result.error}\n`;
    else if (flags.has("v")) stdout += `removed '${target}'\n`;
  }
  return { stdout, stderr, exitCode: stderr === "" ? 0 : 1 };
};

export const touch: CommandHandler = async ({ args, fs }) => {
  const operands = args.filter((arg) => !arg.startsWith("-"));
  if (operands.length === 0) return fail("touch: missing file operand\nTry 'touch --help' for more information.");
  let stderr = "";
  for (const file of operands) {
    const existing = fs.readFile(file);
    const result = existing.ok
      ? fs.writeFile(file, existing.content)
      : fs.isDirectory(file)
        ? { ok: true as const }
        : fs.writeFile(file, "");
    if (!result.ok) stderr += `touch: cannot touch '${file}': ${result.error}\n`;
  }
  return { stdout: "", stderr, exitCode: stderr === "" ? 0 : 1 };
};

/** Copies a file or a tree; returns error lines. */
function copyEntry(fs: Vfs, source: string, target: string, recursive: boolean, command: string): string {
  if (fs.isDirectory(source)) {
    if (!recursive) return `${command}: -r not specified; omitting directory '${source}'\n`;
    const sourceAbs = fs.resolve(source);
    const targetAbs = fs.resolve(target);
    if (targetAbs === sourceAbs || targetAbs.startsWith(`${sourceAbs}/`))
      return `${command}: cannot copy a directory, '${source}', into itself, '${target}'\n`;
    const made = fs.mkdir(targetAbs, { parents: true });
    if (!made.ok) return `${command}: cannot create directory '${target}': ${made.error}\n`;
    let errors = "";
    for (const name of fs.list(sourceAbs) ?? []) errors += copyEntry(fs, `${sourceAbs}/${name}`, `${targetAbs}/${name}`, true, command);
    return errors;
  }
  const read = fs.readFile(source);
  if (!read.ok) return `${command}: cannot open '${source}' for reading: ${read.error}\n`;
  const mode = statOf(fs, source)?.mode;
  const written = fs.writeFile(target, read.content, mode === undefined ? {} : { mode });
  if (!written.ok) return `${command}: cannot create regular file '${target}': ${written.error}\n`;
  return "";
}

function copyOrMove(command: "cp" | "mv"): CommandHandler {
  return async ({ args, fs }) => {
    const parsed = parseOptions(command, args, {
      flags: command === "cp" ? "rRfapvi" : "fvin",
      long: { recursive: "r", force: "f", verbose: "v" },
    });
    if (!parsed.ok) return fail(parsed.error);
    const { operands, flags } = parsed.options;
    if (operands.length === 0) return fail(`${command}: missing file operand\nTry '${command} --help' for more information.`);
    if (operands.length === 1)
      return fail(
        `${command}: missing destination file operand after '${operands[0] ?? ""}'\nTry '${command} --help' for more information.`,
      );
    const destination = operands[operands.length - 1] ?? "";
    const sources = operands.slice(0, -1);
    const intoDir = fs.isDirectory(destination);
    if (sources.length > 1 && !intoDir) return fail(`${command}: target '${destination}' is not a directory`);
    let stderr = "";
    const recursive = command === "mv" || flags.has("r") || flags.has("R") || flags.has("a");
    for (const source of sources) {
      if (!fs.exists(source)) {
        stderr += `${command}: cannot stat '${source}': No such file or directory\n`;
        continue;
      }
      const target = intoDir ? `${fs.resolve(destination)}/${baseName(fs.resolve(source))}` : destination;
      if (fs.resolve(source) === fs.resolve(target)) {
        stderr += `${command}: '${source}' and '${target}' are the same file\n`;
        continue;
      }
      if (command === "mv") {
        const shell = asShellVfs(fs);
        if (shell) {
          const moved = shell.rename(source, target);
          if (!moved.ok) stderr += `mv: cannot move '${source}' to '${target}': ${moved.error}\n`;
          continue;
        }
      }
      const errors = copyEntry(fs, source, target, recursive, command);
      stderr += errors;
      if (command === "mv" && errors === "") fs.remove(source, { recursive: true });
    }
    return { stdout: "", stderr, exitCode: stderr === "" ? 0 : 1 };
  };
}

export const cp = copyOrMove("cp");
export const mv = copyOrMove("mv");

export const tee: CommandHandler = async ({ args, fs, stdin }) => {
  const parsed = parseOptions("tee", args, { flags: "a", long: { append: "a" } });
  if (!parsed.ok) return fail(parsed.error);
  let stderr = "";
  for (const file of parsed.options.operands) {
    if (file === "/dev/null") continue;
    const result = fs.writeFile(file, stdin, { append: parsed.options.flags.has("a") });
    if (!result.ok) stderr += `tee: ${file}: ${result.error}\n`;
  }
  return { stdout: stdin, stderr, exitCode: stderr === "" ? 0 : 1 };
};

export const chmod: CommandHandler = async ({ args, fs }) => {
  const operands = args.filter((arg, index) => !(arg === "-R" || (index === 0 && arg === "-v")));
  const [modeText, ...files] = operands;
  if (modeText === undefined) return fail("chmod: missing operand\nTry 'chmod --help' for more information.");
  if (files.length === 0) return fail(`chmod: missing operand after '${modeText}'\nTry 'chmod --help' for more information.`);
  const shell = asShellVfs(fs);
  let stderr = "";
  for (const file of files) {
    const stat = statOf(fs, file);
    if (!stat) {
      stderr += `chmod: cannot access '${file}': No such file or directory\n`;
      continue;
    }
    const mode = applyMode(stat.mode, modeText);
    if (mode === undefined) return fail(`chmod: invalid mode: \u2018${modeText}\u2019\nTry 'chmod --help' for more information.`);
    shell?.chmod(file, mode);
  }
  return { stdout: "", stderr, exitCode: stderr === "" ? 0 : 1 };
};

function applyMode(current: number, text: string): number | undefined {
  if (/^[0-7]{1,4}$/.test(text)) return parseInt(text, 8);
  let mode = current;
  for (const clause of text.split(",")) {
    const match = /^([ugoa]*)([+\-=])([rwx]*)$/.exec(clause);
    if (!match) return undefined;
    const who = match[1] === "" || match[1] === undefined ? "a" : match[1];
    let bits = 0;
    for (const perm of match[3] ?? "") bits |= perm === "r" ? 4 : perm === "w" ? 2 : 1;
    let mask = 0;
    let value = 0;
    for (const target of who.includes("a") ? "ugo" : who) {
      const shift = target === "u" ? 6 : target === "g" ? 3 : 0;
      mask |= 7 << shift;
      value |= bits << shift;
    }
    if (match[2] === "+") mode |= value;
    else if (match[2] === "-") mode &= ~value;
    else mode = (mode & ~mask) | value;
  }
  return mode;
}

export const basename: CommandHandler = async ({ args }) => {
  const [path, suffix] = args;
  if (path === undefined) return fail("basename: missing operand\nTry 'basename --help' for more information.");
  let name = baseName(path);
  if (suffix && name.endsWith(suffix) && name !== suffix) name = name.slice(0, -suffix.length);
  return ok(`${name}\n`);
};

export const dirname: CommandHandler = async ({ args }) => {
  if (args.length === 0) return fail("dirname: missing operand\nTry 'dirname --help' for more information.");
  return ok(
    args
      .map((path) => {
        const trimmed = path.replace(/\/+$/, "");
        if (trimmed === "") return path.startsWith("/") ? "/" : ".";
        const index = trimmed.lastIndexOf("/");
        return index < 0 ? "." : index === 0 ? "/" : trimmed.slice(0, index);
      })
      .map((line) => `${line}\n`)
      .join(""),
  );
};

export const realpath: CommandHandler = async ({ args, fs }) => {
  let stdout = "";
  let stderr = "";
  for (const path of args.filter((arg) => !arg.startsWith("-"))) {
    if (fs.exists(path)) stdout += `${fs.resolve(path)}\n`;
    else stderr += `realpath: ${path}: No such file or directory\n`;
  }
  return { stdout, stderr, exitCode: stderr === "" ? 0 : 1 };
};

/** find [path...] [-name PATTERN] [-type f|d] [-maxdepth N] */
export const find: CommandHandler = async ({ args, fs }) => {
  const paths: string[] = [];
  let namePattern: Glob | undefined;
  let type: string | undefined;
  let maxDepth = Infinity;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "-name" || arg === "-iname") {
      const pattern = args[++i] ?? "";
      namePattern = compileGlob(pattern, undefined, arg === "-iname");
    } else if (arg === "-type") type = args[++i];
    else if (arg === "-maxdepth") maxDepth = Number(args[++i] ?? "0");
    else if (arg.startsWith("-")) return fail(`find: unknown predicate \`${arg}'`);
    else paths.push(arg);
  }
  if (paths.length === 0) paths.push(".");
  let stdout = "";
  let stderr = "";
  const visit = (shown: string, depth: number): void => {
    const isDir = fs.isDirectory(shown);
    const name = baseName(shown);
    const matches = (!namePattern || globMatch(namePattern, name)) && (!type || (type === "d" ? isDir : !isDir));
    if (matches) stdout += `${shown}\n`;
    if (isDir && depth < maxDepth && stdout.length < 1_000_000)
      for (const child of fs.list(shown) ?? []) visit(shown.endsWith("/") ? `${shown}${child}` : `${shown}/${child}`, depth + 1);
  };
  for (const path of paths) {
    if (!fs.exists(path)) stderr += `find: \u2018${path}\u2019: No such file or directory\n`;
    else visit(path, 0);
  }
  return { stdout, stderr, exitCode: stderr === "" ? 0 : 1 };
};

export const stat: CommandHandler = async ({ args, fs, env }): Promise<CommandResult> => {
  let stdout = "";
  let stderr = "";
  for (const path of args.filter((arg) => !arg.startsWith("-"))) {
    const info = statOf(fs, path);
    if (!info) {
      stderr += `stat: cannot statx '${path}': No such file or directory\n`;
      continue;
    }
    const owner = env.USER ?? "student";
    const when = new Date(info.mtimeMs).toISOString().replace("T", " ").replace("Z", "000000 +0000");
    stdout += `  File: ${path}\n  Size: ${info.size}\t\tBlocks: ${Math.ceil(info.size / 512)}\t\tIO Block: 4096   ${info.type === "dir" ? "directory" : "regular file"}\nAccess: (${(info.mode & 0o7777).toString(8).padStart(4, "0")}/${modeString(info.type, info.mode)})  Uid: ( 1000/ ${owner})   Gid: ( 1000/ ${owner})\nModify: ${when}\n`;
  }
  return { stdout, stderr, exitCode: stderr === "" ? 0 : 1 };
};
