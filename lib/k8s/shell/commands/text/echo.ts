/** echo: -n, -e and -E, and the backslash escapes `echo -e` and `printf %b` share. */
import type { CommandHandler } from "../../types";
import { ok } from "../util";

export function backslashEscapes(text: string, forPrintfB = false): { text: string; stop: boolean } {
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
