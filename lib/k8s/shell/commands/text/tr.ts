/** tr: character sets and ranges, delete (-d), squeeze (-s), complement (-c). */
import type { CommandHandler } from "../../types";
import { fail, ok, parseOptions } from "../util";

function expandTrSet(set: string): string[] {
  const chars: string[] = [];
  const unescaped: string[] = [];
  for (let i = 0; i < set.length; i++) {
    const ch = set[i] ?? "";
    if (ch === "[" && set[i + 1] === ":") {
      const end = set.indexOf(":]", i + 2);
      if (end > 0) {
        const name = set.slice(i + 2, end);
        const ranges: Record<string, string> = {
          upper: "A-Z",
          lower: "a-z",
          digit: "0-9",
          alpha: "a-zA-Z",
          alnum: "0-9A-Za-z",
          space: " \t\n\r\f\v",
          blank: " \t",
          punct: "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
          xdigit: "0-9A-Fa-f",
        };
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
    if (second !== undefined && !flags.has("s"))
      return fail(
        `tr: extra operand \u2018${second}\u2019\nOnly one string may be given when deleting without squeezing repeats.\nTry 'tr --help' for more information.`,
      );
    let out = [...stdin].filter((ch) => !set1Has(ch)).join("");
    if (flags.has("s") && second !== undefined) out = squeeze(out, expandTrSet(second));
    return ok(out);
  }
  if (second === undefined) {
    if (flags.has("s")) return ok(squeeze(stdin, set1));
    return fail(
      `tr: missing operand after \u2018${first}\u2019\nTwo strings must be given when translating.\nTry 'tr --help' for more information.`,
    );
  }
  const set2 = expandTrSet(second);
  const map = new Map<string, string>();
  set1.forEach((ch, index) => map.set(ch, set2[Math.min(index, set2.length - 1)] ?? ""));
  let out = [...stdin]
    .map((ch) => (flags.has("c") ? (members1.has(ch) ? ch : (set2[set2.length - 1] ?? ch)) : (map.get(ch) ?? ch)))
    .join("");
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
