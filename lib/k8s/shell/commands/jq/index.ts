/**
 * A small jq (jq 1.7.1's behaviour, checked by test/k8s/jq/jq.test): the filters people use on
 * kubectl JSON. Supported: `.`, `..`, `.a.b`, `."a-b"`, `.[n]`, `.[a:b]`, `.[]`, `?`, `|`, `,`, `//`,
 * `( )`, `[ ]` and `{ }` constructors (incl. `{name}`, `{$x}` and `{(.k): .v}`), literals, string
 * interpolation `"\(.x)"` and `@format "…"`, comparisons, `and` `or` `not`, `+ - * / %`,
 * `=`, `|=`, `+=` `-=` `*=` `/=` `%=` `//=`, `if … then … elif … else … end`, `try … catch`,
 * `… as $x | …`, `reduce`, `$ENV`, `$__loc__`, `--arg`/`--argjson`, and the builtins of builtins.ts
 * (regular expressions by re2js: see ../../regex.ts for the differences from Oniguruma).
 * Not supported: `def`, `foreach`, `label`/`break`, `path(f)`, modules. Known differences:
 * evaluation is eager (an error drops the outputs its input had already produced), syntax errors
 * have our own wording, numbers are doubles (jq 1.7 keeps a literal's digits).
 * Options: -r -j -c -n -s -e -S --arg --argjson --tab --indent.
 *
 * This file is the command line; the stages are lexer.ts, parser.ts, evaluate.ts (with builtins.ts),
 * format.ts, over the value model in values.ts.
 */
import type { CommandHandler } from "../../types";
import { fail } from "../util";
import { evaluate, type Env } from "./evaluate";
import { serialize } from "./format";
import { BUILTINS } from "./builtins";
import { parseProgram, undefinedNames, type Ast } from "./parser";
import { JqError, toJson, truthy, type Json } from "./values";

/** Splits a text holding several JSON values (whitespace separated) and parses each. */
export function parseJsonStream(text: string): { values: Json[]; error?: string } {
  const values: Json[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i] ?? "")) i++;
    if (i >= text.length) break;
    const start = i;
    const first = text[i] ?? "";
    if (first === "{" || first === "[") {
      let depth = 0;
      let inString = false;
      for (; i < text.length; i++) {
        const ch = text[i] ?? "";
        if (inString) {
          if (ch === "\\") i++;
          else if (ch === '"') inString = false;
          continue;
        }
        if (ch === '"') inString = true;
        else if (ch === "{" || ch === "[") depth++;
        else if (ch === "}" || ch === "]") {
          depth--;
          if (depth === 0) {
            i++;
            break;
          }
        }
      }
    } else if (first === '"') {
      i++;
      for (; i < text.length; i++) {
        const ch = text[i] ?? "";
        if (ch === "\\") i++;
        else if (ch === '"') {
          i++;
          break;
        }
      }
    } else {
      while (i < text.length && !/[\s{}[\]"]/.test(text[i] ?? "")) i++;
      if (i === start) i++;
    }
    const chunk = text.slice(start, i);
    try {
      values.push(JSON.parse(chunk) as Json);
    } catch {
      return { values, error: `jq: parse error: ${streamError(text, start, i)}` };
    }
  }
  return { values };
}

/** jq's parser reports where it stopped: after the character that ended a bad word, or at the end of the input. */
function streamError(text: string, start: number, end: number): string {
  const first = text[start] ?? "";
  const position = (at: number): string => {
    const line = (text.slice(0, at).match(/\n/g) ?? []).length + 1;
    return `line ${line}, column ${at - (text.lastIndexOf("\n", at - 1) + 1)}`;
  };
  if (first === "}" || first === "]") return `Unmatched '${first}' at ${position(start + 1)}`;
  if (first === '"' && end >= text.length) return `Unfinished string at EOF at ${position(text.length)}`;
  if (first === "{" || first === "[" || first === '"')
    return end >= text.length ? `Unfinished JSON term at EOF at ${position(text.length)}` : `Unfinished JSON term at ${position(end)}`;
  return end >= text.length
    ? `Invalid numeric literal at EOF at ${position(text.length)}`
    : `Invalid numeric literal at ${position(end + 1)}`;
}

export const jq: CommandHandler = async ({ args, fs, stdin, env: variables }) => {
  let raw = false;
  let join = false;
  let compact = false;
  let nullInput = false;
  let slurp = false;
  let exitStatus = false;
  let sortKeys = false;
  let indent = "  ";
  let filter: string | undefined;
  const files: string[] = [];
  const vars: Record<string, Json> = { ENV: { ...variables }, __loc__: { file: "<top-level>", line: 1 } };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "--arg" || arg === "--argjson") {
      const name = args[i + 1];
      const value = args[i + 2];
      if (name === undefined || value === undefined)
        return fail(
          `jq: ${arg} takes two parameters (e.g. ${arg} varname value)\nUse jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://jqlang.github.io/jq`,
          2,
        );
      if (arg === "--arg") vars[name] = value;
      else {
        try {
          vars[name] = JSON.parse(value) as Json;
        } catch {
          return fail(
            `jq: invalid JSON text passed to --argjson\nUse jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://jqlang.github.io/jq`,
            2,
          );
        }
      }
      i += 2;
      continue;
    }
    if (arg === "--tab") {
      indent = "\t";
      continue;
    }
    if (arg === "--indent") {
      indent = " ".repeat(Math.min(7, Number(args[++i] ?? "2") || 0));
      if (indent === "") compact = true;
      continue;
    }
    if (arg.startsWith("--")) {
      const long: Record<string, () => void> = {
        "--raw-output": () => (raw = true),
        "--join-output": () => (raw = join = true),
        "--compact-output": () => (compact = true),
        "--null-input": () => (nullInput = true),
        "--slurp": () => (slurp = true),
        "--exit-status": () => (exitStatus = true),
        "--sort-keys": () => (sortKeys = true),
        "--monochrome-output": () => undefined,
        "--color-output": () => undefined,
      };
      const handler = long[arg];
      if (!handler)
        return fail(
          `jq: Unknown option ${arg}\nUse jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://jqlang.github.io/jq`,
          2,
        );
      handler();
      continue;
    }
    if (arg.startsWith("-") && arg.length > 1) {
      for (const letter of arg.slice(1)) {
        if (letter === "r") raw = true;
        else if (letter === "j") raw = join = true;
        else if (letter === "c") compact = true;
        else if (letter === "n") nullInput = true;
        else if (letter === "s") slurp = true;
        else if (letter === "e") exitStatus = true;
        else if (letter === "S") sortKeys = true;
        else if (letter === "C" || letter === "M" || letter === "a") continue;
        else
          return fail(
            `jq: Unknown option ${arg}\nUse jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://jqlang.github.io/jq`,
            2,
          );
      }
      continue;
    }
    if (filter === undefined) filter = arg;
    else files.push(arg);
  }
  if (filter === undefined) {
    return fail(
      "Usage:\tjq [OPTIONS] FILTER [FILES...]\n\njq is a tool for processing JSON inputs, applying the given filter to\nits JSON text inputs and producing the filter's results as JSON on\nstandard output.\nUse jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://jqlang.github.io/jq",
      2,
    );
  }
  let program: Ast;
  try {
    program = parseProgram(filter);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return fail(`jq: error: ${message}:\n${filter}\njq: 1 compile error`, 3);
  }
  // jq prints the program line padded by the fault's column (it has no caret line).
  const faults = undefinedNames(program, (arity) => BUILTINS.has(arity), new Set(Object.keys(vars)));
  if (faults.length > 0) {
    const lines = faults.map(({ name, at }) => `jq: error: ${name} is not defined at <top-level>, line 1:\n${filter}${" ".repeat(at)}\n`);
    return fail(`${lines.join("")}jq: ${faults.length} compile ${faults.length === 1 ? "error" : "errors"}`, 3);
  }
  let text = stdin;
  if (files.length > 0) {
    text = "";
    for (const file of files) {
      const read = fs.readFile(file);
      if (!read.ok) return fail(`jq: error: Could not open ${file}: ${read.error}`, 2);
      text += `${read.content}\n`;
    }
  }
  let inputs: Json[];
  let parseError: string | undefined;
  if (nullInput) inputs = [null];
  else {
    const parsed = parseJsonStream(text);
    if (parsed.error !== undefined && slurp) return fail(parsed.error, 5);
    parseError = parsed.error;
    inputs = slurp ? [parsed.values] : parsed.values;
  }
  const env: Env = { vars, budget: { steps: 0, chars: 0 } };
  const at = nullInput ? "<unknown>" : `<stdin>:${lines(text)}`;
  let stdout = "";
  let stderr = "";
  let last: Json | undefined;
  let lastFailed = false;
  for (const input of inputs) {
    let results: Json[];
    lastFailed = false;
    try {
      results = evaluate(program, input, env);
    } catch (error) {
      if (error instanceof RangeError) return { stdout, stderr: `${stderr}jq: error: expression too deep\n`, exitCode: 5 };
      if (!(error instanceof JqError)) throw error;
      // Like jq: the error is reported and the next input runs; the exit status is the last input's.
      lastFailed = true;
      stderr +=
        typeof error.value === "string"
          ? `jq: error (at ${at}): ${error.value}\n`
          : `jq: error (at ${at}) (not a string): ${toJson(error.value)}\n`;
      continue;
    }
    for (const result of results) {
      last = result;
      const rendered = raw && typeof result === "string" ? result : serialize(result, { compact, indent, sortKeys });
      stdout += join ? rendered : `${rendered}\n`;
      if (stdout.length > 4_000_000) return { stdout, stderr: "jq: output truncated\n", exitCode: 5 };
    }
  }
  if (parseError !== undefined) return { stdout, stderr: `${stderr}${parseError}\n`, exitCode: 5 };
  if (lastFailed) return { stdout, stderr, exitCode: 5 };
  const exitCode = exitStatus ? (last === undefined ? 4 : truthy(last) ? 0 : 1) : 0;
  return { stdout, stderr, exitCode };
};

function lines(text: string): number {
  return (text.match(/\n/g) ?? []).length;
}
