/** grep (and egrep): POSIX BRE/ERE (or fixed strings) on the linear-time engine, over files, stdin or directories (-r). */
import { compilePosix, type LinearRegex } from "../../regex";
import type { CommandHandler } from "../../types";
import { fail, lines, parseOptions, readInputs } from "../util";

export const grep: CommandHandler = async ({ args, fs, stdin, budget }) => {
  const parsed = parseOptions("grep", args, {
    flags: "ivncEFoqrRlLhHwxsPz",
    valued: "eABCm",
    long: {
      "ignore-case": "i",
      "invert-match": "v",
      "line-number": "n",
      count: "c",
      "extended-regexp": "E",
      "fixed-strings": "F",
      "only-matching": "o",
      quiet: "q",
      silent: "q",
      recursive: "r",
      "files-with-matches": "l",
      "no-filename": "h",
      "with-filename": "H",
      "word-regexp": "w",
      "line-regexp": "x",
      "no-messages": "s",
    },
    longValued: {
      regexp: "e",
      "max-count": "m",
      context: "C",
      "after-context": "A",
      "before-context": "B",
      color: "_color",
      colour: "_color",
    },
  });
  if (!parsed.ok)
    return fail(`${parsed.error.replace(/Try 'grep --help'/, "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help'")}`, 2);
  const { flags, values } = parsed.options;
  const operands = [...parsed.options.operands];
  let patternText = values.get("e");
  if (patternText === undefined) {
    patternText = operands.shift();
    if (patternText === undefined) return fail("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.", 2);
  }
  let regex: LinearRegex;
  try {
    regex = compilePosix(patternText.split("\n"), {
      extended: flags.has("E"),
      perl: flags.has("P"),
      fixed: flags.has("F"),
      ignoreCase: flags.has("i"),
      word: flags.has("w"),
      line: flags.has("x"),
    });
  } catch (error) {
    return fail(`grep: ${error instanceof Error ? error.message : String(error)}`, 2);
  }
  const recursive = flags.has("r") || flags.has("R");
  let sources: { name: string; content: string }[] = [];
  let stderr = "";
  let hadError = false;
  if (recursive) {
    const roots = operands.length === 0 ? ["."] : operands;
    const walk = (path: string): void => {
      if (fs.isDirectory(path)) {
        for (const child of fs.list(path) ?? []) walk(path.endsWith("/") ? `${path}${child}` : `${path}/${child}`);
        return;
      }
      const read = fs.readFile(path);
      if (read.ok) sources.push({ name: path.startsWith("./") && operands.length === 0 ? path.slice(2) : path, content: read.content });
      else {
        hadError = true;
        if (!flags.has("s")) stderr += `grep: ${path}: ${read.error}\n`;
      }
    };
    for (const root of roots) walk(root);
  } else {
    for (const name of operands) {
      if (fs.isDirectory(name)) {
        stderr += `grep: ${name}: Is a directory\n`;
        continue;
      }
    }
    const input = readInputs(
      "grep",
      fs,
      operands.filter((name) => !fs.isDirectory(name)),
      stdin,
    );
    sources = input.inputs.map((entry) => ({ name: entry.name === "-" ? "(standard input)" : entry.name, content: entry.content }));
    if (!flags.has("s")) stderr += input.errors;
    hadError = input.failed;
  }
  const showNames = flags.has("H") || (!flags.has("h") && (recursive || operands.length > 1));
  const maxCount = values.has("m") ? Number(values.get("m")) : Infinity;
  let stdout = "";
  let matchedAny = false;
  for (const source of sources) {
    let count = 0;
    const prefixName = showNames ? `${source.name}:` : "";
    for (const [index, line] of lines(source.content).entries()) {
      if (count >= maxCount) break;
      const matched = regex.test(line);
      if (matched === flags.has("v")) continue;
      count++;
      matchedAny = true;
      if (flags.has("q")) return { stdout: "", stderr: "", exitCode: 0 };
      if (flags.has("c") || flags.has("l") || flags.has("L")) continue;
      const prefix = `${prefixName}${flags.has("n") ? `${index + 1}:` : ""}`;
      if (flags.has("o") && !flags.has("v")) {
        for (const match of regex.matches(line, () => budget?.checkTime("grep")))
          if (match.groups[0]) stdout += `${prefix}${match.groups[0]}\n`;
      } else stdout += `${prefix}${line}\n`;
      if (stdout.length > 4_000_000) break;
    }
    if (flags.has("c")) stdout += `${prefixName}${count}\n`;
    if (flags.has("l") && count > 0) stdout += `${source.name}\n`;
    if (flags.has("L") && count === 0) stdout += `${source.name}\n`;
  }
  const exitCode = hadError && !flags.has("q") ? 2 : matchedAny ? 0 : 1;
  return { stdout, stderr, exitCode: hadError && matchedAny && !flags.has("q") ? 2 : exitCode };
};
