/**
 * Word expansion in bash's order: tilde, parameter and command substitution, field splitting of
 * unquoted results, pathname expansion (`*`, `?`, `[...]`) against the VFS, quote removal.
 */
import { compileGlob, globMatch, hasWildcard } from "./glob";
import { SHELL_LIMITS, variablesError } from "./limits";
import type { Script, Word, WordPart } from "./parse";
import type { Vfs } from "./types";

export interface ExpandContext {
  env: Record<string, string>;
  lastExitCode: number;
  fs: Vfs;
  /** Runs a command substitution and returns its stdout (trailing newlines are stripped here). */
  substitute(script: Script): Promise<string>;
  random(): number;
}

export class ExpansionError extends Error {}

interface Field {
  text: string;
  /** Per character: may it act as a glob metacharacter (unquoted)? */
  active: boolean[];
  started: boolean;
}

const MAX_FIELDS = 10_000;
/** Characters of one expanded word, and of all words of one command (Linux's ARG_MAX is 2 MiB). */
const MAX_EXPANDED = SHELL_LIMITS.maxString;

async function paramValue(part: Extract<WordPart, { kind: "param" }>, ctx: ExpandContext): Promise<string> {
  const raw = lookup(part.name, ctx);
  switch (part.op) {
    case undefined:
      return raw ?? "";
    case "length":
      return String([...(raw ?? "")].length);
    case ":-":
      return raw === undefined || raw === "" ? await argString(part.arg, ctx) : raw;
    case "-":
      return raw === undefined ? await argString(part.arg, ctx) : raw;
    case ":=":
    case "=": {
      if (raw === undefined || (part.op === ":=" && raw === "")) {
        const value = await argString(part.arg, ctx);
        if (/^[A-Za-z_]/.test(part.name)) {
          const refused = variablesError(ctx.env, { [part.name]: value });
          if (refused) throw new ExpansionError(refused);
          ctx.env[part.name] = value;
        }
        return value;
      }
      return raw;
    }
    case ":+":
      return raw === undefined || raw === "" ? "" : await argString(part.arg, ctx);
    case "+":
      return raw === undefined ? "" : await argString(part.arg, ctx);
  }
}

async function argString(word: Word | undefined, ctx: ExpandContext): Promise<string> {
  return word ? expandToString(word, ctx) : "";
}

function lookup(name: string, ctx: ExpandContext): string | undefined {
  switch (name) {
    case "?":
      return String(ctx.lastExitCode);
    case "$":
      return "4242";
    case "#":
      return "0";
    case "0":
      return "bash";
    case "!":
    case "@":
    case "*":
      return "";
    case "-":
      return "himBHs";
    case "RANDOM":
      return String(Math.floor(ctx.random() * 32768));
    default:
      if (/^[1-9]$/.test(name)) return undefined;
      return Object.prototype.hasOwnProperty.call(ctx.env, name) ? ctx.env[name] : undefined;
  }
}

async function partValue(part: WordPart, ctx: ExpandContext): Promise<string> {
  switch (part.kind) {
    case "text":
      return part.value;
    case "tilde": {
      const home = ctx.env.HOME ?? "/root";
      if (part.user === "") return home;
      if (part.user === ctx.env.USER) return home;
      if (part.user === "root") return "/root";
      return `~${part.user}`;
    }
    case "param":
      return paramValue(part, ctx);
    case "command":
      return (await ctx.substitute(part.script)).replace(/\n+$/, "");
  }
}

function isQuoted(part: WordPart): boolean {
  return part.kind === "tilde" ? true : part.quoted;
}

/** Expands words into argv fields (with splitting and globbing). */
export async function expandWords(words: Word[], ctx: ExpandContext): Promise<string[]> {
  const out: string[] = [];
  let total = 0;
  for (const word of words) {
    for (const field of await expandFields(word, ctx)) {
      for (const value of glob(field, ctx)) {
        total += value.length + 1;
        if (total > MAX_EXPANDED) throw new ExpansionError("bash: Argument list too long");
        out.push(value);
        if (out.length > MAX_FIELDS) throw new ExpansionError(`bash: argument list too long (more than ${MAX_FIELDS} words)`);
      }
    }
  }
  return out;
}

async function expandFields(word: Word, ctx: ExpandContext): Promise<Field[]> {
  const fields: Field[] = [];
  let current: Field = { text: "", active: [], started: false };
  let size = 0;
  for (const part of word.parts) {
    const value = await partValue(part, ctx);
    size += value.length;
    if (size > MAX_EXPANDED) throw new ExpansionError("bash: expansion too large");
    if (isQuoted(part)) {
      current.text += value;
      for (let i = 0; i < value.length; i++) current.active.push(false);
      current.started = true;
      continue;
    }
    if (part.kind === "text") {
      current.text += value;
      for (let i = 0; i < value.length; i++) current.active.push(true);
      if (value !== "") current.started = true;
      continue;
    }
    // Unquoted expansion result: split on IFS whitespace.
    const pieces = value.split(/[ \t\n]+/);
    pieces.forEach((piece, index) => {
      if (index > 0) {
        if (current.started) fields.push(current);
        current = { text: "", active: [], started: false };
      }
      if (piece !== "") {
        current.text += piece;
        for (let i = 0; i < piece.length; i++) current.active.push(true);
        current.started = true;
      }
    });
  }
  if (current.started) fields.push(current);
  return fields;
}

/** Expands a word to one string: no field splitting, no globbing (assignments, here-documents). */
export async function expandToString(word: Word, ctx: ExpandContext): Promise<string> {
  let text = "";
  for (const part of word.parts) {
    text += await partValue(part, ctx);
    if (text.length > MAX_EXPANDED) throw new ExpansionError("bash: expansion too large");
  }
  return text;
}

function hasGlob(field: Field): boolean {
  for (let i = 0; i < field.text.length; i++) {
    const ch = field.text[i];
    if (field.active[i] && (ch === "*" || ch === "?" || ch === "[")) return true;
  }
  return false;
}

function glob(field: Field, ctx: ExpandContext): string[] {
  if (!hasGlob(field)) return [field.text];
  const text = field.text;
  const absolute = text.startsWith("/");
  // Split into components keeping activity flags.
  const components: { text: string; active: boolean[] }[] = [];
  let componentText = "";
  let componentActive: boolean[] = [];
  for (let i = absolute ? 1 : 0; i <= text.length; i++) {
    const ch = text[i];
    if (ch === undefined || ch === "/") {
      components.push({ text: componentText, active: componentActive });
      componentText = "";
      componentActive = [];
      continue;
    }
    componentText += ch;
    componentActive.push(field.active[i] ?? false);
  }
  let candidates: string[] = [absolute ? "/" : ""];
  for (const component of components) {
    const next: string[] = [];
    const isPattern = hasWildcard(component.text, component.active);
    for (const base of candidates) {
      const join = (name: string): string => (base === "" ? name : base.endsWith("/") ? `${base}${name}` : `${base}/${name}`);
      if (!isPattern) {
        next.push(join(component.text));
        continue;
      }
      const pattern = compileGlob(component.text, component.active);
      const names = ctx.fs.list(base === "" ? "." : base) ?? [];
      for (const name of names) {
        if (name.startsWith(".") && !component.text.startsWith(".")) continue;
        if (globMatch(pattern, name)) next.push(join(name));
      }
    }
    candidates = next;
    if (candidates.length === 0) break;
    if (candidates.length > MAX_FIELDS) break;
  }
  const matches = candidates.filter((candidate) => ctx.fs.exists(candidate === "" ? "." : candidate)).sort();
  return matches.length > 0 ? matches : [text];
}
