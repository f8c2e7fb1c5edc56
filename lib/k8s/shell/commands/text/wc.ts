/** wc: lines, words, bytes, characters and the longest line. */
import type { CommandHandler } from "../../types";
import { fail, parseOptions, readInputs } from "../util";

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
  if (rows.length > 1)
    rows.push({ counts: show.map((_flag, index) => rows.reduce((sum, row) => sum + (row.counts[index] ?? 0), 0)), name: "total" });
  const fromStdin = inputs.some((input) => input.name === "-");
  const single = show.length === 1 && rows.length === 1;
  const width =
    single && !fromStdin ? 1 : Math.max(fromStdin ? 7 : 1, ...rows.flatMap((row) => row.counts.map((count) => String(count).length)));
  const stdout = rows
    .map((row) => {
      const numbers = single ? row.counts.map(String).join(" ") : row.counts.map((count) => String(count).padStart(width, " ")).join(" ");
      return row.name === "" ? `${numbers}\n` : `${numbers} ${row.name}\n`;
    })
    .join("");
  return { stdout, stderr: errors, exitCode: failed ? 1 : 0 };
};
