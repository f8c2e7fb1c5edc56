/** jq's lexer: program text into tokens (string interpolations are parsed as they are met). */
import { parseProgram, type Ast } from "./parser";
import { JqSyntaxError } from "./values";

export type Token =
  | { t: "field"; v: string }
  | { t: "ident"; v: string; at: number }
  | { t: "var"; v: string; at: number }
  | { t: "num"; v: number }
  | { t: "str"; parts: (string | Ast)[] }
  | { t: "format"; v: string }
  | { t: "op"; v: string };

/** `base`: where `src` starts in the whole program (string interpolations are lexed on their own). */
export function lex(src: string, base = 0): Token[] {
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
            parts.push(parseProgram(src.slice(i + 2, j - 1), base + i + 2));
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
      tokens.push({ t: "var", v: match[1] ?? "", at: base + i });
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
      tokens.push({ t: "ident", v: word, at: base + i });
      i += word.length;
      continue;
    }
    if (src.startsWith("//=", i)) {
      tokens.push({ t: "op", v: "//=" });
      i += 3;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (["==", "!=", "<=", ">=", "//", "..", "?/", "|=", "+=", "-=", "*=", "/=", "%="].includes(two)) {
      tokens.push({ t: "op", v: two });
      i += 2;
      continue;
    }
    if ("|,.[](){}:;<>+-*/%?=".includes(ch)) {
      tokens.push({ t: "op", v: ch });
      i++;
      continue;
    }
    throw new JqSyntaxError(`unexpected character '${ch}'`);
  }
  return tokens;
}
