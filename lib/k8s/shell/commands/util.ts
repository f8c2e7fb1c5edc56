/** Helpers shared by the simulated coreutils. */
import type { CommandResult, Vfs } from "../types";
import { asShellVfs, type FileStat } from "../vfs";

export function ok(stdout = "", stderr = ""): CommandResult {
  return { stdout, stderr, exitCode: 0 };
}

export function fail(stderr: string, exitCode = 1, stdout = ""): CommandResult {
  return { stdout, stderr: stderr.endsWith("\n") || stderr === "" ? stderr : `${stderr}\n`, exitCode };
}

export interface ParsedOptions {
  flags: Set<string>;
  values: Map<string, string>;
  operands: string[];
}

export interface OptionSpec {
  /** Single-letter flags without a value, e.g. "lar1". */
  flags?: string;
  /** Single-letter options taking a value, e.g. "nc". */
  valued?: string;
  /** Long flags mapped to a short name (or kept as is), e.g. { decode: "d" }. */
  long?: Record<string, string>;
  /** Long options with a value (`--wrap=76` / `--wrap 76`), mapped to a short name. */
  longValued?: Record<string, string>;
  /** Accept `-5` as `-n 5` (head / tail). */
  numericShorthand?: string;
}

export type OptionsResult = { ok: true; options: ParsedOptions } | { ok: false; error: string };

/** getopt-like parsing with GNU permutation (options may follow operands) and `--`. */
export function parseOptions(command: string, args: string[], spec: OptionSpec): OptionsResult {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "--") {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith("--") && arg.length > 2) {
      const eq = arg.indexOf("=");
      const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      const longValued = spec.longValued?.[name];
      if (longValued !== undefined) {
        const value = eq >= 0 ? arg.slice(eq + 1) : args[++i];
        if (value === undefined)
          return { ok: false, error: `${command}: option '--${name}' requires an argument\nTry '${command} --help' for more information.` };
        values.set(longValued, value);
        continue;
      }
      const longFlag = spec.long?.[name];
      if (longFlag !== undefined && eq < 0) {
        flags.add(longFlag);
        continue;
      }
      return { ok: false, error: `${command}: unrecognized option '${arg}'\nTry '${command} --help' for more information.` };
    }
    if (arg.startsWith("-") && arg.length > 1) {
      if (spec.numericShorthand && /^-\d+$/.test(arg)) {
        values.set(spec.numericShorthand, arg.slice(1));
        continue;
      }
      for (let j = 1; j < arg.length; j++) {
        const letter = arg[j] ?? "";
        if (spec.valued?.includes(letter)) {
          const value = j + 1 < arg.length ? arg.slice(j + 1) : args[++i];
          if (value === undefined)
            return {
              ok: false,
              error: `${command}: option requires an argument -- '${letter}'\nTry '${command} --help' for more information.`,
            };
          values.set(letter, value);
          break;
        }
        if (spec.flags?.includes(letter)) {
          flags.add(letter);
          continue;
        }
        return { ok: false, error: `${command}: invalid option -- '${letter}'\nTry '${command} --help' for more information.` };
      }
      continue;
    }
    operands.push(arg);
  }
  return { ok: true, options: { flags, values, operands } };
}

/** Contents of the operands ("-" or none: stdin), with `cmd: f: error` lines for failures. */
export function readInputs(
  command: string,
  fs: Vfs,
  operands: string[],
  stdin: string,
): { inputs: { name: string; content: string }[]; errors: string; failed: boolean } {
  const inputs: { name: string; content: string }[] = [];
  let errors = "";
  let failed = false;
  const names = operands.length === 0 ? ["-"] : operands;
  for (const name of names) {
    if (name === "-") {
      inputs.push({ name: "-", content: stdin });
      continue;
    }
    if (name === "/dev/null") {
      inputs.push({ name, content: "" });
      continue;
    }
    const read = fs.readFile(name);
    if (read.ok) inputs.push({ name, content: read.content });
    else {
      errors += `${command}: ${name}: ${read.error}\n`;
      failed = true;
    }
  }
  return { inputs, errors, failed };
}

/** Splits text into lines without the trailing empty element. */
export function lines(text: string): string[] {
  if (text === "") return [];
  const parts = text.split("\n");
  if (parts[parts.length - 1] === "") parts.pop();
  return parts;
}

/** Stat through the ShellVfs when available, else derived from the plain Vfs. */
export function statOf(fs: Vfs, path: string): FileStat | undefined {
  const shell = asShellVfs(fs);
  if (shell) return shell.stat(path);
  if (fs.isDirectory(path)) return { type: "dir", mode: 0o755, size: 4096, mtimeMs: 0 };
  const read = fs.readFile(path);
  if (!read.ok) return undefined;
  return { type: "file", mode: 0o644, size: Buffer.byteLength(read.content), mtimeMs: 0 };
}

/** coreutils quotes names with spaces or specials in messages: 'my file'. */
export function quoteName(name: string): string {
  return /^[A-Za-z0-9_./@%+=:,-]+$/.test(name) ? name : `'${name.replace(/'/g, "'\\''")}'`;
}

export function parseCount(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const match = /^([+-]?)(\d+)([kKmM]?)$/.exec(text);
  if (!match) return undefined;
  const unit = match[3] === "" ? 1 : /k/i.test(match[3] ?? "") ? 1024 : 1024 * 1024;
  return Number(match[2]) * unit * (match[1] === "-" ? -1 : 1);
}
