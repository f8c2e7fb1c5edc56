/**
 * Reads jq.test, the jq conformance table: jq's own tests/jq.test format (a program line, an input
 * line, the expected output lines as `jq -c` prints them; blocks separated by blank lines; `#`
 * comments), extended for the command line: a block may start with `%%ARGS <options>` (the
 * options instead of `-c`, split on spaces) and `%%EXIT <code>`, and expected stderr lines are
 * written `%%STDERR <line>`.
 */
import { readFileSync } from "node:fs";

export interface JqCase {
  /** 1-based line of the program in jq.test, for messages. */
  line: number;
  args: string[];
  program: string;
  input: string;
  stdout: string;
  stderr: string;
  exitCode: number;
}

export const JQ_TABLE = new URL("./jq.test", import.meta.url);

export function readJqTable(path: URL = JQ_TABLE): JqCase[] {
  const cases: JqCase[] = [];
  const lines = readFileSync(path, "utf8").split("\n");
  let block: { text: string; line: number }[] = [];
  const flush = (): void => {
    if (block.length > 0) cases.push(toCase(block));
    block = [];
  };
  lines.forEach((text, index) => {
    if (text === "") flush();
    else if (!text.startsWith("#")) block.push({ text, line: index + 1 });
  });
  flush();
  return cases;
}

function toCase(block: { text: string; line: number }[]): JqCase {
  let args = ["-c"];
  let exitCode = 0;
  let at = 0;
  for (; at < block.length; at++) {
    const text = block[at]?.text ?? "";
    if (text.startsWith("%%ARGS"))
      args = text
        .slice("%%ARGS".length)
        .trim()
        .split(" ")
        .filter((arg) => arg !== "");
    else if (text.startsWith("%%EXIT ")) exitCode = Number(text.slice("%%EXIT ".length));
    else break;
  }
  const program = block[at];
  const input = block[at + 1];
  if (program === undefined || input === undefined)
    throw new Error(`jq.test line ${block[0]?.line ?? 0}: a case needs a program line and an input line`);
  const rest = block.slice(at + 2).map((entry) => entry.text);
  const stderr = rest.filter((text) => text.startsWith("%%STDERR ")).map((text) => `${text.slice("%%STDERR ".length)}\n`);
  const stdout = rest.filter((text) => !text.startsWith("%%STDERR ")).map((text) => `${text}\n`);
  return { line: program.line, args, program: program.text, input: input.text, stdout: stdout.join(""), stderr: stderr.join(""), exitCode };
}
