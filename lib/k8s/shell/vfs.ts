/**
 * The virtual file system over `ShellState.files` (mutated in place). Errors are the bare
 * strerror texts coreutils prints after the path ("No such file or directory", "Is a directory",
 * "Not a directory", "File exists", "Permission denied", "File too large",
 * "No space left on device"), so each command formats them its own way.
 */
import type { FileNode, ShellState, Vfs } from "./types";

/**
 * The learner's files are stored with the instance after every command, so they are bounded:
 * bytes per file, bytes of all files (contents and paths, well below the instance's size limit),
 * entries, and path and name lengths (Linux's PATH_MAX and NAME_MAX).
 */
export const VFS_LIMITS = {
  maxFileBytes: 1024 * 1024,
  maxTotalBytes: 4 * 1024 * 1024,
  maxEntries: 2000,
  maxPathLength: 4096,
  maxNameLength: 255,
};

const ENAMETOOLONG = "File name too long";

function nameTooLong(abs: string): boolean {
  if (abs.length > VFS_LIMITS.maxPathLength) return true;
  for (const segment of abs.split("/")) if (segment.length > VFS_LIMITS.maxNameLength) return true;
  return false;
}

export const DEFAULT_FILE_MODE = 0o644;
export const DEFAULT_DIR_MODE = 0o755;

export interface FileStat {
  type: "file" | "dir";
  mode: number;
  size: number;
  mtimeMs: number;
}

/** Vfs plus the extras the shell's own commands use (ls -l, mv, chmod). */
export interface ShellVfs extends Vfs {
  stat(path: string): FileStat | undefined;
  rename(from: string, to: string): { ok: true } | { ok: false; error: string };
  chmod(path: string, mode: number): { ok: true } | { ok: false; error: string };
  /** Absolute paths of every entry under `path` (itself included), parents first. */
  walk(path: string): string[];
}

type Result = { ok: true } | { ok: false; error: string };

const ENOENT = "No such file or directory";
const EISDIR = "Is a directory";
const ENOTDIR = "Not a directory";
const EEXIST = "File exists";
const EACCES = "Permission denied";
const EFBIG = "File too large";
const ENOSPC = "No space left on device";

/** Joins and normalizes without touching the file system. */
export function normalizePath(path: string, cwd: string, home: string): string {
  let input = path;
  if (input === "~") input = home;
  else if (input.startsWith("~/")) input = `${home}${input.slice(1)}`;
  const absolute = input.startsWith("/") ? input : `${cwd.replace(/\/+$/, "")}/${input}`;
  const out: string[] = [];
  for (const segment of absolute.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") out.pop();
    else out.push(segment);
  }
  return `/${out.join("/")}`;
}

export function parentOf(path: string): string {
  const index = path.lastIndexOf("/");
  return index <= 0 ? "/" : path.slice(0, index);
}

export function baseName(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  if (trimmed === "") return "/";
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

export function createVfs(state: ShellState, options: { now?: Date } = {}): ShellVfs {
  const files = state.files;
  if (!files["/"]) files["/"] = { type: "dir", mode: DEFAULT_DIR_MODE, mtimeMs: 0 };
  const nowMs = (): number => (options.now ? options.now.getTime() : 0);
  const home = (): string => state.env.HOME ?? "/root";

  const resolve = (path: string): string => normalizePath(path, state.cwd || "/", home());

  const node = (abs: string): FileNode | undefined => (Object.prototype.hasOwnProperty.call(files, abs) ? files[abs] : undefined);

  /** Checks every ancestor: a missing one is ENOENT, a file in the way is ENOTDIR. */
  const ancestorsError = (abs: string): string | undefined => {
    if (abs === "/") return undefined;
    const segments = abs.split("/").filter(Boolean);
    let current = "";
    for (let i = 0; i < segments.length - 1; i++) {
      current += `/${segments[i] ?? ""}`;
      const entry = node(current);
      if (!entry) return ENOENT;
      if (entry.type !== "dir") return ENOTDIR;
    }
    return undefined;
  };

  // Entries and bytes in use, computed once and then kept up to date by writeFile and mkdir (so
  // writing many files stays linear); remove and rename recompute on the next write.
  let usage: { entries: number; bytes: number } | undefined;
  const currentUsage = (): { entries: number; bytes: number } => {
    if (usage) return usage;
    let bytes = 0;
    let entries = 0;
    for (const [path, entry] of Object.entries(files)) {
      entries++;
      bytes += path.length + (entry.type === "file" ? byteLength(entry.content) : 0);
    }
    usage = { entries, bytes };
    return usage;
  };

  const children = (abs: string): string[] => {
    const prefix = abs === "/" ? "/" : `${abs}/`;
    const names: string[] = [];
    for (const key of Object.keys(files)) {
      if (key !== abs && key.startsWith(prefix) && !key.slice(prefix.length).includes("/")) names.push(key.slice(prefix.length));
    }
    return names.sort();
  };

  const readFile: Vfs["readFile"] = (path) => {
    const abs = resolve(path);
    const ancestors = ancestorsError(abs);
    if (ancestors) return { ok: false, error: ancestors };
    const entry = node(abs);
    if (!entry) return { ok: false, error: ENOENT };
    if (entry.type === "dir") return { ok: false, error: EISDIR };
    if ((entry.mode & 0o444) === 0) return { ok: false, error: EACCES };
    return { ok: true, content: entry.content };
  };

  const writeFile: Vfs["writeFile"] = (path, content, writeOptions = {}) => {
    const abs = resolve(path);
    if (nameTooLong(abs)) return { ok: false, error: ENAMETOOLONG };
    if (abs === "/") return { ok: false, error: EISDIR };
    const ancestors = ancestorsError(abs);
    if (ancestors) return { ok: false, error: ancestors };
    const entry = node(abs);
    if (entry?.type === "dir") return { ok: false, error: EISDIR };
    if (entry && (entry.mode & 0o200) === 0) return { ok: false, error: EACCES };
    const parent = node(parentOf(abs));
    if (!entry && parent && (parent.mode & 0o200) === 0) return { ok: false, error: EACCES };
    const newContent = writeOptions.append && entry ? entry.content + content : content;
    const newSize = byteLength(newContent);
    if (newSize > VFS_LIMITS.maxFileBytes) return { ok: false, error: EFBIG };
    const used = currentUsage();
    if (!entry && used.entries >= VFS_LIMITS.maxEntries) return { ok: false, error: ENOSPC };
    const oldSize = entry ? byteLength(entry.content) : -abs.length;
    if (newSize > oldSize && used.bytes - oldSize + newSize > VFS_LIMITS.maxTotalBytes) return { ok: false, error: ENOSPC };
    files[abs] = { type: "file", content: newContent, mode: writeOptions.mode ?? entry?.mode ?? DEFAULT_FILE_MODE, mtimeMs: nowMs() };
    used.bytes += newSize - oldSize;
    if (!entry) used.entries++;
    return { ok: true };
  };

  const mkdir: Vfs["mkdir"] = (path, mkdirOptions = {}) => {
    const abs = resolve(path);
    if (nameTooLong(abs)) return { ok: false, error: ENAMETOOLONG };
    const existing = node(abs);
    if (existing) {
      if (mkdirOptions.parents && existing.type === "dir") return { ok: true };
      return { ok: false, error: EEXIST };
    }
    if (mkdirOptions.parents) {
      const segments = abs.split("/").filter(Boolean);
      let current = "";
      for (const segment of segments) {
        current += `/${segment}`;
        const entry = node(current);
        if (entry?.type === "file") return { ok: false, error: current === abs ? EEXIST : ENOTDIR };
        if (!entry) {
          const used = currentUsage();
          if (used.entries >= VFS_LIMITS.maxEntries) return { ok: false, error: ENOSPC };
          files[current] = { type: "dir", mode: DEFAULT_DIR_MODE, mtimeMs: nowMs() };
          used.entries++;
          used.bytes += current.length;
        }
      }
      return { ok: true };
    }
    const ancestors = ancestorsError(abs);
    if (ancestors) return { ok: false, error: ancestors };
    const used = currentUsage();
    if (used.entries >= VFS_LIMITS.maxEntries) return { ok: false, error: ENOSPC };
    files[abs] = { type: "dir", mode: DEFAULT_DIR_MODE, mtimeMs: nowMs() };
    used.entries++;
    used.bytes += abs.length;
    return { ok: true };
  };

  const walk = (path: string): string[] => {
    const abs = resolve(path);
    if (!node(abs)) return [];
    const prefix = abs === "/" ? "/" : `${abs}/`;
    return Object.keys(files)
      .filter((key) => key === abs || key.startsWith(prefix))
      .sort((a, b) => a.split("/").length - b.split("/").length || a.localeCompare(b));
  };

  const remove: Vfs["remove"] = (path, removeOptions = {}) => {
    usage = undefined;
    const abs = resolve(path);
    const ancestors = ancestorsError(abs);
    if (ancestors) return { ok: false, error: ancestors };
    const entry = node(abs);
    if (!entry) return { ok: false, error: ENOENT };
    if (abs === "/") return { ok: false, error: EACCES };
    if (entry.type === "dir") {
      if (!removeOptions.recursive) return { ok: false, error: EISDIR };
      for (const key of walk(abs)) delete files[key];
      return { ok: true };
    }
    delete files[abs];
    return { ok: true };
  };

  const rename = (from: string, to: string): Result => {
    usage = undefined;
    const source = resolve(from);
    const target = resolve(to);
    const entry = node(source);
    if (!entry) return { ok: false, error: ancestorsError(source) ?? ENOENT };
    if (source === target) return { ok: true };
    if (target.startsWith(`${source}/`)) return { ok: false, error: "Invalid argument" };
    const ancestors = ancestorsError(target);
    if (ancestors) return { ok: false, error: ancestors };
    const existing = node(target);
    if (existing?.type === "dir" && entry.type === "file") return { ok: false, error: EISDIR };
    if (existing?.type === "file" && entry.type === "dir") return { ok: false, error: ENOTDIR };
    if (existing?.type === "dir" && children(target).length > 0) return { ok: false, error: "Directory not empty" };
    const moved = walk(source);
    if (moved.some((key) => nameTooLong(target + key.slice(source.length)))) return { ok: false, error: ENAMETOOLONG };
    const nodes = moved.map((key) => [key, files[key]] as const);
    for (const key of moved) delete files[key];
    for (const [key, value] of nodes) if (value) files[target + key.slice(source.length)] = value;
    return { ok: true };
  };

  return {
    resolve,
    readFile,
    writeFile,
    exists: (path) => node(resolve(path)) !== undefined,
    isDirectory: (path) => node(resolve(path))?.type === "dir",
    list: (path) => {
      const abs = resolve(path);
      return node(abs)?.type === "dir" ? children(abs) : undefined;
    },
    mkdir,
    remove,
    stat: (path) => {
      const entry = node(resolve(path));
      if (!entry) return undefined;
      return { type: entry.type, mode: entry.mode, size: entry.type === "file" ? byteLength(entry.content) : 4096, mtimeMs: entry.mtimeMs };
    },
    rename,
    chmod: (path, mode) => {
      const entry = node(resolve(path));
      if (!entry) return { ok: false, error: ENOENT };
      entry.mode = mode & 0o7777;
      return { ok: true };
    },
    walk,
  };
}

/** A Vfs from a command context, upgraded to ShellVfs when it is one of ours. */
export function asShellVfs(fs: Vfs): ShellVfs | undefined {
  const candidate = fs as Partial<ShellVfs>;
  return typeof candidate.stat === "function" &&
    typeof candidate.rename === "function" &&
    typeof candidate.walk === "function" &&
    typeof candidate.chmod === "function"
    ? (fs as ShellVfs)
    : undefined;
}
