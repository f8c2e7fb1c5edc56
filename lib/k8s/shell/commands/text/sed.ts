/** sed (subset): s///, d, p, line, `$` and regex addresses; -n, -E/-r, -e, -i. */
import { checkStringLength } from "../../limits";
import { compilePosix, type LinearRegex } from "../../regex";
import type { CommandHandler } from "../../types";
import { fail, lines, parseOptions, readInputs } from "../util";

type SedAddress = { kind: "line"; line: number } | { kind: "last" } | { kind: "regex"; regex: LinearRegex };
interface SedCommand {
  address?: SedAddress;
  kind: "s" | "d" | "p";
  regex?: LinearRegex;
  parts?: (string | number)[];
  global?: boolean;
  occurrence?: number;
  print?: boolean;
}

function parseSedScript(script: string, extended: boolean): SedCommand[] | string {
  const commands: SedCommand[] = [];
  let i = 0;
  const src = script;
  const readDelimited = (delimiter: string): string | undefined => {
    let out = "";
    while (i < src.length) {
      const ch = src[i] ?? "";
      if (ch === "\\" && src[i + 1] === delimiter) {
        out += delimiter;
        i += 2;
        continue;
      }
      if (ch === "\\") {
        out += ch + (src[i + 1] ?? "");
        i += 2;
        continue;
      }
      if (ch === delimiter) {
        i++;
        return out;
      }
      out += ch;
      i++;
    }
    return undefined;
  };
  while (i < src.length) {
    while (i < src.length && /[\s;]/.test(src[i] ?? "")) i++;
    if (i >= src.length) break;
    let address: SedAddress | undefined;
    const lineMatch = /^\d+/.exec(src.slice(i));
    if (lineMatch) {
      address = { kind: "line", line: Number(lineMatch[0]) };
      i += lineMatch[0].length;
    } else if (src[i] === "$") {
      address = { kind: "last" };
      i++;
    } else if (src[i] === "/") {
      i++;
      const pattern = readDelimited("/");
      if (pattern === undefined) return "sed: -e expression #1, char " + String(i) + ": unterminated address regex";
      try {
        address = { kind: "regex", regex: compilePosix(pattern, { extended }) };
      } catch (error) {
        return `sed: -e expression #1, char ${i}: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    const command = src[i];
    i++;
    if (command === "d" || command === "p") {
      commands.push({ address, kind: command });
      continue;
    }
    if (command !== "s") return `sed: -e expression #1, char ${i}: unknown command: \`${command ?? ""}'`;
    const delimiter = src[i] ?? "/";
    i++;
    const pattern = readDelimited(delimiter);
    const replacement = pattern === undefined ? undefined : readDelimited(delimiter);
    if (pattern === undefined || replacement === undefined) return `sed: -e expression #1, char ${src.length}: unterminated \`s' command`;
    const flagMatch = /^[gIip0-9]*/.exec(src.slice(i))?.[0] ?? "";
    i += flagMatch.length;
    let regex: LinearRegex;
    try {
      regex = compilePosix(pattern, { extended, ignoreCase: /[Ii]/.test(flagMatch) });
    } catch (error) {
      return `sed: -e expression #1, char ${i}: ${error instanceof Error ? error.message : String(error)}`;
    }
    const occurrence = /\d+/.exec(flagMatch)?.[0];
    commands.push({
      address,
      kind: "s",
      regex,
      parts: parseReplacement(replacement),
      global: flagMatch.includes("g"),
      occurrence: occurrence ? Number(occurrence) : undefined,
      print: flagMatch.includes("p"),
    });
  }
  return commands;
}

/** A replacement template as literal pieces and group numbers (`&` is group 0), parsed once. */
function parseReplacement(template: string): (string | number)[] {
  const parts: (string | number)[] = [];
  let literal = "";
  for (let i = 0; i < template.length; i++) {
    const ch = template[i] ?? "";
    let group: number | undefined;
    if (ch === "&") group = 0;
    else if (ch === "\\" && i + 1 < template.length) {
      const next = template[++i] ?? "";
      if (/[0-9]/.test(next)) group = Number(next);
      else literal += next === "n" ? "\n" : next === "t" ? "\t" : next;
    } else literal += ch;
    if (group !== undefined) {
      if (literal !== "") parts.push(literal);
      literal = "";
      parts.push(group);
    }
  }
  if (literal !== "") parts.push(literal);
  return parts;
}

function sedReplacement(parts: (string | number)[], match: (string | undefined)[]): string {
  let length = 0;
  for (const part of parts) length += typeof part === "number" ? (match[part]?.length ?? 0) : part.length;
  checkStringLength("sed", length);
  return parts.map((part) => (typeof part === "number" ? (match[part] ?? "") : part)).join("");
}

export const sed: CommandHandler = async ({ args, fs, stdin, budget }) => {
  const parsed = parseOptions("sed", args, {
    flags: "nEri",
    valued: "e",
    long: { quiet: "n", "regexp-extended": "E", "in-place": "i" },
    longValued: { expression: "e" },
  });
  if (!parsed.ok) return fail(parsed.error);
  const { flags, values } = parsed.options;
  const operands = [...parsed.options.operands];
  const script = values.get("e") ?? operands.shift();
  if (script === undefined) return fail("Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...", 1);
  const commands = parseSedScript(script, flags.has("E") || flags.has("r"));
  if (typeof commands === "string") return fail(commands);
  const apply = (content: string): string => {
    const all = lines(content);
    let out = "";
    all.forEach((original, index) => {
      let line = original;
      let deleted = false;
      for (const command of commands) {
        const address = command.address;
        if (address) {
          const hit =
            address.kind === "line"
              ? address.line === index + 1
              : address.kind === "last"
                ? index === all.length - 1
                : address.regex.test(line);
          if (!hit) continue;
        }
        if (command.kind === "d") {
          deleted = true;
          break;
        }
        if (command.kind === "p") {
          out += `${line}\n`;
          continue;
        }
        const regex = command.regex;
        if (!regex) continue;
        let count = 0;
        let replaced = false;
        let rebuilt = "";
        let last = 0;
        const target = command.occurrence ?? 1;
        const replacement = command.parts ?? [];
        for (const match of regex.matches(line, () => budget?.checkTime("sed"))) {
          count++;
          if (command.global ? count < target : count !== target) continue;
          rebuilt += line.slice(last, match.index) + sedReplacement(replacement, match.groups);
          last = match.end;
          replaced = true;
          if (!command.global) break;
          checkStringLength("sed", rebuilt.length);
        }
        if (replaced) line = rebuilt + line.slice(last);
        if (replaced && command.print) out += `${line}\n`;
      }
      if (!deleted && !flags.has("n")) out += `${line}\n`;
      checkStringLength("sed", out.length);
      if (index % 1024 === 0) budget?.checkTime("sed");
    });
    return out;
  };
  if (flags.has("i")) {
    let stderr = "";
    for (const file of operands) {
      const read = fs.readFile(file);
      if (!read.ok) {
        stderr += `sed: can't read ${file}: ${read.error}\n`;
        continue;
      }
      const written = fs.writeFile(file, apply(read.content));
      if (!written.ok) stderr += `sed: couldn't open file ${file}: ${written.error}\n`;
    }
    return { stdout: "", stderr, exitCode: stderr === "" ? 0 : 2 };
  }
  const { inputs, errors, failed } = readInputs("sed", fs, operands, stdin);
  return {
    stdout: apply(inputs.map((input) => input.content).join("")),
    stderr: errors.replace(/^sed: (.*?): /gm, "sed: can't read $1: "),
    exitCode: failed ? 2 : 0,
  };
};
