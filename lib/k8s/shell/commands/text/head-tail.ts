/** head and tail: one implementation, by lines or bytes (`-n`, `-c`, `-5`, tail's `+N`). */
import type { CommandHandler } from "../../types";
import { fail, parseCount, parseOptions } from "../util";

function headTail(command: "head" | "tail"): CommandHandler {
  return async ({ args, fs, stdin }) => {
    const parsed = parseOptions(command, args, {
      flags: "qvf",
      valued: "nc",
      numericShorthand: "n",
      longValued: { lines: "n", bytes: "c" },
      long: { quiet: "q", verbose: "v", follow: "f" },
    });
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
      if ((names.length > 1 && !flags.has("q")) || flags.has("v"))
        stdout += `${index > 0 ? "\n" : ""}==> ${name === "-" ? "standard input" : name} <==\n`;
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
      if (command === "head")
        selected = count < 0 || lineText?.startsWith("-") ? all.slice(0, Math.max(0, all.length - n)) : all.slice(0, n);
      else selected = fromStart ? all.slice(Math.max(0, n - 1)) : n === 0 ? [] : all.slice(-n);
      const endsAtEnd = selected.length > 0 && (command === "tail" || selected.length === all.length);
      stdout += selected.join("\n") + (selected.length > 0 && (!endsAtEnd || trailing) ? "\n" : "");
    });
    if (command === "tail" && flags.has("f"))
      stderr += "tail: following is not available in this practice terminal; showing the current end of the file\n";
    return { stdout, stderr, exitCode: stderr === "" || flags.has("f") ? 0 : 1 };
  };
}

export const head = headTail("head");
export const tail = headTail("tail");
