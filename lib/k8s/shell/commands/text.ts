/** Text commands: echo, printf, head, tail, grep, wc, tr, cut, sort, uniq, sed, base64, seq, rev. */
import type { CommandHandler } from "../types";
import { checkStringLength } from "../limits";
import { compilePosix, type LinearRegex } from "../regex";
import { fail, lines, ok, parseCount, parseOptions, readInputs } from "./util";

// ---------------------------------------------------------------- echo / printf

function backslashEscapes(text: string, forPrintfB = false): { text: string; stop: boolean } {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? "";
    if (ch !== "\\" || i + 1 >= text.length) {
      out += ch;
      continue;
    }
    const next = text[++i] ?? "";
    switch (next) {
      case "n":
        out += "\n";
        break;
      case "t":
        out += "\t";
        break;
      case "r":
        out += "\r";
        break;
      case "\\":
        out += "\\";
        break;
      case "a":
        out += "\u0007";
        break;
      case "b":
        out += "\b";
        break;
      case "e":
      case "E":
        out += "\u001b";
        break;
      case "f":
        out += "\f";
        break;
      case "v":
        out += "\v";
        break;
      case "c":
        return { text: out, stop: true };
      case "0": {
        const match = /^[0-7]{0,3}/.exec(text.slice(i + 1))?.[0] ?? "";
        out += String.fromCharCode(parseInt(match || "0", 8));
        i += match.length;
        break;
      }
      case "x": {
        const match = /^[0-9a-fA-F]{1,2}/.exec(text.slice(i + 1))?.[0];
        if (match) {
          out += String.fromCharCode(parseInt(match, 16));
          i += match.length;
        } else out += "\\x";
        break;
      }
      default:
        if (!forPrintfB && /[1-7]/.test(next)) {
          const match = /^[0-7]{1,3}/.exec(text.slice(i))?.[0] ?? next;
          out += String.fromCharCode(parseInt(match, 8));
          i += match.length - 1;
        } else out += `\\${next}`;
    }
  }
  return { text: out, stop: false };
}

export const echo: CommandHandler = async ({ args }) => {
  let newline = true;
  let escapes = false;
  let index = 0;
  for (; index < args.length; index++) {
    const arg = args[index] ?? "";
    if (!/^-[neE]+$/.test(arg)) break;
    for (const flag of arg.slice(1)) {
      if (flag === "n") newline = false;
      else if (flag === "e") escapes = true;
      else escapes = false;
    }
  }
  let text = args.slice(index).join(" ");
  if (escapes) {
    const result = backslashEscapes(text);
    text = result.text;
    if (result.stop) return ok(text);
  }
  return ok(newline ? `${text}\n` : text);
};

export const printf: CommandHandler = async ({ args }) => {
  let rest = args;
  let variable: string | undefined;
  if (rest[0] === "-v" && rest[1] !== undefined) {
    variable = rest[1];
    rest = rest.slice(2);
  }
  if (rest[0] === "--") rest = rest.slice(1);
  const [format, ...values] = rest;
  if (format === undefined) return fail("printf: usage: printf [-v var] format [arguments]", 2);
  let out = "";
  let stderr = "";
  let valueIndex = 0;
  let rounds = 0;
  do {
    let consumed = false;
    const spec = /%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+))?([sdibcxXofeEgGq%])/g;
    let last = 0;
    let stop = false;
    for (const match of format.matchAll(spec)) {
      out += backslashEscapes(format.slice(last, match.index)).text;
      last = (match.index ?? 0) + match[0].length;
      const conversion = match[4] ?? "s";
      if (conversion === "%") {
        out += "%";
        continue;
      }
      const next = (): string => {
        consumed = true;
        return values[valueIndex++] ?? "";
      };
      const flagsText = match[1] ?? "";
      const widthText = match[2] === "*" ? next() : match[2];
      const precisionText = match[3] === "*" ? next() : match[3];
      const value = next();
      let body: string;
      switch (conversion) {
        case "s":
          body = precisionText !== undefined ? value.slice(0, Number(precisionText)) : value;
          break;
        case "b": {
          const escaped = backslashEscapes(value, true);
          body = escaped.text;
          stop = escaped.stop;
          break;
        }
        case "q":
          body = /^[A-Za-z0-9_./-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
          break;
        case "c":
          body = value.slice(0, 1);
          break;
        default: {
          const trimmed = value.trim();
          let number = trimmed === "" ? 0 : /^'./.test(trimmed) ? trimmed.charCodeAt(1) : Number(trimmed);
          if (!Number.isFinite(number)) {
            stderr += `bash: printf: ${value}: invalid number\n`;
            number = 0;
          }
          if (conversion === "d" || conversion === "i") body = String(Math.trunc(number));
          else if (conversion === "x") body = Math.trunc(number).toString(16);
          else if (conversion === "X") body = Math.trunc(number).toString(16).toUpperCase();
          else if (conversion === "o") body = Math.trunc(number).toString(8);
          else if (conversion === "e" || conversion === "E") {
            body = number.toExponential(precisionText === undefined ? 6 : Number(precisionText)).replace(/e([+-])(\d)$/, "e$10$2");
            if (conversion === "E") body = body.toUpperCase();
          } else if (conversion === "g" || conversion === "G") body = String(Number(number.toPrecision(precisionText === undefined ? 6 : Math.max(1, Number(precisionText)))));
          else body = number.toFixed(precisionText === undefined ? 6 : Math.min(50, Number(precisionText)));
          if (flagsText.includes("+") && number >= 0) body = `+${body}`;
          else if (flagsText.includes(" ") && number >= 0) body = ` ${body}`;
        }
      }
      const width = Math.min(Number(widthText ?? "0") || 0, 10_000);
      if (flagsText.includes("-")) body = body.padEnd(width, " ");
      else if (flagsText.includes("0") && conversion !== "s" && !/^[-+]/.test(body)) body = body.padStart(width, "0");
      else body = body.padStart(width, " ");
      checkStringLength("bash: printf", out.length + body.length);
      out += body;
      if (stop) break;
    }
    if (stop) break;
    out += backslashEscapes(format.slice(last)).text;
    if (!consumed) break;
    rounds++;
  } while (valueIndex < values.length && rounds < 10_000);
  if (variable !== undefined) return { stdout: "", stderr, exitCode: stderr === "" ? 0 : 1, setEnv: { [variable]: out } };
  return { stdout: out, stderr, exitCode: stderr === "" ? 0 : 1 };
};

// ---------------------------------------------------------------- head / tail

function headTail(command: "head" | "tail"): CommandHandler {
  return async ({ args, fs, stdin }) => {
    const parsed = parseOptions(command, args, { flags: "qvf", valued: "nc", numericShorthand: "n", longValued: { lines: "n", bytes: "c" }, long: { quiet: "q", verbose: "v", follow: "f" } });
    if (!parsed.ok) return fail(parsed.error);
    const { values, operands, flags } = parsed.options;
    const lineText = values.get("n");
    const byteText = values.get("c");
    const fromStart = command === "tail" && (lineText ?? byteText ?? "").startsWith("+");
    const count = parseCount(byteText ?? lineText ?? "10");
    if (count === undefined) {
      const what = byteText !== undefined ? "bytes" : "lines";
      return fail(`${command}: invalid number of ${what}: \u2018${byteText ?? lineText ?? ""}\u2019`);
    }
    const names = operands.length === 0 ? ["-"] : operands;
    let stdout = "";
    let stderr = "";
    names.forEach((name, index) => {
      let content: string;
      if (name === "-") content = stdin;
      else {
        const read = fs.readFile(name);
        if (!read.ok) {
          stderr += `${command}: cannot open '${name}' for reading: ${read.error}\n`;
          return;
        }
        content = read.content;
      }
      if ((names.length > 1 && !flags.has("q")) || flags.has("v")) stdout += `${index > 0 ? "\n" : ""}==> ${name === "-" ? "standard input" : name} <==\n`;
      if (byteText !== undefined) {
        const bytes = Buffer.from(content, "utf8");
        const n = Math.abs(count);
        let slice: Buffer;
        if (command === "head") slice = count < 0 ? bytes.subarray(0, Math.max(0, bytes.length - n)) : bytes.subarray(0, n);
        else slice = fromStart ? bytes.subarray(Math.max(0, n - 1)) : bytes.subarray(Math.max(0, bytes.length - n));
        stdout += slice.toString("utf8");
        return;
      }
      const all = content.split("\n");
      const trailing = content.endsWith("\n");
      if (trailing) all.pop();
      const n = Math.abs(count);
      let selected: string[];
      if (command === "head") selected = count < 0 || lineText?.startsWith("-") ? all.slice(0, Math.max(0, all.length - n)) : all.slice(0, n);
      else selected = fromStart ? all.slice(Math.max(0, n - 1)) : n === 0 ? [] : all.slice(-n);
      const endsAtEnd = selected.length > 0 && (command === "tail" || selected.length === all.length);
      stdout += selected.join("\n") + (selected.length > 0 && (!endsAtEnd || trailing) ? "\n" : "");
    });
    if (command === "tail" && flags.has("f")) stderr += "tail: following is not available in this practice terminal; showing the current end of the file\n";
    return { stdout, stderr, exitCode: stderr === "" || flags.has("f") ? 0 : 1 };
  };
}

export const head = headTail("head");
export const tail = headTail("tail");

// ---------------------------------------------------------------- grep

export const grep: CommandHandler = async ({ args, fs, stdin, budget }) => {
  const parsed = parseOptions("grep", args, {
    flags: "ivncEFoqrRlLhHwxsPz",
    valued: "eABCm",
    long: { "ignore-case": "i", "invert-match": "v", "line-number": "n", count: "c", "extended-regexp": "E", "fixed-strings": "F", "only-matching": "o", quiet: "q", silent: "q", recursive: "r", "files-with-matches": "l", "no-filename": "h", "with-filename": "H", "word-regexp": "w", "line-regexp": "x", "no-messages": "s" },
    longValued: { regexp: "e", "max-count": "m", context: "C", "after-context": "A", "before-context": "B", color: "_color", colour: "_color" },
  });
  if (!parsed.ok) return fail(`${parsed.error.replace(/Try 'grep --help'/, "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help'")}`, 2);
  const { flags, values } = parsed.options;
  const operands = [...parsed.options.operands];
  let patternText = values.get("e");
  if (patternText === undefined) {
    patternText = operands.shift();
    if (patternText === undefined) return fail("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.", 2);
  }
  let regex: LinearRegex;
  try {
    regex = compilePosix(patternText.split("\n"), { extended: flags.has("E"), perl: flags.has("P"), fixed: flags.has("F"), ignoreCase: flags.has("i"), word: flags.has("w"), line: flags.has("x") });
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
    const input = readInputs("grep", fs, operands.filter((name) => !fs.isDirectory(name)), stdin);
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
        for (const match of regex.matches(line, () => budget?.checkTime("grep"))) if (match.groups[0]) stdout += `${prefix}${match.groups[0]}\n`;
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

// ---------------------------------------------------------------- wc

export const wc: CommandHandler = async ({ args, fs, stdin }) => {
  const parsed = parseOptions("wc", args, { flags: "lwcmL", long: { lines: "l", words: "w", bytes: "c", chars: "m" } });
  if (!parsed.ok) return fail(parsed.error);
  const { flags, operands } = parsed.options;
  const selected = ["l", "w", "m", "c"].filter((flag) => flags.has(flag));
  const show = selected.length === 0 ? ["l", "w", "c"] : selected;
  const { inputs, errors, failed } = readInputs("wc", fs, operands, stdin);
  const rows: { counts: number[]; name: string }[] = inputs.map((input) => {
    const text = input.content;
    const all: Record<string, number> = {
      l: (text.match(/\n/g) ?? []).length,
      w: text.split(/\s+/).filter(Boolean).length,
      c: Buffer.byteLength(text, "utf8"),
      m: [...text].length,
    };
    return { counts: show.map((flag) => all[flag] ?? 0), name: input.name === "-" ? "" : input.name };
  });
  if (rows.length > 1) rows.push({ counts: show.map((_flag, index) => rows.reduce((sum, row) => sum + (row.counts[index] ?? 0), 0)), name: "total" });
  const fromStdin = inputs.some((input) => input.name === "-");
  const single = show.length === 1 && rows.length === 1;
  const width = single && !fromStdin ? 1 : Math.max(fromStdin ? 7 : 1, ...rows.flatMap((row) => row.counts.map((count) => String(count).length)));
  const stdout = rows
    .map((row) => {
      const numbers = single ? row.counts.map(String).join(" ") : row.counts.map((count) => String(count).padStart(width, " ")).join(" ");
      return row.name === "" ? `${numbers}\n` : `${numbers} ${row.name}\n`;
    })
    .join("");
  return { stdout, stderr: errors, exitCode: failed ? 1 : 0 };
};

// ---------------------------------------------------------------- tr

function expandTrSet(set: string): string[] {
  const chars: string[] = [];
  const unescaped: string[] = [];
  for (let i = 0; i < set.length; i++) {
    const ch = set[i] ?? "";
    if (ch === "[" && set[i + 1] === ":") {
      const end = set.indexOf(":]", i + 2);
      if (end > 0) {
        const name = set.slice(i + 2, end);
        const ranges: Record<string, string> = { upper: "A-Z", lower: "a-z", digit: "0-9", alpha: "a-zA-Z", alnum: "0-9A-Za-z", space: " \t\n\r\f\v", blank: " \t", punct: "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", xdigit: "0-9A-Fa-f" };
        const body = ranges[name];
        if (body !== undefined) {
          for (let k = 0; k < body.length; k++) {
            if (body[k + 1] === "-" && k + 2 < body.length && name !== "punct") {
              for (let c = body.charCodeAt(k); c <= body.charCodeAt(k + 2); c++) unescaped.push(String.fromCharCode(c));
              k += 2;
            } else unescaped.push(body[k] ?? "");
          }
          i = end + 1;
          continue;
        }
      }
    }
    if (ch === "\\" && i + 1 < set.length) {
      const next = set[++i] ?? "";
      const map: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", f: "\f", v: "\v", "0": "\0" };
      unescaped.push(map[next] ?? next);
      continue;
    }
    unescaped.push(ch);
  }
  for (let i = 0; i < unescaped.length; i++) {
    const ch = unescaped[i] ?? "";
    const end = unescaped[i + 2];
    if (unescaped[i + 1] === "-" && end !== undefined) {
      const from = ch.charCodeAt(0);
      const to = end.charCodeAt(0);
      for (let c = from; c <= to && chars.length < 65536; c++) chars.push(String.fromCharCode(c));
      i += 2;
    } else chars.push(ch);
  }
  return chars;
}

export const tr: CommandHandler = async ({ args, stdin }) => {
  const parsed = parseOptions("tr", args, { flags: "dsc", long: { delete: "d", "squeeze-repeats": "s", complement: "c" } });
  if (!parsed.ok) return fail(parsed.error);
  const { flags, operands } = parsed.options;
  const [first, second] = operands;
  if (first === undefined) return fail("tr: missing operand\nTry 'tr --help' for more information.");
  const set1 = expandTrSet(first);
  // Sets, not arrays: a set may hold 65536 characters and every input character is looked up.
  const members1 = new Set(set1);
  const set1Has = (ch: string): boolean => members1.has(ch) !== flags.has("c");
  if (flags.has("d")) {
    if (second !== undefined && !flags.has("s")) return fail(`tr: extra operand \u2018${second}\u2019\nOnly one string may be given when deleting without squeezing repeats.\nTry 'tr --help' for more information.`);
    let out = [...stdin].filter((ch) => !set1Has(ch)).join("");
    if (flags.has("s") && second !== undefined) out = squeeze(out, expandTrSet(second));
    return ok(out);
  }
  if (second === undefined) {
    if (flags.has("s")) return ok(squeeze(stdin, set1));
    return fail(`tr: missing operand after \u2018${first}\u2019\nTwo strings must be given when translating.\nTry 'tr --help' for more information.`);
  }
  const set2 = expandTrSet(second);
  const map = new Map<string, string>();
  set1.forEach((ch, index) => map.set(ch, set2[Math.min(index, set2.length - 1)] ?? ""));
  let out = [...stdin].map((ch) => (flags.has("c") ? (members1.has(ch) ? ch : (set2[set2.length - 1] ?? ch)) : (map.get(ch) ?? ch))).join("");
  if (flags.has("s")) out = squeeze(out, set2);
  return ok(out);
};

function squeeze(text: string, set: string[]): string {
  const members = new Set(set);
  let out = "";
  let last = "";
  for (const ch of text) {
    if (members.has(ch) && ch === last) continue;
    out += ch;
    last = ch;
  }
  return out;
}

// ---------------------------------------------------------------- cut

function parseList(list: string): ((n: number) => boolean) | undefined {
  const ranges: [number, number][] = [];
  for (const part of list.split(",")) {
    const match = /^(\d*)(-?)(\d*)$/.exec(part);
    if (!match || part === "" || part === "-") return undefined;
    const from = match[1] === "" ? 1 : Number(match[1]);
    const to = match[2] === "" ? from : match[3] === "" ? Infinity : Number(match[3]);
    if (from === 0) return undefined;
    ranges.push([from, to]);
  }
  return (n) => ranges.some(([from, to]) => n >= from && n <= to);
}

export const cut: CommandHandler = async ({ args, fs, stdin }) => {
  const parsed = parseOptions("cut", args, { flags: "s", valued: "dfcb", longValued: { delimiter: "d", fields: "f", characters: "c", bytes: "b", "output-delimiter": "o" }, long: { "only-delimited": "s" } });
  if (!parsed.ok) return fail(parsed.error);
  const { values, flags, operands } = parsed.options;
  const fields = values.get("f");
  const chars = values.get("c") ?? values.get("b");
  if (fields === undefined && chars === undefined) return fail("cut: you must specify a list of bytes, characters, or fields\nTry 'cut --help' for more information.");
  const selector = parseList(fields ?? chars ?? "");
  if (!selector) return fail(`cut: invalid field value \u2018${fields ?? chars ?? ""}\u2019\nTry 'cut --help' for more information.`);
  const delimiter = values.get("d") ?? "\t";
  if ([...delimiter].length !== 1) return fail("cut: the delimiter must be a single character\nTry 'cut --help' for more information.");
  const outputDelimiter = values.get("o") ?? delimiter;
  const { inputs, errors, failed } = readInputs("cut", fs, operands, stdin);
  let stdout = "";
  for (const input of inputs) {
    for (const line of lines(input.content)) {
      if (fields !== undefined) {
        if (!line.includes(delimiter)) {
          if (!flags.has("s")) stdout += `${line}\n`;
          continue;
        }
        stdout += `${line
          .split(delimiter)
          .filter((_field, index) => selector(index + 1))
          .join(outputDelimiter)}\n`;
      } else {
        stdout += `${[...line].filter((_ch, index) => selector(index + 1)).join("")}\n`;
      }
    }
  }
  return { stdout, stderr: errors, exitCode: failed ? 1 : 0 };
};

// ---------------------------------------------------------------- sort / uniq

export const sort: CommandHandler = async ({ args, fs, stdin }) => {
  const parsed = parseOptions("sort", args, { flags: "rnufhV", valued: "kto", long: { reverse: "r", "numeric-sort": "n", unique: "u", "ignore-case": "f" }, longValued: { key: "k", "field-separator": "t", output: "o" } });
  if (!parsed.ok) return fail(parsed.error, 2);
  const { flags, values, operands } = parsed.options;
  const { inputs, errors, failed } = readInputs("sort", fs, operands, stdin);
  if (failed) return fail(errors.replace(/^sort: /gm, "sort: cannot read: "), 2);
  let all = inputs.flatMap((input) => lines(input.content));
  const keySpec = values.get("k");
  const separator = values.get("t");
  const keyField = keySpec ? Number(/^\d+/.exec(keySpec)?.[0] ?? "1") : undefined;
  const keyOf = (line: string): string => {
    if (keyField === undefined) return line;
    const parts = separator !== undefined ? line.split(separator) : line.trim().split(/\s+/);
    return parts.slice(keyField - 1).join(separator ?? " ");
  };
  const numeric = flags.has("n") || flags.has("h") || /n/.test(keySpec ?? "");
  const compare = (a: string, b: string): number => {
    const ka = keyOf(a);
    const kb = keyOf(b);
    if (numeric) {
      const na = Number.parseFloat(ka) || 0;
      const nb = Number.parseFloat(kb) || 0;
      if (na !== nb) return na - nb;
    } else {
      const x = flags.has("f") ? ka.toLowerCase() : ka;
      const y = flags.has("f") ? kb.toLowerCase() : kb;
      if (x !== y) return x < y ? -1 : 1;
    }
    return a < b ? -1 : a > b ? 1 : 0;
  };
  all.sort(compare);
  if (flags.has("r")) all.reverse();
  if (flags.has("u")) all = all.filter((line, index) => index === 0 || compare(all[index - 1] ?? "", line) !== 0);
  const text = all.map((line) => `${line}\n`).join("");
  const output = values.get("o");
  if (output !== undefined) {
    const written = fs.writeFile(output, text);
    return written.ok ? ok() : fail(`sort: open failed: ${output}: ${written.error}`, 2);
  }
  return ok(text);
};

export const uniq: CommandHandler = async ({ args, fs, stdin }) => {
  const parsed = parseOptions("uniq", args, { flags: "cdui", long: { count: "c", repeated: "d", unique: "u", "ignore-case": "i" } });
  if (!parsed.ok) return fail(parsed.error);
  const { flags, operands } = parsed.options;
  const { inputs, errors, failed } = readInputs("uniq", fs, operands.slice(0, 1), stdin);
  if (failed) return fail(errors);
  const groups: { line: string; count: number }[] = [];
  for (const line of lines(inputs[0]?.content ?? "")) {
    const last = groups[groups.length - 1];
    if (last && (flags.has("i") ? last.line.toLowerCase() === line.toLowerCase() : last.line === line)) last.count++;
    else groups.push({ line, count: 1 });
  }
  const text = groups
    .filter((group) => (!flags.has("d") || group.count > 1) && (!flags.has("u") || group.count === 1))
    .map((group) => (flags.has("c") ? `${String(group.count).padStart(7, " ")} ${group.line}\n` : `${group.line}\n`))
    .join("");
  if (operands[1] !== undefined) {
    const written = fs.writeFile(operands[1], text);
    return written.ok ? ok() : fail(`uniq: ${operands[1]}: ${written.error}`);
  }
  return ok(text);
};

// ---------------------------------------------------------------- sed (subset)

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
    commands.push({ address, kind: "s", regex, parts: parseReplacement(replacement), global: flagMatch.includes("g"), occurrence: occurrence ? Number(occurrence) : undefined, print: flagMatch.includes("p") });
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
  const parsed = parseOptions("sed", args, { flags: "nEri", valued: "e", long: { quiet: "n", "regexp-extended": "E", "in-place": "i" }, longValued: { expression: "e" } });
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
          const hit = address.kind === "line" ? address.line === index + 1 : address.kind === "last" ? index === all.length - 1 : address.regex.test(line);
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
  return { stdout: apply(inputs.map((input) => input.content).join("")), stderr: errors.replace(/^sed: (.*?): /gm, "sed: can't read $1: "), exitCode: failed ? 2 : 0 };
};

// ---------------------------------------------------------------- base64

/** Text that is valid UTF-8 stays text; other bytes are kept one char per byte. */
export function bytesToText(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes);
  const text = buffer.toString("utf8");
  return Buffer.from(text, "utf8").equals(buffer) ? text : buffer.toString("latin1");
}

export const base64: CommandHandler = async ({ args, fs, stdin }) => {
  const parsed = parseOptions("base64", args, { flags: "di", valued: "w", long: { decode: "d", "ignore-garbage": "i" }, longValued: { wrap: "w" } });
  if (!parsed.ok) return fail(parsed.error);
  const { flags, values, operands } = parsed.options;
  if (operands.length > 1) return fail(`base64: extra operand \u2018${operands[1] ?? ""}\u2019\nTry 'base64 --help' for more information.`);
  const { inputs, errors, failed } = readInputs("base64", fs, operands, stdin);
  if (failed) return fail(errors);
  const input = inputs[0]?.content ?? "";
  if (flags.has("d")) {
    let cleaned = input.replace(/[\r\n]/g, "");
    if (flags.has("i")) cleaned = cleaned.replace(/[^A-Za-z0-9+/=]/g, "");
    const valid = /^[A-Za-z0-9+/]*={0,2}$/.test(cleaned) && cleaned.length % 4 !== 1 && !/=[^=]/.test(cleaned);
    const prefixMatch = /^[A-Za-z0-9+/]*/.exec(cleaned)?.[0] ?? "";
    const usable = valid ? cleaned : prefixMatch.slice(0, prefixMatch.length - (prefixMatch.length % 4));
    const decoded = bytesToText(new Uint8Array(Buffer.from(usable, "base64")));
    const complete = valid && (cleaned.length % 4 === 0 || cleaned.endsWith("="));
    if (!complete) return { stdout: decoded, stderr: "base64: invalid input\n", exitCode: 1 };
    return ok(decoded);
  }
  const wrapText = values.get("w") ?? "76";
  if (!/^\d+$/.test(wrapText)) return fail(`base64: invalid wrap size: \u2018${wrapText}\u2019`);
  const wrap = Number(wrapText);
  const encoded = Buffer.from(input, "utf8").toString("base64");
  if (encoded === "") return ok("");
  if (wrap === 0) return ok(encoded);
  return ok(`${(encoded.match(new RegExp(`.{1,${wrap}}`, "g")) ?? []).join("\n")}\n`);
};

// ---------------------------------------------------------------- seq / rev

export const seq: CommandHandler = async ({ args }) => {
  const numbers = args.map(Number);
  if (args.length === 0 || args.length > 3 || numbers.some((n) => !Number.isFinite(n))) {
    return fail(args.length === 0 ? "seq: missing operand\nTry 'seq --help' for more information." : `seq: invalid floating point argument: \u2018${args.find((arg) => !Number.isFinite(Number(arg))) ?? ""}\u2019`);
  }
  const [first, step, last] = args.length === 1 ? [1, 1, numbers[0] ?? 1] : args.length === 2 ? [numbers[0] ?? 1, 1, numbers[1] ?? 1] : [numbers[0] ?? 1, numbers[1] ?? 1, numbers[2] ?? 1];
  if (step === 0) return fail("seq: invalid Zero increment value: \u20180\u2019");
  let out = "";
  let count = 0;
  for (let n = first; step > 0 ? n <= last : n >= last; n += step) {
    out += `${n}\n`;
    if (++count > 100_000) break;
  }
  return ok(out);
};

export const rev: CommandHandler = async ({ args, fs, stdin }) => {
  const { inputs, errors, failed } = readInputs("rev", fs, args, stdin);
  return { stdout: inputs.map((input) => lines(input.content).map((line) => `${[...line].reverse().join("")}\n`).join("")).join(""), stderr: errors, exitCode: failed ? 1 : 0 };
};
