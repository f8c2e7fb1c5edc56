/**
 * A small jq: the filters people use on kubectl JSON. Supported: `.`, `..`, `.a.b`, `."a-b"`,
 * `.[n]`, `.[a:b]`, `.[]`, `.[]?`, `|`, `,`, `//`, `( )`, `[ ]` and `{ }` constructors (incl.
 * `{name}` and `{(.k): .v}`), literals, string interpolation `"\(.x)"`, `==` `!=` `<` `<=` `>`
 * `>=`, `and` `or` `not`, `+ - * / %`, `if … then … elif … else … end`, `$ENV`, `--arg`/`$name`,
 * and the functions keys, keys_unsorted, length, utf8bytelength, select, map, map_values, has,
 * in, to_entries, from_entries, with_entries, values, nulls, strings, numbers, arrays, objects,
 * iterables, scalars, type, tostring, tonumber, tojson, fromjson, ascii_downcase, ascii_upcase,
 * join, split, test, match, capture, scan, split/2, splits, sub, gsub (regular expressions by re2js:
 * see ../regex.ts for the differences from Oniguruma), contains/inside, startswith, endswith, ltrimstr, rtrimstr,
 * first, last, first(f), last(f), limit, range, sort, sort_by, group_by, unique, unique_by,
 * min, max, min_by, max_by, add, any, all, flatten, reverse, empty, error, env, paths, del,
 * getpath, splits-free @base64 @base64d @text @json @csv @tsv @sh @uri, not, recurse, ascii,
 * indices-free index/rindex, tostream-free. Options: -r -j -c -n -s -e -S --arg --argjson --tab --indent.
 */
import { SHELL_LIMITS } from "../limits";
import { compileOniguruma, RegexSyntaxError, type LinearRegex, type RegexMatch } from "../regex";
import type { CommandHandler } from "../types";
import { fail } from "./util";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

class JqError extends Error {}
class JqSyntaxError extends Error {}

const MAX_OUTPUTS = 100_000;

// ---------------------------------------------------------------- lexer

type Token =
  | { t: "field"; v: string }
  | { t: "ident"; v: string }
  | { t: "var"; v: string }
  | { t: "num"; v: number }
  | { t: "str"; parts: (string | Ast)[] }
  | { t: "format"; v: string }
  | { t: "op"; v: string };

function lex(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i] ?? "";
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === "#") {
      while (i < src.length && src[i] !== "\n") i++;
      continue;
    }
    if (ch === "." && /[A-Za-z_]/.test(src[i + 1] ?? "")) {
      let j = i + 1;
      while (j < src.length && /[A-Za-z0-9_]/.test(src[j] ?? "")) j++;
      tokens.push({ t: "field", v: src.slice(i + 1, j) });
      i = j;
      continue;
    }
    if (/[0-9]/.test(ch) || (ch === "." && /[0-9]/.test(src[i + 1] ?? ""))) {
      const match = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(src.slice(i));
      const text = match?.[0] ?? ch;
      tokens.push({ t: "num", v: Number(text) });
      i += text.length;
      continue;
    }
    if (ch === '"') {
      const parts: (string | Ast)[] = [];
      let text = "";
      i++;
      let closed = false;
      while (i < src.length) {
        const c = src[i] ?? "";
        if (c === '"') {
          closed = true;
          i++;
          break;
        }
        if (c === "\\") {
          const next = src[i + 1] ?? "";
          if (next === "(") {
            // Interpolation: find the matching paren.
            let depth = 1;
            let j = i + 2;
            let inString = false;
            while (j < src.length && depth > 0) {
              const d = src[j] ?? "";
              if (inString) {
                if (d === "\\") j++;
                else if (d === '"') inString = false;
              } else if (d === '"') inString = true;
              else if (d === "(") depth++;
              else if (d === ")") depth--;
              j++;
            }
            if (depth !== 0) throw new JqSyntaxError("unterminated string interpolation");
            if (text !== "") parts.push(text);
            text = "";
            parts.push(parseProgram(src.slice(i + 2, j - 1)));
            i = j;
            continue;
          }
          const escapes: Record<string, string> = { n: "\n", t: "\t", r: "\r", b: "\b", f: "\f", '"': '"', "\\": "\\", "/": "/" };
          if (next === "u") {
            text += String.fromCharCode(parseInt(src.slice(i + 2, i + 6), 16) || 0);
            i += 6;
            continue;
          }
          text += escapes[next] ?? next;
          i += 2;
          continue;
        }
        text += c;
        i++;
      }
      if (!closed) throw new JqSyntaxError("unterminated string literal");
      if (text !== "" || parts.length === 0) parts.push(text);
      tokens.push({ t: "str", parts });
      continue;
    }
    if (ch === "$") {
      const match = /^\$(__loc__|[A-Za-z_][A-Za-z0-9_]*)/.exec(src.slice(i));
      if (!match) throw new JqSyntaxError("unexpected $");
      tokens.push({ t: "var", v: match[1] ?? "" });
      i += match[0].length;
      continue;
    }
    if (ch === "@") {
      const match = /^@[A-Za-z0-9]+/.exec(src.slice(i));
      if (!match) throw new JqSyntaxError("unexpected @");
      tokens.push({ t: "format", v: match[0] });
      i += match[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(ch)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*(?:::[A-Za-z_][A-Za-z0-9_]*)*/.exec(src.slice(i));
      const word = match?.[0] ?? ch;
      tokens.push({ t: "ident", v: word });
      i += word.length;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (["==", "!=", "<=", ">=", "//", "..", "?/", "|="].includes(two)) {
      if (two === "|=") throw new JqSyntaxError("update assignment (|=) is not supported by this jq");
      tokens.push({ t: "op", v: two });
      i += 2;
      continue;
    }
    if ("|,.[](){}:;<>+-*/%?=".includes(ch)) {
      if (ch === "=") throw new JqSyntaxError("assignment (=) is not supported by this jq");
      tokens.push({ t: "op", v: ch });
      i++;
      continue;
    }
    throw new JqSyntaxError(`unexpected character '${ch}'`);
  }
  return tokens;
}

// ---------------------------------------------------------------- parser

type Ast =
  | { k: "identity" }
  | { k: "recurse" }
  | { k: "literal"; v: Json }
  | { k: "string"; parts: (string | Ast)[]; format?: string }
  | { k: "index"; target: Ast; key: Ast; optional: boolean }
  | { k: "slice"; target: Ast; from?: Ast; to?: Ast; optional: boolean }
  | { k: "iterate"; target: Ast; optional: boolean }
  | { k: "pipe"; left: Ast; right: Ast }
  | { k: "comma"; left: Ast; right: Ast }
  | { k: "binary"; op: string; left: Ast; right: Ast }
  | { k: "neg"; value: Ast }
  | { k: "array"; body?: Ast }
  | { k: "object"; entries: { key: Ast; value?: Ast }[] }
  | { k: "call"; name: string; args: Ast[] }
  | { k: "var"; name: string }
  | { k: "format"; name: string }
  | { k: "if"; cond: Ast; then: Ast; elifs: { cond: Ast; then: Ast }[]; otherwise?: Ast }
  | { k: "try"; body: Ast; handler?: Ast }
  | { k: "as"; source: Ast; name: string; body: Ast }
  | { k: "reduce"; source: Ast; name: string; init: Ast; update: Ast };

class JqParser {
  i = 0;
  depth = 0;
  constructor(readonly tokens: Token[]) {}

  peek(): Token | undefined {
    return this.tokens[this.i];
  }

  isOp(v: string): boolean {
    const token = this.peek();
    return token?.t === "op" && token.v === v;
  }

  isIdent(v: string): boolean {
    const token = this.peek();
    return token?.t === "ident" && token.v === v;
  }

  expectOp(v: string): void {
    if (!this.isOp(v)) throw new JqSyntaxError(`syntax error, expected '${v}'`);
    this.i++;
  }

  expectIdent(v: string): void {
    if (!this.isIdent(v)) throw new JqSyntaxError(`syntax error, expected '${v}'`);
    this.i++;
  }

  parsePipe(): Ast {
    if (++this.depth > 200) throw new JqSyntaxError("expression nested too deeply");
    try {
      if (this.isIdent("def")) throw new JqSyntaxError("function definitions (def) are not supported by this jq");
      const left = this.parseComma();
      if (this.isIdent("as")) {
        this.i++;
        const token = this.peek();
        if (token?.t !== "var") throw new JqSyntaxError("syntax error, expected $name after 'as'");
        this.i++;
        this.expectOp("|");
        return { k: "as", source: left, name: token.v, body: this.parsePipe() };
      }
      if (this.isOp("|")) {
        this.i++;
        return { k: "pipe", left, right: this.parsePipe() };
      }
      return left;
    } finally {
      this.depth--;
    }
  }

  parseComma(): Ast {
    let left = this.parseAlt();
    while (this.isOp(",")) {
      this.i++;
      left = { k: "comma", left, right: this.parseAlt() };
    }
    return left;
  }

  parseAlt(): Ast {
    const left = this.parseOr();
    if (this.isOp("//")) {
      this.i++;
      return { k: "binary", op: "//", left, right: this.parseAlt() };
    }
    return left;
  }

  parseOr(): Ast {
    let left = this.parseAnd();
    while (this.isIdent("or")) {
      this.i++;
      left = { k: "binary", op: "or", left, right: this.parseAnd() };
    }
    return left;
  }

  parseAnd(): Ast {
    let left = this.parseCompare();
    while (this.isIdent("and")) {
      this.i++;
      left = { k: "binary", op: "and", left, right: this.parseCompare() };
    }
    return left;
  }

  parseCompare(): Ast {
    const left = this.parseAdditive();
    for (const op of ["==", "!=", "<=", ">=", "<", ">"]) {
      if (this.isOp(op)) {
        this.i++;
        return { k: "binary", op, left, right: this.parseAdditive() };
      }
    }
    return left;
  }

  parseAdditive(): Ast {
    let left = this.parseMultiplicative();
    while (this.isOp("+") || this.isOp("-")) {
      const token = this.peek();
      this.i++;
      left = { k: "binary", op: token?.t === "op" ? token.v : "+", left, right: this.parseMultiplicative() };
    }
    return left;
  }

  parseMultiplicative(): Ast {
    let left = this.parseUnary();
    while (this.isOp("*") || this.isOp("/") || this.isOp("%")) {
      const token = this.peek();
      this.i++;
      left = { k: "binary", op: token?.t === "op" ? token.v : "*", left, right: this.parseUnary() };
    }
    return left;
  }

  parseUnary(): Ast {
    if (this.isOp("-")) {
      this.i++;
      return { k: "neg", value: this.parsePostfix() };
    }
    return this.parsePostfix();
  }

  parsePostfix(): Ast {
    let node = this.parsePrimary();
    for (;;) {
      const token = this.peek();
      if (token?.t === "field") {
        this.i++;
        node = { k: "index", target: node, key: { k: "literal", v: token.v }, optional: this.optional() };
        continue;
      }
      if (this.isOp(".")) {
        const next = this.tokens[this.i + 1];
        if (next?.t === "str") {
          this.i += 2;
          node = { k: "index", target: node, key: { k: "string", parts: next.parts }, optional: this.optional() };
          continue;
        }
        if (next?.t === "op" && next.v === "[") {
          this.i++;
          continue;
        }
        break;
      }
      if (this.isOp("[")) {
        node = this.parseBracket(node);
        continue;
      }
      if (this.isIdent("as") || !token) break;
      break;
    }
    return node;
  }

  optional(): boolean {
    if (this.isOp("?")) {
      this.i++;
      return true;
    }
    return false;
  }

  parseBracket(target: Ast): Ast {
    this.expectOp("[");
    if (this.isOp("]")) {
      this.i++;
      return { k: "iterate", target, optional: this.optional() };
    }
    if (this.isOp(":")) {
      this.i++;
      const to = this.parsePipe();
      this.expectOp("]");
      return { k: "slice", target, to, optional: this.optional() };
    }
    const key = this.parsePipe();
    if (this.isOp(":")) {
      this.i++;
      const to = this.isOp("]") ? undefined : this.parsePipe();
      this.expectOp("]");
      return { k: "slice", target, from: key, to, optional: this.optional() };
    }
    this.expectOp("]");
    return { k: "index", target, key, optional: this.optional() };
  }

  parsePrimary(): Ast {
    const token = this.peek();
    if (!token) throw new JqSyntaxError("syntax error, unexpected end of file");
    this.i++;
    switch (token.t) {
      case "field":
        return { k: "index", target: { k: "identity" }, key: { k: "literal", v: token.v }, optional: this.optional() };
      case "num":
        return { k: "literal", v: token.v };
      case "str":
        return { k: "string", parts: token.parts };
      case "var":
        return { k: "var", name: token.v };
      case "format": {
        const next = this.peek();
        if (next?.t === "str") {
          this.i++;
          return { k: "string", parts: next.parts, format: token.v };
        }
        return { k: "format", name: token.v };
      }
      case "ident":
        return this.parseIdent(token.v);
      case "op":
        break;
    }
    switch (token.v) {
      case ".": {
        const next = this.peek();
        if (next?.t === "str") {
          this.i++;
          return { k: "index", target: { k: "identity" }, key: { k: "string", parts: next.parts }, optional: this.optional() };
        }
        if (this.isOp("[")) return this.parseBracket({ k: "identity" });
        return { k: "identity" };
      }
      case "..":
        return { k: "recurse" };
      case "(": {
        const inner = this.parsePipe();
        this.expectOp(")");
        return inner;
      }
      case "[": {
        if (this.isOp("]")) {
          this.i++;
          return { k: "array" };
        }
        const body = this.parsePipe();
        this.expectOp("]");
        return { k: "array", body };
      }
      case "{":
        return this.parseObject();
      default:
        throw new JqSyntaxError(`syntax error, unexpected '${token.v}'`);
    }
  }

  parseObject(): Ast {
    const entries: { key: Ast; value?: Ast }[] = [];
    while (!this.isOp("}")) {
      const token = this.peek();
      let key: Ast;
      if (token?.t === "ident") {
        this.i++;
        key = { k: "literal", v: token.v };
      } else if (token?.t === "str") {
        this.i++;
        key = { k: "string", parts: token.parts };
      } else if (token?.t === "var") {
        this.i++;
        entries.push({ key: { k: "literal", v: token.v }, value: { k: "var", name: token.v } });
        if (this.isOp(",")) this.i++;
        continue;
      } else if (token?.t === "num") {
        throw new JqSyntaxError("syntax error: object keys must be strings");
      } else if (this.isOp("(")) {
        this.i++;
        key = this.parsePipe();
        this.expectOp(")");
      } else throw new JqSyntaxError("syntax error in object construction");
      if (this.isOp(":")) {
        this.i++;
        entries.push({ key, value: this.parseObjectValue() });
      } else entries.push({ key });
      if (this.isOp(",")) this.i++;
      else if (!this.isOp("}")) throw new JqSyntaxError("syntax error, expected ',' or '}'");
    }
    this.i++;
    return { k: "object", entries };
  }

  /** Object values bind tighter than `,`: `{a: 1, b: 2}`. */
  parseObjectValue(): Ast {
    let node = this.parseAlt();
    while (this.isOp("|")) {
      this.i++;
      node = { k: "pipe", left: node, right: this.parseAlt() };
    }
    return node;
  }

  parseIdent(name: string): Ast {
    switch (name) {
      case "true":
        return { k: "literal", v: true };
      case "false":
        return { k: "literal", v: false };
      case "null":
        return { k: "literal", v: null };
      case "if": {
        const cond = this.parsePipe();
        this.expectIdent("then");
        const then = this.parsePipe();
        const elifs: { cond: Ast; then: Ast }[] = [];
        let otherwise: Ast | undefined;
        for (;;) {
          if (this.isIdent("elif")) {
            this.i++;
            const c = this.parsePipe();
            this.expectIdent("then");
            elifs.push({ cond: c, then: this.parsePipe() });
            continue;
          }
          if (this.isIdent("else")) {
            this.i++;
            otherwise = this.parsePipe();
          }
          this.expectIdent("end");
          return { k: "if", cond, then, elifs, otherwise };
        }
      }
      case "try": {
        const body = this.parsePostfix();
        if (this.isIdent("catch")) {
          this.i++;
          return { k: "try", body, handler: this.parsePostfix() };
        }
        return { k: "try", body };
      }
      case "reduce": {
        const source = this.parsePostfix();
        this.expectIdent("as");
        const token = this.peek();
        if (token?.t !== "var") throw new JqSyntaxError("syntax error, expected $name");
        this.i++;
        this.expectOp("(");
        const init = this.parsePipe();
        this.expectOp(";");
        const update = this.parsePipe();
        this.expectOp(")");
        return { k: "reduce", source, name: token.v, init, update };
      }
      default: {
        const args: Ast[] = [];
        if (this.isOp("(")) {
          this.i++;
          args.push(this.parsePipe());
          while (this.isOp(";")) {
            this.i++;
            args.push(this.parsePipe());
          }
          this.expectOp(")");
        }
        return { k: "call", name, args };
      }
    }
  }
}

function parseProgram(src: string): Ast {
  const parser = new JqParser(lex(src));
  if (parser.tokens.length === 0) return { k: "identity" };
  const ast = parser.parsePipe();
  if (parser.i < parser.tokens.length) {
    const token = parser.tokens[parser.i];
    const text = token?.t === "op" || token?.t === "ident" || token?.t === "field" ? (token.t === "field" ? `.${token.v}` : token.v) : token?.t ?? "";
    throw new JqSyntaxError(`syntax error, unexpected ${JSON.stringify(text)}`);
  }
  return ast;
}

// ---------------------------------------------------------------- evaluation

interface Env {
  vars: Record<string, Json>;
  budget: { steps: number; chars: number };
}

/** Characters (and array cells) one jq run may build in total: bounds time and memory. */
const MAX_WORK = 4 * SHELL_LIMITS.maxString;

function tooLong(what: string): JqError {
  return new JqError(`${what} too long (this jq builds values of at most ${SHELL_LIMITS.maxString} characters or ${SHELL_LIMITS.maxArray} elements)`);
}

function checkLength(length: number, what = "string"): void {
  if (length > (what === "array" ? SHELL_LIMITS.maxArray : SHELL_LIMITS.maxString)) throw tooLong(what);
}

/** Estimated JSON text size of a value, stopping as soon as it passes `limit` (never walks more). */
function jsonSize(value: Json, limit: number, perElement = 0): number {
  let size = 0;
  const stack: Json[] = [value];
  while (stack.length > 0) {
    const item = stack.pop() ?? null;
    if (item === null || typeof item !== "object") size += typeof item === "string" ? item.length + 2 : 24;
    else if (Array.isArray(item)) {
      size += 2 + item.length * (1 + perElement);
      for (const child of item) stack.push(child);
    } else {
      const keys = Object.keys(item);
      size += 2 + keys.length * (4 + perElement);
      for (const key of keys) {
        size += key.length;
        stack.push(item[key] ?? null);
      }
    }
    if (size > limit) return size;
  }
  return size;
}

/** JSON.stringify that refuses to build a text longer than the string limit. */
function toJson(value: Json): string {
  if (value !== null && typeof value === "object" && jsonSize(value, SHELL_LIMITS.maxString) > SHELL_LIMITS.maxString) throw tooLong("string");
  const text = JSON.stringify(value);
  checkLength(text.length);
  return text;
}

/** Code points of a string, without spreading it into an array. */
function codePointLength(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

function typeOf(value: Json): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value === "object" ? "object" : typeof value;
}

function describe(value: Json): string {
  const text = value !== null && typeof value === "object" && jsonSize(value, 1000) > 1000 ? `${Array.isArray(value) ? "[" : "{"}...` : JSON.stringify(value);
  return `${typeOf(value)} (${text.length > 11 ? `${text.slice(0, 10)}...` : text})`;
}

function truthy(value: Json): boolean {
  return value !== null && value !== false;
}

const TYPE_ORDER = ["null", "boolean", "number", "string", "array", "object"];

export function compareJson(a: Json, b: Json): number {
  const ta = TYPE_ORDER.indexOf(typeOf(a) === "boolean" ? "boolean" : typeOf(a));
  const tb = TYPE_ORDER.indexOf(typeOf(b));
  if (ta !== tb) return ta - tb;
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compareJson(a[i] ?? null, b[i] ?? null);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    const c = compareJson(ka, kb);
    if (c !== 0) return c;
    for (const key of ka) {
      const d = compareJson(a[key] ?? null, b[key] ?? null);
      if (d !== 0) return d;
    }
  }
  return 0;
}

function isObject(value: Json): value is { [key: string]: Json } {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function indexValue(target: Json, key: Json): Json {
  if (target === null) return null;
  if (typeof key === "string") {
    if (isObject(target)) return Object.prototype.hasOwnProperty.call(target, key) ? (target[key] ?? null) : null;
    throw new JqError(`Cannot index ${typeOf(target)} with "${key}"`);
  }
  if (typeof key === "number") {
    if (Array.isArray(target)) {
      const index = Math.floor(key < 0 ? target.length + key : key);
      return target[index] ?? null;
    }
    throw new JqError(`Cannot index ${typeOf(target)} with number`);
  }
  throw new JqError(`Cannot index ${typeOf(target)} with ${typeOf(key)}`);
}

function iterate(value: Json): Json[] {
  if (Array.isArray(value)) return value;
  if (isObject(value)) return Object.values(value);
  throw new JqError(`Cannot iterate over ${describe(value)}`);
}

function arithmetic(op: string, a: Json, b: Json): Json {
  if (op === "+") {
    if (a === null) return b;
    if (b === null) return a;
    if (typeof a === "number" && typeof b === "number") return a + b;
    if (typeof a === "string" && typeof b === "string") {
      checkLength(a.length + b.length);
      return a + b;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
      checkLength(a.length + b.length, "array");
      return [...a, ...b];
    }
    if (isObject(a) && isObject(b)) return { ...a, ...b };
  } else if (op === "-") {
    if (typeof a === "number" && typeof b === "number") return a - b;
    if (Array.isArray(a) && Array.isArray(b)) return a.filter((x) => !b.some((y) => compareJson(x, y) === 0));
  } else if (op === "*") {
    if (typeof a === "number" && typeof b === "number") return a * b;
    if (typeof a === "string" && typeof b === "number") {
      if (b <= 0) return null;
      const times = Math.max(1, Math.floor(b));
      checkLength(a.length * times);
      return a.repeat(times);
    }
    if (isObject(a) && isObject(b)) return deepMerge(a, b);
  } else if (op === "/") {
    if (typeof a === "number" && typeof b === "number") {
      if (b === 0) throw new JqError(`${describe(a)} and ${describe(b)} cannot be divided because the divisor is zero`);
      return a / b;
    }
    if (typeof a === "string" && typeof b === "string") return a.split(b);
  } else if (op === "%") {
    if (typeof a === "number" && typeof b === "number") {
      if (Math.trunc(b) === 0) throw new JqError(`${describe(a)} and ${describe(b)} cannot be divided because the divisor is zero`);
      return Math.trunc(a) % Math.trunc(b);
    }
  }
  const verb = { "+": "added", "-": "subtracted", "*": "multiplied", "/": "divided", "%": "divided" }[op] ?? "combined";
  throw new JqError(`${describe(a)} and ${describe(b)} cannot be ${verb}`);
}

function deepMerge(a: { [key: string]: Json }, b: { [key: string]: Json }): Json {
  const out: { [key: string]: Json } = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const existing = out[key];
    out[key] = existing !== undefined && isObject(existing) && isObject(value) ? deepMerge(existing, value) : value;
  }
  return out;
}

function tostring(value: Json): string {
  return typeof value === "string" ? value : toJson(value);
}

function applyFormat(name: string, value: Json): string {
  switch (name) {
    case "@text":
      return tostring(value);
    case "@json":
      return toJson(value);
    case "@base64":
      return Buffer.from(tostring(value), "utf8").toString("base64");
    case "@base64d":
      return Buffer.from(tostring(value), "base64").toString("utf8");
    case "@uri":
      return encodeURIComponent(tostring(value)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    case "@sh":
      return (Array.isArray(value) ? value : [value]).map((item) => (typeof item === "string" ? `'${item.replace(/'/g, "'\\''")}'` : toJson(item))).join(" ");
    case "@csv":
    case "@tsv": {
      if (!Array.isArray(value)) throw new JqError(`${describe(value)} cannot be ${name === "@csv" ? "csv" : "tsv"}-formatted, only an array can be`);
      return value
        .map((item) => {
          if (typeof item === "string") return name === "@csv" ? `"${item.replace(/"/g, '""')}"` : item.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r");
          return item === null ? "" : toJson(item);
        })
        .join(name === "@csv" ? "," : "\t");
    }
    default:
      throw new JqError(`${name.slice(1)} is not a valid format`);
  }
}

function paths(value: Json, prefix: Json[] = []): Json[][] {
  const out: Json[][] = [];
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      out.push([...prefix, index]);
      out.push(...paths(item, [...prefix, index]));
    });
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      out.push([...prefix, key]);
      out.push(...paths(item, [...prefix, key]));
    }
  }
  return out;
}

function recurseAll(value: Json): Json[] {
  const out: Json[] = [value];
  if (Array.isArray(value) || isObject(value)) for (const child of iterate(value)) out.push(...recurseAll(child));
  return out;
}

/** Path expressions for del(): simple `.a.b[0]`, `.a[]` forms. */
function pathsOf(ast: Ast, input: Json, env: Env): Json[][] {
  switch (ast.k) {
    case "identity":
      return [[]];
    case "index": {
      const out: Json[][] = [];
      for (const base of pathsOf(ast.target, input, env)) for (const key of evaluate(ast.key, input, env)) out.push([...base, key]);
      return out;
    }
    case "iterate": {
      const out: Json[][] = [];
      for (const base of pathsOf(ast.target, input, env)) {
        const container = getPath(input, base);
        if (Array.isArray(container)) container.forEach((_v, index) => out.push([...base, index]));
        else if (isObject(container)) for (const key of Object.keys(container)) out.push([...base, key]);
      }
      return out;
    }
    case "pipe": {
      const out: Json[][] = [];
      for (const base of pathsOf(ast.left, input, env)) for (const rest of pathsOf(ast.right, getPath(input, base), env)) out.push([...base, ...rest]);
      return out;
    }
    case "comma":
      return [...pathsOf(ast.left, input, env), ...pathsOf(ast.right, input, env)];
    case "call":
      if (ast.name === "select" && ast.args[0]) return evaluate(ast.args[0], input, env).some(truthy) ? [[]] : [];
      if (ast.name === "empty") return [];
      break;
    default:
      break;
  }
  throw new JqError("Invalid path expression");
}

function getPath(value: Json, path: Json[]): Json {
  let current = value;
  for (const key of path) current = indexValue(current, key);
  return current;
}

function deletePaths(value: Json, pathList: Json[][]): Json {
  const sorted = [...pathList].sort((a, b) => compareJson(b, a));
  let result: Json = JSON.parse(JSON.stringify(value)) as Json;
  for (const path of sorted) result = deletePath(result, path);
  return result;
}

function deletePath(value: Json, path: Json[]): Json {
  if (path.length === 0) return null;
  const [key, ...rest] = path;
  if (Array.isArray(value) && typeof key === "number") {
    const index = key < 0 ? value.length + key : key;
    if (rest.length === 0) return value.filter((_v, i) => i !== index);
    return value.map((item, i) => (i === index ? deletePath(item, rest) : item));
  }
  if (isObject(value) && typeof key === "string") {
    if (!(key in value)) return value;
    if (rest.length === 0) {
      const copy = { ...value };
      delete copy[key];
      return copy;
    }
    return { ...value, [key]: deletePath(value[key] ?? null, rest) };
  }
  return value;
}

/** Evaluates a node and charges what it built to the run's budget. */
function evaluate(ast: Ast, input: Json, env: Env): Json[] {
  const results = evaluateNode(ast, input, env);
  checkLength(results.length, "array");
  for (const value of results) {
    if (typeof value === "string") {
      checkLength(value.length);
      env.budget.chars += value.length;
    } else if (Array.isArray(value)) {
      checkLength(value.length, "array");
      env.budget.chars += value.length;
    }
  }
  env.budget.chars += results.length;
  if (env.budget.chars > MAX_WORK) throw new JqError(`evaluation too large (more than ${MAX_WORK} characters built)`);
  return results;
}

function evaluateNode(ast: Ast, input: Json, env: Env): Json[] {
  if (++env.budget.steps > 2_000_000) throw new JqError("evaluation too long (step limit reached)");
  switch (ast.k) {
    case "identity":
      return [input];
    case "recurse":
      return recurseAll(input);
    case "literal":
      return [ast.v];
    case "string": {
      let results = [""];
      for (const part of ast.parts) {
        if (typeof part === "string") {
          results = results.map((r) => r + part);
          continue;
        }
        const values = evaluate(part, input, env);
        const next: string[] = [];
        for (const r of results) {
          for (const v of values) {
            const piece = ast.format ? applyFormat(ast.format, v) : tostring(v);
            checkLength(r.length + piece.length);
            next.push(r + piece);
          }
        }
        checkLength(next.length, "array");
        results = next;
      }
      return results;
    }
    case "format":
      return [applyFormat(ast.name, input)];
    case "index": {
      const out: Json[] = [];
      for (const target of evaluate(ast.target, input, env)) {
        for (const key of evaluate(ast.key, input, env)) {
          try {
            out.push(indexValue(target, key));
          } catch (error) {
            if (!ast.optional) throw error;
          }
        }
      }
      return out;
    }
    case "slice": {
      const out: Json[] = [];
      for (const target of evaluate(ast.target, input, env)) {
        if (target === null) {
          out.push(null);
          continue;
        }
        const from = ast.from ? evaluate(ast.from, input, env)[0] : 0;
        const to = ast.to ? evaluate(ast.to, input, env)[0] : undefined;
        if (typeof target !== "string" && !Array.isArray(target)) {
          if (ast.optional) continue;
          throw new JqError(`Cannot index ${typeOf(target)} with object`);
        }
        const start = typeof from === "number" ? from : 0;
        const end = typeof to === "number" ? to : undefined;
        out.push(target.slice(start, end));
      }
      return out;
    }
    case "iterate": {
      const out: Json[] = [];
      for (const target of evaluate(ast.target, input, env)) {
        try {
          out.push(...iterate(target));
        } catch (error) {
          if (!ast.optional) throw error;
        }
      }
      return out;
    }
    case "pipe": {
      const out: Json[] = [];
      for (const value of evaluate(ast.left, input, env)) {
        out.push(...evaluate(ast.right, value, env));
        if (out.length > MAX_OUTPUTS) throw new JqError("too many results");
      }
      return out;
    }
    case "comma":
      return [...evaluate(ast.left, input, env), ...evaluate(ast.right, input, env)];
    case "neg":
      return evaluate(ast.value, input, env).map((v) => {
        if (typeof v !== "number") throw new JqError(`${describe(v)} cannot be negated`);
        return -v;
      });
    case "binary": {
      if (ast.op === "//") {
        let left: Json[] = [];
        try {
          left = evaluate(ast.left, input, env).filter(truthy);
        } catch {
          left = [];
        }
        return left.length > 0 ? left : evaluate(ast.right, input, env);
      }
      if (ast.op === "and" || ast.op === "or") {
        const out: Json[] = [];
        for (const l of evaluate(ast.left, input, env)) {
          if (ast.op === "and" && !truthy(l)) out.push(false);
          else if (ast.op === "or" && truthy(l)) out.push(true);
          else for (const r of evaluate(ast.right, input, env)) out.push(truthy(r));
        }
        return out;
      }
      const out: Json[] = [];
      const rights = evaluate(ast.right, input, env);
      for (const r of rights) {
        for (const l of evaluate(ast.left, input, env)) {
          switch (ast.op) {
            case "==":
              out.push(compareJson(l, r) === 0);
              break;
            case "!=":
              out.push(compareJson(l, r) !== 0);
              break;
            case "<":
              out.push(compareJson(l, r) < 0);
              break;
            case "<=":
              out.push(compareJson(l, r) <= 0);
              break;
            case ">":
              out.push(compareJson(l, r) > 0);
              break;
            case ">=":
              out.push(compareJson(l, r) >= 0);
              break;
            default:
              out.push(arithmetic(ast.op, l, r));
          }
        }
      }
      return out;
    }
    case "array":
      return [ast.body ? evaluate(ast.body, input, env) : []];
    case "object": {
      let results: { [key: string]: Json }[] = [{}];
      for (const entry of ast.entries) {
        const keys = evaluate(entry.key, input, env);
        const next: { [key: string]: Json }[] = [];
        for (const key of keys) {
          if (typeof key !== "string") throw new JqError(`Object keys must be strings`);
          const values = entry.value ? evaluate(entry.value, input, env) : [indexValue(input, key)];
          for (const base of results) for (const value of values) next.push({ ...base, [key]: value });
        }
        results = next;
      }
      return results;
    }
    case "var": {
      if (ast.name === "ENV" || ast.name === "__loc__") return [env.vars[ast.name] ?? null];
      if (!(ast.name in env.vars)) throw new JqError(`$${ast.name} is not defined`);
      return [env.vars[ast.name] ?? null];
    }
    case "if": {
      const out: Json[] = [];
      for (const cond of evaluate(ast.cond, input, env)) {
        if (truthy(cond)) {
          out.push(...evaluate(ast.then, input, env));
          continue;
        }
        let handled = false;
        for (const elif of ast.elifs) {
          if (evaluate(elif.cond, input, env).some(truthy)) {
            out.push(...evaluate(elif.then, input, env));
            handled = true;
            break;
          }
        }
        if (!handled) out.push(...(ast.otherwise ? evaluate(ast.otherwise, input, env) : [input]));
      }
      return out;
    }
    case "try":
      try {
        return evaluate(ast.body, input, env);
      } catch (error) {
        if (!(error instanceof JqError)) throw error;
        return ast.handler ? evaluate(ast.handler, error.message, env) : [];
      }
    case "as": {
      const out: Json[] = [];
      for (const value of evaluate(ast.source, input, env)) out.push(...evaluate(ast.body, input, { ...env, vars: { ...env.vars, [ast.name]: value } }));
      return out;
    }
    case "reduce": {
      let accumulators = evaluate(ast.init, input, env);
      for (const value of evaluate(ast.source, input, env)) {
        accumulators = accumulators.flatMap((acc) => evaluate(ast.update, acc, { ...env, vars: { ...env.vars, [ast.name]: value } })).slice(-1);
      }
      return accumulators;
    }
    case "call":
      return callFunction(ast.name, ast.args, input, env);
  }
}

function one(ast: Ast | undefined, input: Json, env: Env): Json[] {
  if (!ast) throw new JqError("missing argument");
  return evaluate(ast, input, env);
}

interface JqRegex {
  regex: LinearRegex;
  global: boolean;
  skipEmpty: boolean;
}

const regexCache = new Map<string, JqRegex>();

function compileJqRegex(pattern: string, flags: string): JqRegex {
  const key = `${flags}/${pattern}`;
  const cached = regexCache.get(key);
  if (cached) return cached;
  if (!/^[gixnslp]*$/.test(flags)) throw new JqError(`${flags} is not a valid modifier string`);
  let regex: LinearRegex;
  try {
    regex = compileOniguruma(pattern, { ignoreCase: flags.includes("i"), extended: flags.includes("x"), dotAll: flags.includes("p"), longest: flags.includes("l") });
  } catch (error) {
    if (error instanceof RegexSyntaxError) throw new JqError(`${pattern} (at offset 0) is not a valid regex: ${error.message}`);
    throw error;
  }
  const compiled = { regex, global: flags.includes("g"), skipEmpty: flags.includes("n") };
  if (regexCache.size > 200) regexCache.clear();
  regexCache.set(key, compiled);
  return compiled;
}

/** test/match/capture/scan/split/sub: the pattern may be a string or [pattern, flags]. */
function regexCall(patternAst: Ast | undefined, flagsAst: Ast | undefined, input: Json, env: Env, apply: (text: string, regex: JqRegex) => Json[]): Json[] {
  if (typeof input !== "string") throw new JqError(`${describe(input)} cannot be matched, as it is not a string`);
  const flagValues: Json[] = flagsAst ? one(flagsAst, input, env) : [null];
  const out: Json[] = [];
  for (const pattern of one(patternAst, input, env)) {
    for (const flagValue of flagValues) {
      let source = pattern;
      let flags = flagValue;
      if (Array.isArray(pattern)) {
        source = pattern[0] ?? null;
        flags = pattern[1] ?? flagValue;
      }
      if (typeof source !== "string") throw new JqError(`${describe(source)} cannot be matched, as it is not a string`);
      if (flags !== null && typeof flags !== "string") throw new JqError(`${describe(flags)} is not a string`);
      out.push(...apply(input, compileJqRegex(source, flags ?? "")));
      checkLength(out.length, "array");
    }
  }
  return out;
}

interface FoundMatch {
  m: RegexMatch;
  /** Offsets and lengths in code points, as jq reports them. */
  offset: number;
  length: number;
  captureOffsets: number[];
}

function regexMatches(text: string, regex: JqRegex): FoundMatch[] {
  const found: FoundMatch[] = [];
  let unit = 0;
  let point = 0;
  for (const m of regex.regex.matches(text)) {
    if (regex.skipEmpty && m.end === m.index) continue;
    point += codePointLength(text.slice(unit, m.index));
    unit = m.index;
    const captureOffsets = m.offsets.map((start) => (start < 0 ? -1 : point + codePointLength(text.slice(m.index, start))));
    found.push({ m, offset: point, length: codePointLength(m.groups[0] ?? ""), captureOffsets });
    checkLength(found.length, "array");
    if (!regex.global) break;
  }
  return found;
}

function groupNames(regex: LinearRegex): Map<number, string> {
  return new Map(Object.entries(regex.names()).map(([groupName, index]) => [index, groupName]));
}

function matchObject(m: RegexMatch, offset: number, length: number, captureOffsets: number[], regex: LinearRegex): Json {
  const names = groupNames(regex);
  const captures: Json[] = m.groups.slice(1).map((group, i) => ({
    offset: group === undefined ? -1 : (captureOffsets[i + 1] ?? -1),
    length: group === undefined ? 0 : codePointLength(group),
    string: group ?? null,
    name: names.get(i + 1) ?? null,
  }));
  return { offset, length, string: m.groups[0] ?? "", captures };
}

function captureObject(m: RegexMatch, regex: LinearRegex): Json {
  const out: { [key: string]: Json } = {};
  for (const [index, groupName] of groupNames(regex)) out[groupName] = m.groups[index] ?? null;
  return out;
}

function requireArray(name: string, value: Json): Json[] {
  if (!Array.isArray(value)) throw new JqError(`Cannot ${name} ${describe(value)}`);
  return value;
}

function requireString(name: string, value: Json): string {
  if (typeof value !== "string") throw new JqError(`${describe(value)} cannot be ${name}`);
  return value;
}

function callFunction(name: string, args: Ast[], input: Json, env: Env): Json[] {
  const arity = `${name}/${args.length}`;
  const [a0, a1] = args;
  switch (arity) {
    case "empty/0":
      return [];
    case "not/0":
      return [!truthy(input)];
    case "length/0":
      if (input === null) return [0];
      if (typeof input === "boolean") throw new JqError(`${describe(input)} has no length`);
      if (typeof input === "number") return [Math.abs(input)];
      if (typeof input === "string") return [codePointLength(input)];
      return [Array.isArray(input) ? input.length : Object.keys(input).length];
    case "utf8bytelength/0":
      return [Buffer.byteLength(requireString("utf8bytelength'd", input))];
    case "keys/0":
    case "keys_unsorted/0":
      if (Array.isArray(input)) return [input.map((_v, i) => i)];
      if (isObject(input)) return [name === "keys" ? Object.keys(input).sort() : Object.keys(input)];
      throw new JqError(`${describe(input)} has no keys`);
    case "has/1":
      return one(a0, input, env).map((key) => {
        if (isObject(input) && typeof key === "string") return Object.prototype.hasOwnProperty.call(input, key);
        if (Array.isArray(input) && typeof key === "number") return key >= 0 && key < input.length;
        throw new JqError(`Cannot check whether ${typeOf(input)} has a ${typeOf(key)} key`);
      });
    case "in/1":
      return one(a0, input, env).flatMap((container) => callFunction("has", [{ k: "literal", v: input }], container, env));
    case "select/1":
      return one(a0, input, env).some(truthy) ? [input] : [];
    case "map/1":
      return [iterate(input).flatMap((item) => one(a0, item, env))];
    case "map_values/1":
      if (Array.isArray(input)) return [input.flatMap((item) => one(a0, item, env).slice(0, 1))];
      if (isObject(input)) {
        const out: { [key: string]: Json } = {};
        for (const [key, value] of Object.entries(input)) {
          const mapped = one(a0, value, env);
          if (mapped.length > 0) out[key] = mapped[0] ?? null;
        }
        return [out];
      }
      throw new JqError(`Cannot iterate over ${describe(input)}`);
    case "to_entries/0":
      if (!isObject(input)) throw new JqError(`${describe(input)} has no keys`);
      return [Object.entries(input).map(([key, value]) => ({ key, value }))];
    case "from_entries/0":
      return [
        Object.fromEntries(
          requireArray("use from_entries on", input).map((entry) => {
            if (!isObject(entry)) throw new JqError(`Cannot index ${typeOf(entry)} with "key"`);
            const key = entry.key ?? entry.k ?? entry.name ?? entry.Name ?? entry.Key ?? null;
            const value = entry.value ?? entry.v ?? entry.Value ?? null;
            return [typeof key === "string" ? key : JSON.stringify(key), value];
          }),
        ) as Json,
      ];
    case "with_entries/1": {
      const entries = callFunction("to_entries", [], input, env)[0] ?? [];
      const mapped = iterate(entries).flatMap((entry) => one(a0, entry, env));
      return callFunction("from_entries", [], mapped, env);
    }
    case "values/0":
      return input === null ? [] : [input];
    case "nulls/0":
      return input === null ? [input] : [];
    case "booleans/0":
      return typeof input === "boolean" ? [input] : [];
    case "numbers/0":
      return typeof input === "number" ? [input] : [];
    case "strings/0":
      return typeof input === "string" ? [input] : [];
    case "arrays/0":
      return Array.isArray(input) ? [input] : [];
    case "objects/0":
      return isObject(input) ? [input] : [];
    case "iterables/0":
      return Array.isArray(input) || isObject(input) ? [input] : [];
    case "scalars/0":
      return Array.isArray(input) || isObject(input) ? [] : [input];
    case "type/0":
      return [typeOf(input)];
    case "tostring/0":
      return [tostring(input)];
    case "tonumber/0": {
      if (typeof input === "number") return [input];
      const n = typeof input === "string" && input.trim() !== "" ? Number(input) : NaN;
      if (!Number.isFinite(n)) throw new JqError(`Cannot parse '${tostring(input)}' as JSON`);
      return [n];
    }
    case "tojson/0":
      return [toJson(input)];
    case "fromjson/0":
      try {
        return [JSON.parse(requireString("parsed", input)) as Json];
      } catch (error) {
        if (error instanceof JqError) throw error;
        throw new JqError(`${tostring(input)} (while parsing '${tostring(input)}')`);
      }
    case "ascii_downcase/0":
      return [requireString("lowercased", input).replace(/[A-Z]/g, (c) => c.toLowerCase())];
    case "ascii_upcase/0":
      return [requireString("uppercased", input).replace(/[a-z]/g, (c) => c.toUpperCase())];
    case "ascii/0":
      return [String.fromCharCode(typeof input === "number" ? input : 0)];
    case "join/1":
      return one(a0, input, env).map((separator) => {
        const glue = typeof separator === "string" ? separator : "";
        let length = 0;
        const parts = iterate(input).map((item, index) => {
          if (item !== null && typeof item === "object") throw new JqError(`Cannot join with ${typeOf(item)}`);
          const text = item === null ? "" : String(item);
          length += text.length + (index > 0 ? glue.length : 0);
          checkLength(length);
          return text;
        });
        return parts.join(glue);
      });
    case "split/1":
      return one(a0, input, env).map((separator) => requireString("split", input).split(requireString("split by", separator)));
    case "test/1":
    case "test/2":
      return regexCall(a0, a1, input, env, (text, regex) => [regex.regex.test(text)]);
    case "match/1":
    case "match/2":
      return regexCall(a0, a1, input, env, (text, regex) => regexMatches(text, regex).map((match) => matchObject(match.m, match.offset, match.length, match.captureOffsets, regex.regex)));
    case "capture/1":
    case "capture/2":
      return regexCall(a0, a1, input, env, (text, regex) => regexMatches(text, regex).map((match) => captureObject(match.m, regex.regex)));
    case "scan/1":
    case "scan/2":
      return regexCall(a0, a1, input, env, (text, regex) => regexMatches(text, { ...regex, global: true }).map((match) => (match.m.groups.length > 1 ? match.m.groups.slice(1).map((group) => group ?? null) : (match.m.groups[0] ?? ""))));
    case "split/2":
      return regexCall(a0, a1, input, env, (text, regex) => {
        const parts: Json[] = [];
        let last = 0;
        for (const match of regexMatches(text, { ...regex, global: true })) {
          parts.push(text.slice(last, match.m.index));
          last = match.m.end;
        }
        parts.push(text.slice(last));
        return [parts];
      });
    case "sub/2":
    case "sub/3":
    case "gsub/2":
    case "gsub/3": {
      const replacement = a1;
      if (!replacement) throw new JqError("missing argument");
      return regexCall(a0, args[2], input, env, (text, regex) => {
        const found = regexMatches(text, { ...regex, global: regex.global || name === "gsub" });
        let results = [""];
        let last = 0;
        for (const match of found) {
          const prefix = text.slice(last, match.m.index);
          const outputs = evaluate(replacement, captureObject(match.m, regex.regex), env).map((value) => {
            if (typeof value !== "string") throw new JqError(`${describe(value)} cannot be added to a string`);
            return value;
          });
          const next: string[] = [];
          for (const r of results) {
            for (const value of outputs) {
              checkLength(r.length + prefix.length + value.length);
              next.push(r + prefix + value);
            }
          }
          checkLength(next.length, "array");
          results = next;
          last = match.m.end;
        }
        return results.map((r) => {
          checkLength(r.length + text.length - last);
          return r + text.slice(last);
        });
      });
    }
    case "contains/1":
      return one(a0, input, env).map((b) => contains(input, b));
    case "inside/1":
      return one(a0, input, env).map((b) => contains(b, input));
    case "startswith/1":
      return one(a0, input, env).map((prefix) => requireString("checked", input).startsWith(requireString("checked", prefix)));
    case "endswith/1":
      return one(a0, input, env).map((suffix) => requireString("checked", input).endsWith(requireString("checked", suffix)));
    case "ltrimstr/1":
      return one(a0, input, env).map((prefix) => (typeof input === "string" && typeof prefix === "string" && input.startsWith(prefix) ? input.slice(prefix.length) : input));
    case "rtrimstr/1":
      return one(a0, input, env).map((suffix) => (typeof input === "string" && typeof suffix === "string" && suffix !== "" && input.endsWith(suffix) ? input.slice(0, -suffix.length) : input));
    case "index/1":
    case "rindex/1":
      return one(a0, input, env).map((needle) => {
        if (typeof input !== "string" || typeof needle !== "string") return null;
        const position = name === "index" ? input.indexOf(needle) : input.lastIndexOf(needle);
        return position < 0 ? null : position;
      });
    case "first/0":
      return [indexValue(input, 0)];
    case "last/0":
      return [indexValue(input, -1)];
    case "first/1":
      return one(a0, input, env).slice(0, 1);
    case "last/1":
      return one(a0, input, env).slice(-1);
    case "limit/2": {
      const count = one(a0, input, env)[0];
      return one(a1, input, env).slice(0, typeof count === "number" ? Math.max(0, count) : 0);
    }
    case "range/1":
    case "range/2": {
      const from = a1 ? (one(a0, input, env)[0] ?? 0) : 0;
      const to = a1 ? (one(a1, input, env)[0] ?? 0) : (one(a0, input, env)[0] ?? 0);
      const out: Json[] = [];
      if (typeof from === "number" && typeof to === "number") for (let i = from; i < to && out.length < MAX_OUTPUTS; i++) out.push(i);
      return out;
    }
    case "sort/0":
      return [[...requireArray("sort", input)].sort(compareJson)];
    case "sort_by/1":
      return [
        [...requireArray("sort", input)]
          .map((item) => ({ item, key: one(a0, item, env) as Json }))
          .sort((x, y) => compareJson(x.key, y.key))
          .map((entry) => entry.item),
      ];
    case "group_by/1": {
      const sorted = [...requireArray("group", input)].map((item) => ({ item, key: one(a0, item, env) as Json })).sort((x, y) => compareJson(x.key, y.key));
      const groups: Json[][] = [];
      let lastKey: Json | undefined;
      for (const entry of sorted) {
        if (lastKey !== undefined && compareJson(lastKey, entry.key) === 0) groups[groups.length - 1]?.push(entry.item);
        else groups.push([entry.item]);
        lastKey = entry.key;
      }
      return [groups];
    }
    case "unique/0":
      return [[...requireArray("unique", input)].sort(compareJson).filter((item, index, all) => index === 0 || compareJson(all[index - 1] ?? null, item) !== 0)];
    case "unique_by/1": {
      const groups = callFunction("group_by", args, input, env)[0];
      return [Array.isArray(groups) ? groups.map((group) => (Array.isArray(group) ? (group[0] ?? null) : null)) : []];
    }
    case "min/0":
    case "max/0": {
      const sorted = [...requireArray(name, input)].sort(compareJson);
      return [(name === "min" ? sorted[0] : sorted[sorted.length - 1]) ?? null];
    }
    case "min_by/1":
    case "max_by/1": {
      const sorted = callFunction("sort_by", args, input, env)[0];
      const list = Array.isArray(sorted) ? sorted : [];
      return [(name === "min_by" ? list[0] : list[list.length - 1]) ?? null];
    }
    case "add/0":
      return [iterate(input).reduce<Json>((sum, item) => arithmetic("+", sum, item), null)];
    case "any/0":
      return [iterate(input).some(truthy)];
    case "all/0":
      return [iterate(input).every(truthy)];
    case "any/1":
      return [iterate(input).some((item) => one(a0, item, env).some(truthy))];
    case "all/1":
      return [iterate(input).every((item) => one(a0, item, env).every(truthy))];
    case "flatten/0":
    case "flatten/1": {
      const depth = a0 ? one(a0, input, env)[0] : 1e9;
      const flat = (value: Json[], level: number): Json[] => value.flatMap((item) => (Array.isArray(item) && level > 0 ? flat(item, level - 1) : [item]));
      return [flat(requireArray("flatten", input), typeof depth === "number" ? depth : 1e9)];
    }
    case "reverse/0":
      if (typeof input === "string") return [[...input].reverse().join("")];
      return input === null ? [[]] : [[...requireArray("reverse", input)].reverse()];
    case "error/0":
      throw new JqError(tostring(input));
    case "error/1":
      throw new JqError(tostring(one(a0, input, env)[0] ?? null));
    case "env/0":
      return [env.vars.ENV ?? {}];
    case "paths/0":
      return paths(input);
    case "paths/1":
      return paths(input).filter((path) => one(a0, getPath(input, path), env).some(truthy));
    case "getpath/1":
      return one(a0, input, env).map((path) => {
        try {
          return getPath(input, requireArray("getpath", path));
        } catch {
          return null;
        }
      });
    case "del/1":
      return [deletePaths(input, pathsOf(a0 ?? { k: "identity" }, input, env))];
    case "recurse/0":
      return recurseAll(input);
    case "tostream/0":
      return paths(input)
        .filter((path) => {
          const value = getPath(input, path);
          return !(Array.isArray(value) || isObject(value));
        })
        .map((path) => [path, getPath(input, path)]);
    case "input/0":
    case "inputs/0":
      return [];
    case "splits/1":
    case "splits/2":
      return callFunction("split", args.length === 1 ? [...args, { k: "literal", v: null }] : args, input, env).flatMap((parts) => (Array.isArray(parts) ? parts : []));
    case "ascii/1":
    case "halt/0":
      return [];
    case "now/0":
      return [Date.now() / 1000];
    case "floor/0":
    case "ceil/0":
    case "round/0":
    case "sqrt/0":
    case "fabs/0": {
      if (typeof input !== "number") throw new JqError(`${describe(input)} number required`);
      const fn = { floor: Math.floor, ceil: Math.ceil, round: Math.round, sqrt: Math.sqrt, fabs: Math.abs }[name] ?? Math.floor;
      return [fn(input)];
    }
    default:
      throw new JqError(`${arity} is not defined`);
  }
}

function contains(a: Json, b: Json): boolean {
  if (typeof a === "string" && typeof b === "string") return a.includes(b);
  if (Array.isArray(a) && Array.isArray(b)) return b.every((item) => a.some((candidate) => contains(candidate, item)));
  if (isObject(a) && isObject(b)) return Object.entries(b).every(([key, value]) => key in a && contains(a[key] ?? null, value));
  if (typeOf(a) !== typeOf(b)) throw new JqError(`${describe(a)} and ${describe(b)} cannot have their containment checked`);
  return compareJson(a, b) === 0;
}

// ---------------------------------------------------------------- output

function serialize(value: Json, options: { compact: boolean; indent: string; sortKeys: boolean }, level = 0): string {
  if (level === 0 && value !== null && typeof value === "object" && jsonSize(value, SHELL_LIMITS.maxString, options.compact ? 0 : 1 + options.indent.length) > SHELL_LIMITS.maxString) throw tooLong("output");
  if (value === null || typeof value !== "object") {
    if (typeof value === "number") {
      if (!Number.isFinite(value)) return value > 0 ? "1.7976931348623157e+308" : value < 0 ? "-1.7976931348623157e+308" : "null";
      return JSON.stringify(value);
    }
    return JSON.stringify(value);
  }
  const pad = options.compact ? "" : `\n${options.indent.repeat(level + 1)}`;
  const end = options.compact ? "" : `\n${options.indent.repeat(level)}`;
  const separator = options.compact ? ":" : ": ";
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[${value.map((item) => pad + serialize(item, options, level + 1)).join(",")}${end}]`;
  }
  const keys = options.sortKeys ? Object.keys(value).sort() : Object.keys(value);
  if (keys.length === 0) return "{}";
  return `{${keys.map((key) => `${pad}${JSON.stringify(key)}${separator}${serialize(value[key] ?? null, options, level + 1)}`).join(",")}${end}}`;
}

/** Splits a text holding several JSON values (whitespace separated) and parses each. */
export function parseJsonStream(text: string): { ok: true; values: Json[] } | { ok: false; error: string } {
  const values: Json[] = [];
  let i = 0;
  let line = 1;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i] ?? "")) {
      if (text[i] === "\n") line++;
      i++;
    }
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
      const column = start - text.lastIndexOf("\n", start - 1);
      const kind = /^[-0-9]/.test(chunk) || /^[A-Za-z]/.test(chunk) ? "Invalid numeric literal" : "Unfinished JSON term";
      return { ok: false, error: `jq: parse error: ${kind} at line ${line}, column ${column + chunk.length - 1}` };
    }
    line += (chunk.match(/\n/g) ?? []).length;
  }
  return { ok: true, values };
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
  const vars: Record<string, Json> = { ENV: { ...variables }, __loc__: { file: "<stdin>", line: 1 } };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "--arg" || arg === "--argjson") {
      const name = args[i + 1];
      const value = args[i + 2];
      if (name === undefined || value === undefined) return fail(`jq: ${arg} takes two parameters (e.g. ${arg} varname value)\nUse jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://jqlang.github.io/jq`, 2);
      if (arg === "--arg") vars[name] = value;
      else {
        try {
          vars[name] = JSON.parse(value) as Json;
        } catch {
          return fail(`jq: Invalid JSON text passed to --argjson\nUse jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://jqlang.github.io/jq`, 2);
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
      if (!handler) return fail(`jq: Unknown option: ${arg}\nUse jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://jqlang.github.io/jq`, 2);
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
        else return fail(`jq: Unknown option: ${arg}\nUse jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://jqlang.github.io/jq`, 2);
      }
      continue;
    }
    if (filter === undefined) filter = arg;
    else files.push(arg);
  }
  if (filter === undefined) {
    return fail("Usage:\tjq [OPTIONS] FILTER [FILES...]\n\njq is a tool for processing JSON inputs, applying the given filter to\nits JSON text inputs and producing the filter's results as JSON on\nstandard output.\nUse jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://jqlang.github.io/jq", 2);
  }
  let program: Ast;
  try {
    program = parseProgram(filter);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return fail(`jq: error: ${message}:\n${filter}\njq: 1 compile error`, 3);
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
  if (nullInput) inputs = [null];
  else {
    const parsed = parseJsonStream(text);
    if (!parsed.ok) return fail(parsed.error, 2);
    inputs = slurp ? [parsed.values] : parsed.values;
  }
  const env: Env = { vars, budget: { steps: 0, chars: 0 } };
  let stdout = "";
  let last: Json | undefined;
  for (const input of inputs) {
    let results: Json[];
    try {
      results = evaluate(program, input, env);
    } catch (error) {
      if (error instanceof JqError) return { stdout, stderr: `jq: error (at <stdin>:${lines(text)}): ${error.message}\n`, exitCode: 5 };
      if (error instanceof RangeError) return { stdout, stderr: "jq: error: expression too deep\n", exitCode: 5 };
      throw error;
    }
    for (const result of results) {
      last = result;
      const rendered = raw && typeof result === "string" ? result : serialize(result, { compact, indent, sortKeys });
      stdout += join ? rendered : `${rendered}\n`;
      if (stdout.length > 4_000_000) return { stdout, stderr: "jq: output truncated\n", exitCode: 5 };
    }
  }
  const exitCode = exitStatus ? (last === undefined ? 4 : truthy(last) ? 0 : 1) : 0;
  return { stdout, stderr: "", exitCode };
};

function lines(text: string): number {
  return (text.match(/\n/g) ?? []).length;
}
